//! Health, readiness, CSP reports and the fallback page.

use std::sync::atomic::Ordering;

use actix_web::{HttpRequest, HttpResponse, web};

use crate::db;
use crate::web::error::AppError;
use crate::web::state::AppState;

pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body("ok\n")
}

/// Ready when the database answers and no migration is pending; the outbox's state follows
/// as detail (a growing queue means mail is not getting out).
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let now = state.now();
    let checked = state
        .db(|conn| {
            let pending = db::has_pending_migrations(conn).map_err(|e| AppError::Internal(e.to_string()))?;
            Ok((pending, crate::email::outbox::summary(conn)?))
        })
        .await;
    let (ok, text) = match checked {
        Ok((false, outbox)) => {
            let oldest = outbox
                .oldest_pending
                .map_or("none".to_string(), |t| format!("{}s ago", (now - t).max(0) / 1000));
            (
                true,
                format!(
                    "ready\noutbox: {} queued, {} failed, oldest unsent {oldest}\n",
                    outbox.pending, outbox.failed
                ),
            )
        }
        Ok((true, _)) => (false, "not ready: database migrations pending\n".to_string()),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            (false, "not ready: database unreachable\n".to_string())
        }
    };
    let mut res = if ok {
        HttpResponse::Ok()
    } else {
        HttpResponse::ServiceUnavailable()
    };
    res.content_type("text/plain; charset=utf-8").body(text)
}

/// Browsers post CSP violations here. Logged (truncated) and counted, never stored.
pub async fn csp_report(state: web::Data<AppState>, body: web::Bytes) -> HttpResponse {
    state.csp_reports.fetch_add(1, Ordering::SeqCst);
    let text = String::from_utf8_lossy(&body[..body.len().min(1024)]).into_owned();
    tracing::warn!(report = %text, "content security policy violation");
    HttpResponse::NoContent().finish()
}

pub async fn not_found(_req: HttpRequest) -> Result<HttpResponse, AppError> {
    Err(AppError::NotFound)
}
