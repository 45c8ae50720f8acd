//! The sites of the signed-in user's open shift: part of who they are for this request,
//! shown in the header and preselected in forms. Shifts themselves are the shifts feature's.

use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{shift_sites, shifts, sites};
use crate::domain::ids::SiteId;

/// A site the user is on shift at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteRef {
    pub id: SiteId,
    pub name: String,
}

/// The sites of the user's open shift, by name; empty when they are not on shift.
pub fn open_shift_sites(conn: &mut DbConnection, user_id: &str) -> QueryResult<Vec<SiteRef>> {
    let rows: Vec<(SiteId, String)> = shift_sites::table
        .inner_join(shifts::table)
        .inner_join(sites::table)
        .filter(shifts::user_id.eq(user_id))
        .filter(shifts::ended_at.is_null())
        .select((sites::id, sites::name))
        .order(sites::name.asc())
        .load(conn)?;
    Ok(rows.into_iter().map(|(id, name)| SiteRef { id, name }).collect())
}
