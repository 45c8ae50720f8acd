//! The server under test: this same binary run as `serve` in a child process, how long it
//! takes to answer, and how much memory it holds (Linux: /proc/<pid>/status).

use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::http::{Browser, Conn};

/// How long the server may take to answer its first /healthz.
const START_TIMEOUT: Duration = Duration::from_secs(120);

pub struct Server {
    child: Child,
    pub addr: SocketAddr,
    pub start_to_ready: Duration,
    log: PathBuf,
    sampler: Option<Sampler>,
}

impl Server {
    /// Starts `serve` on a free loopback port against `database_url`, sending mail to `smtp_url`,
    /// and waits for the first 200 from /healthz.
    pub async fn start(database_url: &str, smtp_url: &str, log: PathBuf) -> Result<Server, String> {
        let port = free_port().map_err(|e| format!("cannot find a free port: {e}"))?;
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let exe = std::env::current_exe().map_err(|e| format!("cannot find this program: {e}"))?;
        let log_file = std::fs::File::create(&log).map_err(|e| format!("cannot create {}: {e}", log.display()))?;
        let started = Instant::now();
        let child = Command::new(exe)
            .args(["--database-url", database_url, "serve", "--allow-http", "--listen"])
            .arg(addr.to_string())
            .args(["--smtp-url", smtp_url])
            .env("LIAISON_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log_file)
            .spawn()
            .map_err(|e| format!("cannot start the server: {e}"))?;
        let mut server = Server {
            child,
            addr,
            start_to_ready: Duration::ZERO,
            log,
            sampler: None,
        };
        let healthz = Browser {
            host: addr.to_string(),
            cookies: Vec::new(),
        }
        .get("/healthz", false, false);
        loop {
            if let Ok(Some(status)) = server.child.try_wait() {
                return Err(format!(
                    "the server exited ({status}) before it was ready{}",
                    server.log_tail()
                ));
            }
            if started.elapsed() > START_TIMEOUT {
                return Err(format!(
                    "the server did not answer within {START_TIMEOUT:?}{}",
                    server.log_tail()
                ));
            }
            if let Ok(mut conn) = Conn::open(addr).await
                && let Ok(r) = conn.send(&healthz).await
                && r.status == 200
            {
                server.start_to_ready = started.elapsed();
                break;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        server.sampler = Sampler::start(server.child.id());
        Ok(server)
    }

    /// Whether the child is still running.
    pub fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// The highest resident set sampled while running, and the kernel's high-water mark, in KiB.
    pub fn memory_kib(&self) -> (Option<u64>, Option<u64>) {
        let sampled = self
            .sampler
            .as_ref()
            .map(|s| s.peak.load(Ordering::Relaxed))
            .filter(|&k| k > 0);
        (sampled, status_kib(self.child.id(), "VmHWM"))
    }

    /// The end of the server's log, for an error message.
    pub fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        let tail = lines[lines.len().saturating_sub(20)..].join("\n");
        if tail.is_empty() {
            String::new()
        } else {
            format!("; its log ends:\n{tail}")
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(s) = self.sampler.take() {
            s.stop.store(true, Ordering::Relaxed);
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> std::io::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// A field of /proc/<pid>/status in KiB (`VmRSS`, `VmHWM`); `None` off Linux.
fn status_kib(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
}

/// Samples the child's VmRSS every 50 ms on a thread of its own, keeping the highest.
struct Sampler {
    peak: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
}

impl Sampler {
    fn start(pid: u32) -> Option<Sampler> {
        status_kib(pid, "VmRSS")?;
        let peak = Arc::new(AtomicU64::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (p, s) = (peak.clone(), stop.clone());
        std::thread::Builder::new()
            .name("bench-rss".into())
            .spawn(move || {
                while !s.load(Ordering::Relaxed) {
                    match status_kib(pid, "VmRSS") {
                        Some(kib) => {
                            p.fetch_max(kib, Ordering::Relaxed);
                        }
                        None => break,
                    }
                    std::thread::sleep(Duration::from_millis(50));
                }
            })
            .ok()?;
        Some(Sampler { peak, stop })
    }
}
