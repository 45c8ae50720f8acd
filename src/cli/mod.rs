//! The command line: `serve` (the default), `migrate`, `user`, `demo`.

use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Parser, Subcommand};

use crate::auth::{accounts, password, session};
use crate::clock::{Clock, SystemClock};
use crate::config::Config;
use crate::domain::{Role, TeamKind, password_policy};
use crate::{app, audit, db, demo};

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
    Migrate,
    /// Manage staff accounts
    #[command(subcommand)]
    User(UserCommand),
    /// Add synthetic demonstration teams and accounts (never on a live system)
    Demo,
    /// Look at and retry queued referral email
    #[command(subcommand)]
    Outbox(OutboxCommand),
}

#[derive(Subcommand)]
enum OutboxCommand {
    /// Counts, then the newest messages (optionally only one status: pending, sent, failed)
    List {
        #[arg(long)]
        status: Option<String>,
    },
    /// One message in full, with its last error
    Show { id: String },
    /// Queue a failed message to be sent again
    Retry { id: String },
}

#[derive(Args, Default)]
struct ServeArgs {
    /// Address and port to listen on [default: 127.0.0.1:8080]
    #[arg(long, env = "LIAISON_LISTEN")]
    listen: Option<String>,
    /// Allow plain-HTTP cookies; only for a loopback address (localhost development)
    #[arg(long, env = "LIAISON_ALLOW_HTTP")]
    allow_http: bool,
    /// Minutes without activity before a session ends [default: 30]
    #[arg(long, env = "LIAISON_IDLE_TIMEOUT_MINUTES")]
    idle_timeout_minutes: Option<i64>,
    /// Hours after sign-in when a session ends whatever the activity [default: 12]
    #[arg(long, env = "LIAISON_ABSOLUTE_TIMEOUT_HOURS")]
    absolute_timeout_hours: Option<i64>,
    /// Seed synthetic demo data first, and allow plain HTTP on a loopback address
    #[arg(long)]
    demo: bool,
    /// SMTP server in lettre's URL form, e.g. smtps://user:pass@host:465 [default: mail to files]
    #[arg(long, env = "LIAISON_SMTP_URL", hide_env_values = true)]
    smtp_url: Option<String>,
    /// The From address of referral emails
    #[arg(long, env = "LIAISON_MAIL_FROM")]
    mail_from: Option<String>,
    /// The public address links in emails point at, e.g. https://liaison.example.nhs.uk
    #[arg(long, env = "LIAISON_PUBLIC_URL")]
    public_url: Option<String>,
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add an account; the password is read from standard input, or prompted for on a terminal
    Add {
        #[arg(long)]
        username: String,
        /// practitioner, senior-practitioner, consultant-psychologist, administrator, analyst or ig-lead
        #[arg(long)]
        role: Role,
        /// A team the user belongs to (repeat for several; created if new)
        #[arg(long = "team")]
        teams: Vec<String>,
        /// The kind of service of teams this command creates: ld or mhtr
        #[arg(long, default_value = "ld")]
        team_kind: TeamKind,
        /// Full name shown in the interface [default: the username]
        #[arg(long)]
        display_name: Option<String>,
    },
    /// Disable an account and end its sessions
    Disable {
        #[arg(long)]
        username: String,
    },
    /// Enable a disabled account
    Enable {
        #[arg(long)]
        username: String,
    },
    /// Set a new password (read like `add`) and end the account's sessions
    ResetPassword {
        #[arg(long)]
        username: String,
    },
}

pub fn main() -> ExitCode {
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
        Command::Serve(args) => serve(&mut config, args),
        Command::Migrate => {
            let mut conn = connect(&config)?;
            let n = db::run_migrations(&mut conn).map_err(|e| format!("migration failed: {e}"))?;
            println!("{n} migrations applied; the database is up to date.");
            Ok(())
        }
        Command::User(cmd) => user(&config, cmd),
        Command::Outbox(cmd) => outbox(&config, cmd),
        Command::Demo => {
            let mut conn = connect(&config)?;
            db::run_migrations(&mut conn).map_err(|e| format!("migration failed: {e}"))?;
            demo::seed(&mut conn, SystemClock.now_ms()).map_err(|e| format!("cannot seed demo data: {e}"))?;
            print_demo_accounts();
            Ok(())
        }
    }
}

fn serve(config: &mut Config, args: ServeArgs) -> Result<(), String> {
    if let Some(listen) = args.listen {
        config.listen = listen;
    }
    if let Some(m) = args.idle_timeout_minutes {
        config.idle_timeout_minutes = m;
    }
    if let Some(h) = args.absolute_timeout_hours {
        config.absolute_timeout_hours = h;
    }
    config.allow_http |= args.allow_http;
    if let Some(url) = args.smtp_url {
        config.smtp_url = Some(url);
    }
    if let Some(from) = args.mail_from {
        config.mail_from = from;
    }
    if let Some(url) = args.public_url {
        config.public_url = Some(url);
    }
    if args.demo {
        let loopback = config.listen_addr().map(|a| a.ip().is_loopback()).unwrap_or(false);
        config.allow_http |= loopback;
        let mut conn = connect(config)?;
        db::run_migrations(&mut conn).map_err(|e| format!("migration failed: {e}"))?;
        demo::seed(&mut conn, SystemClock.now_ms()).map_err(|e| format!("cannot seed demo data: {e}"))?;
    }
    tracing::info!(config = %config.describe(), "starting");
    let config = config.clone();
    actix_web::rt::System::new().block_on(async move {
        let running = app::start(config.clone(), Arc::new(SystemClock))?;
        let scheme = if config.allow_http {
            "http"
        } else {
            "https (behind your TLS proxy)"
        };
        println!(
            "Liaison is listening on {scheme}: http://{}:{}/",
            config.listen_addr().map(|a| a.ip().to_string()).unwrap_or_default(),
            running.port
        );
        if args.demo {
            print_demo_accounts();
        }
        running.server.await.map_err(|e| format!("server stopped: {e}"))
    })
}

fn print_demo_accounts() {
    println!("Demo accounts (synthetic; password for each: {}):", demo::PASSWORD);
    for (username, role, team) in demo::ACCOUNTS {
        println!("  {username:<22} {:<20} {}", role.label(), team.unwrap_or("-"));
    }
}

fn connect(config: &Config) -> Result<db::PooledConn, String> {
    config.validate().map_err(|e| e.to_string())?;
    let target = config.database_target().map_err(|e| e.to_string())?;
    db::pool(&target, 1)?
        .get()
        .map_err(|e| format!("cannot connect to the {} database: {e}", target.backend_name()))
}

/// From standard input when piped (one line), otherwise prompted twice without echo.
fn read_password() -> Result<String, String> {
    let stdin = std::io::stdin();
    let password = if stdin.is_terminal() {
        let first = rpassword::prompt_password("New password: ").map_err(|e| e.to_string())?;
        let again = rpassword::prompt_password("Repeat it: ").map_err(|e| e.to_string())?;
        if first != again {
            return Err("the passwords did not match".into());
        }
        first
    } else {
        let mut line = String::new();
        stdin.lock().read_line(&mut line).map_err(|e| e.to_string())?;
        line.trim_end_matches(['\r', '\n']).to_string()
    };
    match password_policy::problem(&password) {
        Some(p) => Err(p.to_string()),
        None => Ok(password),
    }
}

fn user(config: &Config, cmd: UserCommand) -> Result<(), String> {
    let mut conn = connect(config)?;
    db::run_migrations(&mut conn).map_err(|e| format!("migration failed: {e}"))?;
    let now = SystemClock.now_ms();
    let actor = audit::Actor {
        username: Some("command-line".into()),
        role: Some("operator".into()),
        ..Default::default()
    };
    let err = |e: diesel::result::Error| format!("database error: {e}");
    match cmd {
        UserCommand::Add {
            username,
            role,
            teams,
            team_kind,
            display_name,
        } => {
            let name = accounts::normalise_username(&username);
            if let Some(p) = accounts::username_problem(&name) {
                return Err(p.to_string());
            }
            if accounts::find_by_username(&mut conn, &name).map_err(err)?.is_some() {
                return Err(format!("a user named {name} already exists"));
            }
            let hash = password::hash(&read_password()?)?;
            db::write_tx(&mut conn, |conn| {
                let mut team_ids = Vec::new();
                for team in &teams {
                    let id = match accounts::team_by_name(conn, team)? {
                        Some(t) => t.id,
                        None => accounts::create_team(conn, now, team, team_kind)?,
                    };
                    team_ids.push(id);
                }
                let display = display_name.clone().unwrap_or_else(|| name.clone());
                let new = accounts::NewUser {
                    username: &name,
                    display_name: &display,
                    role,
                    password_hash: &hash,
                    team_ids: &team_ids,
                };
                let id = accounts::create(conn, now, &new)?;
                let event = audit::Event::allowed(audit::CREATE)
                    .record("user", &id)
                    .detail(format!("username={name}; role={role}"));
                audit::record(conn, now, &actor, event)
            })
            .map_err(err)?;
            println!("Added {name} ({}).", role.label());
        }
        UserCommand::Disable { username } => set_disabled(&mut conn, now, &actor, &username, true)?,
        UserCommand::Enable { username } => set_disabled(&mut conn, now, &actor, &username, false)?,
        UserCommand::ResetPassword { username } => {
            let user = find(&mut conn, &username)?;
            let hash = password::hash(&read_password()?)?;
            db::write_tx(&mut conn, |conn| {
                accounts::set_password_hash(conn, now, &user.id, &hash)?;
                let ended = session::revoke_all_for_user(conn, &user.id, now)?;
                let event = audit::Event::allowed(audit::UPDATE)
                    .record("user", &user.id)
                    .detail(format!("password reset; {ended} sessions ended"));
                audit::record(conn, now, &actor, event)
            })
            .map_err(err)?;
            println!("Password changed for {}; their sessions have ended.", user.username);
        }
    }
    Ok(())
}

fn find(conn: &mut db::DbConnection, username: &str) -> Result<accounts::User, String> {
    accounts::find_by_username(conn, username)
        .map_err(|e| format!("database error: {e}"))?
        .ok_or_else(|| format!("no user named {}", accounts::normalise_username(username)))
}

fn set_disabled(
    conn: &mut db::DbConnection,
    now: i64,
    actor: &audit::Actor,
    username: &str,
    disabled: bool,
) -> Result<(), String> {
    let user = find(conn, username)?;
    db::write_tx(conn, |conn| {
        accounts::set_disabled(conn, now, &user.id, disabled)?;
        let detail = if disabled {
            format!(
                "disable; {} sessions ended",
                session::revoke_all_for_user(conn, &user.id, now)?
            )
        } else {
            "enable".to_string()
        };
        audit::record(
            conn,
            now,
            actor,
            audit::Event::allowed(audit::UPDATE)
                .record("user", &user.id)
                .detail(detail),
        )
    })
    .map_err(|e| format!("database error: {e}"))?;
    println!(
        "{} is now {}.",
        user.username,
        if disabled { "disabled" } else { "enabled" }
    );
    Ok(())
}

fn outbox(config: &Config, cmd: OutboxCommand) -> Result<(), String> {
    use crate::email::outbox as ob;
    let mut conn = connect(config)?;
    db::run_migrations(&mut conn).map_err(|e| format!("migration failed: {e}"))?;
    let err = |e: diesel::result::Error| format!("database error: {e}");
    let now = SystemClock.now_ms();
    match cmd {
        OutboxCommand::List { status } => {
            let s = ob::summary(&mut conn).map_err(err)?;
            println!("{} queued, {} failed, {} sent", s.pending, s.failed, s.sent);
            if let Some(t) = s.oldest_pending {
                println!(
                    "oldest unsent queued {} ago",
                    crate::domain::local_time::duration(now - t)
                );
            }
            for m in ob::list(&mut conn, status.as_deref(), 50).map_err(err)? {
                println!(
                    "{}  {:<8} {:>2} tries  {}  {}",
                    m.id, m.status, m.attempts, m.recipient, m.subject
                );
            }
        }
        OutboxCommand::Show { id } => {
            let m = ob::find(&mut conn, &id)
                .map_err(err)?
                .ok_or_else(|| format!("no message {id}"))?;
            println!(
                "id:          {}\nmessage-id:  <{}>\nto:          {}\nsubject:     {}\nstatus:      {}\nattempts:    {}\nlast error:  {}\nqueued at:   {}",
                m.id,
                m.message_id,
                m.recipient,
                m.subject,
                m.status,
                m.attempts,
                m.last_error.as_deref().unwrap_or("-"),
                crate::clock::format_utc(m.created_at)
            );
        }
        OutboxCommand::Retry { id } => {
            let actor = audit::Actor {
                username: Some("command-line".into()),
                role: Some("operator".into()),
                ..Default::default()
            };
            let hooks = crate::app::outbox_hooks(&std::sync::Arc::new(config.clone()));
            let retried = db::write_tx(&mut conn, |conn| {
                let ok = ob::retry(conn, now, &id, &hooks)?;
                if ok {
                    audit::record(
                        conn,
                        now,
                        &actor,
                        audit::Event::allowed("email").record("outbox", &id).detail("retry"),
                    )?;
                }
                Ok::<bool, diesel::result::Error>(ok)
            })
            .map_err(err)?;
            if !retried {
                return Err(format!("{id} is not a failed message"));
            }
            println!("{id} is queued to send again.");
        }
    }
    Ok(())
}
