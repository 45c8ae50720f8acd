//! Storage: one connection type over SQLite or PostgreSQL, chosen from the URL at runtime.

pub mod backup;
mod migrations;
mod one_of;
pub mod privileges;
pub mod schema;
mod typed_text;

use std::path::Path;
use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::pg::PgConnection;
use diesel::r2d2;
use diesel::sqlite::SqliteConnection;
use diesel::{Connection, ConnectionError};

pub use one_of::one_of;
pub use typed_text::{NullableText, from_text};

pub use migrations::{MigrationState, has_pending_migrations, migration_state, revert_all_migrations, run_migrations};

/// The one connection type the application uses; queries are written once against it.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Pg(PgConnection),
    Sqlite(SqliteConnection),
}

pub type Pool = r2d2::Pool<Manager>;
pub type PooledConn = r2d2::PooledConnection<Manager>;

/// Which backend a database URL names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    Postgres(String),
    /// A file path (or `:memory:`), without any `sqlite://` prefix.
    Sqlite(String),
}

impl Target {
    /// `postgres://` or `postgresql://` selects PostgreSQL; `sqlite://PATH` or a plain path, SQLite.
    pub fn parse(url: &str) -> Result<Target, String> {
        let url = url.trim();
        if url.is_empty() {
            return Err("the database URL is empty".into());
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Target::Postgres(url.to_string()));
        }
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .unwrap_or(url);
        if path.is_empty() {
            return Err("the SQLite URL names no file".into());
        }
        if path.contains("://") {
            return Err("the database URL must start with sqlite:// or postgres://".into());
        }
        Ok(Target::Sqlite(path.to_string()))
    }

    pub fn backend_name(&self) -> &'static str {
        match self {
            Target::Postgres(_) => "PostgreSQL",
            Target::Sqlite(_) => "SQLite",
        }
    }
}

/// r2d2 manager that opens the right backend and applies the SQLite PRAGMAs on every connection.
#[derive(Debug)]
pub struct Manager {
    target: Target,
}

/// `busy_timeout` first: the pool opens its connections at once, and switching to WAL takes
/// a lock that the others must wait for rather than fail on. Each connection keeps a page
/// cache of 1 MB rather than SQLite's 2 MB: the server holds ten connections under an 80 MB
/// budget, and a page it misses is in the system's file cache.
const SQLITE_PRAGMAS: &str = "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; \
     PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA recursive_triggers = ON; \
     PRAGMA cache_size = -1024;";

/// Gives SQLite's planner fresh statistics: at start, and each hour from the background
/// worker ([`crate::app`]). Without them the planner can pick an index that reads a site's
/// whole history; with statistics gathered when a table was small it scans that table once
/// it has grown (the outbox's 2 rows at generation became 2,000, and the episode page read
/// every letter in it to find one failure). Sampling is bounded (`analysis_limit`): 10–30 ms
/// at a million people. PostgreSQL keeps its own.
pub fn refresh_statistics(conn: &mut DbConnection) -> diesel::QueryResult<()> {
    if matches!(conn, DbConnection::Sqlite(_)) {
        conn.batch_execute("PRAGMA analysis_limit = 1000; ANALYZE;")?;
    }
    Ok(())
}

impl r2d2::ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = ConnectionError;

    fn connect(&self) -> Result<DbConnection, ConnectionError> {
        connect(&self.target)
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), ConnectionError> {
        conn.batch_execute("SELECT 1")
            .map_err(ConnectionError::CouldntSetupConfiguration)
    }

    /// A connection whose transaction could not be ended is closed rather than lent again.
    /// (One whose server went away fails `is_valid`, tested as each is lent: measured without
    /// that test, pages on PostgreSQL were slower, not faster.)
    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        diesel::r2d2::R2D2Connection::is_broken(conn)
    }
}

/// Whether an error means the connection itself is gone (the server restarted, or the network
/// dropped it), rather than that a statement failed.
pub fn connection_lost(e: &diesel::result::Error) -> bool {
    use diesel::result::{DatabaseErrorKind, Error};
    matches!(
        e,
        Error::DatabaseError(
            DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand,
            _
        ) | Error::BrokenTransactionManager
    )
}

/// One connection, set up as the pool's are (for a worker that keeps its own).
pub fn connect(target: &Target) -> Result<DbConnection, ConnectionError> {
    match target {
        Target::Postgres(url) => {
            let mut conn = PgConnection::establish(url)?;
            // JIT compiles a plan whose estimated cost is high, such as a dashboard's year of
            // facts, and takes longer doing so than the query then saves. A random read costs
            // little more than a sequential one on solid-state storage or from memory; at the
            // default (4) PostgreSQL read all 2 million facts to find a year's 300,000 in alert
            // order, in 500 ms where the index takes 160 ms.
            conn.batch_execute("SET jit = off; SET random_page_cost = 1.1")
                .map_err(ConnectionError::CouldntSetupConfiguration)?;
            Ok(DbConnection::Pg(conn))
        }
        Target::Sqlite(path) => {
            configure_sqlite();
            let mut conn = SqliteConnection::establish(path)?;
            conn.batch_execute(SQLITE_PRAGMAS)
                .map_err(ConnectionError::CouldntSetupConfiguration)?;
            Ok(DbConnection::Sqlite(conn))
        }
    }
}

/// Sets up the SQLite library once, before its first connection. Each connection is used by one
/// thread at a time (the pool lends it out whole), so SQLite's per-connection locks are not
/// needed; and its allocation statistics, which nothing reads, would take a process-wide lock
/// on every allocation, which threads reading at once queue on.
fn configure_sqlite() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: sqlite3_config is only allowed before the library initialises, which happens
        // when its first connection opens; this runs before any connection this process opens.
        // Were the library already initialised, it answers SQLITE_MISUSE and changes nothing.
        unsafe {
            libsqlite3_sys::sqlite3_config(libsqlite3_sys::SQLITE_CONFIG_MULTITHREAD);
            libsqlite3_sys::sqlite3_config(libsqlite3_sys::SQLITE_CONFIG_MEMSTATUS, 0 as std::ffi::c_int);
        }
    });
}

/// Opens a pool; creates the SQLite file's directory if needed.
pub fn pool(target: &Target, max_size: u32) -> Result<Pool, String> {
    if let Target::Sqlite(path) = target
        && let Some(dir) = Path::new(path).parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create the data directory: {e}"))?;
    }
    r2d2::Pool::builder()
        .max_size(max_size)
        .connection_timeout(Duration::from_secs(10))
        .build(Manager { target: target.clone() })
        .map_err(|e| format!("cannot open the {} database: {e}", target.backend_name()))
}

/// Runs `work` in a write transaction. On SQLite it begins IMMEDIATE, taking the write lock
/// up front: a deferred transaction that reads and then writes fails with "database is locked"
/// whatever the busy timeout.
pub fn write_tx<T, E, F>(conn: &mut DbConnection, work: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    if !matches!(conn, DbConnection::Sqlite(_)) {
        return conn.transaction(work);
    }
    let _turn = WriterTurn::take();
    with_sqlite(conn, |c| {
        AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")
    })?;
    match work(conn) {
        Ok(value) => {
            with_sqlite(conn, AnsiTransactionManager::commit_transaction)?;
            Ok(value)
        }
        Err(err) => {
            // The original error matters more than a failed rollback, which SQLite reports
            // only when the connection is already unusable.
            let _ = with_sqlite(conn, AnsiTransactionManager::rollback_transaction);
            Err(err)
        }
    }
}

/// Runs `work` in the connection's open transaction, or in a write transaction of its own
/// (`write_tx`) when there is none: for writes that must be atomic with a read before them.
pub fn within_write_tx<T, F>(conn: &mut DbConnection, work: F) -> diesel::QueryResult<T>
where
    F: FnOnce(&mut DbConnection) -> diesel::QueryResult<T>,
{
    let depth = match conn {
        DbConnection::Pg(c) => AnsiTransactionManager::transaction_manager_status_mut(c).transaction_depth(),
        DbConnection::Sqlite(c) => AnsiTransactionManager::transaction_manager_status_mut(c).transaction_depth(),
    }?;
    if depth.is_some() {
        work(conn)
    } else {
        write_tx(conn, work)
    }
}

/// Runs read-only `work` as one read transaction on SQLite: one snapshot for all its queries,
/// and one check of whether another connection has written since this one's page cache was
/// filled (each statement on its own would check, and after a concurrent commit — an audit
/// row, say — read its pages again). A write inside fails loudly (already in a transaction).
/// PostgreSQL keeps no such cache per connection, so there it runs as it is.
pub fn read_tx<T, E, F>(conn: &mut DbConnection, work: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    if !matches!(conn, DbConnection::Sqlite(_)) {
        return work(conn);
    }
    with_sqlite(conn, |c| AnsiTransactionManager::begin_transaction_sql(c, "BEGIN"))?;
    let done = work(conn);
    // Nothing was written, so ending the transaction either way only releases the snapshot;
    // the work's own error matters more than a failed end, which leaves the connection broken
    // for the pool to find.
    let ended = with_sqlite(conn, AnsiTransactionManager::commit_transaction);
    let value = done?;
    ended?;
    Ok(value)
}

/// This process's turn at SQLite's single write lock. Writers queue here, woken in turn,
/// rather than in SQLite's busy handler, which sleeps for up to 100 ms between tries and so
/// gave concurrent writes (and the audit journal's commits behind them) long tails. Another
/// process (a CLI command) still waits through the busy timeout. A nested write on the same
/// thread does not queue again.
struct WriterTurn(Option<std::sync::MutexGuard<'static, ()>>);

static SQLITE_WRITER: std::sync::Mutex<()> = std::sync::Mutex::new(());

thread_local! {
    static HOLDS_TURN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

impl WriterTurn {
    fn take() -> WriterTurn {
        if HOLDS_TURN.get() {
            return WriterTurn(None);
        }
        let guard = SQLITE_WRITER.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        HOLDS_TURN.set(true);
        WriterTurn(Some(guard))
    }
}

impl Drop for WriterTurn {
    fn drop(&mut self) {
        if self.0.is_some() {
            HOLDS_TURN.set(false);
        }
    }
}

fn with_sqlite(
    conn: &mut DbConnection,
    op: impl FnOnce(&mut SqliteConnection) -> diesel::QueryResult<()>,
) -> diesel::QueryResult<()> {
    match conn {
        DbConnection::Sqlite(c) => op(c),
        DbConnection::Pg(_) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::Target;

    #[test]
    fn urls_choose_the_backend() {
        assert_eq!(
            Target::parse("postgres://u@h/db"),
            Ok(Target::Postgres("postgres://u@h/db".into()))
        );
        assert_eq!(
            Target::parse("sqlite:///var/lib/liaison.db"),
            Ok(Target::Sqlite("/var/lib/liaison.db".into()))
        );
        assert_eq!(Target::parse("liaison.db"), Ok(Target::Sqlite("liaison.db".into())));
        assert!(Target::parse("mysql://x").is_err());
        assert!(Target::parse("  ").is_err());
    }
}
