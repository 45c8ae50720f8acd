//! One person's record as the records manager sees it — who it is about, its retention
//! dates, holds and decisions — and the changes they make to it.

use diesel::prelude::*;

use crate::clock::Millis;
use crate::db::DbConnection;
use crate::db::schema::{
    destroyed_people, legal_holds, people, person_retention, record_destructions, retention_decisions,
};
use crate::domain::new_id;
use crate::domain::retention::RetentionClass;

#[derive(Queryable, Debug, Clone)]
pub struct Identity {
    pub id: String,
    pub given_name: String,
    pub family_name: String,
    pub date_of_birth: String,
    pub nhs_number: Option<String>,
    pub died_on: Option<String>,
    pub merged_into: Option<String>,
}

#[derive(Queryable, Debug, Clone)]
pub struct Retention {
    pub class: String,
    pub last_contact_on: Option<String>,
    pub review_on: Option<String>,
    pub preserved: bool,
    pub computed_on: String,
}

impl Retention {
    pub fn class_label(&self) -> &'static str {
        self.class.parse::<RetentionClass>().map_or("Unknown", |c| c.label())
    }

    /// Due for appraisal on `today` (`YYYY-MM-DD`).
    pub fn due(&self, today: &str) -> bool {
        !self.preserved && self.review_on.as_deref().is_some_and(|r| r <= today)
    }
}

#[derive(Queryable, Debug, Clone)]
pub struct Hold {
    pub id: String,
    pub reason: String,
    pub placed_by: String,
    pub placed_at: Millis,
    pub lifted_at: Option<Millis>,
    pub lift_reason: Option<String>,
}

#[derive(Queryable, Debug, Clone)]
pub struct Decision {
    pub decision: String,
    pub reason: String,
    pub new_review_on: Option<String>,
    pub decided_by: String,
    pub decided_at: Millis,
}

pub struct Record {
    pub identity: Identity,
    pub retention: Option<Retention>,
    pub holds: Vec<Hold>,
    pub decisions: Vec<Decision>,
}

impl Record {
    pub fn active_hold(&self) -> Option<&Hold> {
        self.holds.iter().find(|h| h.lifted_at.is_none())
    }
}

pub fn load(conn: &mut DbConnection, person_id: &str) -> QueryResult<Option<Record>> {
    let Some(identity) = people::table
        .find(person_id)
        .select((
            people::id,
            people::given_name,
            people::family_name,
            people::date_of_birth,
            people::nhs_number,
            people::died_on,
            people::merged_into,
        ))
        .first::<Identity>(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let retention = person_retention::table
        .find(person_id)
        .select((
            person_retention::class,
            person_retention::last_contact_on,
            person_retention::review_on,
            person_retention::preserved,
            person_retention::computed_on,
        ))
        .first(conn)
        .optional()?;
    let holds = legal_holds::table
        .filter(legal_holds::person_id.eq(person_id))
        .order(legal_holds::placed_at.desc())
        .select((
            legal_holds::id,
            legal_holds::reason,
            legal_holds::placed_by,
            legal_holds::placed_at,
            legal_holds::lifted_at,
            legal_holds::lift_reason,
        ))
        .load(conn)?;
    let decisions = retention_decisions::table
        .filter(retention_decisions::person_id.eq(person_id))
        .order(retention_decisions::decided_at.desc())
        .select((
            retention_decisions::decision,
            retention_decisions::reason,
            retention_decisions::new_review_on,
            retention_decisions::decided_by,
            retention_decisions::decided_at,
        ))
        .load(conn)?;
    Ok(Some(Record {
        identity,
        retention,
        holds,
        decisions,
    }))
}

/// The tombstone of a destroyed record: (destruction id, destroyed at, rows removed).
pub fn tombstone(conn: &mut DbConnection, person_id: &str) -> QueryResult<Option<(String, Millis, i64)>> {
    destroyed_people::table
        .inner_join(record_destructions::table.on(record_destructions::id.eq(destroyed_people::destruction_id)))
        .filter(destroyed_people::person_id.eq(person_id))
        .select((
            record_destructions::id,
            record_destructions::destroyed_at,
            record_destructions::rows_removed,
        ))
        .first(conn)
        .optional()
}

pub fn decide(
    conn: &mut DbConnection,
    now: Millis,
    person_id: &str,
    by: &str,
    decision: (&str, &str, Option<&str>),
) -> QueryResult<()> {
    let (kind, reason, new_review_on) = decision;
    diesel::insert_into(retention_decisions::table)
        .values((
            retention_decisions::id.eq(new_id()),
            retention_decisions::person_id.eq(person_id),
            retention_decisions::decision.eq(kind),
            retention_decisions::reason.eq(reason),
            retention_decisions::new_review_on.eq(new_review_on),
            retention_decisions::decided_by.eq(by),
            retention_decisions::decided_at.eq(now),
        ))
        .execute(conn)?;
    let row = person_retention::table.find(person_id);
    match new_review_on {
        Some(date) => diesel::update(row)
            .set(person_retention::review_on.eq(date))
            .execute(conn)?,
        None => diesel::update(row)
            .set(person_retention::preserved.eq(true))
            .execute(conn)?,
    };
    Ok(())
}

pub fn place_hold(
    conn: &mut DbConnection,
    now: Millis,
    person_id: &str,
    by: &str,
    reason: &str,
) -> QueryResult<String> {
    let id = new_id();
    diesel::insert_into(legal_holds::table)
        .values((
            legal_holds::id.eq(&id),
            legal_holds::person_id.eq(person_id),
            legal_holds::reason.eq(reason),
            legal_holds::placed_by.eq(by),
            legal_holds::placed_at.eq(now),
        ))
        .execute(conn)?;
    Ok(id)
}

/// Lifts the hold in force; answers whether there was one.
pub fn lift_hold(conn: &mut DbConnection, now: Millis, person_id: &str, by: &str, reason: &str) -> QueryResult<bool> {
    let lifted = diesel::update(
        legal_holds::table
            .filter(legal_holds::person_id.eq(person_id))
            .filter(legal_holds::lifted_at.is_null()),
    )
    .set((
        legal_holds::lifted_by.eq(by),
        legal_holds::lifted_at.eq(now),
        legal_holds::lift_reason.eq(reason),
    ))
    .execute(conn)?;
    Ok(lifted > 0)
}

pub fn record_death(conn: &mut DbConnection, person_id: &str, died_on: Option<&str>) -> QueryResult<()> {
    diesel::update(people::table.find(person_id))
        .set(people::died_on.eq(died_on))
        .execute(conn)
        .map(|_| ())
}
