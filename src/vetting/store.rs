//! Clearances in the database: each user's current one, their history, recording a new one
//! (which supersedes the current one, kept), and those running out.

use chrono::NaiveDate;
use diesel::prelude::*;

use crate::clock::Millis;
use crate::db::DbConnection;
use crate::db::schema::{users, vetting_clearances as vc};
use crate::domain::CalendarDate;
use crate::domain::vetting::{VettingLevel, is_current};

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = vc)]
pub struct Clearance {
    pub id: String,
    pub user_id: String,
    #[diesel(deserialize_as = String)]
    pub level: VettingLevel,
    pub reference: String,
    #[diesel(deserialize_as = String)]
    pub granted_on: CalendarDate,
    #[diesel(deserialize_as = String)]
    pub expires_on: CalendarDate,
    pub recorded_at: Millis,
    pub superseded_at: Option<Millis>,
}

impl Clearance {
    /// Whether it holds on `today`; see [`is_current`].
    pub fn holds_on(&self, today: NaiveDate) -> bool {
        self.superseded_at.is_none() && is_current(self.granted_on.date(), self.expires_on.date(), today)
    }
}

/// A clearance as an administrator entered it.
pub struct NewClearance<'a> {
    pub user_id: &'a str,
    pub level: VettingLevel,
    pub reference: &'a str,
    pub granted_on: CalendarDate,
    pub expires_on: CalendarDate,
}

/// The user's latest clearance, whatever its dates: `None` if none was ever recorded.
pub fn current(conn: &mut DbConnection, user_id: &str) -> QueryResult<Option<Clearance>> {
    vc::table
        .filter(vc::user_id.eq(user_id))
        .filter(vc::superseded_at.is_null())
        .select(Clearance::as_select())
        .first(conn)
        .optional()
}

/// Every clearance recorded for the user, newest first, with who recorded each.
pub fn history(conn: &mut DbConnection, user_id: &str) -> QueryResult<Vec<(Clearance, String)>> {
    vc::table
        .inner_join(users::table.on(users::id.eq(vc::recorded_by)))
        .filter(vc::user_id.eq(user_id))
        .select((Clearance::as_select(), users::display_name))
        .order(vc::recorded_at.desc())
        .load(conn)
}

/// Records a clearance as the user's current one; the one it replaces is kept, marked as
/// superseded by it. Answers the new row's id and the superseded row's, if any.
pub fn record(
    conn: &mut DbConnection,
    now: Millis,
    by: &str,
    new: &NewClearance<'_>,
) -> QueryResult<(String, Option<String>)> {
    let id = crate::domain::new_id();
    let before = current(conn, new.user_id)?.map(|c| c.id);
    // Superseded first (one current clearance per user), then linked to the new row.
    if let Some(old) = &before {
        diesel::update(vc::table.find(old))
            .set(vc::superseded_at.eq(now))
            .execute(conn)?;
    }
    diesel::insert_into(vc::table)
        .values((
            vc::id.eq(&id),
            vc::user_id.eq(new.user_id),
            vc::level.eq(new.level.code()),
            vc::reference.eq(new.reference),
            vc::granted_on.eq(new.granted_on.iso()),
            vc::expires_on.eq(new.expires_on.iso()),
            vc::recorded_by.eq(by),
            vc::recorded_at.eq(now),
        ))
        .execute(conn)?;
    if let Some(old) = &before {
        diesel::update(vc::table.find(old))
            .set(vc::superseded_by.eq(&id))
            .execute(conn)?;
    }
    Ok((id, before))
}

/// One row of the administrators' list: the clearance and its holder's name and username.
pub struct Expiring {
    pub clearance: Clearance,
    pub display_name: String,
    pub username: String,
}

/// Current clearances of active users that expire on or before `until` (those already
/// expired included), soonest first. Read through the expiry index: current rows by date.
pub fn expiring_by(conn: &mut DbConnection, until: NaiveDate) -> QueryResult<Vec<Expiring>> {
    let rows: Vec<(Clearance, String, String)> = vc::table
        .inner_join(users::table.on(users::id.eq(vc::user_id)))
        .filter(vc::superseded_at.is_null())
        .filter(vc::expires_on.le(CalendarDate::new(until).iso()))
        .filter(users::disabled.eq(false))
        .select((Clearance::as_select(), users::display_name, users::username))
        .order((vc::expires_on.asc(), users::display_name.asc()))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(clearance, display_name, username)| Expiring {
            clearance,
            display_name,
            username,
        })
        .collect())
}
