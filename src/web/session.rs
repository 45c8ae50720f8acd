//! Resolving the signed-in user once per request from the session cookie: the middleware
//! that ends idle or revoked sessions, and the `CurrentUser` extractor.

use std::future::{Ready, ready};

use actix_web::body::MessageBody;
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::web::Data;
use actix_web::{FromRequest, HttpMessage, HttpRequest};

use super::error::AppError;
use super::htmx::Htmx;
use super::state::AppState;
use crate::audit::{self, Actor, Event};
use crate::auth::current::{BACKGROUND_HEADER, SessionEnded};
use crate::auth::session::{self, Ended};
use crate::auth::{CurrentUser, accounts, on_shift};
use crate::clock::Millis;
use crate::db::read_tx;

/// Writing `last_seen_at` at most this often keeps reads from turning into writes.
const TOUCH_EVERY_MS: Millis = 10_000;

pub fn cookie_name(state: &AppState) -> &'static str {
    if state.config.allow_http {
        "liaison_session"
    } else {
        "__Host-liaison_session"
    }
}

pub async fn load(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let state = req.app_data::<Data<AppState>>().cloned();
    let token = state
        .as_ref()
        .and_then(|s| req.cookie(cookie_name(s)))
        .map(|c| c.value().to_string());
    if let (Some(state), Some(token)) = (state, token) {
        let background = req.headers().contains_key(BACKGROUND_HEADER);
        let client_addr = super::client_addr(req.request());
        match resolve(&state, token, background, client_addr).await? {
            Ok(user) => {
                req.extensions_mut().insert(user);
            }
            Err(ended) => {
                req.extensions_mut().insert(SessionEnded(ended));
            }
        }
    }
    next.call(req).await
}

async fn resolve(
    state: &AppState,
    token: String,
    background: bool,
    client_addr: String,
) -> Result<Result<CurrentUser, Ended>, AppError> {
    let now = state.now();
    let idle_ms = state.config.idle_timeout_minutes * 60_000;
    let relationship_days = state.config.relationship_days;
    let nav = state.nav.clone();
    state
        .db(move |conn| {
            // The reads share one snapshot; the writes (ending or touching the session) follow.
            let found = read_tx(conn, |conn| -> Result<_, AppError> {
                let Some((sess, user)) = session::find_with_user(conn, &token)? else {
                    return Ok(None);
                };
                let teams = accounts::teams_of(conn, &user.id)?;
                let sites = on_shift::open_shift_sites(conn, &user.id)?;
                Ok(Some((sess, user, teams, sites)))
            })?;
            let Some((sess, user, teams, sites)) = found else {
                return Ok(Err(Ended::Revoked));
            };
            let role = user
                .role()
                .ok_or(AppError::Internal("user has an unknown role".into()))?;
            if let Err(ended) = session::check(&sess, &user, now, idle_ms) {
                if sess.revoked_at.is_none() {
                    session::revoke(conn, &sess.id, now)?;
                    let actor = Actor {
                        user_id: Some(user.id.clone()),
                        username: Some(user.username.clone()),
                        role: Some(user.role.clone()),
                        team: None,
                        client_addr: Some(client_addr),
                    };
                    let event = Event::allowed(audit::SIGN_OUT).detail(format!("session ended: {}", ended.code()));
                    audit::record(conn, now, &actor, event)?;
                }
                return Ok(Err(ended));
            }
            let mut last_seen = sess.last_seen_at;
            if !background && now - last_seen >= TOUCH_EVERY_MS {
                session::touch(conn, &sess.id, now)?;
                last_seen = now;
            }
            let mut user = CurrentUser {
                teams,
                sites,
                id: user.id,
                username: user.username,
                display_name: user.display_name,
                role,
                session_id: sess.id,
                csrf_token: sess.csrf_token,
                idle_deadline: (last_seen + idle_ms).min(sess.expires_at),
                idle_ms,
                now,
                client_addr,
                access_notice: Default::default(),
                relationship_days,
                factor_checked_at: sess.factor_checked_at,
                nav: Vec::new(),
            };
            user.nav = crate::views::nav::for_user(&nav, &user);
            Ok(Ok(user))
        })
        .await
}

impl FromRequest for CurrentUser {
    type Error = AppError;
    type Future = Ready<Result<CurrentUser, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let found = req.extensions().get::<CurrentUser>().cloned();
        ready(found.ok_or_else(|| AppError::SignIn {
            htmx: Htmx::of(req).0,
            ended: req.extensions().get::<SessionEnded>().map(|e| e.0),
        }))
    }
}
