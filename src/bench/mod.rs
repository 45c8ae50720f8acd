//! `liaison bench`: the project's own benchmark. Starts the real server as a child process on
//! a database that already holds data, signs in through the form as a practitioner, and
//! measures pages, fragments, searches, an audited write and the email outbox, each at one
//! client and at N, side by side with /healthz. It asserts no targets: people judge the table.
//! It writes to the database it is given (a bench account and shift, notes, audit rows,
//! outbox messages), so point it at a copy or a generated database, never a live one.

mod email;
mod http;
mod load;
mod measures;
mod report;
mod server;
mod setup;
mod signin;
mod smtp;

use std::path::PathBuf;
use std::time::Duration;

use crate::clock::{Clock, SystemClock};
use crate::config::Config;
use crate::db::{self, Target};

use self::report::{Report, ServerReport};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Concurrent clients in the loaded runs (each measure also runs with one)
    #[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u16).range(1..=1024))]
    clients: u16,
    /// Seconds each measure runs at each number of clients
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..=3600))]
    duration_secs: u64,
    /// Also write the results as JSON to this file
    #[arg(long)]
    json: Option<PathBuf>,
    /// Referral emails to queue for the outbox measure (0 to skip it)
    #[arg(long, default_value_t = 1000)]
    emails: usize,
    /// Only these measures, by their JSON key (e.g. list_page,person_50); `/healthz` always runs
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
}

pub fn run(config: &Config, args: Args) -> Result<(), String> {
    config.validate().map_err(|e| e.to_string())?;
    let target = config.database_target().map_err(|e| e.to_string())?;
    let url = match &target {
        Target::Postgres(url) => url.clone(),
        Target::Sqlite(path) => format!("sqlite://{path}"),
    };
    let pool = db::pool(&target, 2)?;
    let mut conn = pool
        .get()
        .map_err(|e| format!("cannot connect to the {} database: {e}", target.backend_name()))?;
    db::run_migrations(&mut conn).map_err(|e| format!("migration failed: {e}"))?;
    eprintln!("bench: reading the {} database", target.backend_name());
    let plan = setup::prepare(&mut conn, SystemClock.now_ms(), config.relationship_days)?;
    drop(conn);
    let sink = smtp::Sink::start().map_err(|e| format!("cannot start the SMTP sink: {e}"))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the bench's runtime: {e}"))?;
    let work = Work {
        args: &args,
        plan: &plan,
        sink: &sink,
        pool: pool.clone(),
        url,
        backend: target.backend_name(),
    };
    let result = runtime.block_on(work.run());
    let mut conn = pool.get().map_err(|e| format!("database: {e}"))?;
    setup::finish(&mut conn, SystemClock.now_ms(), &plan)?;
    let report = result?;
    println!("{}", report.table());
    if let Some(path) = &args.json {
        let json = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
        std::fs::write(path, json + "\n").map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    match report.server_errors() {
        0 => Ok(()),
        n => Err(format!(
            "the server answered {n} requests with a 5xx error; see the table above"
        )),
    }
}

struct Work<'a> {
    args: &'a Args,
    plan: &'a setup::Plan,
    sink: &'a smtp::Sink,
    pool: db::Pool,
    url: String,
    backend: &'static str,
}

impl Work<'_> {
    async fn run(self) -> Result<Report, String> {
        let (args, plan) = (self.args, self.plan);
        let load_average = report::load_average();
        let log = std::env::temp_dir().join(format!("liaison-bench-{}.log", std::process::id()));
        eprintln!("bench: starting the server (its log: {})", log.display());
        let mut server = server::Server::start(&self.url, &self.sink.url(), log.clone()).await?;
        let addr = server.addr;
        let episode_page = format!("/episodes/{}", plan.episode_id);
        let signed_in = signin::sign_in(addr, setup::USERNAME, &plan.password, &episode_page).await?;
        let mut specs = measures::specs(plan, &signed_in);
        if !args.only.is_empty() {
            specs.retain(|s| s.key == "healthz" || args.only.contains(&s.key));
        }
        let clients = usize::from(args.clients);
        let mut counts = vec![1, clients];
        counts.dedup();
        let duration = Duration::from_secs(args.duration_secs);
        let measured = measures::run_all(addr, &specs, &counts, duration, |what| eprintln!("bench: {what}")).await;
        if !server.alive() {
            return Err(format!("the server stopped during the run{}", server.log_tail()));
        }
        let email = if args.emails > 0 {
            eprintln!("bench: draining {} emails under load on the live list", args.emails);
            let list = measures::list_request(plan, &signed_in);
            Some(email::measure(self.pool.clone(), self.sink, addr, clients, args.emails, list).await?)
        } else {
            None
        };
        signin::sign_out(addr, &signed_in).await;
        let (sampled, peak) = server.memory_kib();
        let report = Report {
            database: self.backend,
            people: plan.people,
            episodes: plan.episodes,
            open_episodes: plan.open_episodes,
            cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
            load_average,
            clients,
            duration_secs: args.duration_secs,
            site: plan.site_name.clone(),
            site_open_episodes: plan.site_open,
            team: plan.team_name.clone(),
            people_picked: plan.picked.clone(),
            server: ServerReport {
                start_to_ready_ms: server.start_to_ready.as_secs_f64() * 1000.0,
                peak_rss_kib: peak,
                sampled_rss_max_kib: sampled,
            },
            measures: measured,
            email,
        };
        drop(server);
        let _ = std::fs::remove_file(&log);
        Ok(report)
    }
}
