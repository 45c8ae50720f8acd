//! Backups: a consistent copy taken while the server runs, opened read-only to be checked, and
//! put back on a stopped instance. SQLite copies with `VACUUM INTO` (one read transaction: a
//! snapshot of every committed write, writers carry on); PostgreSQL with `pg_dump` (one
//! repeatable-read snapshot) and `pg_restore`. A copy is written beside its destination and
//! renamed into place once synced, so a failed or interrupted backup never leaves a file that
//! looks whole.

use std::fs::{self, File};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use diesel::sqlite::SqliteConnection;

use super::DbConnection;

/// What a backup file holds, known from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Sqlite,
    /// `pg_dump --format=custom`.
    PgDump,
}

pub fn format_of(path: &Path) -> Result<Format, String> {
    let mut head = [0u8; 16];
    let mut file = File::open(path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    let read = file
        .read(&mut head)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    match &head[..read] {
        h if h.starts_with(b"SQLite format 3\0") => Ok(Format::Sqlite),
        h if h.starts_with(b"PGDMP") => Ok(Format::PgDump),
        _ => Err(format!(
            "{} is not a Liaison backup (neither SQLite nor pg_dump)",
            path.display()
        )),
    }
}

fn partial(dest: &Path) -> PathBuf {
    let mut name = dest.as_os_str().to_owned();
    name.push(".partial");
    PathBuf::from(name)
}

/// Syncs `tmp` and renames it to `dest`, then syncs the directory so the rename survives.
fn settle(tmp: &Path, dest: &Path) -> Result<(), String> {
    let fail = |e: std::io::Error| format!("cannot finish {}: {e}", dest.display());
    File::open(tmp).and_then(|f| f.sync_all()).map_err(fail)?;
    fs::rename(tmp, dest).map_err(fail)?;
    let dir = dest
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    File::open(dir).and_then(|d| d.sync_all()).map_err(fail)
}

fn refuse_existing(dest: &Path) -> Result<(), String> {
    if dest.exists() {
        return Err(format!("{} already exists: choose a new name", dest.display()));
    }
    Ok(())
}

/// Copies the database to `dest`, which must not exist, while others read and write it.
pub fn take(conn: &mut DbConnection, database_url: &str, dest: &Path) -> Result<(), String> {
    refuse_existing(dest)?;
    let tmp = partial(dest);
    let _ = fs::remove_file(&tmp);
    match conn {
        DbConnection::Sqlite(c) => {
            let path = tmp.to_str().ok_or("the backup path must be valid UTF-8")?;
            diesel::sql_query("VACUUM INTO ?")
                .bind::<Text, _>(path)
                .execute(c)
                .map_err(|e| format!("the backup failed: {e}"))?;
        }
        DbConnection::Pg(_) => run(
            Command::new("pg_dump")
                .args(["--format=custom", "--no-password", "--file"])
                .arg(&tmp)
                .arg("--dbname")
                .arg(database_url),
            "pg_dump",
        )?,
    }
    settle(&tmp, dest).inspect_err(|_| {
        let _ = fs::remove_file(&tmp);
    })
}

fn run(command: &mut Command, name: &str) -> Result<(), String> {
    let out = command
        .output()
        .map_err(|e| format!("cannot run {name} (is the PostgreSQL client installed?): {e}"))?;
    if out.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    Err(format!("{name} failed: {}", stderr.trim()))
}

/// Opens a SQLite backup read-only: checking it never changes it.
pub fn open_sqlite_read_only(path: &Path) -> Result<DbConnection, String> {
    let text = path.to_str().ok_or("the backup path must be valid UTF-8")?;
    let escaped = text.replace('%', "%25").replace('?', "%3f").replace('#', "%23");
    let conn = SqliteConnection::establish(&format!("file:{escaped}?mode=ro"))
        .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    Ok(DbConnection::Sqlite(conn))
}

#[derive(QueryableByName)]
struct Number {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct Line {
    #[diesel(sql_type = Text)]
    integrity_check: String,
}

/// SQLite's own check of every page and index, and that the file is as long as its header
/// says (a copy cut short is caught even where the pages that remain are sound).
pub fn check_sqlite(conn: &mut DbConnection, path: &Path) -> Result<(), String> {
    let DbConnection::Sqlite(c) = conn else {
        return Err("not a SQLite database".into());
    };
    let expected = diesel::sql_query("SELECT page_count * page_size AS n FROM pragma_page_count(), pragma_page_size()")
        .get_result::<Number>(c)
        .map_err(|e| format!("the file is damaged: {e}"))?
        .n;
    let length = fs::metadata(path).map_err(|e| e.to_string())?.len();
    if u64::try_from(expected).ok() != Some(length) {
        return Err(format!(
            "the file is {length} bytes but its pages make {expected}: it is cut short or damaged"
        ));
    }
    let lines: Vec<Line> = diesel::sql_query("PRAGMA integrity_check")
        .load(c)
        .map_err(|e| format!("the file is damaged: {e}"))?;
    match lines.as_slice() {
        [only] if only.integrity_check == "ok" => Ok(()),
        _ => Err(format!(
            "the file is damaged: {}",
            lines
                .iter()
                .map(|l| l.integrity_check.as_str())
                .take(3)
                .collect::<Vec<_>>()
                .join("; ")
        )),
    }
}

/// Reads a whole `pg_dump` file as `pg_restore` would, writing nowhere: a file cut short or
/// damaged fails.
pub fn check_pg_dump(path: &Path) -> Result<(), String> {
    run(
        Command::new("pg_restore").arg("--file=/dev/null").arg(path),
        "pg_restore",
    )
}

/// Puts a checked SQLite backup in place of the database at `target`. Refuses while anything
/// has the database open; the database it replaces is kept beside it, renamed, not deleted.
/// Returns that kept file's path, if there was a database.
pub fn restore_sqlite(backup: &Path, target: &Path, stamp: &str) -> Result<Option<PathBuf>, String> {
    let kept = if target.exists() {
        refuse_if_in_use(target)?;
        let mut name = target.as_os_str().to_owned();
        name.push(format!(".before-restore-{stamp}"));
        Some(PathBuf::from(name))
    } else {
        None
    };
    let tmp = partial(target);
    fs::copy(backup, &tmp).map_err(|e| format!("cannot copy the backup: {e}"))?;
    if let Some(kept) = &kept {
        fs::rename(target, kept).map_err(|e| format!("cannot set the current database aside: {e}"))?;
    }
    settle(&tmp, target)?;
    Ok(kept)
}

/// Leaving WAL mode needs the only connection to the database: it fails, or keeps WAL, while
/// a server (or any other process) has it open. Once out of WAL, no journal file is left
/// behind to be applied to the restored file.
fn refuse_if_in_use(target: &Path) -> Result<(), String> {
    let path = target.to_str().ok_or("the database path must be valid UTF-8")?;
    let in_use = || {
        format!(
            "{} is in use: stop the server (and any other liaison command) first",
            target.display()
        )
    };
    let mut conn = SqliteConnection::establish(path).map_err(|_| in_use())?;
    #[derive(QueryableByName)]
    struct Mode {
        #[diesel(sql_type = Text)]
        journal_mode: String,
    }
    let mode: Mode = diesel::sql_query("PRAGMA journal_mode = DELETE")
        .get_result(&mut conn)
        .map_err(|_| in_use())?;
    if mode.journal_mode != "delete" {
        return Err(in_use());
    }
    Ok(())
}

/// Loads a checked `pg_dump` file into the database at `database_url`, which must hold no
/// Liaison tables yet: in one transaction, so a failure leaves it empty. Ownership and grants
/// are not restored (the roles may differ): run `liaison migrate --app-role` afterwards.
pub fn restore_pg(conn: &mut DbConnection, backup: &Path, database_url: &str) -> Result<(), String> {
    let DbConnection::Pg(pg) = conn else {
        return Err("a pg_dump backup restores into PostgreSQL only".into());
    };
    let tables: Number = diesel::sql_query("SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'public'")
        .get_result(pg)
        .map_err(|e| e.to_string())?;
    if tables.n > 0 {
        return Err("the database already holds tables: restore into a new, empty database".into());
    }
    run(
        Command::new("pg_restore")
            .args([
                "--exit-on-error",
                "--single-transaction",
                "--no-owner",
                "--no-acl",
                "--no-password",
            ])
            .arg("--dbname")
            .arg(database_url)
            .arg(backup),
        "pg_restore",
    )
}
