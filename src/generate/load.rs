//! Settings for a bulk load, on only while it runs: the load settings themselves, secondary
//! indexes dropped and built again afterwards (one sort per index instead of a random b-tree
//! insert per row), and fresh statistics for the query planner at the end. Backend-specific,
//! so each step matches on the connection.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::Text;

use crate::db::DbConnection;

/// SQLite: no fsync, a 1 GiB page cache, temporary b-trees in memory. PostgreSQL: commits
/// without waiting for the WAL flush, and memory for building the indexes.
const SQLITE_LOAD: &str = "PRAGMA synchronous = OFF; PRAGMA cache_size = -1048576; PRAGMA temp_store = MEMORY;";
/// Back to what `db::Manager` sets on every connection (and SQLite's default cache).
const SQLITE_NORMAL: &str = "PRAGMA synchronous = FULL; PRAGMA cache_size = -2000; PRAGMA temp_store = DEFAULT;";
/// SQLite, when no other connection has the file open: the rollback journal in memory
/// instead of the write-ahead log, so each page is written once rather than to the log and
/// then to the file. A crash mid-load can then leave the file unusable — it is a test
/// database being made, so delete it and generate again. Every connection the application
/// opens sets WAL again; `tuned` sets it back at the end.
const SQLITE_JOURNAL_LOAD: &str = "PRAGMA journal_mode = MEMORY";
const SQLITE_JOURNAL_NORMAL: &str = "PRAGMA journal_mode = WAL";
const PG_LOAD: &str = "SET synchronous_commit = off; SET maintenance_work_mem = '512MB'";
const PG_NORMAL: &str = "RESET synchronous_commit; RESET maintenance_work_mem";

/// The tables the generator fills.
const TABLES: &str = "'people', 'episodes', 'screenings', 'appropriate_adults', 'timeline_entries', \
                      'referrals', 'safeguarding_concerns', 'mhtr_referrals', 'mhtr_cases', \
                      'mhtr_case_events', 'mhtr_hearings', 'mhtr_orders'";

#[derive(QueryableByName)]
struct Index {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    definition: String,
}

/// Indexes on those tables that can be dropped and made again from their definition: not
/// primary keys nor the indexes behind a UNIQUE constraint (SQLite keeps no SQL for those).
fn secondary_indexes(conn: &mut DbConnection) -> QueryResult<Vec<Index>> {
    let query = match conn {
        DbConnection::Sqlite(_) => format!(
            "SELECT name, sql AS definition FROM sqlite_master \
             WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({TABLES}) ORDER BY name"
        ),
        DbConnection::Pg(_) => format!(
            "SELECT i.indexname AS name, i.indexdef AS definition FROM pg_indexes i \
             WHERE i.schemaname = current_schema() AND i.tablename IN ({TABLES}) \
             AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname) \
             ORDER BY i.indexname"
        ),
    };
    diesel::sql_query(query).load(conn)
}

/// People below which the secondary indexes are kept through the load: dropping and building
/// them again pays only at scale, and on PostgreSQL an index built over rows updated during the
/// load is not used by any query whose snapshot is older than the index — that is, while any
/// transaction that began before it is still running anywhere on the server.
pub const REBUILD_INDEXES_FROM: u64 = 50_000;

/// Runs `work` with the load settings and, if `drop_indexes`, without the secondary indexes;
/// whatever happened, builds the indexes again and restores the usual settings (the connection
/// may go back to a pool), then analyses the tables.
pub fn tuned<T>(
    conn: &mut DbConnection,
    drop_indexes: bool,
    work: impl FnOnce(&mut DbConnection) -> QueryResult<T>,
) -> QueryResult<T> {
    let (load, normal) = match conn {
        DbConnection::Sqlite(_) => (SQLITE_LOAD, SQLITE_NORMAL),
        DbConnection::Pg(_) => (PG_LOAD, PG_NORMAL),
    };
    let indexes = if drop_indexes {
        secondary_indexes(conn)?
    } else {
        Vec::new()
    };
    conn.batch_execute(load)?;
    // Refused (database is locked) while other connections are open: the load runs in WAL.
    let journal_in_memory = matches!(conn, DbConnection::Sqlite(_)) && conn.batch_execute(SQLITE_JOURNAL_LOAD).is_ok();
    let mut dropped = 0;
    let result = indexes
        .iter()
        .try_for_each(|index| {
            conn.batch_execute(&format!("DROP INDEX {}", index.name))?;
            dropped += 1;
            Ok(())
        })
        .and_then(|()| work(conn));
    let mut rebuilt = Ok(());
    for index in &indexes[..dropped] {
        rebuilt = rebuilt.and(conn.batch_execute(&index.definition));
    }
    let mut restored = conn.batch_execute(normal);
    if journal_in_memory {
        restored = restored.and(conn.batch_execute(SQLITE_JOURNAL_NORMAL));
    }
    let value = result?;
    rebuilt?;
    restored?;
    analyse(conn)?;
    Ok(value)
}

/// Fresh planner statistics; on SQLite also empties the write-ahead log.
fn analyse(conn: &mut DbConnection) -> QueryResult<()> {
    match conn {
        DbConnection::Sqlite(c) => c.batch_execute("ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);"),
        DbConnection::Pg(c) => c.batch_execute("ANALYZE"),
    }
}
