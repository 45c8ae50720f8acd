//! `liaison outbox …`: look at queued referral email and retry failed messages.

use clap::Subcommand;

use super::connect;
use crate::clock::{Clock, SystemClock};
use crate::config::Config;
use crate::{audit, db};

#[derive(Subcommand)]
pub(super) enum OutboxCommand {
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

pub(super) fn outbox(config: &Config, cmd: OutboxCommand) -> Result<(), String> {
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
            // A status that names none is a filter that matches nothing.
            let filter = status.map(|s| ob::Status::ALL.iter().copied().find(|v| v.code() == s));
            let messages = match filter {
                Some(None) => Vec::new(),
                filter => ob::list(&mut conn, filter.flatten(), 50).map_err(err)?,
            };
            for m in messages {
                println!(
                    "{}  {:<8} {:>2} tries  {}  {}",
                    m.id,
                    m.status.code(),
                    m.attempts,
                    m.recipient,
                    m.subject
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
                crate::domain::local_time::date_time_seconds(m.created_at)
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
