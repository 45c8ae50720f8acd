//! Instance-wide settings stored in the database.

use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::settings;

const DEMO: &str = "demo";

/// The value of the setting `name`, if it has one.
pub fn get(conn: &mut DbConnection, name: &str) -> QueryResult<Option<String>> {
    settings::table
        .find(name)
        .select(settings::value)
        .first(conn)
        .optional()
}

/// The value of `name`, stored from `make` the first time. When two callers store one at
/// once, the loser's insert fails on the key and it reads the winner's value.
pub fn get_or_insert(conn: &mut DbConnection, name: &str, make: impl FnOnce() -> String) -> QueryResult<String> {
    if let Some(value) = get(conn, name)? {
        return Ok(value);
    }
    let inserted = diesel::insert_into(settings::table)
        .values((settings::name.eq(name), settings::value.eq(make())))
        .execute(conn);
    match (inserted, get(conn, name)?) {
        (_, Some(value)) => Ok(value),
        (Err(e), None) => Err(e),
        (Ok(_), None) => Err(diesel::result::Error::NotFound),
    }
}

/// Stores `value` as the setting `name`, replacing any earlier value.
pub fn set(conn: &mut DbConnection, name: &str, value: &str) -> QueryResult<()> {
    diesel::delete(settings::table.find(name)).execute(conn)?;
    diesel::insert_into(settings::table)
        .values((settings::name.eq(name), settings::value.eq(value)))
        .execute(conn)?;
    Ok(())
}

pub fn is_demo(conn: &mut DbConnection) -> QueryResult<bool> {
    Ok(get(conn, DEMO)?.as_deref() == Some("true"))
}

pub fn mark_demo(conn: &mut DbConnection) -> QueryResult<()> {
    get_or_insert(conn, DEMO, || "true".into()).map(|_| ())
}
