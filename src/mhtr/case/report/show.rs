//! GET /mhtr/cases/{id}/report: the report, or a button to draft it; POST drafts it from
//! what the case records; POST /report/addenda adds an addendum to a final report.

use actix_web::{HttpResponse, web};
use maud::{Markup, html};
use serde::Deserialize;

use super::{RECORD, SUBJECT, cannot_sign_off, path};
use crate::audit::{self, Event};
use crate::auth::CurrentUser;
use crate::domain::mhtr::MhtrStatus;
use crate::mhtr::case::MhtrCase;
use crate::records::Person;
use crate::reports::{self, Full, view};
use crate::views::components;
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::see_other;

const ADDENDUM_MAX: usize = 10_000;

#[derive(Deserialize, Default, Debug, Clone)]
pub struct AddendumForm {
    #[serde(default)]
    text: String,
}

impl AddendumForm {
    fn validate(&self) -> Result<String, Errors> {
        let mut errors = Errors::default();
        let text = self.text.trim();
        if text.is_empty() {
            errors.add("text", "Enter the addendum");
        } else if text.chars().count() > ADDENDUM_MAX {
            errors.add("text", format!("Addendum must be {ADDENDUM_MAX} characters or fewer"));
        }
        if errors.is_empty() {
            Ok(text.to_string())
        } else {
            Err(errors)
        }
    }
}

fn not_yet(c: &MhtrCase, csrf: &str) -> Markup {
    html! {
        p { "No suitability report has been drafted for this case." }
        @if c.status() == MhtrStatus::Recommendation {
            p { "The draft is filled in from the referral, the suitability assessment, consent, the proposed treatment and the secondary care negotiation. You can change every section before it is signed off." }
            form method="post" action=(path(&c.id)) novalidate {
                (components::csrf_field(csrf))
                button.app-button type="submit" { "Draft the report" }
            }
        } @else {
            p { "The report can be drafted when the case reaches recommendation. This case is at “" (c.status().label().to_lowercase()) "”." }
        }
    }
}

fn draft_sections(c: &MhtrCase, full: &Full, user: &CurrentUser) -> Markup {
    let base = path(&c.id);
    html! {
        @for s in &full.sections {
            section.app-report-section {
                h2.app-heading-m { (s.title) }
                @if s.body.trim().is_empty() { p.app-hint { "Not written yet." } }
                @else { p.app-pre-wrap { (s.body) } }
                p { a href={ (base) "/sections/" (s.code) } { "Change" span.app-visually-hidden { " " (s.title.to_lowercase()) } } }
            }
        }
        h2.app-heading-m { "Sign-off" }
        @match cannot_sign_off(user) {
            Some(why) => p { (why) "." },
            None => p { a.app-button href={ (base) "/sign-off" } { "Sign off the report" } },
        }
    }
}

fn final_report(c: &MhtrCase, full: &Full, user: &CurrentUser, form: &AddendumForm, errors: &Errors) -> Markup {
    let base = path(&c.id);
    let unsigned: Vec<_> = full.addenda.iter().filter(|a| a.version.is_none()).collect();
    html! {
        p {
            a.app-button href={ (base) "/send" } { "Send to probation" } " "
            a href={ (base) "/print" } { "Printable version" }
        }
        (view::body(full))
        @if !unsigned.is_empty() {
            h2.app-heading-m { "Addenda waiting for sign-off" }
            @for a in &unsigned {
                section.app-report-section {
                    p.app-pre-wrap { (a.body) }
                    p.app-hint { "Added by " (a.author) " on " (crate::domain::local_time::local_day(a.created_at)) "." }
                    @match cannot_sign_off(user) {
                        Some(why) => p { (why) "." },
                        None => p { a href={ (base) "/addenda/" (a.id) "/sign-off" } { "Sign off this addendum" } },
                    }
                }
            }
        }
        h2.app-heading-m { "Add an addendum" }
        p { "The signed-off report cannot be changed. Record any change or new information as an addendum; once signed off it becomes the next version." }
        form method="post" action={ (base) "/addenda" } novalidate {
            (components::csrf_field(&user.csrf_token))
            (components::textarea("text", "Addendum", &form.text, None, errors))
            button.app-button type="submit" { "Add addendum" }
        }
    }
}

fn page(
    ctx: &Ctx,
    (c, person, full): (&MhtrCase, &Person, Option<&Full>),
    form: &AddendumForm,
    errors: &Errors,
) -> HttpResponse {
    let body = html! {
        (components::error_summary(errors))
        span.app-caption { "MHTR case" }
        p { a href=(crate::mhtr::case::path(&c.id)) { "Back to the case" } }
        h1.app-heading-l { "Suitability report: " (person.list_name()) }
        @match full {
            None => (not_yet(c, &ctx.user.csrf_token)),
            Some(full) => {
                p { (view::version_tag(full.version)) " " (view::status_line(full)) }
                @if full.report.is_final() { (final_report(c, full, &ctx.user, form, errors)) }
                @else { (draft_sections(c, full, &ctx.user)) }
            },
        }
    };
    let title = format!("Suitability report – {}", person.list_name());
    ctx.form_page(&title, errors, body)
}

pub async fn show(ctx: Ctx, id: web::Path<String>) -> Result<HttpResponse, AppError> {
    let view = (audit::VIEW, Some("MHTR suitability report"));
    let (c, person, full) = super::load(&ctx, id.into_inner().into(), view).await?;
    Ok(page(
        &ctx,
        (&c, &person, full.as_ref()),
        &AddendumForm::default(),
        &Errors::default(),
    ))
}

pub async fn draft(ctx: Ctx, id: web::Path<String>) -> Result<HttpResponse, AppError> {
    let (c, _person) = crate::mhtr::case::load(&ctx, id.into_inner().into(), (audit::CREATE, None)).await?;
    let (uid, case_id) = (ctx.user.id.clone(), c.id.clone());
    ctx.write(move |tx| {
        let case = crate::mhtr::case::find(tx.conn, &case_id)?.ok_or(AppError::NotFound)?;
        if case.status() != MhtrStatus::Recommendation {
            return Err(AppError::Refused(format!(
                "The report can only be drafted at recommendation; this case is at “{}”",
                case.status().label().to_lowercase()
            )));
        }
        if reports::for_subject(tx.conn, SUBJECT, &case.id)?.is_some() {
            return Err(AppError::Refused(
                "The report for this case has already been drafted".into(),
            ));
        }
        super::draft_from_case(tx.conn, tx.now, &uid, &case)?;
        let event = Event::allowed(audit::CREATE)
            .record(RECORD, &case.id)
            .detail("suitability report drafted");
        tx.audit(event)
    })
    .await?;
    Ok(see_other(&path(&c.id)))
}

pub async fn add_addendum(
    ctx: Ctx,
    id: web::Path<String>,
    form: web::Form<AddendumForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let (c, person, full) = super::load(&ctx, id.into_inner().into(), (audit::CREATE, None)).await?;
    let full = full.ok_or_else(super::not_drafted)?;
    if !full.report.is_final() {
        return Err(AppError::Refused(
            "The report is still a draft: change its sections instead of adding an addendum".into(),
        ));
    }
    let text = match form.validate() {
        Ok(t) => t,
        Err(errors) => return Ok(page(&ctx, (&c, &person, Some(&full)), &form, &errors)),
    };
    let (uid, case_id, report_id) = (ctx.user.id.clone(), c.id.clone(), full.report.id);
    ctx.write(move |tx| {
        reports::add_addendum(tx.conn, tx.now, &report_id, &uid, &text)?;
        let event = Event::allowed(audit::CREATE)
            .record(RECORD, &case_id)
            .detail("suitability report addendum added");
        tx.audit(event)
    })
    .await?;
    Ok(see_other(&path(&c.id)))
}
