//! The sign-in pages: sign-in, sign-out, staying signed in, and the home page.

mod code;
pub mod confirm;
pub mod factor;
mod factor_views;
pub mod second_step;
pub mod sessions;
mod throttle;

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::StatusCode;
use actix_web::{HttpMessage, HttpRequest, HttpResponse, web};
use maud::{Markup, html};
use serde::Deserialize;

use crate::audit::{self, Actor, Event};
use crate::auth::session::{self, Ended};
use crate::auth::{CurrentUser, accounts, password, pending, second_factor};
use crate::views::components::{self, Field};
use crate::views::form::Errors;
use crate::views::{Page, layout};
use crate::web::error::AppError;
use crate::web::htmx::Htmx;
use crate::web::session::cookie_name;
use crate::web::state::AppState;
use crate::web::{client_addr, csrf, see_other};

#[derive(Deserialize, Default)]
pub struct SignInQuery {
    ended: Option<String>,
    signed_out: Option<String>,
}

fn ended_message(code: &str) -> Option<&'static str> {
    Some(match code {
        c if c == Ended::Idle.code() => {
            "You were signed out because you were inactive for too long. Sign in again to continue."
        }
        c if c == Ended::Absolute.code() => "Your session reached its time limit. Sign in again to continue.",
        c if c == Ended::Disabled.code() => "Your account has been disabled. Ask an administrator for help.",
        c if c == Ended::Revoked.code() => "You have been signed out. Sign in again to continue.",
        c if c == Ended::Replaced.code() => {
            "You were signed out here because you signed in somewhere else, and at most a few sessions are kept at once. Sign in again to continue."
        }
        _ => return None,
    })
}

fn sign_in_page(state: &AppState, token: &str, username: &str, errors: &Errors, notice: Option<&str>) -> Markup {
    let page = Page {
        title: "Sign in",
        user: None,
        csrf_token: token,
        demo: state.demo,
        has_errors: !errors.is_empty(),
    };
    layout::render(
        &page,
        html! {
            (components::error_summary(errors))
            @if let Some(n) = notice { (components::notification(n, false)) }
            h1.app-heading-l { "Sign in to Liaison" }
            form method="post" action="/sign-in" novalidate {
                (components::csrf_field(token))
                (components::input(Field::text("username", "Username", username).autocomplete("username"), errors))
                (components::input(Field::text("password", "Password", "").kind("password").autocomplete("current-password"), errors))
                button.app-button type="submit" { "Sign in" }
            }
            @if state.demo {
                p.app-hint { "Demo accounts are listed in the README and were printed when the server started. Demo mode does not ask for a second factor (a code from an authenticator app); a live service does." }
            }
        },
    )
}

/// The token the sign-in form echoes; issued as a cookie on first visit.
fn anon_token(req: &HttpRequest, state: &AppState) -> (String, Option<Cookie<'static>>) {
    match req.cookie(csrf::anon_cookie_name(state)) {
        Some(c) => (c.value().to_string(), None),
        None => {
            let token = session::random_token();
            (token.clone(), Some(csrf::anon_cookie(state, token)))
        }
    }
}

pub async fn sign_in_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<SignInQuery>,
) -> HttpResponse {
    if req.extensions().contains::<CurrentUser>() {
        return see_other("/");
    }
    let (token, cookie) = anon_token(&req, &state);
    let notice = match (&query.ended, &query.signed_out) {
        (Some(code), _) => ended_message(code),
        (None, Some(_)) => Some("You have signed out."),
        _ => None,
    };
    let mut res = HttpResponse::Ok();
    if let Some(c) = cookie {
        res.cookie(c);
    }
    res.content_type("text/html; charset=utf-8")
        .body(sign_in_page(&state, &token, "", &Errors::default(), notice).into_string())
}

#[derive(Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
}

enum Attempt {
    /// Refused without checking: wait this long.
    Throttled(crate::clock::Millis),
    Invalid,
    SignedIn(String),
    /// The password was right; the second step comes next (pending cookie token).
    SecondStep(String, pending::Stage),
}

pub async fn sign_in(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<SignInForm>,
) -> Result<HttpResponse, AppError> {
    let SignInForm { username, password } = form.into_inner();
    let username = accounts::normalise_username(&username);
    let mut errors = Errors::default();
    if username.is_empty() {
        errors.add("username", "Enter your username");
    }
    if password.is_empty() {
        errors.add("password", "Enter your password");
    }
    let attempt = if errors.is_empty() {
        attempt(&state, &req, &username, password).await?
    } else {
        Attempt::Invalid
    };
    let status = match attempt {
        Attempt::SignedIn(token) => return Ok(signed_in(&state, token, "/")),
        Attempt::SecondStep(token, stage) => {
            let to = match stage {
                pending::Stage::Code => second_step::CODE_PATH,
                pending::Stage::Enrol => second_step::ENROL_PATH,
            };
            return Ok(HttpResponse::SeeOther()
                .insert_header(("Location", to))
                .cookie(second_step::pending_cookie(&state, token))
                .finish());
        }
        Attempt::Throttled(wait) => {
            let minutes = (wait + 59_999) / 60_000;
            errors.add(
                "username",
                format!(
                    "Too many failed sign-in attempts. Wait {} and try again, or ask an administrator to reset your password",
                    crate::domain::words::count(minutes, "minute", "minutes")
                ),
            );
            StatusCode::TOO_MANY_REQUESTS
        }
        Attempt::Invalid => {
            if errors.is_empty() {
                errors.add("username", "Enter a correct username and password");
            }
            StatusCode::UNPROCESSABLE_ENTITY
        }
    };
    let (token, _) = anon_token(&req, &state);
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(sign_in_page(&state, &token, &username, &errors, None).into_string()))
}

/// The session cookie.
pub(crate) fn session_cookie(state: &AppState, token: String) -> Cookie<'static> {
    Cookie::build(cookie_name(state), token)
        .path("/")
        .http_only(true)
        .secure(!state.config.allow_http)
        .same_site(SameSite::Lax)
        .finish()
}

/// Signed in: the session cookie, and on to `to`.
fn signed_in(state: &AppState, token: String, to: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header(("Location", to))
        .cookie(session_cookie(state, token))
        .finish()
}

async fn attempt(state: &AppState, req: &HttpRequest, username: &str, password: String) -> Result<Attempt, AppError> {
    let now = state.now();
    let addr = client_addr(req);
    let cfg = state.config.clone();
    let name = username.to_string();
    let (user, locked) = state
        .db(move |conn| {
            let user = accounts::find_by_username(conn, &name)?;
            let who = (name.as_str(), user.as_ref().map(|u| u.id.as_str()));
            let locked = throttle::locked_until(conn, who, &addr, now, &cfg)?;
            Ok((user, locked))
        })
        .await?;
    let throttled = locked.is_some();
    // Verify even when throttled or unknown, so timing reveals nothing; argon2 is slow,
    // so it runs on the blocking pool.
    let stored = user
        .as_ref()
        .map(|u| u.password_hash.clone())
        .unwrap_or_else(|| password::decoy_hash().to_string());
    let matches = web::block(move || password::verify(&password, &stored)).await?;
    let addr = client_addr(req);
    let absolute_ms = state.config.absolute_timeout_hours * 3_600_000;
    let keep = state.config.max_sessions_per_user;
    let name = username.to_string();
    let (cfg, demo) = (state.config.clone(), state.demo);
    state
        .db(move |conn| {
            let mut actor = Actor {
                username: Some(name),
                client_addr: Some(addr),
                ..Actor::default()
            };
            let valid = match &user {
                Some(u) if matches && !u.disabled && !throttled => u,
                _ => {
                    let why = if throttled {
                        "throttled"
                    } else if user.as_ref().is_some_and(|u| u.disabled) {
                        "account disabled"
                    } else {
                        throttle::WRONG
                    };
                    audit::record(conn, now, &actor, Event::denied(audit::SIGN_IN).detail(why))?;
                    return Ok(match locked {
                        Some(until) => Attempt::Throttled(until - now),
                        None => Attempt::Invalid,
                    });
                }
            };
            actor.user_id = Some(valid.id.clone());
            actor.role = Some(valid.role.clone());
            let teams: Vec<String> = accounts::teams_of(conn, &valid.id)?
                .into_iter()
                .map(|t| t.name)
                .collect();
            actor.team = Some(teams.join(", "));
            // A factor enrolled, or one required of this user: the second step, not a session.
            let has_factor = second_factor::has_factor(conn, &valid.id)?;
            let required = valid.role().is_some_and(|r| second_factor::required(r, &cfg, demo));
            if has_factor || required {
                let stage = if has_factor {
                    pending::Stage::Code
                } else {
                    pending::Stage::Enrol
                };
                let detail = match stage {
                    pending::Stage::Code => "password accepted; code asked",
                    pending::Stage::Enrol => "password accepted; second factor to set up first",
                };
                let token = crate::db::write_tx(conn, |conn| -> Result<String, AppError> {
                    let token = pending::create(conn, &valid.id, stage, now)?;
                    let event = Event::allowed(audit::SECOND_FACTOR)
                        .record("user", &valid.id)
                        .detail(detail);
                    audit::record(conn, now, &actor, event)?;
                    Ok(token)
                })?;
                return Ok(Attempt::SecondStep(token, stage));
            }
            let limits = (absolute_ms, keep);
            let token = second_step::start_session(conn, &valid.id, &actor, now, limits, None, None)?;
            Ok(Attempt::SignedIn(token))
        })
        .await
}

pub async fn sign_out(state: web::Data<AppState>, user: CurrentUser) -> Result<HttpResponse, AppError> {
    let now = state.now();
    let actor = user.actor();
    let session_id = user.session_id.clone();
    state
        .db(move |conn| {
            crate::db::write_tx(conn, |conn| -> Result<(), AppError> {
                session::revoke(conn, &session_id, now)?;
                audit::record(conn, now, &actor, Event::allowed(audit::SIGN_OUT))?;
                Ok(())
            })
        })
        .await?;
    let mut gone = Cookie::build(cookie_name(&state), "")
        .path("/")
        .secure(!state.config.allow_http)
        .http_only(true)
        .finish();
    gone.make_removal();
    Ok(HttpResponse::SeeOther()
        .insert_header(("Location", "/sign-in?signed_out=1"))
        .insert_header(("Clear-Site-Data", "\"cache\""))
        .cookie(gone)
        .finish())
}

/// "Stay signed in": the session middleware has already recorded the activity.
pub async fn extend(user: CurrentUser, htmx: Htmx) -> HttpResponse {
    if htmx.0 {
        HttpResponse::NoContent()
            .insert_header((
                "HX-Trigger",
                format!(r#"{{"session-extended":{}}}"#, user.idle_deadline),
            ))
            .finish()
    } else {
        see_other("/")
    }
}

pub async fn home(state: web::Data<AppState>, user: CurrentUser) -> HttpResponse {
    let page = Page::signed_in("Home", &user, state.demo);
    let body = html! {
        h1.app-heading-l { "Welcome, " (user.display_name) }
        (components::summary_list(&[
            ("Role", html! { (user.role.label()) }),
            ("Teams", html! { @if user.teams.is_empty() { "None yet – ask an administrator" } @else { (user.team_names()) } }),
            ("Session", html! { "Signed out after " (state.config.idle_timeout_minutes) " minutes without activity. " a href=(sessions::PATH) { "Your sessions" } }),
            ("Second factor", html! { a href=(factor::PATH) { "Your second factor" } }),
        ]))
        @if user.sees_records() {
            h2.app-heading-m { "Live lists" }
            @if user.sites.is_empty() {
                p { "You are not signed on at a site. " a href="/shift" { "Sign on for a shift" } " to see who is waiting." }
            } @else {
                ul.app-list { @for s in &user.sites { li { a href={ "/sites/" (s.id) "/list" } { (s.name) } } } }
            }
            p { a href="/people/search" { "Find a person" } }
        }
        @if user.role.can_administer() {
            h2.app-heading-m { "Administration" }
            ul.app-list {
                li { a href="/admin/users" { "Manage staff accounts" } }
                li { a href="/admin/vetting" { "Vetting clearances to renew" } }
                li { a href="/admin/teams" { "Manage teams" } }
                li { a href="/admin/audit" { "See who accessed a record" } }
            }
        }
    };
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(layout::render(&page, body).into_string())
}
