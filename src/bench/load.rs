//! Load: N clients, each on its own kept-alive connection, sending one request after another
//! for a fixed time; every latency is kept, so the percentiles are exact.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::http::Conn;

/// Makes the request for the n-th call (most measures send the same bytes each time).
pub type MakeRequest = Arc<dyn Fn(u64) -> Vec<u8> + Send + Sync>;

/// What one run of a measure saw.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Stats {
    pub clients: usize,
    pub requests: u64,
    /// Answers outside 2xx/3xx, and requests that got no answer.
    pub errors: u64,
    pub server_errors: u64,
    pub seconds: f64,
    pub requests_per_sec: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    /// Mean body size as sent (compressed where the server compressed it).
    pub bytes_per_response: f64,
    pub reconnects: u64,
    /// Requests per second as a share of /healthz's at the same number of clients.
    pub vs_healthz: f64,
    /// The statuses seen, with how many of each.
    pub statuses: Vec<(u16, u64)>,
}

#[derive(Default)]
struct ClientResult {
    latencies_us: Vec<u32>,
    errors: u64,
    server_errors: u64,
    bytes: u64,
    reconnects: u64,
    statuses: Vec<(u16, u64)>,
}

/// Runs `clients` clients for `duration`, or until `stop` is set when one is given.
pub async fn run(
    addr: SocketAddr,
    clients: usize,
    duration: Duration,
    stop: Option<Arc<AtomicBool>>,
    make: MakeRequest,
) -> Stats {
    // Connections are opened before the clock starts, as a browser's already are.
    let mut conns = Vec::with_capacity(clients);
    for _ in 0..clients {
        conns.push(Conn::open(addr).await);
    }
    let start = Instant::now();
    let deadline = start + duration.min(Duration::from_secs(24 * 60 * 60));
    let mut tasks = Vec::with_capacity(clients);
    for (i, conn) in conns.into_iter().enumerate() {
        let make = make.clone();
        let stop = stop.clone();
        tasks.push(tokio::spawn(async move {
            let mut out = ClientResult::default();
            let mut conn = match conn {
                Ok(c) => c,
                Err(_) => {
                    out.errors += 1;
                    return out;
                }
            };
            let mut n = i as u64;
            loop {
                // Stopped by a flag, each client still makes one request, so the run has a sample.
                let done = match &stop {
                    Some(flag) => flag.load(Ordering::Relaxed) && n >= clients as u64,
                    None => Instant::now() >= deadline,
                };
                if done {
                    break;
                }
                let request = make(n);
                n += clients as u64;
                let sent = Instant::now();
                let result = conn.send(&request).await;
                let took = sent.elapsed();
                match result {
                    Ok(response) => {
                        out.latencies_us.push(took.as_micros().min(u128::from(u32::MAX)) as u32);
                        out.bytes += response.body.len() as u64;
                        if !(200..400).contains(&response.status) {
                            out.errors += 1;
                        }
                        if response.status >= 500 {
                            out.server_errors += 1;
                        }
                        add(&mut out.statuses, response.status, 1);
                    }
                    Err(_) => {
                        out.errors += 1;
                        // Give a server that is going away a moment rather than spinning.
                        tokio::time::sleep(Duration::from_millis(10)).await;
                    }
                }
            }
            out.reconnects = conn.reconnects;
            out
        }));
    }
    let mut all = ClientResult::default();
    for task in tasks {
        let r = task.await.unwrap_or_else(|_| ClientResult {
            errors: 1,
            ..ClientResult::default()
        });
        all.latencies_us.extend(r.latencies_us);
        all.errors += r.errors;
        all.server_errors += r.server_errors;
        all.bytes += r.bytes;
        all.reconnects += r.reconnects;
        for (status, n) in r.statuses {
            add(&mut all.statuses, status, n);
        }
    }
    let seconds = start.elapsed().as_secs_f64();
    summarise(clients, seconds, all)
}

fn add(statuses: &mut Vec<(u16, u64)>, status: u16, n: u64) {
    match statuses.iter_mut().find(|(s, _)| *s == status) {
        Some((_, seen)) => *seen += n,
        None => statuses.push((status, n)),
    }
}

fn summarise(clients: usize, seconds: f64, mut r: ClientResult) -> Stats {
    r.latencies_us.sort_unstable();
    r.statuses.sort_unstable();
    let requests = r.latencies_us.len() as u64;
    Stats {
        clients,
        requests,
        errors: r.errors,
        server_errors: r.server_errors,
        seconds,
        requests_per_sec: if seconds > 0.0 { requests as f64 / seconds } else { 0.0 },
        p50_ms: percentile(&r.latencies_us, 50.0),
        p99_ms: percentile(&r.latencies_us, 99.0),
        max_ms: r.latencies_us.last().map_or(0.0, |&us| f64::from(us) / 1000.0),
        bytes_per_response: if requests > 0 {
            r.bytes as f64 / requests as f64
        } else {
            0.0
        },
        reconnects: r.reconnects,
        vs_healthz: 0.0,
        statuses: r.statuses,
    }
}

/// The nearest-rank percentile of sorted microseconds, in milliseconds.
pub fn percentile(sorted_us: &[u32], p: f64) -> f64 {
    if sorted_us.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted_us.len() as f64).ceil() as usize;
    f64::from(sorted_us[rank.clamp(1, sorted_us.len()) - 1]) / 1000.0
}

#[cfg(test)]
mod tests {
    use super::percentile;

    #[test]
    fn percentiles_take_the_nearest_rank() {
        let us: Vec<u32> = (1..=100).map(|ms| ms * 1000).collect();
        assert_eq!(percentile(&us, 50.0), 50.0);
        assert_eq!(percentile(&us, 99.0), 99.0);
        assert_eq!(percentile(&[7000], 99.0), 7.0);
        assert_eq!(percentile(&[], 50.0), 0.0);
    }
}
