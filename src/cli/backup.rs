//! `liaison backup PATH`, `liaison backup verify PATH` and `liaison restore PATH`.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};

use crate::audit::chain::{self, Verdict};
use crate::config::Config;
use crate::db::backup::{self, Format};
use crate::db::{self, DbConnection, Target};

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true)]
pub(super) struct BackupArgs {
    #[command(subcommand)]
    check: Option<BackupCheck>,
    /// Where to write the backup (must not exist). Safe while the server runs.
    path: Option<PathBuf>,
}

#[derive(Subcommand)]
enum BackupCheck {
    /// Open a backup read-only and check its integrity, its migrations and its audit chain
    Verify { path: PathBuf },
}

#[derive(Args)]
pub(super) struct RestoreArgs {
    /// A backup taken by `liaison backup`; it is checked before anything changes
    path: PathBuf,
}

pub(super) fn backup(config: &Config, args: BackupArgs) -> Result<(), String> {
    if let Some(BackupCheck::Verify { path }) = args.check {
        println!("{}", verify(&path)?);
        return Ok(());
    }
    let dest = args.path.ok_or("name the file to write: liaison backup PATH")?;
    let (mut conn, url) = (super::connect(config)?, database_url(config)?);
    backup::take(&mut conn, &url, &dest)?;
    println!("Backup written to {}.", dest.display());
    println!("{}", verify(&dest)?);
    Ok(())
}

/// What a backup holds, or why it cannot be trusted.
pub(super) fn verify(path: &Path) -> Result<String, String> {
    let failed = |why: String| format!("{} failed its check: {why}", path.display());
    match backup::format_of(path)? {
        Format::PgDump => {
            backup::check_pg_dump(path).map_err(failed)?;
            Ok(format!(
                "{}: a PostgreSQL dump, read through without error. Its audit chain is checked once \
                 restored: `liaison restore` into an empty database, then `liaison audit verify`.",
                path.display()
            ))
        }
        Format::Sqlite => {
            let mut conn = backup::open_sqlite_read_only(path)?;
            backup::check_sqlite(&mut conn, path).map_err(failed)?;
            let state = db::migration_state(&mut conn).map_err(failed)?;
            if state.unknown > 0 {
                return Err(failed(format!(
                    "it has {} migrations this version of Liaison does not know: restore it with a newer one",
                    state.unknown
                )));
            }
            let verdict = chain::verify(&mut conn).map_err(|e| failed(e.to_string()))?;
            if let Verdict::Broken { .. } = verdict {
                return Err(failed(super::audit::describe(&verdict)));
            }
            let schema = match state.pending {
                0 => "schema up to date".to_string(),
                n => format!("schema {n} migrations behind (applied when the server starts)"),
            };
            Ok(format!(
                "{}: a SQLite database; integrity ok; {schema}.\n{}",
                path.display(),
                super::audit::describe(&verdict)
            ))
        }
    }
}

pub(super) fn restore(config: &Config, args: RestoreArgs, stamp: &str) -> Result<(), String> {
    println!("{}", verify(&args.path)?);
    let target = config.database_target().map_err(|e| e.to_string())?;
    match (backup::format_of(&args.path)?, &target) {
        (Format::Sqlite, Target::Sqlite(path)) => {
            match backup::restore_sqlite(&args.path, Path::new(path), stamp)? {
                Some(kept) => println!("Restored. The database it replaced is kept as {}.", kept.display()),
                None => println!("Restored to {path}."),
            }
            Ok(())
        }
        (Format::PgDump, Target::Postgres(url)) => {
            let mut conn = super::connect(config)?;
            backup::restore_pg(&mut conn, &args.path, url)?;
            if let DbConnection::Pg(_) = &*conn {
                println!("Restored. Run `liaison migrate --app-role ROLE` to grant the server's role again.");
            }
            Ok(())
        }
        _ => Err("the backup is for the other kind of database than the one configured".into()),
    }
}

fn database_url(config: &Config) -> Result<String, String> {
    match config.database_target().map_err(|e| e.to_string())? {
        Target::Postgres(url) => Ok(url),
        Target::Sqlite(path) => Ok(path),
    }
}
