//! The command line: `serve` (the default), `migrate`, `user`, `demo`, `outbox`, `generate`,
//! `bench`, `audit`, `backup`, `restore`.
//! This file holds the global flags and the dispatch; each command's flags and work live in
//! the file named after it.

mod audit;
mod backup;
mod generate;
mod outbox;
mod serve;
mod users;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::clock::{Clock, SystemClock};
use crate::config::Config;
use crate::{db, demo};
use audit::AuditCommand;
use generate::GenerateArgs;
use outbox::OutboxCommand;
use serve::ServeArgs;
use users::UserCommand;

#[derive(Parser)]
#[command(
    name = "liaison",
    version,
    about = "Case management for NHS Liaison & Diversion teams and the Women's MHTR service."
)]
pub struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Args, Clone)]
struct Global {
    /// TOML file of settings (read before LIAISON_* variables and flags)
    #[arg(long, global = true, env = "LIAISON_CONFIG")]
    config: Option<PathBuf>,
    /// sqlite://PATH, a plain file path, or postgres://USER@HOST/DB [default: liaison.db in --data-dir]
    #[arg(long, global = true, env = "LIAISON_DATABASE_URL", hide_env_values = true)]
    database_url: Option<String>,
    /// Directory for the default SQLite database
    #[arg(long, global = true, env = "LIAISON_DATA_DIR")]
    data_dir: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Start the web server (the default when no command is given)
    Serve(ServeArgs),
    /// Apply pending database migrations and exit
    Migrate(MigrateArgs),
    /// Manage staff accounts
    #[command(subcommand)]
    User(UserCommand),
    /// Add synthetic demonstration teams and accounts (never on a live system)
    Demo,
    /// Look at and retry queued referral email
    #[command(subcommand)]
    Outbox(OutboxCommand),
    /// Fill a test database with synthetic people and episodes for load testing (never on a live system)
    Generate(GenerateArgs),
    /// Measure the server on a database that holds data (writes to it: never a live one)
    Bench(crate::bench::Args),
    /// Work out the dashboards' facts and monthly tallies again from the records (after a
    /// restore, or when a figure is in doubt); the dashboards count from the records meanwhile
    RebuildFigures,
    /// Check the audit trail
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Take a consistent backup while the server runs, or check one (`backup verify PATH`)
    Backup(backup::BackupArgs),
    /// Put a checked backup in place of the database (the server must be stopped)
    Restore(backup::RestoreArgs),
}

#[derive(Args)]
struct MigrateArgs {
    /// PostgreSQL: after migrating (as the owner of the tables), grant ROLE what the server
    /// needs and no more: it may only insert and read audit rows. Connect the server as ROLE.
    #[arg(long, value_name = "ROLE")]
    app_role: Option<String>,
}

pub fn main() -> ExitCode {
    tune_malloc();
    let cli = Cli::parse();
    init_logging();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("liaison: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Tunes glibc's allocator for a server whose memory must stay under 80 MB.
///
/// - A thread that finds the allocator busy gets an arena of its own, up to eight per core,
///   and each arena keeps its freed memory: under load the server's ~30 threads held ~80 MB,
///   mostly in arenas. Two per core keeps most of the concurrency for a third less memory
///   (measured with `liaison bench`: 62 MB and ~5% fewer list requests at 16 clients, against
///   79 MB; one arena per core cost a quarter of the throughput).
/// - A block over 128 KB is mapped on its own and unmapped when freed. glibc raises that
///   threshold each time such a block is freed, up to 32 MB, after which a year's dashboard
///   left its tens of megabytes in the arenas: 122 MiB at peak under `liaison bench`, against
///   59 MiB with the threshold fixed (decision 0024).
fn tune_malloc() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        const MAPPED_FROM: libc::c_int = 128 * 1024;
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let arenas = libc::c_int::try_from(2 * cores).unwrap_or(libc::c_int::MAX);
        // SAFETY: mallopt only changes the allocator's tuning; it runs here before any other
        // thread exists, and a refusal (0) leaves the default in place.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, arenas);
            libc::mallopt(libc::M_MMAP_THRESHOLD, MAPPED_FROM);
        }
    }
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("LIAISON_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}

fn base_config(g: &Global) -> Result<Config, String> {
    let mut config = match &g.config {
        Some(path) => Config::from_file(path).map_err(|e| e.to_string())?,
        None => Config::default(),
    };
    if let Some(url) = &g.database_url {
        config.database_url = Some(url.clone());
    }
    if let Some(dir) = &g.data_dir {
        config.data_dir = dir.clone();
    }
    Ok(config)
}

fn run(cli: Cli) -> Result<(), String> {
    let mut config = base_config(&cli.global)?;
    match cli.command.unwrap_or(Command::Serve(ServeArgs::default())) {
        Command::Serve(args) => serve::serve(&mut config, args),
        Command::Migrate(args) => {
            let mut conn = connect(&config)?;
            let n = db::run_migrations(&mut conn).map_err(|e| format!("migration failed: {e}"))?;
            println!("{n} migrations applied; the database is up to date.");
            if let Some(role) = args.app_role {
                let db::DbConnection::Pg(pg) = &mut *conn else {
                    return Err("--app-role is for PostgreSQL: SQLite has no roles".into());
                };
                db::privileges::grant_to_app_role(pg, &role)?;
                println!("Role {role} may now read and write Liaison's tables, but only insert and read audit rows.");
            }
            Ok(())
        }
        Command::Audit(cmd) => audit::audit(&config, cmd),
        Command::Backup(args) => backup::backup(&config, args),
        Command::Restore(args) => {
            let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ").to_string();
            backup::restore(&config, args, &stamp)
        }
        Command::User(cmd) => users::user(&config, cmd),
        Command::Outbox(cmd) => outbox::outbox(&config, cmd),
        Command::Generate(args) => generate::generate(&config, args),
        Command::Bench(args) => crate::bench::run(&config, args),
        Command::RebuildFigures => {
            use crate::returns::facts;
            let mut conn = connect(&config)?;
            db::run_migrations(&mut conn).map_err(|e| format!("migration failed: {e}"))?;
            let err = |e: diesel::result::Error| format!("database error: {e}");
            let episodes = facts::rebuild(&mut conn, |month| eprintln!("facts of {month} worked out")).map_err(err)?;
            let months = facts::fill(&mut conn, SystemClock.now_ms()).map_err(err)?;
            println!("The facts of {episodes} episodes were worked out again and {months} months over were tallied.");
            Ok(())
        }
        Command::Demo => {
            let mut conn = connect(&config)?;
            db::run_migrations(&mut conn).map_err(|e| format!("migration failed: {e}"))?;
            demo::seed(&mut conn, SystemClock.now_ms()).map_err(|e| format!("cannot seed demo data: {e}"))?;
            serve::print_demo_accounts();
            Ok(())
        }
    }
}

/// One connection to the configured database (no migrations run).
fn connect(config: &Config) -> Result<db::PooledConn, String> {
    config.validate().map_err(|e| e.to_string())?;
    let target = config.database_target().map_err(|e| e.to_string())?;
    db::pool(&target, 1)?
        .get()
        .map_err(|e| format!("cannot connect to the {} database: {e}", target.backend_name()))
}
