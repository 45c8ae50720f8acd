//! Shifts: a practitioner signs on at one or more sites with the number custody staff ring.

pub mod handlers;

use diesel::prelude::*;

use crate::clock::Millis;
use crate::db::DbConnection;
use crate::db::schema::{shift_sites, shifts, sites, users};
use crate::domain::ids::SiteId;

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = shifts)]
pub struct Shift {
    pub id: String,
    pub user_id: String,
    pub contact_phone: String,
    pub started_at: Millis,
    pub ended_at: Option<Millis>,
}

pub use crate::auth::on_shift::SiteRef;

/// The shift page, for the roles that work shifts.
pub const NAV: &[crate::views::nav::NavItem] = &[crate::views::nav::NavItem {
    href: "/shift",
    label: "Shift",
    shown_to: crate::auth::CurrentUser::sees_records,
}];

/// The user's open shift, if any, with its sites.
pub fn current(conn: &mut DbConnection, user_id: &str) -> QueryResult<Option<(Shift, Vec<SiteRef>)>> {
    let Some(shift) = shifts::table
        .filter(shifts::user_id.eq(user_id))
        .filter(shifts::ended_at.is_null())
        .select(Shift::as_select())
        .first(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let sites = sites_of(conn, &shift.id)?;
    Ok(Some((shift, sites)))
}

pub fn sites_of(conn: &mut DbConnection, shift_id: &str) -> QueryResult<Vec<SiteRef>> {
    let rows: Vec<(SiteId, String)> = shift_sites::table
        .inner_join(sites::table)
        .filter(shift_sites::shift_id.eq(shift_id))
        .select((sites::id, sites::name))
        .order(sites::name.asc())
        .load(conn)?;
    Ok(rows.into_iter().map(|(id, name)| SiteRef { id, name }).collect())
}

pub fn start(
    conn: &mut DbConnection,
    now: Millis,
    user_id: &str,
    phone: &str,
    site_ids: &[SiteId],
) -> QueryResult<String> {
    let id = crate::domain::new_id();
    diesel::insert_into(shifts::table)
        .values((
            shifts::id.eq(&id),
            shifts::user_id.eq(user_id),
            shifts::contact_phone.eq(phone),
            shifts::started_at.eq(now),
        ))
        .execute(conn)?;
    for site_id in site_ids {
        diesel::insert_into(shift_sites::table)
            .values((shift_sites::shift_id.eq(&id), shift_sites::site_id.eq(site_id)))
            .execute(conn)?;
    }
    Ok(id)
}

pub fn end(conn: &mut DbConnection, now: Millis, shift_id: &str) -> QueryResult<usize> {
    diesel::update(shifts::table.find(shift_id).filter(shifts::ended_at.is_null()))
        .set(shifts::ended_at.eq(now))
        .execute(conn)
}

/// Who is on duty at a site now: (name, contact number, on since).
pub fn on_duty(conn: &mut DbConnection, site_id: &SiteId) -> QueryResult<Vec<(String, String, Millis)>> {
    shift_sites::table
        .inner_join(shifts::table.inner_join(users::table))
        .filter(shift_sites::site_id.eq(site_id))
        .filter(shifts::ended_at.is_null())
        .select((users::display_name, shifts::contact_phone, shifts::started_at))
        .order(shifts::started_at.asc())
        .load(conn)
}
