//! The durable outbox. A message is written in the same transaction as the change that
//! causes it, then claimed and sent by a worker. Claiming is a conditional UPDATE on a lease
//! (`locked_until`), so with several app instances on one database each message is taken by
//! one worker only; a crashed worker's lease simply runs out and the message is taken again.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use diesel::prelude::*;

use crate::clock::Millis;
use crate::db::schema::outbox;
use crate::db::{DbConnection, one_of};
use crate::domain::ids::ReferralId;

use super::hooks::{Delivery, Hooks};

crate::code_enum! {
    /// Where a message stands: waiting to be claimed and sent (or retried), handed to the
    /// mail server, given up on for a person to look at, or stopped unsent.
    pub enum Status ("outbox status") {
        Pending = "pending",
        Sent = "sent",
        Failed = "failed",
        /// Stopped before it was sent, because consent to share was withdrawn.
        Cancelled = "cancelled",
    }
}

/// After this many transient failures a message is marked failed for a person to look at.
pub const MAX_ATTEMPTS: i32 = 8;
/// How long a worker holds a claimed message before another may take it.
pub const LEASE_MS: Millis = 60_000;

pub struct NewMessage<'a> {
    pub referral_id: Option<&'a ReferralId>,
    pub recipient: &'a str,
    pub subject: &'a str,
    pub body_text: &'a str,
    pub body_html: Option<&'a str>,
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = outbox)]
pub struct Message {
    pub id: String,
    pub message_id: String,
    pub referral_id: Option<ReferralId>,
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
    #[diesel(deserialize_as = String)]
    pub status: Status,
    pub attempts: i32,
    pub next_attempt_at: Millis,
    pub locked_until: Millis,
    pub last_error: Option<String>,
    pub created_at: Millis,
    pub sent_at: Option<Millis>,
}

/// Queues a message; returns its row id, for a record that names the message it caused. The
/// stable `Message-ID` is made from the same id.
pub fn enqueue(conn: &mut DbConnection, now: Millis, m: &NewMessage<'_>) -> QueryResult<String> {
    let id = crate::domain::new_id();
    let message_id = format!("{id}@liaison");
    diesel::insert_into(outbox::table)
        .values((
            outbox::id.eq(&id),
            outbox::message_id.eq(&message_id),
            outbox::referral_id.eq(m.referral_id),
            outbox::recipient.eq(m.recipient),
            outbox::subject.eq(m.subject),
            outbox::body_text.eq(m.body_text),
            outbox::body_html.eq(m.body_html),
            outbox::status.eq(Status::Pending.code()),
            outbox::next_attempt_at.eq(now),
            outbox::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(id)
}

/// Claims up to `limit` due messages for this worker, in one transaction (one commit for the
/// whole batch). Each row is taken by a conditional UPDATE on its lease, so two workers on one
/// database never both take a message.
pub fn claim_due(conn: &mut DbConnection, now: Millis, limit: i64) -> QueryResult<Vec<Message>> {
    crate::db::write_tx(conn, |conn| {
        let candidates: Vec<String> = outbox::table
            .filter(outbox::status.eq(Status::Pending.code()))
            .filter(outbox::next_attempt_at.le(now))
            .filter(outbox::locked_until.le(now))
            .order(outbox::next_attempt_at.asc())
            .select(outbox::id)
            .limit(limit)
            .load(conn)?;
        let mut taken = Vec::with_capacity(candidates.len());
        for id in candidates {
            let claimed = diesel::update(
                outbox::table
                    .find(&id)
                    .filter(outbox::status.eq(Status::Pending.code()))
                    .filter(outbox::locked_until.le(now)),
            )
            .set(outbox::locked_until.eq(now + LEASE_MS))
            .execute(conn)?;
            if claimed == 1 {
                taken.push(id);
            }
        }
        if taken.is_empty() {
            return Ok(Vec::new());
        }
        let mut claimed: Vec<Message> = outbox::table
            .filter(one_of(outbox::id, &taken))
            .select(Message::as_select())
            .load(conn)?;
        claimed.sort_by_key(|m| m.next_attempt_at);
        Ok(claimed)
    })
}

/// Gives claimed messages back unsent, for the next pass (or another worker) to take.
pub fn release(conn: &mut DbConnection, ids: &[&str]) -> QueryResult<()> {
    diesel::update(
        outbox::table
            .filter(one_of(outbox::id, ids))
            .filter(outbox::status.eq(Status::Pending.code())),
    )
    .set(outbox::locked_until.eq(0))
    .execute(conn)
    .map(|_| ())
}

/// The message went; the listeners hear of it.
pub fn mark_sent(conn: &mut DbConnection, now: Millis, m: &Message, hooks: &Hooks) -> QueryResult<()> {
    diesel::update(outbox::table.find(&m.id))
        .set((
            outbox::status.eq(Status::Sent.code()),
            outbox::sent_at.eq(now),
            outbox::attempts.eq(m.attempts + 1),
            outbox::last_error.eq(None::<String>),
        ))
        .execute(conn)?;
    hooks.settled(conn, now, m, Delivery::Sent)
}

/// Exponential backoff from 30 seconds, capped at an hour, with ±20% jitter so that many
/// messages failing together do not all retry together.
pub fn backoff_ms(attempts: i32, jitter: u32) -> Millis {
    let base: Millis = 30_000i64.saturating_mul(1 << attempts.clamp(0, 10)).min(3_600_000);
    let spread = base / 5;
    base - spread + (i64::from(jitter) % (2 * spread + 1))
}

pub fn mark_retry(conn: &mut DbConnection, now: Millis, m: &Message, error: &str, hooks: &Hooks) -> QueryResult<()> {
    let attempts = m.attempts + 1;
    if attempts >= MAX_ATTEMPTS {
        return mark_failed(
            conn,
            now,
            m,
            &format!("gave up after {attempts} attempts: {error}"),
            hooks,
        );
    }
    diesel::update(outbox::table.find(&m.id))
        .set((
            outbox::attempts.eq(attempts),
            outbox::next_attempt_at.eq(now + backoff_ms(attempts - 1, OsRng.next_u32())),
            outbox::locked_until.eq(0),
            outbox::last_error.eq(truncate(error)),
        ))
        .execute(conn)
        .map(|_| ())
}

/// No further attempts; the listeners hear of it (a referral shows "Failed – action needed").
pub fn mark_failed(conn: &mut DbConnection, now: Millis, m: &Message, error: &str, hooks: &Hooks) -> QueryResult<()> {
    diesel::update(outbox::table.find(&m.id))
        .set((
            outbox::status.eq(Status::Failed.code()),
            outbox::attempts.eq(m.attempts + 1),
            outbox::locked_until.eq(0),
            outbox::last_error.eq(truncate(error)),
        ))
        .execute(conn)?;
    hooks.settled(conn, now, m, Delivery::Failed)
}

/// An administrator's retry of a failed message: queued again from now.
pub fn retry(conn: &mut DbConnection, now: Millis, id: &str, hooks: &Hooks) -> QueryResult<bool> {
    let changed = diesel::update(outbox::table.find(id).filter(outbox::status.eq(Status::Failed.code())))
        .set((
            outbox::status.eq(Status::Pending.code()),
            outbox::attempts.eq(0),
            outbox::next_attempt_at.eq(now),
            outbox::locked_until.eq(0),
        ))
        .execute(conn)?;
    if changed == 1 {
        let m = outbox::table.find(id).select(Message::as_select()).first(conn)?;
        hooks.settled(conn, now, &m, Delivery::Requeued)?;
    }
    Ok(changed == 1)
}

fn truncate(error: &str) -> String {
    error.chars().take(500).collect()
}

/// Counts by status and the creation time of the oldest unsent message.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub pending: i64,
    pub failed: i64,
    pub sent: i64,
    pub oldest_pending: Option<Millis>,
}

pub fn summary(conn: &mut DbConnection) -> QueryResult<Summary> {
    let counts: Vec<(String, i64)> = outbox::table
        .group_by(outbox::status)
        .select((outbox::status, diesel::dsl::count_star()))
        .load(conn)?;
    let count = |s: Status| counts.iter().find(|(k, _)| k == s.code()).map_or(0, |(_, n)| *n);
    let oldest_pending = outbox::table
        .filter(outbox::status.eq(Status::Pending.code()))
        .select(diesel::dsl::min(outbox::created_at))
        .first::<Option<Millis>>(conn)?;
    Ok(Summary {
        pending: count(Status::Pending),
        failed: count(Status::Failed),
        sent: count(Status::Sent),
        oldest_pending,
    })
}

/// Newest first, optionally only one status.
pub fn list(conn: &mut DbConnection, status: Option<Status>, limit: i64) -> QueryResult<Vec<Message>> {
    let mut q = outbox::table.select(Message::as_select()).into_boxed();
    if let Some(s) = status {
        q = q.filter(outbox::status.eq(s.code()));
    }
    q.order(outbox::created_at.desc()).limit(limit).load(conn)
}

pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<Message>> {
    outbox::table
        .find(id)
        .select(Message::as_select())
        .first(conn)
        .optional()
}

#[cfg(test)]
mod tests {
    use super::{Status, backoff_ms};

    #[test]
    fn an_unknown_stored_status_is_an_error_not_pending() {
        for status in Status::ALL {
            assert_eq!(Status::try_from(status.code().to_string()), Ok(*status));
        }
        let err = Status::try_from("queued".to_string()).unwrap_err();
        assert_eq!(err.to_string(), "unknown outbox status `queued`");
        assert!(Status::try_from("PENDING".to_string()).is_err());
    }

    #[test]
    fn backoff_grows_is_capped_and_jittered() {
        assert!((24_000..=36_000).contains(&backoff_ms(0, 0)));
        assert!((24_000..=36_000).contains(&backoff_ms(0, u32::MAX)));
        assert!(backoff_ms(3, 0) >= 4 * 30_000 * 8 / 10 - 1);
        assert!(backoff_ms(20, u32::MAX) <= 3_600_000 * 12 / 10);
        assert_ne!(backoff_ms(2, 1), backoff_ms(2, 7_000), "jitter changes the delay");
    }
}
