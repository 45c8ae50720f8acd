//! The assessment's task list: each section with its state, and marking the whole assessment
//! complete (in assessment → assessed). Once assessed, the same page shows every answer.

use actix_web::{HttpResponse, web};
use maud::{Markup, html};

use super::store::{self, SavedSection};
use super::{Mode, SectionState, progress_of, progress_summary};
use crate::audit::{self, Event};
use crate::domain::episode::Action;
use crate::domain::local_time;
use crate::records::Person;
use crate::records::{Episode, access};
use crate::views::components::{self, Tone};
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::{form_status, see_other};

async fn load_all(ctx: &Ctx, episode_id: &str) -> Result<Vec<SavedSection>, AppError> {
    let eid = episode_id.to_string();
    ctx.read(move |conn| Ok(store::for_episode(conn, &eid)?)).await
}

pub async fn show(ctx: Ctx, id: web::Path<String>) -> Result<HttpResponse, AppError> {
    let (ep, person) = access::open(&ctx, id.into_inner().into(), Some("assessment task list")).await?;
    let mode = super::mode(&ep)?;
    let saved = load_all(&ctx, &ep.id).await?;
    Ok(render(&ctx, &ep, &person, mode, &saved, &Errors::default()))
}

/// Marks the assessment complete when every section is; otherwise shows the task list again
/// (422) naming each section still to do, with nothing changed.
pub async fn complete(ctx: Ctx, id: web::Path<String>) -> Result<HttpResponse, AppError> {
    let (ep, person) = access::open(&ctx, id.into_inner().into(), None).await?;
    super::require_edit(&ep)?;
    let (uid, eid) = (ctx.user.id.clone(), ep.id.clone());
    let incomplete = ctx
        .write(move |tx| -> Result<Option<Vec<SavedSection>>, AppError> {
            // Under the episode's lock, so no section can change between the check and
            // the transition.
            if !store::lock_in_assessment(tx.conn, &eid)? {
                let ep = crate::records::episode::find(tx.conn, &eid)?.ok_or(AppError::NotFound)?;
                super::require_edit(&ep)?;
            }
            let saved = store::for_episode(tx.conn, &eid)?;
            if !all_completed(&saved) {
                return Ok(Some(saved));
            }
            let ep = crate::records::episode::find(tx.conn, &eid)?.ok_or(AppError::NotFound)?;
            let note = Some("Full assessment completed");
            let to = crate::records::episode::apply(tx.conn, tx.now, &uid, &ep, Action::CompleteAssessment, note)?;
            let detail = format!("full assessment completed; status -> {}", to.code());
            tx.audit(
                Event::allowed(audit::UPDATE)
                    .record(access::RECORD, &eid)
                    .detail(detail),
            )?;
            Ok(None)
        })
        .await?;
    match incomplete {
        None => Ok(see_other(&format!("/episodes/{}", ep.id))),
        Some(saved) => {
            let errors = incomplete_errors(&saved);
            Ok(render(&ctx, &ep, &person, Mode::Edit, &saved, &errors))
        }
    }
}

fn all_completed(saved: &[SavedSection]) -> bool {
    progress_of(saved).iter().all(|(_, s)| *s == SectionState::Completed)
}

/// One error per section not yet completed, linking to it on the task list.
fn incomplete_errors(saved: &[SavedSection]) -> Errors {
    let mut errors = Errors::default();
    for (section, state) in progress_of(saved) {
        if state != SectionState::Completed {
            errors.add(
                section.code,
                format!("Complete the {} section", section.title.to_lowercase()),
            );
        }
    }
    errors
}

fn render(
    ctx: &Ctx,
    ep: &Episode,
    person: &Person,
    mode: Mode,
    saved: &[SavedSection],
    errors: &Errors,
) -> HttpResponse {
    let progress = progress_of(saved);
    let body = html! {
        (components::error_summary(errors))
        (super::heading(person, "Full assessment"))
        @match mode {
            Mode::Edit => {
                p { (progress_summary(&progress)) }
                (task_list(&ep.id, &progress))
                (complete_form(&ep.id, &ctx.user.csrf_token))
            }
            Mode::Read => (answers(ep, saved)),
        }
        p { a href={ "/episodes/" (ep.id) } { "Back to the episode" } }
    };
    let page = ctx.page("Full assessment").with_errors(!errors.is_empty());
    ctx.render(form_status(errors), &page, body)
}

/// The GOV.UK task list: each section's name links to it, its state in words beside it.
fn task_list(
    episode_id: &str,
    progress: &[(&'static crate::domain::codes::AssessmentSection, SectionState)],
) -> Markup {
    html! {
        ul.app-task-list {
            @for (section, state) in progress {
                li.app-task-list__item id=(section.code) {
                    a href=(super::section_path(episode_id, section.code)) aria-describedby={ (section.code) "-status" } { (section.title) }
                    span id={ (section.code) "-status" } { (state.tag()) }
                }
            }
        }
    }
}

fn complete_form(episode_id: &str, csrf: &str) -> Markup {
    html! {
        form method="post" action={ "/episodes/" (episode_id) "/assessment/complete" } novalidate {
            (components::csrf_field(csrf))
            p.app-hint { "You can mark the assessment as complete once every section is completed. It cannot be changed after that." }
            button.app-button type="submit" { "Mark assessment as complete" }
        }
    }
}

/// The completed assessment, read-only: every section's answers as summary lists.
fn answers(ep: &Episode, saved: &[SavedSection]) -> Markup {
    html! {
        p {
            (components::tag("Assessed", Tone::Good))
            @if let Some(at) = ep.assessed_at { " Completed " (local_time::date_time(at)) "." }
            " The assessment can no longer be changed."
        }
        @for (section, state) in progress_of(saved) {
            @let row = saved.iter().find(|s| s.section == section.code);
            h2.app-heading-m id=(section.code) { (section.title) }
            @if state != SectionState::Completed { p { (state.tag()) } }
            (super::section::answers_list(section, &row.map(|r| r.answers.clone()).unwrap_or_default()))
        }
    }
}
