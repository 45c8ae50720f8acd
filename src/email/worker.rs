//! The outbox worker: a thread of its own (never an async worker) that claims due messages,
//! sends them, and records the result. It wakes when a request queues mail, and at least once
//! a second to pick up retries and chases.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, mpsc};
use std::time::Duration;

use super::hooks::Hooks;
use super::mailer::{Mailer, Outgoing, SendError};
use super::outbox;
use crate::clock::Clock;
use crate::db::{DbConnection, Pool, write_tx};

/// Messages claimed per pass: a lease covers them all, so keep it well within what
/// `SENDERS` connections send in `outbox::LEASE_MS`.
const BATCH: i64 = 200;
/// Messages in flight at once, each over its own pooled SMTP connection. One connection
/// delivers a few dozen small messages a second (every message waits on the server's answer),
/// so a burst of referrals needs several.
pub const SENDERS: usize = 8;
const IDLE_WAIT: Duration = Duration::from_secs(1);

/// Wakes the worker, and tells it to stop.
#[derive(Default)]
pub struct Signal {
    state: Mutex<(bool /* woken */, bool /* stopped */)>,
    changed: Condvar,
}

impl Signal {
    pub fn wake(&self) {
        if let Ok(mut s) = self.state.lock() {
            s.0 = true;
            self.changed.notify_all();
        }
    }

    fn stop(&self) {
        if let Ok(mut s) = self.state.lock() {
            s.1 = true;
            self.changed.notify_all();
        }
    }

    /// Waits until woken, stopped or `timeout`; returns false once stopped.
    fn wait(&self, timeout: Duration) -> bool {
        let Ok(guard) = self.state.lock() else { return false };
        let Ok((mut s, _)) = self.changed.wait_timeout_while(guard, timeout, |s| !s.0 && !s.1) else {
            return false;
        };
        s.0 = false;
        !s.1
    }
}

/// Stops the worker thread when the last handle to the application state goes.
pub struct Guard(pub Arc<Signal>);

impl Drop for Guard {
    fn drop(&mut self) {
        self.0.stop();
    }
}

/// Everything one pass needs.
pub struct Worker {
    pub pool: Pool,
    pub clock: Arc<dyn Clock>,
    pub mailer: Mailer,
    /// The features' delivery listeners and periodic tasks.
    pub hooks: Hooks,
}

impl Worker {
    /// Runs the registered tasks, then claims and sends due messages. Returns how many messages it
    /// tried to send. Errors reaching the database are logged; the next pass tries again.
    pub fn run_once(&self) -> usize {
        self.checked_pass().tried
    }

    fn checked_pass(&self) -> Pass {
        self.pass().unwrap_or_else(|e| {
            tracing::warn!(error = %e, "outbox pass failed");
            Pass::default()
        })
    }

    fn pass(&self) -> Result<Pass, String> {
        let mut conn = self.pool.get().map_err(|e| e.to_string())?;
        let now = self.clock.now_ms();
        for task in &self.hooks.tasks {
            task.run(&mut conn, now).map_err(|e| format!("{}: {e}", task.name()))?;
        }
        let claimed = outbox::claim_due(&mut conn, now, BATCH).map_err(|e| e.to_string())?;
        let tried = self.send_all(&mut conn, &claimed);
        let untried: Vec<&str> = claimed[tried..].iter().map(|m| m.id.as_str()).collect();
        if !untried.is_empty() {
            outbox::release(&mut conn, &untried).map_err(|e| e.to_string())?;
        }
        Ok(Pass {
            tried,
            interrupted: tried < claimed.len(),
        })
    }

    /// Sends the claimed messages over up to `SENDERS` connections at once, recording each
    /// result soon after it comes: whatever results have arrived are written in one transaction,
    /// so a busy pass costs a few commits rather than one per message, and a crash can repeat
    /// only the few messages sent since the last of them (with the same Message-ID).
    ///
    /// A temporary failure (the server down, busy or answering 4xx) stops the senders taking
    /// more: the rest of the batch is not worth trying now, and a server that hangs must not
    /// keep the batch past its lease. Returns how many were tried: the first that many.
    fn send_all(&self, conn: &mut DbConnection, claimed: &[outbox::Message]) -> usize {
        let next = AtomicUsize::new(0);
        let stop = AtomicBool::new(false);
        let (results, arrived) = mpsc::channel();
        std::thread::scope(|scope| {
            for _ in 0..SENDERS.min(claimed.len()) {
                let results = results.clone();
                let (next, stop) = (&next, &stop);
                scope.spawn(move || {
                    while !stop.load(Ordering::SeqCst)
                        && let Some(m) = claimed.get(next.fetch_add(1, Ordering::SeqCst))
                    {
                        let result = self.mailer.send(&outgoing(m));
                        if matches!(result, Err(SendError::Transient(_))) {
                            stop.store(true, Ordering::SeqCst);
                        }
                        if results.send((m, result)).is_err() {
                            break;
                        }
                    }
                });
            }
            drop(results);
            while let Ok(first) = arrived.recv() {
                let mut done = vec![first];
                done.extend(arrived.try_iter());
                self.record(conn, &done);
            }
        });
        next.into_inner().min(claimed.len())
    }

    fn record(&self, conn: &mut DbConnection, done: &[(&outbox::Message, Result<(), SendError>)]) {
        let now = self.clock.now_ms();
        let recorded = write_tx(conn, |conn| {
            for (m, result) in done {
                match result {
                    Ok(()) => outbox::mark_sent(conn, now, m, &self.hooks)?,
                    Err(SendError::Transient(e)) => outbox::mark_retry(conn, now, m, e, &self.hooks)?,
                    Err(SendError::Permanent(e)) => outbox::mark_failed(conn, now, m, e, &self.hooks)?,
                }
            }
            Ok::<_, diesel::result::Error>(())
        });
        for (m, result) in done {
            match (result, &recorded) {
                (_, Err(e)) => {
                    tracing::error!(message_id = %m.message_id, error = %e, "could not record a send result")
                }
                (Err(e), Ok(())) => tracing::warn!(message_id = %m.message_id, error = ?e, "email not sent"),
                (Ok(()), Ok(())) => tracing::debug!(message_id = %m.message_id, "email sent"),
            }
        }
    }

    /// Runs passes on a thread of its own until the guard is dropped.
    pub fn spawn(self, signal: Arc<Signal>) {
        let spawned = std::thread::Builder::new().name("outbox".into()).spawn(move || {
            loop {
                let pass = self.checked_pass();
                // Straight on while a backlog is going out; otherwise wait to be woken or for
                // the next retry to come due.
                if (pass.tried == 0 || pass.interrupted) && !signal.wait(IDLE_WAIT) {
                    break;
                }
            }
        });
        if let Err(e) = spawned {
            tracing::error!(error = %e, "could not start the outbox worker");
        }
    }
}

/// What one pass did: how many messages it tried, and whether a temporary failure cut the
/// batch short (its untried messages released for the next pass).
#[derive(Default)]
struct Pass {
    tried: usize,
    interrupted: bool,
}

fn outgoing(m: &outbox::Message) -> Outgoing<'_> {
    Outgoing {
        message_id: &m.message_id,
        to: &m.recipient,
        subject: &m.subject,
        text: &m.body_text,
        html: m.body_html.as_deref(),
    }
}
