//! The append-only audit trail: every view of personal data, every change, every sign-in.
//! The database refuses UPDATE and DELETE on the table (triggers in the migrations).

pub mod chain;
pub mod journal;

use diesel::prelude::*;

use crate::clock::Millis;
use crate::db::schema::audit_events;
use crate::db::{DbConnection, one_of};

crate::code_enum! {
    /// Whether the action was allowed or refused.
    pub enum Outcome ("audit outcome") {
        Allowed = "allowed",
        Denied = "denied",
    }
}

/// Who acted. Absent for an anonymous request such as a failed sign-in.
#[derive(Clone, Debug, Default)]
pub struct Actor {
    pub user_id: Option<String>,
    pub username: Option<String>,
    pub role: Option<String>,
    pub team: Option<String>,
    pub client_addr: Option<String>,
}

/// One event. `action` is a short verb such as `view`, `create`, `update`, `sign-in`.
#[derive(Debug)]
pub struct Event<'a> {
    pub action: &'a str,
    pub record_type: Option<&'a str>,
    pub record_id: Option<&'a str>,
    pub outcome: Outcome,
    pub detail: Option<String>,
    /// Whose record it is, for the person's "who accessed this record" report.
    pub person_id: Option<&'a str>,
    /// Why access was allowed: `relationship`, `break-glass`, `self-claim`, `new-to-service`.
    pub basis: Option<&'a str>,
}

impl<'a> Event<'a> {
    pub fn allowed(action: &'a str) -> Self {
        Event {
            action,
            record_type: None,
            record_id: None,
            outcome: Outcome::Allowed,
            detail: None,
            person_id: None,
            basis: None,
        }
    }

    pub fn denied(action: &'a str) -> Self {
        Event {
            outcome: Outcome::Denied,
            ..Event::allowed(action)
        }
    }

    pub fn record(mut self, record_type: &'a str, record_id: &'a str) -> Self {
        self.record_type = Some(record_type);
        self.record_id = Some(record_id);
        self
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    pub fn person(mut self, person_id: &'a str) -> Self {
        self.person_id = Some(person_id);
        self
    }

    pub fn basis(mut self, basis: &'a str) -> Self {
        self.basis = Some(basis);
        self
    }
}

#[derive(Insertable)]
#[diesel(table_name = audit_events)]
struct NewRow<'a> {
    at: Millis,
    user_id: Option<&'a str>,
    username: Option<&'a str>,
    role: Option<&'a str>,
    team: Option<&'a str>,
    action: &'a str,
    record_type: Option<&'a str>,
    record_id: Option<&'a str>,
    outcome: &'a str,
    detail: Option<&'a str>,
    client_addr: Option<&'a str>,
    person_id: Option<&'a str>,
    basis: Option<&'a str>,
    prev_hash: &'a str,
    hash: &'a str,
}

/// Appends one row to the trail, linked into the hash chain. Runs in the caller's
/// transaction, or in a write transaction of its own when there is none.
pub fn record(conn: &mut DbConnection, at: Millis, actor: &Actor, event: Event<'_>) -> QueryResult<()> {
    let content = chain::Content {
        at,
        user_id: actor.user_id.as_deref(),
        username: actor.username.as_deref(),
        role: actor.role.as_deref(),
        team: actor.team.as_deref(),
        action: event.action,
        record_type: event.record_type,
        record_id: event.record_id,
        outcome: event.outcome.code(),
        detail: event.detail.as_deref(),
        client_addr: actor.client_addr.as_deref(),
        person_id: event.person_id,
        basis: event.basis,
    };
    crate::db::within_write_tx(conn, |conn| {
        let prev_hash = chain::last_hash(conn)?;
        let hash = content.hash(&prev_hash);
        let c = &content;
        diesel::insert_into(audit_events::table)
            .values(NewRow {
                at,
                user_id: c.user_id,
                username: c.username,
                role: c.role,
                team: c.team,
                action: c.action,
                record_type: c.record_type,
                record_id: c.record_id,
                outcome: c.outcome,
                detail: c.detail,
                client_addr: c.client_addr,
                person_id: c.person_id,
                basis: c.basis,
                prev_hash: &prev_hash,
                hash: &hash,
            })
            .execute(conn)
            .map(|_| ())
    })
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = audit_events)]
pub struct Row {
    pub id: i64,
    pub at: Millis,
    pub user_id: Option<String>,
    pub username: Option<String>,
    pub role: Option<String>,
    pub team: Option<String>,
    pub action: String,
    pub record_type: Option<String>,
    pub record_id: Option<String>,
    #[diesel(deserialize_as = String)]
    pub outcome: Outcome,
    pub detail: Option<String>,
    pub client_addr: Option<String>,
    pub person_id: Option<String>,
    pub basis: Option<String>,
}

/// What the "who accessed this record" page filters on. Empty fields match everything.
#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct Filter {
    #[serde(default)]
    pub record_type: String,
    #[serde(default)]
    pub record_id: String,
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub action: String,
}

pub const PAGE_SIZE: i64 = 100;

/// Newest first, at most `PAGE_SIZE` rows, using the indexes on record, user and time.
pub fn search(conn: &mut DbConnection, filter: &Filter) -> QueryResult<Vec<Row>> {
    let mut query = audit_events::table.select(Row::as_select()).into_boxed();
    let f = |s: &str| s.trim().to_string();
    if !filter.record_type.trim().is_empty() {
        query = query.filter(audit_events::record_type.eq(f(&filter.record_type)));
    }
    if !filter.record_id.trim().is_empty() {
        query = query.filter(audit_events::record_id.eq(f(&filter.record_id)));
    }
    if !filter.username.trim().is_empty() {
        query = query.filter(audit_events::username.eq(f(&filter.username)));
    }
    if !filter.action.trim().is_empty() {
        query = query.filter(audit_events::action.eq(f(&filter.action)));
    }
    query
        .order((audit_events::at.desc(), audit_events::id.desc()))
        .limit(PAGE_SIZE)
        .load(conn)
}

/// Failed tries at a link sent by email (`action`, such as a partner's answer link or a
/// report link) allowed from one address within [`LINK_WINDOW_MS`]; more are refused, so
/// tokens cannot be guessed.
pub const LINK_FAILURES: i64 = 10;
pub const LINK_WINDOW_MS: Millis = 15 * 60_000;

/// Whether the actor's address has had [`LINK_FAILURES`] refused tries at `action` links in
/// the window before `now`, counted from the audit trail (an indexed lookup by address);
/// when it has, this try is refused too, and audited.
pub fn refuse_link_guessing(conn: &mut DbConnection, action: &str, actor: &Actor, now: Millis) -> QueryResult<bool> {
    let failed: i64 = audit_events::table
        .filter(audit_events::client_addr.eq(actor.client_addr.as_deref().unwrap_or_default()))
        .filter(audit_events::action.eq(action))
        .filter(audit_events::outcome.eq(Outcome::Denied.code()))
        .filter(audit_events::at.ge(now - LINK_WINDOW_MS))
        .count()
        .get_result(conn)?;
    if failed < LINK_FAILURES {
        return Ok(false);
    }
    let event = Event::denied(action).detail("refused: too many links that do not work");
    record(conn, now, actor, event)?;
    Ok(true)
}

pub const SIGN_IN: &str = "sign-in";
/// Recorded against a user whose password an administrator reset: failed sign-ins before it
/// no longer count towards a lock-out.
pub const SIGN_IN_CLEARED: &str = "sign-in-cleared";
pub const SIGN_OUT: &str = "sign-out";
/// The second factor: asked for after a password, set up, re-confirmed, removed or reset.
pub const SECOND_FACTOR: &str = "second-factor";
pub const VIEW: &str = "view";
pub const CREATE: &str = "create";
pub const UPDATE: &str = "update";
pub const SEARCH: &str = "search";
/// A download of records in bulk, such as the evaluation extract.
pub const EXPORT: &str = "export";
/// A clinician opened a record outside their team's relationship (an emergency override).
pub const BREAK_GLASS: &str = "break-glass";
/// A clinician recorded a new contact for a person their team had no relationship with.
pub const SELF_CLAIM: &str = "self-claim";
/// The information governance lead reviewed a break-glass or self-claim.
pub const REVIEW: &str = "review";

/// Every audit row about one person's records, newest first, at most `PAGE_SIZE`.
/// One stretch of a person's access log, newest first: within `[from, to)`, older than the
/// row `before` (the last one of the page before; `(at, id)`), at most `limit` rows. Reads
/// the (person_id, at) index from the newest end, however long the person's history.
pub struct PersonSlice {
    pub from: Option<Millis>,
    pub to: Option<Millis>,
    pub before: Option<(Millis, i64)>,
    pub limit: i64,
}

/// The audit rows about these people (a person and the duplicates merged into them).
pub fn for_person(conn: &mut DbConnection, person_ids: &[&str], slice: &PersonSlice) -> QueryResult<Vec<Row>> {
    let mut query = audit_events::table
        .filter(one_of(audit_events::person_id, person_ids))
        .select(Row::as_select())
        .order((audit_events::at.desc(), audit_events::id.desc()))
        .limit(slice.limit)
        .into_boxed();
    if let Some(from) = slice.from {
        query = query.filter(audit_events::at.ge(from));
    }
    if let Some(to) = slice.to {
        query = query.filter(audit_events::at.lt(to));
    }
    if let Some((at, id)) = slice.before {
        query = query.filter(
            audit_events::at
                .lt(at)
                .or(audit_events::at.eq(at).and(audit_events::id.lt(id))),
        );
    }
    query.load(conn)
}

#[cfg(test)]
mod tests {
    use super::Outcome;

    #[test]
    fn an_unknown_stored_outcome_is_an_error_not_denied() {
        for outcome in Outcome::ALL {
            assert_eq!(Outcome::try_from(outcome.code().to_string()), Ok(*outcome));
        }
        let err = Outcome::try_from("refused".to_string()).unwrap_err();
        assert_eq!(err.to_string(), "unknown audit outcome `refused`");
        assert!(Outcome::try_from("Allowed".to_string()).is_err());
    }
}
