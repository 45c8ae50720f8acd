//! `liaison serve`: the web server, optionally on a demo database.

use std::sync::Arc;

use clap::Args;

use super::connect;
use crate::clock::{Clock, SystemClock};
use crate::config::Config;
use crate::{app, db, demo};

#[derive(Args, Default)]
pub(super) struct ServeArgs {
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

pub(super) fn serve(config: &mut Config, args: ServeArgs) -> Result<(), String> {
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

pub(super) fn print_demo_accounts() {
    println!("Demo accounts (synthetic; password for each: {}):", demo::PASSWORD);
    for (username, role, team) in demo::ACCOUNTS {
        println!("  {username:<22} {:<20} {}", role.label(), team.unwrap_or("-"));
    }
}
