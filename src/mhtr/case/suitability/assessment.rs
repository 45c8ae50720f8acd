//! GET /mhtr/cases/{id}/assessment: the suitability assessment as a task list, and POST
//! …/assessment/complete: "Record the assessment" once every section is completed, which
//! moves the case on to consent.

use actix_web::{HttpResponse, web};
use maud::{Markup, html};

use super::store::{self, SavedSection};
use super::{MhtrCase, heading, in_step, page_path, render};
use crate::audit::{self, Event};
use crate::domain::codes::AssessmentSection;
use crate::domain::mhtr::{Action, MhtrStatus};
use crate::episodes::assessment::SectionState;
use crate::mhtr::case::find_locked;
use crate::mhtr::case::{self as case, RECORD};
use crate::records::Person;
use crate::views::components;
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::see_other;

const TITLE: &str = "Suitability assessment";

pub fn section_path(case_id: &str, section: &str) -> String {
    page_path(case_id, &format!("assessment/{section}"))
}

/// "2 of 7 sections completed".
pub fn progress_summary(progress: &[(&'static AssessmentSection, SectionState)]) -> String {
    let done = progress.iter().filter(|(_, s)| *s == SectionState::Completed).count();
    format!("{done} of {} sections completed", progress.len())
}

pub async fn show(ctx: Ctx, id: web::Path<String>) -> Result<HttpResponse, AppError> {
    let view = (audit::VIEW, Some("MHTR suitability assessment"));
    let (c, person) = case::load(&ctx, id.into_inner().into(), view).await?;
    let case_id = c.id.clone();
    let saved = ctx.read(move |conn| Ok(store::sections(conn, &case_id)?)).await?;
    Ok(page(&ctx, (&c, &person), &saved, &Errors::default()))
}

/// Records the assessment when every section is completed; otherwise shows the task list
/// again (422) naming each section still to do, with nothing changed.
pub async fn complete(ctx: Ctx, id: web::Path<String>) -> Result<HttpResponse, AppError> {
    let (c, person) = case::load(&ctx, id.into_inner().into(), (audit::UPDATE, None)).await?;
    in_step(&c, Action::CompleteAssessment)?;
    let (uid, case_id) = (ctx.user.id.clone(), c.id.clone());
    let incomplete = ctx
        .write(move |tx| -> Result<Option<Vec<SavedSection>>, AppError> {
            // Under the case's row, so no section can change between the check and the move.
            let current = find_locked(tx.conn, &case_id)?;
            in_step(&current, Action::CompleteAssessment)?;
            let saved = store::sections(tx.conn, &case_id)?;
            if !incomplete_errors(&saved).is_empty() {
                return Ok(Some(saved));
            }
            let note = Some("Suitability assessment recorded");
            case::apply(tx.conn, tx.now, &uid, &current, Action::CompleteAssessment, note)?;
            let event = Event::allowed(audit::UPDATE)
                .record(RECORD, &case_id)
                .detail("suitability assessment recorded");
            tx.audit(event)?;
            Ok(None)
        })
        .await?;
    match incomplete {
        None => Ok(see_other(&case::path(&c.id))),
        Some(saved) => {
            let errors = incomplete_errors(&saved);
            Ok(page(&ctx, (&c, &person), &saved, &errors))
        }
    }
}

/// One error per section not yet completed, linking to it on the task list.
fn incomplete_errors(saved: &[SavedSection]) -> Errors {
    let mut errors = Errors::default();
    for (section, state) in store::progress(saved) {
        if state != SectionState::Completed {
            errors.add(
                section.code,
                format!(
                    "Complete the {} section before recording the assessment",
                    section.title.to_lowercase()
                ),
            );
        }
    }
    errors
}

fn page(ctx: &Ctx, (c, person): (&MhtrCase, &Person), saved: &[SavedSection], errors: &Errors) -> HttpResponse {
    let progress = store::progress(saved);
    let editable = c.status() == MhtrStatus::Assessment;
    let body = html! {
        (heading(c, person, TITLE))
        p { (progress_summary(&progress)) }
        (task_list(&c.id, &progress, errors))
        @if editable {
            form method="post" action=(page_path(&c.id, "assessment/complete")) novalidate {
                (components::csrf_field(&ctx.user.csrf_token))
                p.app-hint { "You can record the assessment once every section is completed. The case then moves on to consent, and the assessment can no longer be changed." }
                button.app-button type="submit" { "Record the assessment" }
            }
        } @else {
            p { "The assessment can be changed only while the case is at the suitability assessment. This case is at “" (c.status().label().to_lowercase()) "”." }
        }
    };
    render(ctx, (TITLE, person), errors, body)
}

/// The GOV.UK task list: each section's name links to it, its state in words beside it,
/// and the reason it stops the assessment being recorded, if it does.
fn task_list(case_id: &str, progress: &[(&'static AssessmentSection, SectionState)], errors: &Errors) -> Markup {
    html! {
        ul.app-task-list {
            @for (section, state) in progress {
                li.app-task-list__item id=(section.code) {
                    a href=(section_path(case_id, section.code)) aria-describedby={ (section.code) "-status" } { (section.title) }
                    span id={ (section.code) "-status" } { (state.tag()) }
                    @if let Some(e) = errors.get(section.code) {
                        p.app-error-message { span.app-visually-hidden { "Error: " } (e) }
                    }
                }
            }
        }
    }
}
