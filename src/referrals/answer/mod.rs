//! Partners answer without an account, through a single-use, expiring link from the email:
//! accept, decline with a reason, or ask for more information. Only the token's hash is
//! stored; the page shows the minimum, and no name to an address of the standard class.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use diesel::prelude::*;
use maud::{Markup, html};
use serde::Deserialize;

mod opening;

pub use self::opening::OPEN;
use self::opening::{Found, View, open};
use super::{Referral, Status};
use crate::audit::{self, Actor, Event};
use crate::auth::session::token_id;
use crate::clock::Millis;
use crate::db::schema::answer_links;
use crate::db::{DbConnection, write_tx};
use crate::domain::local_time;
use crate::records::timeline;
use crate::views::components;
use crate::views::form::Errors;
use crate::views::{Page, layout};
use crate::web::error::AppError;
use crate::web::state::AppState;
use crate::web::{client_addr, csrf, form_status, html as respond};

/// The partner's answers, each with the status it gives the referral.
const CHOICES: [(Status, &str); 3] = [
    (Status::Accepted, "Accept the referral"),
    (Status::Declined, "Decline the referral"),
    (Status::MoreInformation, "Ask for more information"),
];

fn partner_page(state: &AppState, csrf_token: &str, title: &str, body: Markup, errors: &Errors) -> HttpResponse {
    let page = Page {
        title,
        user: None,
        csrf_token,
        demo: state.demo,
        has_errors: !errors.is_empty(),
    };
    respond(form_status(errors), layout::render(&page, body))
}

fn dead_end(state: &AppState, found: &Found) -> HttpResponse {
    let (title, message) = match found {
        Found::Throttled => (
            "Too many links that do not work",
            "Wait 15 minutes and try again, or telephone the team that referred.",
        ),
        Found::Used => (
            "This referral has already been answered",
            "Thank you. The link can be used once, and an answer has been recorded. If something has changed, telephone the team that referred.",
        ),
        Found::Expired => (
            "This link has expired",
            "Telephone the team that referred and quote the reference in the email.",
        ),
        _ => (
            "This link is not valid",
            "Check you copied the whole link from the email, or telephone the team that referred.",
        ),
    };
    let status = match found {
        Found::Unknown => StatusCode::NOT_FOUND,
        Found::Throttled => StatusCode::TOO_MANY_REQUESTS,
        _ => StatusCode::GONE,
    };
    crate::web::public_message(state.demo, status, title, message)
}

fn answer_form(
    state: &AppState,
    token: &str,
    csrf_token: &str,
    v: &View,
    form: &AnswerForm,
    errors: &Errors,
) -> HttpResponse {
    let r = &v.referral;
    let body = html! {
        (components::error_summary(errors))
        span.app-caption { "Referral " (r.reference) }
        h1.app-heading-l { "Answer a referral from " (v.team) }
        (components::summary_list(&[
            ("Reference", html! { (r.reference) }),
            ("From", html! { (v.team) }),
            ("Made on", html! { (local_time::date_time(r.created_at)) }),
            ("About", html! { @if let Some(p) = &v.person { (p) } @else { "Details are in the secure letter, or telephone the team" } }),
        ]))
        form method="post" action={ "/answer/" (token) } novalidate {
            (components::csrf_field(csrf_token))
            (components::radios("answer", "Your answer", &CHOICES.map(|(s, label)| (s.code(), label)), &form.answer, errors))
            (components::textarea("reason", "If you decline, why?", &form.reason, None, errors))
            (components::textarea("message", "If you need more information, what do you need?", &form.message, None, errors))
            button.app-button type="submit" { "Send answer" }
        }
    };
    partner_page(state, csrf_token, "Answer a referral", body, errors)
}

#[derive(Deserialize, Default, Debug, Clone)]
pub struct AnswerForm {
    #[serde(default)]
    answer: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    message: String,
}

impl AnswerForm {
    /// The status the answer gives the referral, or what to put right.
    fn validate(&self) -> Result<Status, Errors> {
        let mut errors = Errors::default();
        let answer = CHOICES.iter().map(|(s, _)| *s).find(|s| s.code() == self.answer);
        match answer {
            Some(Status::Declined) if self.reason.trim().is_empty() => {
                errors.add("reason", "Enter why you are declining the referral")
            }
            Some(Status::MoreInformation) if self.message.trim().is_empty() => {
                errors.add("message", "Enter what more information you need")
            }
            Some(_) => {}
            None => errors.add("answer", "Select your answer"),
        }
        for (field, value) in [("reason", &self.reason), ("message", &self.message)] {
            if value.trim().chars().count() > 2000 {
                errors.add(field, "Answer must be 2000 characters or fewer");
            }
        }
        match answer {
            Some(answer) if errors.is_empty() => Ok(answer),
            _ => Err(errors),
        }
    }
}

/// The pre-sign-in CSRF token (double submit), issued as a cookie on the first visit.
fn anon_token(req: &HttpRequest, state: &AppState) -> (String, Option<actix_web::cookie::Cookie<'static>>) {
    match req.cookie(csrf::anon_cookie_name(state)) {
        Some(c) => (c.value().to_string(), None),
        None => {
            let token = crate::auth::session::random_token();
            (token.clone(), Some(csrf::anon_cookie(state, token)))
        }
    }
}

pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let found = open(&state, &req, &token).await?;
    let Found::Usable(view) = &found else {
        return Ok(dead_end(&state, &found));
    };
    let (csrf_token, cookie) = anon_token(&req, &state);
    let mut res = answer_form(
        &state,
        &token,
        &csrf_token,
        view,
        &AnswerForm::default(),
        &Errors::default(),
    );
    if let Some(c) = cookie {
        res.add_cookie(&c).map_err(|e| AppError::Internal(e.to_string()))?;
    }
    Ok(res)
}

pub async fn submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Path<String>,
    form: web::Form<AnswerForm>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let form = form.into_inner();
    let now = state.now();
    let found = open(&state, &req, &token).await?;
    let Found::Usable(view) = found else {
        return Ok(dead_end(&state, &found));
    };
    let answer = match form.validate() {
        Ok(answer) => answer,
        Err(errors) => {
            let (csrf_token, _) = anon_token(&req, &state);
            return Ok(answer_form(&state, &token, &csrf_token, &view, &form, &errors));
        }
    };
    let actor = Actor {
        username: Some(format!("partner: {}", view.link.email)),
        role: Some("partner".into()),
        client_addr: Some(client_addr(&req)),
        ..Actor::default()
    };
    let hash = token_id(&token);
    let recorded = state
        .db(move |conn| {
            write_tx(conn, |conn| -> Result<bool, AppError> {
                // Single use: only the first answer through any of this referral's links counts.
                let used = diesel::update(answer_links::table.find(&hash).filter(answer_links::used_at.is_null()))
                    .set(answer_links::used_at.eq(now))
                    .execute(conn)?;
                if used == 0 {
                    return Ok(false);
                }
                diesel::update(
                    answer_links::table
                        .filter(answer_links::referral_id.eq(&view.referral.id))
                        .filter(answer_links::used_at.is_null()),
                )
                .set(answer_links::used_at.eq(now))
                .execute(conn)?;
                record_answer(conn, now, &view.referral, answer, &form, &view.link.email)?;
                audit::record(
                    conn,
                    now,
                    &actor,
                    Event::allowed("answer")
                        .record("referral", &view.referral.id)
                        .detail(answer.code()),
                )?;
                Ok(true)
            })
        })
        .await?;
    if !recorded {
        return Ok(dead_end(&state, &Found::Used));
    }
    Ok(crate::web::public_message(
        state.demo,
        StatusCode::OK,
        "Thank you – your answer has been sent",
        "The team that referred can see it now. You can close this page.",
    ))
}

fn record_answer(
    conn: &mut DbConnection,
    now: Millis,
    r: &Referral,
    answer: Status,
    form: &AnswerForm,
    email: &str,
) -> QueryResult<()> {
    use crate::db::schema::referrals;
    let optional = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
    diesel::update(referrals::table.find(&r.id))
        .set((
            referrals::status.eq(answer.code()),
            referrals::answered_at.eq(now),
            referrals::answer_reason.eq(optional(&form.reason)),
            referrals::answer_message.eq(optional(&form.message)),
            referrals::updated_at.eq(now),
        ))
        .execute(conn)?;
    let label = CHOICES
        .iter()
        .find(|(s, _)| *s == answer)
        .map_or("Answered", |(_, l)| *l);
    let mut note = format!("Referral {}: {email} answered – {}", r.reference, label.to_lowercase());
    for extra in [optional(&form.reason), optional(&form.message)].into_iter().flatten() {
        note.push_str(&format!(": {extra}"));
    }
    if answer == Status::MoreInformation {
        super::reply::add(
            conn,
            now,
            &r.id,
            super::reply::Sender::Partner,
            email,
            form.message.trim(),
        )?;
    }
    r.on_timeline(conn, (now, &r.created_by), timeline::Kind::Contact, &note)
}
