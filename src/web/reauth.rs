//! The re-authentication gate: before break-glass, an identifiable export, changing one's own
//! second factor (and, later, locking a return), the session must have confirmed the user's
//! factor within `reauth_minutes` — a code from their app, or their password if they have no
//! factor (decision 0018). Otherwise the user is sent to the confirmation page, which brings
//! them back to the page they were on. One extractor, [`Reauthenticated`], for a handler to
//! take; [`require`] for a handler that gates only some of its answers.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::http::Method;
use actix_web::web::Data;
use actix_web::{FromRequest, HttpRequest};

use super::error::AppError;
use super::htmx::Htmx;
use super::state::AppState;
use crate::auth::CurrentUser;

/// The confirmation page (the `signin` feature serves it).
pub const CONFIRM_PATH: &str = "/account/confirm";

/// Proof, in a handler's arguments, that the user confirmed their factor recently.
pub struct Reauthenticated;

/// Whether the session confirmed the factor within the window.
pub fn is_fresh(user: &CurrentUser, state: &AppState) -> bool {
    let window = state.config.reauth_minutes * 60_000;
    user.factor_checked_at.is_some_and(|at| user.now - at < window)
}

/// The confirmation page's address, to come back to `next` after.
pub fn confirm_url(next: &str) -> String {
    let query: String = serde_urlencoded::to_string([("next", next)]).unwrap_or_default();
    format!("{CONFIRM_PATH}?{query}")
}

/// A local path that is safe to send the user back to after confirming.
pub fn safe_next(next: &str) -> Option<&str> {
    let local = next.starts_with('/') && !next.starts_with("//") && !next.contains('\\');
    (local && !next.chars().any(char::is_control)).then_some(next)
}

/// Ok if the session is fresh; otherwise the way to the confirmation page, coming back to
/// `next` (for a form, the page that shows it).
pub fn require(user: &CurrentUser, state: &AppState, next: &str, htmx: bool) -> Result<(), AppError> {
    if is_fresh(user, state) {
        Ok(())
    } else {
        Err(AppError::Reauthenticate {
            to: confirm_url(next),
            htmx,
        })
    }
}

impl FromRequest for Reauthenticated {
    type Error = AppError;
    type Future = Ready<Result<Reauthenticated, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let user = match CurrentUser::from_request(req, payload).into_inner() {
            Ok(user) => user,
            Err(e) => return ready(Err(e)),
        };
        let Some(state) = req.app_data::<Data<AppState>>() else {
            return ready(Err(AppError::Internal("application state missing".into())));
        };
        // A page comes back to itself; a form comes back to its page, served at the same path.
        let next = match (*req.method() == Method::GET, req.query_string()) {
            (true, q) if !q.is_empty() => format!("{}?{q}", req.path()),
            _ => req.path().to_string(),
        };
        ready(require(&user, state, &next, Htmx::of(req).0).map(|()| Reauthenticated))
    }
}
