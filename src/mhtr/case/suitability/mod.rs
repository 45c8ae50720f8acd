//! The suitability assessment, consent to an MHTR with the proposed treatment, and the
//! negotiation of a pathway with secondary care and the consultant clinical psychologist.
//! Each page can be read by the case's team at any stage; changes are accepted only at the
//! stage they belong to.

mod assessment;
mod consent;
mod negotiation;
mod panel;
mod section;
mod store;

use actix_web::HttpResponse;
use chrono::NaiveDate;
use diesel::prelude::*;
use maud::{Markup, html};

pub use panel::panel;

/// Whether her latest consent decision is consent given (not declined or withdrawn): what
/// sharing the suitability report rests on.
pub fn consent_given(conn: &mut DbConnection, case_id: &str) -> QueryResult<bool> {
    Ok(store::consents(conn, case_id)?
        .first()
        .is_some_and(|c| c.decision == "given"))
}

use super::MhtrCase;
use crate::db::DbConnection;
use crate::domain::CalendarDate;
use crate::domain::date_input::{self, DateRule};
use crate::domain::mhtr::{self, Action};
use crate::records::Person;
use crate::views::components;
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::routes::Routes;

#[rustfmt::skip]
pub fn routes(r: &mut Routes) {
    use crate::web::routes::{Guard::Clinical, Record::MhtrCase};
    // `complete` before `{section}`, which would otherwise match it.
    r.get("/mhtr/cases/{id}/assessment", Clinical, MhtrCase, assessment::show)
        .post("/mhtr/cases/{id}/assessment/complete", Clinical, MhtrCase, assessment::complete)
        .get("/mhtr/cases/{id}/assessment/{section}", Clinical, MhtrCase, section::show)
        .post("/mhtr/cases/{id}/assessment/{section}", Clinical, MhtrCase, section::save)
        .post("/mhtr/cases/{id}/assessment/{section}/autosave", Clinical, MhtrCase, section::autosave)
        .get("/mhtr/cases/{id}/consent", Clinical, MhtrCase, consent::show)
        .post("/mhtr/cases/{id}/consent", Clinical, MhtrCase, consent::submit)
        .get("/mhtr/cases/{id}/negotiation", Clinical, MhtrCase, negotiation::show)
        .post("/mhtr/cases/{id}/negotiation/contacts", Clinical, MhtrCase, negotiation::contact::submit)
        .post("/mhtr/cases/{id}/negotiation/review", Clinical, MhtrCase, negotiation::review::submit)
        .post("/mhtr/cases/{id}/negotiation/review-awaited", Clinical, MhtrCase, negotiation::awaited::submit)
        .post("/mhtr/cases/{id}/negotiation/outcome", Clinical, MhtrCase, negotiation::outcome::submit);
}

/// The most a free-text answer on these forms may hold (the assessment's own fields have
/// their limit in [`crate::episodes::assessment::Answers`]).
const TEXT_MAX: usize = 2000;
/// The most a name, role or team may hold.
const NAME_MAX: usize = 200;

fn page_path(case_id: &str, page: &str) -> String {
    format!("{}/{page}", super::path(case_id))
}

/// The domain's explanation when `action` does not fit the case's stage.
fn in_step(c: &MhtrCase, action: Action) -> Result<(), AppError> {
    mhtr::transition(c.status(), action)
        .map(|_| ())
        .map_err(|e| AppError::Refused(e.message().to_string()))
}

/// The date typed in three boxes, to store; a problem goes into `errors` at its box.
fn checked_date(parts: [&str; 3], rule: &DateRule, today: NaiveDate, errors: &mut Errors) -> Option<CalendarDate> {
    date_input::parse(parts[0], parts[1], parts[2], rule, today)
        .map(CalendarDate::from)
        .map_err(|(field, message)| errors.add(field, message))
        .ok()
}

/// Trimmed text that must be given and not be too long; `label` names it in messages.
fn required_text(errors: &mut Errors, (field, label, missing): (&str, &str, &str), value: &str, max: usize) -> String {
    let value = value.trim().replace("\r\n", "\n");
    if value.is_empty() {
        errors.add(field, missing);
    } else if value.chars().count() > max {
        errors.add(field, format!("{label} must be {max} characters or fewer"));
    }
    value
}

/// Trimmed text that may be left blank.
fn optional_text(errors: &mut Errors, (field, label): (&str, &str), value: &str) -> Option<String> {
    let value = value.trim().replace("\r\n", "\n");
    if value.chars().count() > TEXT_MAX {
        errors.add(field, format!("{label} must be {TEXT_MAX} characters or fewer"));
    }
    Some(value).filter(|v| !v.is_empty())
}

/// The caption, the way back to the case, and the heading naming her.
fn heading(c: &MhtrCase, person: &Person, title: &str) -> Markup {
    html! {
        span.app-caption { "MHTR case" }
        p { a href=(super::path(&c.id)) { "Back to the case" } }
        h1.app-heading-l { (title) ": " (person.list_name()) }
    }
}

/// A page of this part, 422 when `errors` explain why a form was not saved.
fn render(ctx: &Ctx, (title, person): (&str, &Person), errors: &Errors, body: Markup) -> HttpResponse {
    let title = format!("{title} – {}", person.list_name());
    let body = html! { (components::error_summary(errors)) (body) };
    ctx.form_page(&title, errors, body)
}
