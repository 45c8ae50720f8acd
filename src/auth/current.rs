//! The signed-in user, resolved once per request from the session cookie.

use std::future::{Ready, ready};

use actix_web::body::MessageBody;
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::web::Data;
use actix_web::{FromRequest, HttpMessage, HttpRequest};

use super::accounts::{self, Team};
use super::on_shift::{self, SiteRef};
use super::session::{self, Ended};
use crate::audit::{self, Actor, Event};
use crate::clock::Millis;
use crate::domain::Role;
use crate::state::AppState;
use crate::web::error::AppError;
use crate::web::htmx::Htmx;

/// Requests marked with this header (the live list's polling) do not count as activity,
/// so a page left open still reaches the idle timeout.
pub const BACKGROUND_HEADER: &str = "X-Liaison-Background";
/// Writing `last_seen_at` at most this often keeps reads from turning into writes.
const TOUCH_EVERY_MS: Millis = 10_000;

#[derive(Clone, Debug)]
pub struct CurrentUser {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub teams: Vec<Team>,
    /// The sites of the user's open shift, if any.
    pub sites: Vec<SiteRef>,
    pub session_id: String,
    pub csrf_token: String,
    /// When the idle timeout will end this session unless the user acts.
    pub idle_deadline: Millis,
    pub idle_ms: Millis,
    /// The server's time when this request was resolved.
    pub now: Millis,
    pub client_addr: String,
    /// Set when this request reaches a record under break-glass: the page shows a banner.
    pub access_notice: crate::access::Notice,
    /// Days a team's relationship outlives its last closed record (from the config).
    relationship_days: i64,
    /// The navigation links this user sees, as (href, label).
    pub nav: Vec<(&'static str, &'static str)>,
}

impl CurrentUser {
    pub fn team_names(&self) -> String {
        let names: Vec<&str> = self.teams.iter().map(|t| t.name.as_str()).collect();
        names.join(", ")
    }

    /// Whether the user belongs to a Women's MHTR team (by the team's kind).
    pub fn in_mhtr_team(&self) -> bool {
        self.teams.iter().any(|t| t.kind == crate::domain::TeamKind::Mhtr)
    }

    /// Whether the user's role works with identifiable records (analysts do not).
    pub fn sees_records(&self) -> bool {
        self.role.is_clinical()
    }

    /// What the access model needs to know about this user.
    pub fn viewer(&self) -> crate::access::Viewer {
        crate::access::Viewer {
            user_id: self.id.clone(),
            role: self.role,
            team_ids: self.teams.iter().map(|t| t.id.clone()).collect(),
            now: self.now,
            relationship_ms: self.relationship_days * 24 * 60 * 60 * 1000,
        }
    }

    pub fn actor(&self) -> Actor {
        Actor {
            user_id: Some(self.id.clone()),
            username: Some(self.username.clone()),
            role: Some(self.role.code().to_string()),
            team: Some(self.team_names()),
            client_addr: Some(self.client_addr.clone()),
        }
    }
}

/// Why the session cookie no longer signs anyone in, for the sign-in page to explain.
#[derive(Clone, Copy, Debug)]
pub struct SessionEnded(pub Ended);

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
        let client_addr = crate::web::client_addr(req.request());
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
            let Some((sess, user)) = session::find_with_user(conn, &token)? else {
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
                teams: accounts::teams_of(conn, &user.id)?,
                sites: on_shift::open_shift_sites(conn, &user.id)?,
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
