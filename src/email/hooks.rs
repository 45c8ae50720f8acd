//! How features take part in email without the outbox knowing them: listeners told when a
//! message about one of their records settles, and tasks the worker runs on every pass.
//! `app.rs` registers them at start.

use std::sync::Arc;

use diesel::QueryResult;

use super::outbox::Message;
use crate::clock::Millis;
use crate::db::DbConnection;
use crate::domain::ids::ReferralId;

/// What became of a message that belongs to a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// Handed to the mail server.
    Sent,
    /// Given up: no further attempts.
    Failed,
    /// An administrator queued a failed message again.
    Requeued,
}

/// Told, inside the outbox's own transaction, when a message about a referral settles.
pub trait DeliveryListener: Send + Sync {
    fn settled(
        &self,
        conn: &mut DbConnection,
        now: Millis,
        referral_id: &ReferralId,
        delivery: Delivery,
    ) -> QueryResult<()>;
}

/// Work the outbox worker does on each pass before sending, such as queueing reminders.
pub trait PeriodicTask: Send + Sync {
    fn name(&self) -> &'static str;
    /// Returns how many items it handled.
    fn run(&self, conn: &mut DbConnection, now: Millis) -> QueryResult<usize>;
}

/// Everything registered with the outbox.
#[derive(Clone, Default)]
pub struct Hooks {
    pub listeners: Vec<Arc<dyn DeliveryListener>>,
    pub tasks: Vec<Arc<dyn PeriodicTask>>,
}

impl Hooks {
    pub fn settled(&self, conn: &mut DbConnection, now: Millis, m: &Message, delivery: Delivery) -> QueryResult<()> {
        if let Some(referral_id) = &m.referral_id {
            for listener in &self.listeners {
                listener.settled(conn, now, referral_id, delivery)?;
            }
        }
        Ok(())
    }
}
