//! Instance-wide settings stored in the database.

use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::settings;

const DEMO: &str = "demo";

pub fn is_demo(conn: &mut DbConnection) -> QueryResult<bool> {
    let value: Option<String> = settings::table
        .find(DEMO)
        .select(settings::value)
        .first(conn)
        .optional()?;
    Ok(value.as_deref() == Some("true"))
}

pub fn mark_demo(conn: &mut DbConnection) -> QueryResult<()> {
    if is_demo(conn)? {
        return Ok(());
    }
    diesel::insert_into(settings::table)
        .values((settings::name.eq(DEMO), settings::value.eq("true")))
        .execute(conn)
        .map(|_| ())
}
