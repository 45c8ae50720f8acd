use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use crate::clock::{Clock, Millis};
use crate::config::Config;
use crate::db::{DbConnection, Pool};
use crate::web::error::AppError;

/// What every handler shares: passed in, never global, so tests build their own.
#[derive(Clone)]
pub struct AppState {
    pub pool: Pool,
    pub config: Arc<Config>,
    pub clock: Arc<dyn Clock>,
    /// The instance holds synthetic demo data; every page says so.
    pub demo: bool,
    /// CSP violation reports received since start (also logged).
    pub csp_reports: Arc<AtomicU64>,
    /// Wakes the outbox worker when a request queues mail.
    pub outbox: Arc<crate::email::worker::Signal>,
    /// Stops the worker when the last copy of the state goes.
    pub worker_guard: Arc<crate::email::worker::Guard>,
    /// The features' outbox delivery listeners and tasks (an administrator's retry tells them).
    pub outbox_hooks: crate::email::hooks::Hooks,
    /// Writes the audit rows of views and refusals, committing concurrent ones together.
    pub journal: crate::audit::journal::Journal,
    /// The navigation items the features registered.
    pub nav: Arc<Vec<crate::views::nav::NavItem>>,
    /// Turns for long reads: [`AppState::long_read_turn`].
    pub long_reads: Arc<tokio::sync::Semaphore>,
    /// Renderings of the live list, kept while what they show is unchanged.
    pub kept: Arc<crate::web::kept::Kept>,
}

/// Long reads (a dashboard over weeks or more, a quarter's return) run at most this many at a
/// time. Each holds a pooled connection and, on SQLite, both cores for up to half a second, so
/// more at once would only make the live list wait for a connection behind them.
pub const LONG_READS: usize = 2;

impl AppState {
    pub fn now(&self) -> Millis {
        self.clock.now_ms()
    }

    /// Waits for a turn to make a long read, held until the permit is dropped.
    pub async fn long_read_turn(&self) -> Result<tokio::sync::SemaphorePermit<'_>, AppError> {
        self.long_reads
            .acquire()
            .await
            .map_err(|_| AppError::Internal("long reads closed".into()))
    }

    /// Runs blocking database work on actix's thread pool, never on an async worker.
    /// The pooled connection is taken and returned inside the blocking closure.
    pub async fn db<T, F>(&self, work: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
    {
        let pool = self.pool.clone();
        actix_web::web::block(move || {
            let mut conn = pool.get()?;
            work(&mut conn)
        })
        .await?
    }
}
