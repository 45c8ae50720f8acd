//! Retention under the NHS Records Management Code of Practice (decision 0020): each person's
//! record gets a retention class and a review date, recomputed daily; records past their date
//! wait on an appraisal queue for the records manager, who destroys, extends (with a reason and
//! a new date) or preserves each; a legal hold blocks destruction; nothing is destroyed
//! automatically, and a destruction leaves a permanent tombstone.

pub mod destroy;
mod destruction;
mod forms;
mod pages;
pub mod record;
pub mod store;

use std::sync::Arc;

use diesel::QueryResult;

use crate::auth::CurrentUser;
use crate::clock::Millis;
use crate::config::Config;
use crate::db::{self, DbConnection};
use crate::domain::local_time::local_date;
use crate::domain::retention::Periods;
use crate::settings;
use crate::views::nav::NavItem;
use crate::web::routes::{Guard, Record, Routes};

/// A decision to keep a record longer, to a new review date.
pub const EXTEND: &str = "extend";
/// A decision to keep a record permanently (historical or legal interest).
pub const PRESERVE: &str = "preserve";
/// The audit trail's action for a destruction.
pub const DESTROY: &str = "destroy";
/// The audit trail's record type.
pub const RECORD: &str = "retention";

pub const NAV: &[NavItem] = &[NavItem {
    href: "/records/appraisal",
    label: "Appraisal",
    shown_to: |u: &CurrentUser| u.role.manages_records(),
}];

#[rustfmt::skip]
pub fn routes(r: &mut Routes) {
    use Guard::RecordsManager as Rm;
    r.get("/records/appraisal", Rm, Record::Retention, pages::queue)
        .get("/records/people/{id}", Rm, Record::Retention, pages::person)
        .post("/records/people/{id}/decision", Rm, Record::Retention, forms::decide)
        .post("/records/people/{id}/hold", Rm, Record::Retention, forms::place_hold)
        .post("/records/people/{id}/hold/lift", Rm, Record::Retention, forms::lift_hold)
        .post("/records/people/{id}/death", Rm, Record::Retention, forms::record_death)
        .get("/records/people/{id}/destroy", Rm, Record::Retention, destruction::confirm)
        .post("/records/people/{id}/destroy", Rm, Record::Retention, destruction::destroy);
}

/// People recomputed per pass of the background worker: a day's pass over a million records
/// is a thousand short transactions, none long enough to hold up email.
const PER_PASS: i64 = 1_000;
const DAY: &str = "retention.day";
const CURSOR: &str = "retention.cursor";
/// The cursor once the day's pass has reached the last person.
const DONE: &str = "done";

/// The daily recomputation, run a batch at a time by the outbox worker: each day it walks
/// every person in id order from the start.
pub struct RecomputeTask {
    pub config: Arc<Config>,
}

impl crate::email::hooks::PeriodicTask for RecomputeTask {
    fn name(&self) -> &'static str {
        "recompute retention dates"
    }

    fn run(&self, conn: &mut DbConnection, now: Millis) -> QueryResult<usize> {
        next_batch(conn, now, self.config.retention_periods())
    }
}

/// Recomputes the next batch of today's pass, if it is not done: answers 1 when a batch was
/// done, 0 when the day's pass had already reached the end. The batch is worked out from a
/// read snapshot and only written under the write lock, which it holds for milliseconds
/// rather than the half-second its reads take at a million people: every audited page waits
/// on that lock for its audit row.
fn next_batch(conn: &mut DbConnection, now: Millis, periods: Periods) -> QueryResult<usize> {
    let today = local_date(now).to_string();
    let (cursor, batch) = db::read_tx(conn, |conn| {
        let cursor = cursor_on(conn, &today)?;
        if cursor == DONE {
            return Ok::<_, diesel::result::Error>((cursor, None));
        }
        let batch = store::Batch::read(conn, now, periods, &cursor, PER_PASS)?;
        Ok((cursor, Some(batch)))
    })?;
    let Some(batch) = batch else { return Ok(0) };
    db::write_tx(conn, |conn| {
        // Another process (a second server on the same database) took this batch meanwhile.
        if cursor_on(conn, &today)? != cursor {
            return Ok(1);
        }
        batch.write(conn, now)?;
        settings::set(conn, DAY, &today)?;
        settings::set(conn, CURSOR, batch.last().unwrap_or(DONE))?;
        Ok(usize::from(batch.last().is_some()))
    })
}

/// Runs the whole of today's pass now, as a bulk load of records does before the service
/// opens on them, so the first day's pass is not left to the background worker.
pub fn complete_todays_pass(conn: &mut DbConnection, now: Millis, periods: Periods) -> QueryResult<()> {
    while next_batch(conn, now, periods)? > 0 {}
    Ok(())
}

/// Where today's pass stands: the last person done, empty when it has not begun today.
fn cursor_on(conn: &mut DbConnection, today: &str) -> QueryResult<String> {
    if settings::get(conn, DAY)?.as_deref() == Some(today) {
        Ok(settings::get(conn, CURSOR)?.unwrap_or_default())
    } else {
        Ok(String::new())
    }
}
