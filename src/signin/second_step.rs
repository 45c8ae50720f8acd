//! The second step of signing in, for a user whose password was right: a code from their
//! authenticator app (or a recovery code) at `/sign-in/code`, or, when the deployment
//! requires a factor they do not have yet, setting one up at `/sign-in/enrol`. Until then
//! there is no session: only a pending sign-in on the server, named by its own cookie.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::StatusCode;
use actix_web::{HttpMessage, HttpRequest, HttpResponse, web};
use maud::{Markup, html};
use serde::Deserialize;

use super::code::{self, Checked};
use super::{anon_token, factor_views, session_cookie};
use crate::audit::{self, Actor, Event};
use crate::auth::pending::{self, Pending, Stage};
use crate::auth::{CurrentUser, accounts, second_factor, session};
use crate::clock::Millis;
use crate::db::{DbConnection, write_tx};
use crate::views::form::Errors;
use crate::views::{Page, components, layout};
use crate::web::error::AppError;
use crate::web::state::AppState;
use crate::web::{client_addr, html as html_response, see_other};

pub const CODE_PATH: &str = "/sign-in/code";
pub const ENROL_PATH: &str = "/sign-in/enrol";

fn pending_cookie_name(state: &AppState) -> &'static str {
    if state.config.allow_http {
        "liaison_pending"
    } else {
        "__Host-liaison_pending"
    }
}

pub(crate) fn pending_cookie(state: &AppState, token: String) -> Cookie<'static> {
    Cookie::build(pending_cookie_name(state), token)
        .path("/")
        .http_only(true)
        .secure(!state.config.allow_http)
        .same_site(SameSite::Strict)
        .finish()
}

fn pending_gone(state: &AppState) -> Cookie<'static> {
    let mut gone = pending_cookie(state, String::new());
    gone.make_removal();
    gone
}

/// Creates the session of a user who passed every step, ends the oldest beyond the limit
/// (`limits`: absolute lifetime, sessions kept) and records the sign-in.
pub(crate) fn start_session(
    conn: &mut DbConnection,
    user_id: &str,
    actor: &Actor,
    now: Millis,
    (absolute_ms, keep): (Millis, i64),
    factor_checked_at: Option<Millis>,
    detail: Option<&str>,
) -> Result<String, AppError> {
    write_tx(conn, |conn| -> Result<String, AppError> {
        let token = session::create_checked(conn, user_id, now, absolute_ms, factor_checked_at)?;
        session::keep_newest(conn, user_id, now, keep)?;
        let mut event = Event::allowed(audit::SIGN_IN).record("user", user_id);
        if let Some(d) = detail {
            event = event.detail(d);
        }
        audit::record(conn, now, actor, event)?;
        Ok(token)
    })
}

fn limits(state: &AppState) -> (Millis, i64) {
    (
        state.config.absolute_timeout_hours * 3_600_000,
        state.config.max_sessions_per_user,
    )
}

/// The pending sign-in this browser holds, if any, and its user as the audit trail names them.
async fn pending_of(req: &HttpRequest, state: &AppState) -> Result<Option<(Pending, Actor)>, AppError> {
    let Some(token) = req.cookie(pending_cookie_name(state)).map(|c| c.value().to_string()) else {
        return Ok(None);
    };
    let (now, addr) = (state.now(), client_addr(req));
    state
        .db(move |conn| {
            let Some(p) = pending::find(conn, &token, now)? else {
                return Ok(None);
            };
            let teams: Vec<String> = accounts::teams_of(conn, &p.user.id)?
                .into_iter()
                .map(|t| t.name)
                .collect();
            let actor = Actor {
                user_id: Some(p.user.id.clone()),
                username: Some(p.user.username.clone()),
                role: Some(p.user.role.clone()),
                team: Some(teams.join(", ")),
                client_addr: Some(addr),
            };
            Ok(Some((p, actor)))
        })
        .await
}

/// No pending sign-in (it took too long, or was finished): sign in again. Someone already
/// signed in goes home.
fn expired(req: &HttpRequest, state: &AppState) -> HttpResponse {
    if req.extensions().contains::<CurrentUser>() {
        return see_other("/");
    }
    let page = Page {
        title: "Sign in again",
        user: None,
        csrf_token: "",
        demo: state.demo,
        has_errors: false,
    };
    let body = html! {
        h1.app-heading-l { "Sign in again" }
        p { "Your sign-in was not finished in time, or has already been used. " a href="/sign-in" { "Sign in again" } "." }
    };
    let mut res = html_response(StatusCode::OK, layout::render(&page, body));
    let _ = res.add_removal_cookie(&pending_gone(state));
    res
}

fn step_page(state: &AppState, title: &str, errors: &Errors, body: Markup) -> HttpResponse {
    let page = Page {
        title,
        user: None,
        csrf_token: "",
        demo: state.demo,
        has_errors: !errors.is_empty(),
    };
    let body = html! { (components::error_summary(errors)) (body) };
    html_response(crate::web::form_status(errors), layout::render(&page, body))
}

fn code_page(state: &AppState, csrf: &str, errors: &Errors) -> HttpResponse {
    let body = html! {
        h1.app-heading-l { "Enter your code" }
        p { "Your password was right. To finish signing in, enter the code your authenticator app shows for Liaison now." }
        form method="post" action=(CODE_PATH) novalidate {
            (components::csrf_field(csrf))
            (factor_views::code_field("Code from your authenticator app", "6 digits. If you do not have your phone, enter one of your recovery codes instead.", errors))
            button.app-button type="submit" { "Sign in" }
        }
        p { a href="/sign-in" { "Start again" } }
    };
    step_page(state, "Enter your code", errors, body)
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

pub async fn code_form(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    match pending_of(&req, &state).await? {
        Some((p, _)) if p.stage == Stage::Code => {
            Ok(code_page(&state, &anon_token(&req, &state).0, &Errors::default()))
        }
        _ => Ok(expired(&req, &state)),
    }
}

pub async fn submit_code(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<CodeForm>,
) -> Result<HttpResponse, AppError> {
    let Some((p, actor)) = pending_of(&req, &state).await?.filter(|(p, _)| p.stage == Stage::Code) else {
        return Ok(expired(&req, &state));
    };
    let csrf = anon_token(&req, &state).0;
    let mut errors = Errors::default();
    if form.code.trim().is_empty() {
        errors.add("code", "Enter the code your authenticator app shows");
        return Ok(code_page(&state, &csrf, &errors));
    }
    let checked = code::check(&state, actor.clone(), &p.user.id, &form.code).await?;
    if let Some(message) = code::message(&checked) {
        errors.add("code", message);
        let mut res = code_page(&state, &csrf, &errors);
        if matches!(checked, Checked::Throttled(_)) {
            *res.status_mut() = StatusCode::TOO_MANY_REQUESTS;
        }
        return Ok(res);
    }
    let (now, lim) = (state.now(), limits(&state));
    let (detail, to) = match checked {
        Checked::Recovery { left } => (
            format!("with a recovery code; {left} left"),
            format!("{}?recovery_left={left}", super::factor::PATH),
        ),
        _ => ("with a code".to_string(), "/".to_string()),
    };
    let (pid, uid) = (p.id.clone(), p.user.id.clone());
    let token = state
        .db(move |conn| {
            pending::end(conn, &pid)?;
            start_session(conn, &uid, &actor, now, lim, Some(now), Some(&detail))
        })
        .await?;
    Ok(HttpResponse::SeeOther()
        .insert_header(("Location", to))
        .cookie(session_cookie(&state, token))
        .cookie(pending_gone(&state))
        .finish())
}

fn enrol_page(state: &AppState, csrf: &str, username: &str, secret: &[u8], errors: &Errors) -> HttpResponse {
    let body = html! {
        h1.app-heading-l { "Set up your second factor" }
        p { "Your password was right. This service asks everyone in your role to sign in with a second factor as well: a 6-digit code from an authenticator app on your phone. Set it up now to finish signing in." }
        (factor_views::enrol_form(ENROL_PATH, csrf, username, secret, state.demo, errors))
        p { a href="/sign-in" { "Start again" } }
    };
    step_page(state, "Set up your second factor", errors, body)
}

pub async fn enrol_form(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let Some((p, _)) = pending_of(&req, &state).await?.filter(|(p, _)| p.stage == Stage::Enrol) else {
        return Ok(expired(&req, &state));
    };
    let (uid, now) = (p.user.id.clone(), state.now());
    let secret = state
        .db(move |conn| Ok(write_tx(conn, |conn| second_factor::candidate(conn, &uid, now))?))
        .await?;
    Ok(enrol_page(
        &state,
        &anon_token(&req, &state).0,
        &p.user.username,
        &secret,
        &Errors::default(),
    ))
}

pub async fn enrol(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<CodeForm>,
) -> Result<HttpResponse, AppError> {
    let Some((p, actor)) = pending_of(&req, &state).await?.filter(|(p, _)| p.stage == Stage::Enrol) else {
        return Ok(expired(&req, &state));
    };
    let csrf = anon_token(&req, &state).0;
    let (now, lim) = (state.now(), limits(&state));
    let confirmed = super::factor::confirm_candidate(&state, &actor, &p.user.id, &form.code).await?;
    let codes = match confirmed {
        Ok(codes) => codes,
        Err((errors, secret)) => return Ok(enrol_page(&state, &csrf, &p.user.username, &secret, &errors)),
    };
    let (pid, uid) = (p.id.clone(), p.user.id.clone());
    let token = state
        .db(move |conn| {
            pending::end(conn, &pid)?;
            start_session(conn, &uid, &actor, now, lim, Some(now), Some("second factor set up"))
        })
        .await?;
    let body = html! {
        h1.app-heading-l { "Your second factor is set up" }
        p { "From now on, sign in with your password and a code from your app." }
        (factor_views::recovery_codes(&codes, "/"))
    };
    let mut res = step_page(&state, "Your second factor is set up", &Errors::default(), body);
    let _ = res.add_cookie(&session_cookie(&state, token));
    let _ = res.add_removal_cookie(&pending_gone(&state));
    Ok(res)
}
