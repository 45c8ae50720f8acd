//! A synthetic partner directory (being written).

use diesel::QueryResult;

use crate::clock::Millis;
use crate::db::DbConnection;

pub fn seed(_conn: &mut DbConnection, _now: Millis) -> QueryResult<()> {
    Ok(())
}
