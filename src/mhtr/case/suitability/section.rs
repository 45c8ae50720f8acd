//! GET/POST /mhtr/cases/{id}/assessment/{section}: one section of the suitability
//! assessment. Saving keeps whatever was typed; ticking "Mark this section as complete"
//! first checks every field is answered.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::html;

use super::assessment::section_path;
use super::store::{self, SavedSection};
use super::{MhtrCase, heading, in_step, page_path, render};
use crate::audit::{self, Event};
use crate::domain::codes::AssessmentSection;
use crate::domain::local_time;
use crate::domain::mhtr::{Action, MhtrStatus, assessment_section};
use crate::episodes::assessment::Answers;
use crate::mhtr::case::find_locked;
use crate::mhtr::case::{self as case, RECORD};
use crate::records::Person;
use crate::views::components;
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::htmx::Htmx;
use crate::web::{html as respond, see_other};

/// The checkbox's name and the value it sends when ticked.
const COMPLETE: &str = "complete";
const TICKED: &str = "yes";

/// A form as submitted: the fields depend on the section.
type Submitted = web::Form<Vec<(String, String)>>;

fn find_section(code: &str) -> Result<&'static AssessmentSection, AppError> {
    assessment_section(code).ok_or(AppError::NotFound)
}

async fn saved_section(
    ctx: &Ctx,
    c: &MhtrCase,
    section: &'static AssessmentSection,
) -> Result<Option<SavedSection>, AppError> {
    let case_id = c.id.clone();
    ctx.read(move |conn| {
        let all = store::sections(conn, &case_id)?;
        Ok(all.into_iter().find(|s| s.section == section.code))
    })
    .await
}

pub async fn show(ctx: Ctx, path: web::Path<(String, String)>) -> Result<HttpResponse, AppError> {
    let (id, code) = path.into_inner();
    let section = find_section(&code)?;
    let view = (audit::VIEW, Some("MHTR suitability assessment section"));
    let (c, person) = case::load(&ctx, id.into(), view).await?;
    let saved = saved_section(&ctx, &c, section).await?;
    let answers = saved.as_ref().map(|s| s.answers.clone()).unwrap_or_default();
    let complete = saved.as_ref().is_some_and(|s| s.complete);
    let view = SectionPage {
        ctx: &ctx,
        case: &c,
        person: &person,
        section,
        saved: saved.as_ref(),
    };
    Ok(view.render(&answers, complete, &Errors::default()))
}

pub async fn save(ctx: Ctx, path: web::Path<(String, String)>, form: Submitted) -> Result<HttpResponse, AppError> {
    let (id, code) = path.into_inner();
    let section = find_section(&code)?;
    let (c, person) = case::load(&ctx, id.into(), (audit::UPDATE, None)).await?;
    in_step(&c, Action::CompleteAssessment)?;
    let answers = Answers::from_form(section, &form);
    let complete = form.iter().any(|(k, v)| k == COMPLETE && v == TICKED);
    // A draft is kept as typed; only refused input (control characters) sends it back.
    let checked = if complete {
        answers.validate(section)
    } else {
        Errors::refused_input().or_ok(answers.clone())
    };
    let answers = match checked {
        Ok(clean) => clean,
        Err(errors) => {
            let saved = saved_section(&ctx, &c, section).await?;
            let view = SectionPage {
                ctx: &ctx,
                case: &c,
                person: &person,
                section,
                saved: saved.as_ref(),
            };
            return Ok(view.render(&answers, complete, &errors));
        }
    };
    let (uid, case_id) = (ctx.user.id.clone(), c.id.clone());
    ctx.write(move |tx| {
        in_step(&find_locked(tx.conn, &case_id)?, Action::CompleteAssessment)?;
        store::save_section(tx.conn, tx.now, (&case_id, section.code), &answers, complete, &uid)?;
        let detail = format!(
            "assessment section {} saved{}",
            section.code,
            if complete { " as complete" } else { "" }
        );
        let event = Event::allowed(audit::UPDATE).record(RECORD, &case_id).detail(detail);
        tx.audit(event)
    })
    .await?;
    Ok(see_other(&page_path(&c.id, "assessment")))
}

/// Saves a draft as the practitioner types (htmx), like the L&D assessment: never
/// validates, never marks complete, and leaves a completed section alone. Answers with the
/// line for the status region; a request without htmx is an ordinary save.
pub async fn autosave(
    ctx: Ctx,
    htmx: Htmx,
    path: web::Path<(String, String)>,
    form: Submitted,
) -> Result<HttpResponse, AppError> {
    if !htmx.0 {
        return save(ctx, path, form).await;
    }
    let (id, code) = path.into_inner();
    let section = find_section(&code)?;
    let (c, _) = case::load(&ctx, id.into(), (audit::UPDATE, None)).await?;
    in_step(&c, Action::CompleteAssessment)?;
    let answers = Answers::from_form(section, &form);
    if !Errors::refused_input().is_empty() {
        return Ok(respond(StatusCode::OK, html! { (REFUSED_AUTOSAVE) }));
    }
    let (uid, case_id) = (ctx.user.id.clone(), c.id.clone());
    let saved_at = ctx
        .write(move |tx| {
            in_step(&find_locked(tx.conn, &case_id)?, Action::CompleteAssessment)?;
            let stored = store::sections(tx.conn, &case_id)?
                .into_iter()
                .find(|s| s.section == section.code);
            match &stored {
                Some(s) if s.complete => return Ok(None),
                Some(s) if s.answers == answers => return Ok(Some(s.updated_at)),
                None if answers.is_empty() => return Ok(None),
                _ => {}
            }
            store::save_section(tx.conn, tx.now, (&case_id, section.code), &answers, false, &uid)?;
            let detail = format!("assessment section {} saved (autosave)", section.code);
            tx.audit(Event::allowed(audit::UPDATE).record(RECORD, &case_id).detail(detail))?;
            Ok(Some(tx.now))
        })
        .await?;
    let status = html! { @if let Some(at) = saved_at { "Draft saved at " (local_time::hhmm(at)) } };
    Ok(respond(StatusCode::OK, status))
}

/// The status line when an answer holds control characters: nothing is saved, and saving
/// shows the form again with each such answer marked.
const REFUSED_AUTOSAVE: &str =
    "Not saved automatically: an answer contains special control characters. Choose Save to see which.";

struct SectionPage<'a> {
    ctx: &'a Ctx,
    case: &'a MhtrCase,
    person: &'a Person,
    section: &'static AssessmentSection,
    saved: Option<&'a SavedSection>,
}

impl SectionPage<'_> {
    /// The form at the assessment stage, the answers to read at any other.
    fn render(&self, answers: &Answers, complete: bool, errors: &Errors) -> actix_web::HttpResponse {
        let (c, section) = (self.case, self.section);
        let back = page_path(&c.id, "assessment");
        let tick = [(TICKED.to_string(), "Mark this section as complete".to_string())];
        let ticked: Vec<String> = if complete { vec![TICKED.into()] } else { Vec::new() };
        let body = html! {
            (heading(c, self.person, section.title))
            p { (SavedSection::state(self.saved).tag()) }
            @if let Some(s) = self.saved {
                p.app-hint { "Last saved " (local_time::date_time(s.updated_at)) " by " (s.updated_by) }
            }
            @if c.status() == MhtrStatus::Assessment {
                @let action = section_path(&c.id, section.code);
                // Autosave only drafts: a completed section changes only by saving.
                @let stored_complete = self.saved.is_some_and(|s| s.complete);
                @let autosave = (!stored_complete).then(|| format!("{action}/autosave"));
                @let on = |value: &'static str| autosave.as_ref().map(|_| value);
                form method="post" action=(action) novalidate
                    data-hx-post=[autosave.as_deref()] data-hx-trigger=[on("input delay:2s, change")]
                    data-hx-target=[on("#autosave-status")] data-hx-swap=[on("innerHTML")] data-hx-sync=[on("this:queue last")] {
                    (components::csrf_field(&self.ctx.user.csrf_token))
                    @for (field, label) in section.fields {
                        (components::textarea(field, label, answers.get(field), None, errors))
                    }
                    p.app-hint { "Save at any time and come back to it. With JavaScript on, your answers are also saved as a draft as you type. Mark the section as complete when every question is answered." }
                    p #autosave-status .app-hint role="status" {}
                    (components::checkboxes(COMPLETE, "Is this section finished?", &tick, &ticked, errors))
                    button.app-button type="submit" { "Save and return to the assessment" }
                }
            } @else {
                p.app-hint { "The assessment can be changed only while the case is at the suitability assessment." }
                (components::summary_list(&section.fields.iter().map(|(field, label)| {
                    (*label, html! { span.app-pre-wrap { (answers.display(section, field)) } })
                }).collect::<Vec<_>>()))
            }
            p { a href=(back) { "Back to the assessment" } }
        };
        let title = format!("{} – suitability assessment", section.title);
        render(self.ctx, (&title, self.person), errors, body)
    }
}
