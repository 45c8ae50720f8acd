//! Audit rows that accompany no change — views of personal data, searches, refusals — written
//! by one thread that commits whatever has queued in one transaction. A request waits for its
//! row's commit before it answers, so nothing shown goes unrecorded and nothing confirmed is
//! lost on a crash; but concurrent requests share a commit (and its fsync) instead of each
//! paying for one. Rows that record a change are written in the change's own transaction
//! instead (`web::context::Tx::audit`).

use std::sync::mpsc;

use tokio::sync::oneshot;

use super::{Actor, Event, Outcome};
use crate::clock::Millis;
use crate::db::{self, DbConnection, Target};

/// The most rows one commit takes; a larger queue is written in several.
const MOST_PER_COMMIT: usize = 512;

/// The journal has stopped or its commit failed: the row is not recorded.
#[derive(Debug, thiserror::Error)]
#[error("the audit journal could not record the event")]
pub struct NotRecorded;

/// A handle on the journal's writer; cheap to clone. The writer stops when the last goes.
#[derive(Clone)]
pub struct Journal {
    queue: mpsc::Sender<Waiting>,
}

struct Waiting {
    row: OwnedEvent,
    committed: oneshot::Sender<bool>,
}

/// An event with its time and actor, owned so it can cross to the writer.
struct OwnedEvent {
    at: Millis,
    actor: Actor,
    action: String,
    record_type: Option<String>,
    record_id: Option<String>,
    outcome: Outcome,
    detail: Option<String>,
    person_id: Option<String>,
    basis: Option<String>,
}

impl OwnedEvent {
    fn new(at: Millis, actor: &Actor, event: Event<'_>) -> Self {
        OwnedEvent {
            at,
            actor: actor.clone(),
            action: event.action.to_string(),
            record_type: event.record_type.map(String::from),
            record_id: event.record_id.map(String::from),
            outcome: event.outcome,
            detail: event.detail,
            person_id: event.person_id.map(String::from),
            basis: event.basis.map(String::from),
        }
    }

    fn write(&self, conn: &mut DbConnection) -> diesel::QueryResult<()> {
        let event = Event {
            action: &self.action,
            record_type: self.record_type.as_deref(),
            record_id: self.record_id.as_deref(),
            outcome: self.outcome,
            detail: self.detail.clone(),
            person_id: self.person_id.as_deref(),
            basis: self.basis.as_deref(),
        };
        super::record(conn, self.at, &self.actor, event)
    }
}

impl Journal {
    /// Opens the writer's own connection (so it never waits on the request pool) and starts it.
    pub fn start(target: &Target) -> Result<Journal, String> {
        let conn = db::connect(target).map_err(|e| format!("cannot open the audit journal: {e}"))?;
        let (queue, waiting) = mpsc::channel();
        std::thread::Builder::new()
            .name("audit-journal".into())
            .spawn({
                let target = target.clone();
                move || write_until_closed(conn, &target, waiting)
            })
            .map_err(|e| format!("cannot start the audit journal: {e}"))?;
        Ok(Journal { queue })
    }

    /// Records the event and returns once it is committed.
    pub async fn record(&self, at: Millis, actor: &Actor, event: Event<'_>) -> Result<(), NotRecorded> {
        let (committed, done) = oneshot::channel();
        let row = OwnedEvent::new(at, actor, event);
        self.queue.send(Waiting { row, committed }).map_err(|_| NotRecorded)?;
        match done.await {
            Ok(true) => Ok(()),
            _ => Err(NotRecorded),
        }
    }
}

fn write_until_closed(mut conn: DbConnection, target: &Target, waiting: mpsc::Receiver<Waiting>) {
    while let Ok(first) = waiting.recv() {
        let mut batch = vec![first];
        batch.extend(waiting.try_iter().take(MOST_PER_COMMIT - 1));
        let written = db::write_tx(&mut conn, |conn| batch.iter().try_for_each(|w| w.row.write(conn)));
        if let Err(e) = &written {
            tracing::error!(error = %e, rows = batch.len(), "audit journal commit failed");
            // The server went away (a restart, a failover): the next batch gets a new connection.
            if db::connection_lost(e) {
                match db::connect(target) {
                    Ok(fresh) => conn = fresh,
                    Err(e) => tracing::error!(error = %e, "audit journal cannot reconnect"),
                }
            }
        }
        for w in batch {
            // A request that gave up waiting has nothing to be told.
            let _ = w.committed.send(written.is_ok());
        }
    }
}
