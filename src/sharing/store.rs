//! Consent versions and shares as stored. A consent version is written once, with its scopes;
//! a share is written once, and only its IG review is added later.

use diesel::prelude::*;

use crate::clock::Millis;
use crate::db::schema::{share_consent_scopes, share_consents, shares, users};
use crate::db::{DbConnection, one_of};
use crate::domain::sharing::{Answer, Basis, Capacity, Method, Scope};

/// One version of a person's consent to share, as recorded on an episode.
#[derive(Debug, Clone)]
pub struct Consent {
    pub id: String,
    pub version: i32,
    pub method: Method,
    pub witness: Option<String>,
    pub interpreter: bool,
    pub easy_read: bool,
    pub capacity: Capacity,
    pub capacity_note: Option<String>,
    pub guardian: Option<String>,
    pub withdrawal: bool,
    pub note: Option<String>,
    pub captured_by: String,
    pub captured_at: Millis,
    /// Every scope, in [`Scope::ALL`]'s order, with its answer and any limits in words.
    pub scopes: Vec<(Scope, Answer, Option<String>)>,
}

impl Consent {
    pub fn answer(&self, scope: Scope) -> Answer {
        self.scopes
            .iter()
            .find(|(s, _, _)| *s == scope)
            .map_or(Answer::NotAsked, |(_, a, _)| *a)
    }
}

type ConsentRow = (
    String,
    i32,
    String,
    Option<String>,
    bool,
    bool,
    String,
    Option<String>,
    Option<String>,
    bool,
    Option<String>,
    String,
    Millis,
);

/// Every version recorded on the episode, newest first: the first is the one that counts.
pub fn versions(conn: &mut DbConnection, episode_id: &str) -> QueryResult<Vec<Consent>> {
    let rows: Vec<ConsentRow> = share_consents::table
        .inner_join(users::table.on(users::id.eq(share_consents::captured_by)))
        .filter(share_consents::episode_id.eq(episode_id))
        .order(share_consents::version.desc())
        .select((
            share_consents::id,
            share_consents::version,
            share_consents::method,
            share_consents::witness,
            share_consents::interpreter,
            share_consents::easy_read,
            share_consents::capacity,
            share_consents::capacity_note,
            share_consents::guardian,
            share_consents::withdrawal,
            share_consents::note,
            users::display_name,
            share_consents::captured_at,
        ))
        .load(conn)?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    let scopes: Vec<(String, String, String, Option<String>)> = share_consent_scopes::table
        .filter(one_of(share_consent_scopes::consent_id, &ids))
        .select((
            share_consent_scopes::consent_id,
            share_consent_scopes::scope,
            share_consent_scopes::answer,
            share_consent_scopes::limits,
        ))
        .load(conn)?;
    let unknown = |e: crate::domain::code::UnknownCode| diesel::result::Error::DeserializationError(Box::new(e));
    rows.into_iter()
        .map(|r| {
            let mut own = Vec::new();
            for scope in Scope::ALL {
                let found = scopes.iter().find(|(c, s, _, _)| *c == r.0 && s == scope.code());
                let (answer, limits) = match found {
                    Some((_, _, a, l)) => (a.parse::<Answer>().map_err(unknown)?, l.clone()),
                    None => (Answer::NotAsked, None),
                };
                own.push((*scope, answer, limits));
            }
            Ok(Consent {
                id: r.0,
                version: r.1,
                method: r.2.parse().map_err(unknown)?,
                witness: r.3,
                interpreter: r.4,
                easy_read: r.5,
                capacity: r.6.parse().map_err(unknown)?,
                capacity_note: r.7,
                guardian: r.8,
                withdrawal: r.9,
                note: r.10,
                captured_by: r.11,
                captured_at: r.12,
                scopes: own,
            })
        })
        .collect()
}

/// The version that counts now, if any.
pub fn current(conn: &mut DbConnection, episode_id: &str) -> QueryResult<Option<Consent>> {
    Ok(versions(conn, episode_id)?.into_iter().next())
}

/// A new version to write.
pub struct NewConsent<'a> {
    pub episode_id: &'a str,
    pub person_id: &'a str,
    pub method: Method,
    pub witness: Option<&'a str>,
    pub interpreter: bool,
    pub easy_read: bool,
    pub capacity: Capacity,
    pub capacity_note: Option<&'a str>,
    pub guardian: Option<&'a str>,
    pub withdrawal: bool,
    pub note: Option<&'a str>,
    pub scopes: &'a [(Scope, Answer, Option<String>)],
}

/// Writes the next version; returns its number.
pub fn insert(conn: &mut DbConnection, now: Millis, user_id: &str, c: &NewConsent<'_>) -> QueryResult<i32> {
    let last: Option<i32> = share_consents::table
        .filter(share_consents::episode_id.eq(c.episode_id))
        .select(diesel::dsl::max(share_consents::version))
        .first(conn)?;
    let (id, version) = (crate::domain::new_id(), last.unwrap_or(0) + 1);
    diesel::insert_into(share_consents::table)
        .values((
            share_consents::id.eq(&id),
            share_consents::episode_id.eq(c.episode_id),
            share_consents::person_id.eq(c.person_id),
            share_consents::version.eq(version),
            share_consents::method.eq(c.method.code()),
            share_consents::witness.eq(c.witness),
            share_consents::interpreter.eq(c.interpreter),
            share_consents::easy_read.eq(c.easy_read),
            share_consents::capacity.eq(c.capacity.code()),
            share_consents::capacity_note.eq(c.capacity_note),
            share_consents::guardian.eq(c.guardian),
            share_consents::withdrawal.eq(c.withdrawal),
            share_consents::note.eq(c.note),
            share_consents::captured_by.eq(user_id),
            share_consents::captured_at.eq(now),
        ))
        .execute(conn)?;
    for (scope, answer, limits) in c.scopes {
        diesel::insert_into(share_consent_scopes::table)
            .values((
                share_consent_scopes::consent_id.eq(&id),
                share_consent_scopes::scope.eq(scope.code()),
                share_consent_scopes::answer.eq(answer.code()),
                share_consent_scopes::limits.eq(limits.as_deref()),
            ))
            .execute(conn)?;
    }
    Ok(version)
}

/// A share, as the episode and the review queue list it.
#[derive(Queryable, Debug, Clone)]
pub struct Share {
    pub id: String,
    pub episode_id: String,
    pub person_id: String,
    pub scope: String,
    pub recipient: String,
    pub document: String,
    pub document_version: Option<i32>,
    pub content_hash: String,
    pub basis: String,
    pub basis_detail: Option<String>,
    pub consulted: Option<String>,
    pub caldicott_told: bool,
    pub shared_by: String,
    pub shared_at: Millis,
    pub review_due: Option<Millis>,
    pub review_outcome: Option<String>,
    pub review_note: Option<String>,
}

impl Share {
    pub fn basis_label(&self) -> &str {
        match self.basis.parse::<Basis>() {
            Ok(b) => b.label(),
            Err(_) => &self.basis,
        }
    }

    pub fn scope_label(&self) -> &str {
        match self.scope.parse::<Scope>() {
            Ok(s) => s.label(),
            Err(_) => &self.scope,
        }
    }
}

macro_rules! share_rows {
    () => {
        shares::table
            .inner_join(users::table.on(users::id.eq(shares::shared_by)))
            .select((
                shares::id,
                shares::episode_id,
                shares::person_id,
                shares::scope,
                shares::recipient,
                shares::document,
                shares::document_version,
                shares::content_hash,
                shares::basis,
                shares::basis_detail,
                shares::consulted,
                shares::caldicott_told,
                users::display_name,
                shares::shared_at,
                shares::review_due,
                shares::review_outcome,
                shares::review_note,
            ))
    };
}

pub fn for_episode(conn: &mut DbConnection, episode_id: &str) -> QueryResult<Vec<Share>> {
    share_rows!()
        .filter(shares::episode_id.eq(episode_id))
        .order(shares::shared_at.desc())
        .load(conn)
}

/// Everything shared about the person, from any episode, newest first.
pub fn for_person(conn: &mut DbConnection, person_id: &str) -> QueryResult<Vec<Share>> {
    share_rows!()
        .filter(shares::person_id.eq(person_id))
        .order(shares::shared_at.desc())
        .load(conn)
}

pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<Share>> {
    share_rows!().filter(shares::id.eq(id)).first(conn).optional()
}

/// Shares on a basis other than consent not yet reviewed, the most overdue first.
pub fn awaiting_review(conn: &mut DbConnection, limit: i64) -> QueryResult<Vec<Share>> {
    share_rows!()
        .filter(shares::reviewed_at.is_null())
        .filter(shares::review_due.is_not_null())
        .order(shares::review_due.asc())
        .limit(limit)
        .load(conn)
}

/// What the gate decided, ready to write.
pub struct NewShare<'a> {
    pub episode_id: &'a str,
    pub person_id: &'a str,
    pub scope: Scope,
    pub recipient: &'a str,
    pub document: &'a str,
    pub document_version: Option<i32>,
    pub content_hash: &'a str,
    pub basis: Basis,
    pub basis_detail: Option<&'a str>,
    pub consulted: Option<&'a str>,
    pub caldicott_told: bool,
    pub consent_id: Option<&'a str>,
    pub review_due: Option<Millis>,
}

pub fn insert_share(conn: &mut DbConnection, now: Millis, user_id: &str, s: &NewShare<'_>) -> QueryResult<String> {
    let id = crate::domain::new_id();
    diesel::insert_into(shares::table)
        .values((
            shares::id.eq(&id),
            shares::episode_id.eq(s.episode_id),
            shares::person_id.eq(s.person_id),
            shares::scope.eq(s.scope.code()),
            shares::recipient.eq(s.recipient),
            shares::document.eq(s.document),
            shares::document_version.eq(s.document_version),
            shares::content_hash.eq(s.content_hash),
            shares::basis.eq(s.basis.code()),
            shares::basis_detail.eq(s.basis_detail),
            shares::consulted.eq(s.consulted),
            shares::caldicott_told.eq(s.caldicott_told),
            shares::consent_id.eq(s.consent_id),
            shares::shared_by.eq(user_id),
            shares::shared_at.eq(now),
            shares::review_due.eq(s.review_due),
        ))
        .execute(conn)?;
    Ok(id)
}

/// Records the IG lead's review; `false` when someone already had.
pub fn review(
    conn: &mut DbConnection,
    now: Millis,
    id: &str,
    user_id: &str,
    (outcome, note): (&str, Option<&str>),
) -> QueryResult<bool> {
    let n = diesel::update(shares::table.find(id).filter(shares::reviewed_at.is_null()))
        .set((
            shares::review_outcome.eq(outcome),
            shares::review_note.eq(note),
            shares::reviewed_by.eq(user_id),
            shares::reviewed_at.eq(now),
        ))
        .execute(conn)?;
    Ok(n == 1)
}
