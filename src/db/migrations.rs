//! The schema migrations embedded in the binary, one set per backend kept in lockstep, and a
//! read-only look at which a database has had.

use diesel::migration::MigrationSource;
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::sql_types::Text;
use diesel::sqlite::Sqlite;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use super::DbConnection;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

type MigrationError = Box<dyn std::error::Error + Send + Sync>;

/// Applies every pending migration of the connection's backend; returns how many ran.
pub fn run_migrations(conn: &mut DbConnection) -> Result<usize, MigrationError> {
    let applied = match conn {
        DbConnection::Pg(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS)?.len(),
        DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS)?.len(),
    };
    Ok(applied)
}

/// Reverts every applied migration (used by the round-trip test and nothing else).
pub fn revert_all_migrations(conn: &mut DbConnection) -> Result<usize, MigrationError> {
    let reverted = match conn {
        DbConnection::Pg(c) => c.revert_all_migrations(POSTGRES_MIGRATIONS)?.len(),
        DbConnection::Sqlite(c) => c.revert_all_migrations(SQLITE_MIGRATIONS)?.len(),
    };
    Ok(reverted)
}

/// How a database's schema compares with this build's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MigrationState {
    pub applied: usize,
    /// This build's migrations the database has not had.
    pub pending: usize,
    /// Migrations the database has had that this build does not know: it is from a newer one.
    pub unknown: usize,
}

#[derive(QueryableByName)]
struct Applied {
    #[diesel(sql_type = Text)]
    version: String,
}

const APPLIED: &str = "SELECT version FROM __diesel_schema_migrations";

/// Reads which migrations have run without writing anything (diesel's own check creates its
/// bookkeeping table first, which neither a read-only file nor the server's PostgreSQL role
/// may do). A database never migrated has no such table: an error.
pub fn migration_state(conn: &mut DbConnection) -> Result<MigrationState, String> {
    let read = |e: diesel::result::Error| format!("cannot read which migrations have run: {e}");
    let (applied, ours): (Vec<Applied>, Vec<String>) = match conn {
        DbConnection::Pg(c) => (
            diesel::sql_query(APPLIED).load(c).map_err(read)?,
            versions::<Pg>(&POSTGRES_MIGRATIONS)?,
        ),
        DbConnection::Sqlite(c) => (
            diesel::sql_query(APPLIED).load(c).map_err(read)?,
            versions::<Sqlite>(&SQLITE_MIGRATIONS)?,
        ),
    };
    let has = |v: &String| applied.iter().any(|a| &a.version == v);
    Ok(MigrationState {
        applied: applied.len(),
        pending: ours.iter().filter(|v| !has(v)).count(),
        unknown: applied.iter().filter(|a| !ours.contains(&a.version)).count(),
    })
}

fn versions<B: diesel::backend::Backend>(source: &EmbeddedMigrations) -> Result<Vec<String>, String>
where
    EmbeddedMigrations: MigrationSource<B>,
{
    let migrations = MigrationSource::<B>::migrations(source).map_err(|e| e.to_string())?;
    Ok(migrations.iter().map(|m| m.name().version().to_string()).collect())
}

pub fn has_pending_migrations(conn: &mut DbConnection) -> Result<bool, String> {
    Ok(migration_state(conn)?.pending > 0)
}
