//! Never touch a live system by accident: generating is refused on a database that holds
//! anything `liaison demo` or `liaison generate` did not make — a staff account that is not a
//! demo account, or a person not recorded by one with a test-range NHS number — unless the
//! operator says `--force`. A database already generated into is refused whatever the flags:
//! the same seed would make the same ids again.

use diesel::dsl::count_star;
use diesel::prelude::*;

use crate::db::schema::{people, users};
use crate::db::{DbConnection, one_of};
use crate::{demo, settings};

/// The NHS number range never issued to patients, which synthetic people use.
pub const TEST_RANGE: &str = "999";

/// What in the database is not synthetic.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Found {
    pub staff: i64,
    pub people: i64,
}

pub fn not_synthetic(conn: &mut DbConnection) -> QueryResult<Found> {
    let demo_names: Vec<&str> = demo::ACCOUNTS.iter().map(|(name, _, _)| *name).collect();
    let staff = users::table
        .filter(users::username.ne_all(&demo_names))
        .select(count_star())
        .first(conn)?;
    let demo_ids: Vec<String> = users::table
        .filter(one_of(users::username, &demo_names))
        .select(users::id)
        .load(conn)?;
    let people = people::table
        .filter(
            people::created_by
                .is_null()
                .or(people::created_by.ne_all(&demo_ids))
                .or(people::nhs_number.not_like(format!("{TEST_RANGE}%"))),
        )
        .select(count_star())
        .first(conn)?;
    Ok(Found { staff, people })
}

/// `Ok` when generating may go ahead.
pub fn check(conn: &mut DbConnection, force: bool) -> Result<(), String> {
    let db_err = |e: diesel::result::Error| format!("database error: {e}");
    if let Some(done) = settings::get(conn, super::SETTING).map_err(db_err)? {
        return Err(format!(
            "this database already holds generated data ({done}); generate into a new database"
        ));
    }
    let found = not_synthetic(conn).map_err(db_err)?;
    if found == Found::default() || force {
        return Ok(());
    }
    Err(format!(
        "refusing to generate: this database holds records that are not synthetic ({} staff accounts \
         other than the demo ones, {} people not made by `liaison demo`). Synthetic data must never be \
         mixed into a live system. Use a new database, or pass --force if this is a disposable copy.",
        found.staff, found.people
    ))
}
