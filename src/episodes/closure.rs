//! Closing an episode with its outcome, and reopening it where the pathway left off.

use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use maud::html;
use serde::Deserialize;

use super::screening;
use crate::audit::{self, Event};
use crate::db::DbConnection;
use crate::db::schema::episodes;
use crate::domain::codes;
use crate::domain::episode::{self, Action, EpisodeStatus};
use crate::records::Person;
use crate::records::{Episode, access};
use crate::views::components;
use crate::views::form::Errors;
use crate::web::context::{Ctx, Tx};
use crate::web::error::AppError;
use crate::web::routes::Routes;
use crate::web::{form_status, see_other};

const NOTE_MAX: usize = 2000;
const REASON_MAX: usize = 2000;

#[rustfmt::skip]
pub fn routes(r: &mut Routes) {
    use crate::web::routes::{Guard::Clinical, Record::Episode};
    r.get("/episodes/{id}/close", Clinical, Episode, show_close)
        .post("/episodes/{id}/close", Clinical, Episode, close)
        .get("/episodes/{id}/reopen", Clinical, Episode, show_reopen)
        .post("/episodes/{id}/reopen", Clinical, Episode, reopen);
}

/// Refuses up front, with the transition table's own words, an action the episode's status
/// does not allow, so a form is never shown for something that cannot be saved.
fn require_allowed(ep: &Episode, action: Action) -> Result<(), AppError> {
    episode::transition(ep.status(), action)
        .map(|_| ())
        .map_err(|e| AppError::Refused(e.message().to_string()))
}

/// Where a reopened episode resumes: the furthest resting stage it had reached. A screening
/// that asked for a full assessment resumes awaiting it.
pub fn resume_status(ep: &Episode, screening_outcome: Option<&str>) -> EpisodeStatus {
    if ep.assessed_at.is_some() {
        EpisodeStatus::Assessed
    } else if ep.screened_at.is_some() && screening_outcome == Some(screening::FULL_ASSESSMENT_NEEDED) {
        EpisodeStatus::AwaitingAssessment
    } else if ep.screened_at.is_some() {
        EpisodeStatus::Screened
    } else {
        EpisodeStatus::Waiting
    }
}

fn resume_status_in(conn: &mut DbConnection, ep: &Episode) -> QueryResult<EpisodeStatus> {
    let outcome = screening::find(conn, &ep.id)?.map(|s| s.outcome);
    Ok(resume_status(ep, outcome.as_deref()))
}

fn heading(ep: &Episode, person: &Person) -> maud::Markup {
    html! {
        span.app-caption { (person.list_name()) ", born " (person.dob_display()) }
        p { a href={ "/episodes/" (ep.id) } { "Back to the episode" } }
    }
}

// ---- Close -------------------------------------------------------------------------------

#[derive(Deserialize, Default, Debug, Clone)]
pub struct CloseForm {
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    note: String,
    /// Asked only when the person was never seen (screening not started).
    #[serde(default)]
    not_seen_reason: String,
}

/// Nobody started screening the person: the close form asks why they were not seen.
fn unseen(ep: &Episode) -> bool {
    ep.screening_started_at.is_none()
}

const NOT_SEEN_MISSING: &str = "Select why the person was not seen";

impl CloseForm {
    fn validate(&self, unseen: bool) -> Errors {
        let mut errors = Errors::default();
        if codes::label_of(codes::CLOSURE_OUTCOMES, &self.outcome).is_none() {
            errors.add("outcome", "Select why the episode is being closed");
        }
        if unseen && self.not_seen().is_none() {
            errors.add("not_seen_reason", NOT_SEEN_MISSING);
        }
        let note = self.note.trim();
        if note.is_empty() && self.outcome == "other" {
            errors.add("note", "Enter why the episode is being closed");
        } else if note.chars().count() > NOTE_MAX {
            errors.add("note", format!("Note must be {NOTE_MAX} characters or fewer"));
        }
        errors
    }

    fn note(&self) -> Option<&str> {
        Some(self.note.trim()).filter(|n| !n.is_empty())
    }

    /// The reason given, if it is one from the list.
    fn not_seen(&self) -> Option<&str> {
        codes::label_of(codes::NOT_SEEN_REASONS, &self.not_seen_reason).map(|_| self.not_seen_reason.as_str())
    }

    /// "Released before seen" or "Other – moved to another area", for the timeline, and why
    /// the person was not seen when that is stored and the outcome has not said it already.
    fn timeline_note(&self, not_seen: Option<&str>) -> String {
        let outcome = codes::label_of(codes::CLOSURE_OUTCOMES, &self.outcome).unwrap_or(&self.outcome);
        let mut words = match self.note() {
            Some(note) => format!("{outcome} – {note}"),
            None => outcome.to_string(),
        };
        let reason = not_seen.and_then(|r| codes::label_of(codes::NOT_SEEN_REASONS, r));
        if let Some(reason) = reason.filter(|r| *r != outcome) {
            words.push_str(&format!(". Not seen: {}", reason.to_lowercase()));
        }
        words
    }
}

fn close_page(ctx: &Ctx, ep: &Episode, person: &Person, form: &CloseForm, errors: &Errors) -> HttpResponse {
    let body = html! {
        (components::error_summary(errors))
        (heading(ep, person))
        h1.app-heading-l { "Close this episode" }
        p { "Closing ends this contact: it stops counting as open work for the team and its waiting time stops. Nothing is deleted – the record and timeline are kept, and you can reopen it later if you need to." }
        form method="post" action={ "/episodes/" (ep.id) "/close" } novalidate {
            (components::csrf_field(&ctx.user.csrf_token))
            (components::radios("outcome", "Why is the episode being closed?", codes::CLOSURE_OUTCOMES, &form.outcome, errors))
            @if unseen(ep) {
                (components::radios("not_seen_reason", "Why was the person not seen?", codes::NOT_SEEN_REASONS, &form.not_seen_reason, errors))
            }
            (components::textarea("note", "Note", &form.note, Some("Required if you select Other"), errors))
            button.app-button.app-button--warning type="submit" { "Close episode" }
        }
    };
    let page = ctx.page("Close this episode").with_errors(!errors.is_empty());
    ctx.render(form_status(errors), &page, body)
}

pub async fn show_close(ctx: Ctx, id: web::Path<String>) -> Result<HttpResponse, AppError> {
    let (ep, person) = access::open(&ctx, id.into_inner().into(), Some("close episode form")).await?;
    require_allowed(&ep, Action::Close)?;
    Ok(close_page(
        &ctx,
        &ep,
        &person,
        &CloseForm::default(),
        &Errors::default(),
    ))
}

fn record_close(tx: &mut Tx<'_>, user_id: &str, episode_id: &str, form: &CloseForm) -> Result<(), AppError> {
    // Re-read inside the transaction so two practitioners cannot both close it, and so the
    // reason is stored only for a person nobody has started to screen.
    let ep = crate::records::episode::find(tx.conn, episode_id)?.ok_or(AppError::NotFound)?;
    let not_seen = match unseen(&ep) {
        true => Some(
            form.not_seen()
                .ok_or_else(|| AppError::Refused(NOT_SEEN_MISSING.into()))?,
        ),
        false => None,
    };
    crate::records::episode::apply(
        tx.conn,
        tx.now,
        user_id,
        &ep,
        Action::Close,
        Some(&form.timeline_note(not_seen)),
    )?;
    diesel::update(episodes::table.find(episode_id))
        .set((
            episodes::closure_outcome.eq(&form.outcome),
            episodes::closure_note.eq(form.note()),
            episodes::not_seen_reason.eq(not_seen),
        ))
        .execute(tx.conn)?;
    let mut detail = format!("closed: {}", form.outcome);
    if let Some(reason) = not_seen {
        detail.push_str(&format!("; not seen: {reason}"));
    }
    tx.audit(
        Event::allowed(audit::UPDATE)
            .record(access::RECORD, episode_id)
            .detail(detail),
    )
}

pub async fn close(ctx: Ctx, id: web::Path<String>, form: web::Form<CloseForm>) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let (ep, person) = access::open(&ctx, id.into_inner().into(), None).await?;
    require_allowed(&ep, Action::Close)?;
    let errors = form.validate(unseen(&ep));
    if !errors.is_empty() {
        return Ok(close_page(&ctx, &ep, &person, &form, &errors));
    }
    let (uid, eid) = (ctx.user.id.clone(), ep.id.clone());
    ctx.write(move |tx| record_close(tx, &uid, &eid, &form)).await?;
    Ok(see_other(&format!("/episodes/{}", ep.id)))
}

// ---- Reopen ------------------------------------------------------------------------------

#[derive(Deserialize, Default, Debug, Clone)]
pub struct ReopenForm {
    #[serde(default)]
    reason: String,
}

impl ReopenForm {
    fn validate(&self) -> Errors {
        let mut errors = Errors::default();
        let reason = self.reason.trim();
        if reason.is_empty() {
            errors.add("reason", "Enter why the episode is being reopened");
        } else if reason.chars().count() > REASON_MAX {
            errors.add("reason", format!("Reason must be {REASON_MAX} characters or fewer"));
        }
        errors
    }
}

fn reopen_page(
    ctx: &Ctx,
    (ep, person): (&Episode, &Person),
    resume_to: EpisodeStatus,
    form: &ReopenForm,
    errors: &Errors,
) -> HttpResponse {
    let body = html! {
        (components::error_summary(errors))
        (heading(ep, person))
        h1.app-heading-l { "Reopen this episode" }
        p { "The episode will resume where it left off: " strong { (resume_to.label().to_lowercase()) } ". The closure outcome, and any reason the person was not seen, is cleared; the reason you give goes on the timeline." }
        form method="post" action={ "/episodes/" (ep.id) "/reopen" } novalidate {
            (components::csrf_field(&ctx.user.csrf_token))
            (components::textarea("reason", "Why are you reopening it?", &form.reason, None, errors))
            button.app-button type="submit" { "Reopen episode" }
        }
    };
    let page = ctx.page("Reopen this episode").with_errors(!errors.is_empty());
    ctx.render(form_status(errors), &page, body)
}

/// The reopen form for a closed episode, or the refusal for an open one.
async fn reopen_form(
    ctx: &Ctx,
    (ep, person): (&Episode, &Person),
    form: &ReopenForm,
    errors: &Errors,
) -> Result<HttpResponse, AppError> {
    let for_resume = ep.clone();
    let resume_to = ctx.read(move |conn| Ok(resume_status_in(conn, &for_resume)?)).await?;
    require_allowed(ep, Action::Reopen { resume_to })?;
    Ok(reopen_page(ctx, (ep, person), resume_to, form, errors))
}

pub async fn show_reopen(ctx: Ctx, id: web::Path<String>) -> Result<HttpResponse, AppError> {
    let (ep, person) = access::open(&ctx, id.into_inner().into(), Some("reopen episode form")).await?;
    reopen_form(&ctx, (&ep, &person), &ReopenForm::default(), &Errors::default()).await
}

fn record_reopen(tx: &mut Tx<'_>, user_id: &str, episode_id: &str, reason: &str) -> Result<(), AppError> {
    let ep = crate::records::episode::find(tx.conn, episode_id)?.ok_or(AppError::NotFound)?;
    let resume_to = resume_status_in(tx.conn, &ep)?;
    let to = crate::records::episode::apply(
        tx.conn,
        tx.now,
        user_id,
        &ep,
        Action::Reopen { resume_to },
        Some(reason),
    )?;
    tx.audit(
        Event::allowed(audit::UPDATE)
            .record(access::RECORD, episode_id)
            .detail(format!("reopened: status -> {}", to.code())),
    )
}

pub async fn reopen(ctx: Ctx, id: web::Path<String>, form: web::Form<ReopenForm>) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let (ep, person) = access::open(&ctx, id.into_inner().into(), None).await?;
    let errors = form.validate();
    if !errors.is_empty() {
        return reopen_form(&ctx, (&ep, &person), &form, &errors).await;
    }
    let (uid, eid) = (ctx.user.id.clone(), ep.id.clone());
    let reason = form.reason.trim().to_string();
    ctx.write(move |tx| record_reopen(tx, &uid, &eid, &reason)).await?;
    Ok(see_other(&format!("/episodes/{}", ep.id)))
}

#[cfg(test)]
mod tests;
