//! What the bench found: a plain-text table for people, and the same as JSON for tools.

use std::fmt::Write;

use super::email::EmailReport;
use super::measures::Measured;
use super::setup::Picked;

#[derive(Clone, Debug, serde::Serialize)]
pub struct Report {
    pub database: &'static str,
    pub people: i64,
    pub episodes: i64,
    pub open_episodes: i64,
    pub cores: usize,
    /// The machine's 1, 5 and 15 minute load averages as the run began (Linux only): other
    /// work on the machine takes cores from the server and the client alike.
    pub load_average: Option<[f64; 3]>,
    pub clients: usize,
    pub duration_secs: u64,
    pub site: String,
    pub site_open_episodes: i64,
    pub team: String,
    pub people_picked: Vec<Picked>,
    pub server: ServerReport,
    pub measures: Vec<Measured>,
    pub email: Option<EmailReport>,
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct ServerReport {
    /// From spawning the process to its first 200 from /healthz.
    pub start_to_ready_ms: f64,
    /// The kernel's high-water mark of resident memory (VmHWM); Linux only.
    pub peak_rss_kib: Option<u64>,
    /// The highest VmRSS sampled every 50 ms during the run; Linux only.
    pub sampled_rss_max_kib: Option<u64>,
}

/// The 1, 5 and 15 minute load averages from /proc/loadavg.
pub fn load_average() -> Option<[f64; 3]> {
    let text = std::fs::read_to_string("/proc/loadavg").ok()?;
    let mut fields = text.split_whitespace().map(|f| f.parse::<f64>().ok());
    Some([fields.next()??, fields.next()??, fields.next()??])
}

impl Report {
    /// Answers of 500 or above, which make the run a failure.
    pub fn server_errors(&self) -> u64 {
        let measured: u64 = self
            .measures
            .iter()
            .flat_map(|m| &m.runs)
            .map(|r| r.server_errors)
            .sum();
        measured + self.email.as_ref().map_or(0, |e| e.list_while_draining.server_errors)
    }

    pub fn table(&self) -> String {
        let mut t = String::new();
        let load = self.load_average.map_or(String::new(), |[a, b, c]| {
            format!(" (load average {a:.2} {b:.2} {c:.2})")
        });
        let _ = writeln!(
            t,
            "Liaison bench: {} on {} core{}{load}; {} people, {} episodes ({} open)",
            self.database,
            self.cores,
            if self.cores == 1 { "" } else { "s" },
            self.people,
            self.episodes,
            self.open_episodes
        );
        let _ = writeln!(
            t,
            "Site: {} ({} open episodes, team {}); {} s per run",
            self.site, self.site_open_episodes, self.team, self.duration_secs
        );
        let mib = |k: Option<u64>| k.map_or("n/a".to_string(), |k| format!("{:.1} MiB", k as f64 / 1024.0));
        let _ = writeln!(
            t,
            "Server: ready {:.0} ms after spawn; peak RSS {} (VmHWM), {} sampled under load\n",
            self.server.start_to_ready_ms,
            mib(self.server.peak_rss_kib),
            mib(self.server.sampled_rss_max_kib)
        );
        let width = self
            .measures
            .iter()
            .map(|m| m.label.chars().count())
            .max()
            .unwrap_or(10)
            .max(10);
        let _ = writeln!(
            t,
            "{:<width$}  {:>7}  {:>8}  {:>8}  {:>8}  {:>6}  {:>9}  {:>7}",
            "measure", "clients", "req/s", "p50 ms", "p99 ms", "errors", "bytes", "vs hz"
        );
        for m in &self.measures {
            for (i, r) in m.runs.iter().enumerate() {
                let label = if i == 0 { m.label.as_str() } else { "" };
                let _ = writeln!(
                    t,
                    "{label:<width$}  {:>7}  {:>8.1}  {:>8.2}  {:>8.2}  {:>6}  {:>9.0}  {:>7.3}",
                    r.clients, r.requests_per_sec, r.p50_ms, r.p99_ms, r.errors, r.bytes_per_response, r.vs_healthz
                );
            }
            if let Some(status) = m.unexpected_status {
                let _ = writeln!(t, "{:<width$}  (first request answered {status})", "");
            }
        }
        if let Some(e) = &self.email {
            let l = &e.list_while_draining;
            let quiet = self
                .measures
                .iter()
                .find(|m| m.key == "list_page")
                .and_then(|m| m.runs.last())
                .map_or(0.0, |r| r.p99_ms);
            let _ = writeln!(
                t,
                "\nEmail: {} queued, {} received{}, {} duplicate{}, {} not marked sent; \
                 drained {:.2} s after queueing (first after {:.2} s, then {:.0} messages/s)",
                e.queued,
                e.received,
                if e.complete { "" } else { " (INCOMPLETE)" },
                e.duplicates,
                if e.duplicates == 1 { "" } else { "s" },
                e.not_marked_sent,
                e.drain_secs,
                e.first_after_secs,
                e.messages_per_sec
            );
            let _ = writeln!(
                t,
                "Live list while draining ({} clients): p99 {:.2} ms, p50 {:.2} ms over {} requests, {} errors \
                 (quiet p99 {:.2} ms)",
                l.clients, l.p99_ms, l.p50_ms, l.requests, l.errors, quiet
            );
        }
        t
    }
}
