//! `liaison user …`: staff accounts from the command line, each change audited.

use std::io::{BufRead, IsTerminal};

use clap::Subcommand;

use super::connect;
use crate::auth::{accounts, password, second_factor, session};
use crate::clock::{Clock, SystemClock};
use crate::config::Config;
use crate::domain::{Role, TeamKind, password_policy};
use crate::{audit, db};

#[derive(Subcommand)]
pub(super) enum UserCommand {
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
    /// Remove the account's second factor and recovery codes (a lost phone) and end its
    /// sessions; where a factor is required, the user sets up a new one at next sign-in
    ResetSecondFactor {
        #[arg(long)]
        username: String,
    },
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

pub(super) fn user(config: &Config, cmd: UserCommand) -> Result<(), String> {
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
                accounts::reset_password(conn, now, &actor, (&user.id, &hash)).map(|_| ())
            })
            .map_err(err)?;
            println!("Password changed for {}; their sessions have ended.", user.username);
        }
        UserCommand::ResetSecondFactor { username } => {
            let user = find(&mut conn, &username)?;
            db::write_tx(&mut conn, |conn| second_factor::reset(conn, now, &actor, &user.id)).map_err(err)?;
            println!("Second factor reset for {}; their sessions have ended.", user.username);
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
