//! CSRF defence on every unsafe request: the Origin / Sec-Fetch-Site headers must name this
//! site, and a token must come back in the `X-CSRF-Token` header (htmx) or the `csrf_token`
//! form field. Signed-in users' tokens live with their server-side session; before sign-in a
//! random token is kept in a cookie and echoed by the form (double submit).

use actix_web::body::MessageBody;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{Method, header};
use actix_web::middleware::Next;
use actix_web::web::{Bytes, Data};
use actix_web::{HttpMessage, HttpRequest};

use super::error::AppError;
use crate::auth::CurrentUser;
use crate::web::state::AppState;

pub const FIELD: &str = "csrf_token";
pub const HEADER: &str = "X-CSRF-Token";
/// Paths a browser posts to by itself, carrying no credentials and changing no record.
const EXEMPT: &[&str] = &["/csp-report"];

pub fn anon_cookie_name(state: &AppState) -> &'static str {
    if state.config.allow_http {
        "liaison_csrf"
    } else {
        "__Host-liaison_csrf"
    }
}

/// The tokens a request may echo: the session's, and the pre-sign-in cookie's (so a sign-in
/// form left open in another tab still works). An attacker can read neither.
fn expected_tokens(req: &HttpRequest, state: &AppState) -> Vec<String> {
    let session = req.extensions().get::<CurrentUser>().map(|u| u.csrf_token.clone());
    let cookie = req.cookie(anon_cookie_name(state)).map(|c| c.value().to_string());
    session.into_iter().chain(cookie).collect()
}

pub fn anon_cookie(state: &AppState, token: String) -> Cookie<'static> {
    Cookie::build(anon_cookie_name(state), token)
        .path("/")
        .http_only(true)
        .secure(!state.config.allow_http)
        .same_site(SameSite::Strict)
        .finish()
}

fn same_origin(req: &ServiceRequest) -> Result<(), AppError> {
    let headers = req.headers();
    if let Some(site) = headers.get("Sec-Fetch-Site")
        && !(site == "same-origin" || site == "none")
    {
        return Err(AppError::Csrf("cross-site Sec-Fetch-Site"));
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let origin = origin.to_str().map_err(|_| AppError::Csrf("unreadable Origin"))?;
        let host = req.connection_info().host().to_string();
        let origin_host = origin.split_once("://").map(|(_, h)| h).unwrap_or("");
        if origin_host != host {
            return Err(AppError::Csrf("Origin is another site"));
        }
    }
    Ok(())
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn form_token(body: &[u8]) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == FIELD)
        .map(|(_, v)| v)
}

pub async fn verify(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !unsafe_method || EXEMPT.contains(&req.path()) {
        return next.call(req).await;
    }
    same_origin(&req)?;
    let state = req
        .app_data::<Data<AppState>>()
        .cloned()
        .ok_or(AppError::Internal("application state missing".into()))?;
    let expected = expected_tokens(req.request(), &state);
    if expected.is_empty() {
        return Err(AppError::Csrf("no token issued").into());
    }
    let supplied = match req.headers().get(HEADER).and_then(|v| v.to_str().ok()) {
        Some(token) => Some(token.to_string()),
        None => {
            // Read the form body to find the token, then put it back for the handler.
            let body = req.extract::<Bytes>().await.map_err(super::input::unreadable_body)?;
            let token = form_token(&body);
            req.set_payload(super::bytes_payload(body));
            token
        }
    };
    match supplied {
        Some(token) if expected.iter().any(|e| constant_time_eq(&token, e)) => next.call(req).await,
        _ => Err(AppError::Csrf("token missing or wrong").into()),
    }
}
