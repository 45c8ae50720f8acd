//! GET/POST /mhtr/cases/{id}/assessment/{section}: one section of the suitability
//! assessment. Saving keeps whatever was typed; ticking "Mark this section as complete"
//! first checks every field is answered.

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
use crate::web::see_other;

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
                form method="post" action=(section_path(&c.id, section.code)) novalidate {
                    (components::csrf_field(&self.ctx.user.csrf_token))
                    @for (field, label) in section.fields {
                        (components::textarea(field, label, answers.get(field), None, errors))
                    }
                    p.app-hint { "Save at any time and come back to it. Mark the section as complete when every question is answered." }
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
