//! One section of the assessment: its form, draft and complete saves, and the autosave that
//! htmx sends while the practitioner types.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::{Markup, html};
use serde::Deserialize;

use super::answers::{Answers, is_risk_level};
use super::store::{self, SavedSection};
use super::{Mode, SectionState};
use crate::audit::{self, Event};
use crate::clock::Millis;
use crate::domain::codes::{self, AssessmentSection, assessment_section};
use crate::records::Person;
use crate::records::{Episode, access};
use crate::views::components;
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::htmx::Htmx;
use crate::web::{form_status, html as respond, see_other};

/// Shown on a completed section: autosave is off there, so a stray keystroke cannot quietly
/// turn a completed section back into a draft.
const COMPLETED_HINT: &str = "This section is marked as complete. Changes are not saved automatically: \
     choose Mark section complete to keep it complete, or Save draft to save your changes and return it to in progress.";

const DRAFT_HINT: &str = "Save a draft at any time and come back to it. With JavaScript on, \
     your answers are also saved as a draft as you type. Mark the section complete when every question is answered.";

/// A form as submitted: repeated names are allowed and the fields depend on the section.
type Submitted = web::Form<Vec<(String, String)>>;

#[derive(Deserialize)]
pub struct ShowQuery {
    #[serde(default)]
    saved: Option<String>,
}

/// How a save was asked for: it decides `complete` and the words in the audit trail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SaveKind {
    Draft,
    Complete,
    Autosave,
}

impl SaveKind {
    fn audit_word(self) -> &'static str {
        match self {
            SaveKind::Draft => "draft",
            SaveKind::Complete => "complete",
            SaveKind::Autosave => "draft (autosave)",
        }
    }
}

enum Outcome {
    Saved(Millis),
    /// Autosave only: the stored draft already says this.
    Unchanged(Millis),
    /// Autosave only: nothing typed and nothing stored.
    Nothing,
    /// Autosave only: the section is complete and only the buttons change it.
    KeptComplete,
}

fn find_section(code: &str) -> Result<&'static AssessmentSection, AppError> {
    assessment_section(code).ok_or(AppError::NotFound)
}

async fn load_saved(
    ctx: &Ctx,
    episode_id: &str,
    section: &'static AssessmentSection,
) -> Result<Option<SavedSection>, AppError> {
    let eid = episode_id.to_string();
    ctx.read(move |conn| Ok(store::find(conn, &eid, section.code)?)).await
}

pub async fn show(
    ctx: Ctx,
    path: web::Path<(String, String)>,
    query: web::Query<ShowQuery>,
) -> Result<HttpResponse, AppError> {
    let (id, code) = path.into_inner();
    let section = find_section(&code)?;
    let (ep, person) = access::open(&ctx, id.into(), Some("assessment section")).await?;
    let mode = super::mode(&ep)?;
    let saved = load_saved(&ctx, &ep.id, section).await?;
    let view = SectionView {
        ctx: &ctx,
        ep: &ep,
        person: &person,
        section,
        saved: saved.as_ref(),
    };
    Ok(match mode {
        Mode::Read => view.read_only(),
        Mode::Edit => {
            let answers = saved.as_ref().map(|s| s.answers.clone()).unwrap_or_default();
            view.form(&answers, &Errors::default(), query.saved.is_some())
        }
    })
}

/// The two buttons: "Save draft" keeps whatever was typed; "Mark section complete" checks
/// every answer first and, on a problem, shows the form again with nothing saved.
pub async fn save(ctx: Ctx, path: web::Path<(String, String)>, form: Submitted) -> Result<HttpResponse, AppError> {
    let (id, code) = path.into_inner();
    let section = find_section(&code)?;
    let (ep, person) = access::open(&ctx, id.into(), None).await?;
    super::require_edit(&ep)?;
    let answers = Answers::from_form(section, &form);
    let completing = form.iter().any(|(k, v)| k == "intent" && v == "complete");
    // A draft is kept as typed; only refused input (control characters) sends it back.
    let checked = if completing {
        answers.validate(section)
    } else {
        Errors::refused_input().or_ok(answers.clone())
    };
    match checked {
        Ok(draft) if !completing => save_draft(&ctx, &ep.id, section, draft).await,
        Ok(clean) => {
            write(&ctx, &ep.id, section, clean, SaveKind::Complete).await?;
            Ok(see_other(&super::task_list_path(&ep.id)))
        }
        Err(errors) => {
            let saved = load_saved(&ctx, &ep.id, section).await?;
            let view = SectionView {
                ctx: &ctx,
                ep: &ep,
                person: &person,
                section,
                saved: saved.as_ref(),
            };
            Ok(view.form(&answers, &errors, false))
        }
    }
}

/// "Save draft": stores whatever was typed and returns to the section with a banner.
async fn save_draft(
    ctx: &Ctx,
    episode_id: &str,
    section: &'static AssessmentSection,
    answers: Answers,
) -> Result<HttpResponse, AppError> {
    write(ctx, episode_id, section, answers, SaveKind::Draft).await?;
    let back = super::section_path(episode_id, section.code);
    Ok(see_other(&format!("{back}?saved=1")))
}

/// Saves a draft as the practitioner types (htmx): never validates, never marks complete,
/// and leaves a completed section alone. Answers with a line for the status region; a
/// request without htmx is treated as "Save draft".
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
    let (ep, _) = access::open(&ctx, id.into(), None).await?;
    super::require_edit(&ep)?;
    let answers = Answers::from_form(section, &form);
    if !Errors::refused_input().is_empty() {
        return Ok(respond(StatusCode::OK, html! { (REFUSED_AUTOSAVE) }));
    }
    let outcome = write(&ctx, &ep.id, section, answers, SaveKind::Autosave).await?;
    Ok(respond(StatusCode::OK, autosave_status(&outcome)))
}

/// The status line when an answer holds control characters: nothing is saved, and Save
/// draft shows the form again with each such answer marked.
const REFUSED_AUTOSAVE: &str =
    "Not saved automatically: an answer contains special control characters. Choose Save draft to see which.";

/// The words htmx puts in the status region after an autosave.
fn autosave_status(outcome: &Outcome) -> Markup {
    html! {
        @match outcome {
            Outcome::Saved(at) | Outcome::Unchanged(at) => { "Draft saved at " (crate::domain::local_time::hhmm(*at)) }
            Outcome::Nothing => {}
            Outcome::KeptComplete => { "Not saved automatically: this section is marked as complete. Choose Save draft or Mark section complete to keep your changes." }
        }
    }
}

/// Stores a section and audits it, in one transaction that first checks, under the
/// episode's lock, that it is still in assessment.
async fn write(
    ctx: &Ctx,
    episode_id: &str,
    section: &'static AssessmentSection,
    answers: Answers,
    kind: SaveKind,
) -> Result<Outcome, AppError> {
    let (uid, eid) = (ctx.user.id.clone(), episode_id.to_string());
    ctx.write(move |tx| {
        if !store::lock_in_assessment(tx.conn, &eid)? {
            let ep = crate::records::episode::find(tx.conn, &eid)?.ok_or(AppError::NotFound)?;
            super::require_edit(&ep)?;
        }
        let existing = store::find(tx.conn, &eid, section.code)?;
        if kind == SaveKind::Autosave
            && let Some(skip) = autosave_skip(existing.as_ref(), &answers)
        {
            return Ok(skip);
        }
        store::save(
            tx.conn,
            tx.now,
            &eid,
            section.code,
            &answers,
            kind == SaveKind::Complete,
            &uid,
        )?;
        let detail = format!("{} {}", section.code, kind.audit_word());
        tx.audit(Event::allowed(audit::UPDATE).record(super::RECORD, &eid).detail(detail))?;
        Ok(Outcome::Saved(tx.now))
    })
    .await
}

/// Why an autosave need not write: the section is complete, or nothing changed.
fn autosave_skip(existing: Option<&SavedSection>, answers: &Answers) -> Option<Outcome> {
    match existing {
        Some(s) if s.complete => Some(Outcome::KeptComplete),
        Some(s) if s.answers == *answers => Some(Outcome::Unchanged(s.updated_at)),
        None if answers.is_empty() => Some(Outcome::Nothing),
        _ => None,
    }
}

/// The answers of a section as a summary list, for reading.
pub(super) fn answers_list(section: &AssessmentSection, answers: &Answers) -> Markup {
    let rows: Vec<(&str, Markup)> = section
        .fields
        .iter()
        .map(|(field, label)| {
            (
                *label,
                html! { span.app-pre-wrap { (answers.display(section, field)) } },
            )
        })
        .collect();
    components::summary_list(&rows)
}

/// One question: a risk level is a select, everything else a text box.
fn field_input(
    section: &AssessmentSection,
    field: &'static str,
    label: &str,
    answers: &Answers,
    errors: &Errors,
) -> Markup {
    if is_risk_level(section, field) {
        let options = components::code_options("Select a level", codes::RISK_LEVELS);
        components::select(field, label, &options, answers.get(field), errors)
    } else {
        components::textarea(field, label, answers.get(field), None, errors)
    }
}

/// Everything a section page shows besides the answers being edited.
struct SectionView<'a> {
    ctx: &'a Ctx,
    ep: &'a Episode,
    person: &'a Person,
    section: &'static AssessmentSection,
    saved: Option<&'a SavedSection>,
}

impl SectionView<'_> {
    fn last_saved(&self) -> Markup {
        html! {
            @if let Some(s) = self.saved {
                "Last saved " (super::saved_at(self.ctx.now(), s.updated_at)) " by " (s.updated_by)
            }
        }
    }

    fn respond(&self, errors: &Errors, body: Markup) -> HttpResponse {
        let title = format!("{} – full assessment", self.section.title);
        let page = self.ctx.page(&title).with_errors(!errors.is_empty());
        self.ctx.render(form_status(errors), &page, body)
    }

    /// The form; `answers` are the stored ones, or the submitted ones when `errors` explain
    /// why they could not complete the section (422).
    fn form(&self, answers: &Answers, errors: &Errors, just_saved: bool) -> HttpResponse {
        let (ep_id, section) = (&self.ep.id, self.section);
        let action = super::section_path(ep_id, section.code);
        let complete = self.saved.is_some_and(|s| s.complete);
        // Autosave only drafts: a completed section changes only by a button.
        let autosave = (!complete).then(|| format!("{action}/autosave"));
        let on = |value: &'static str| autosave.as_ref().map(|_| value);
        let body = html! {
            (components::error_summary(errors))
            @if just_saved && errors.is_empty() { (components::notification("Draft saved", true)) }
            (super::heading(self.person, section.title))
            p { (SectionState::of(self.saved).tag()) }
            p.app-hint { (if complete { COMPLETED_HINT } else { DRAFT_HINT }) }
            form method="post" action=(action) novalidate
                data-hx-post=[autosave.as_deref()] data-hx-trigger=[on("input delay:2s, change")]
                data-hx-target=[on("#autosave-status")] data-hx-swap=[on("innerHTML")] data-hx-sync=[on("this:queue last")] {
                (components::csrf_field(&self.ctx.user.csrf_token))
                @for (field, label) in section.fields {
                    (field_input(section, field, label, answers, errors))
                }
                p #autosave-status .app-hint role="status" { (self.last_saved()) }
                div.app-actions {
                    button.app-button type="submit" name="intent" value="complete" { "Mark section complete" }
                    button.app-button.app-button--secondary type="submit" name="intent" value="draft" { "Save draft" }
                }
            }
            p { a href=(super::task_list_path(ep_id)) { "Back to the assessment" } }
        };
        self.respond(errors, body)
    }

    /// The section once the assessment is complete: answers only, no form.
    fn read_only(&self) -> HttpResponse {
        let answers = self.saved.map(|s| s.answers.clone()).unwrap_or_default();
        let body = html! {
            (super::heading(self.person, self.section.title))
            p { (SectionState::of(self.saved).tag()) }
            p.app-hint { "The assessment is complete and can no longer be changed. " (self.last_saved()) }
            (answers_list(self.section, &answers))
            p { a href=(super::task_list_path(&self.ep.id)) { "Back to the assessment" } }
        };
        self.respond(&Errors::default(), body)
    }
}
