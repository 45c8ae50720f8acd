//! Health, readiness, CSP reports and the fallback page.

use std::sync::atomic::Ordering;

use actix_web::{HttpRequest, HttpResponse, web};

use crate::db;
use crate::state::AppState;
use crate::web::error::AppError;

pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body("ok\n")
}

/// Ready when the database answers and no migration is pending.
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let checked = state
        .db(|conn| db::has_pending_migrations(conn).map_err(|e| AppError::Internal(e.to_string())))
        .await;
    let (ok, text) = match checked {
        Ok(false) => (true, "ready\n"),
        Ok(true) => (false, "not ready: database migrations pending\n"),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            (false, "not ready: database unreachable\n")
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
