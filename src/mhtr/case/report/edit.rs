//! GET/POST /mhtr/cases/{id}/report/sections/{code}: change one section of a draft report.
//! A final report is frozen: both are refused with 409.

use actix_web::{HttpResponse, web};
use maud::html;
use serde::Deserialize;

use super::{RECORD, path};
use crate::audit::{self, Event};
use crate::mhtr::case::MhtrCase;
use crate::records::Person;
use crate::reports::{self, Full, Section};
use crate::views::components;
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::see_other;

const SECTION_MAX: usize = 20_000;

#[derive(Deserialize, Default, Debug, Clone)]
pub struct SectionForm {
    #[serde(default)]
    body: String,
}

/// The draft's section `code`; refuses a final report or an unknown section.
fn editable<'a>(full: Option<&'a Full>, code: &str) -> Result<&'a Section, AppError> {
    let full = full.ok_or_else(super::not_drafted)?;
    if full.report.is_final() {
        return Err(reports::frozen());
    }
    full.sections.iter().find(|s| s.code == code).ok_or(AppError::NotFound)
}

fn page(
    ctx: &Ctx,
    (c, person, full, section): (&MhtrCase, &Person, &Full, &Section),
    body: &str,
    errors: &Errors,
) -> HttpResponse {
    let hint = full.report.kind().section(&section.code).map(|s| s.hint);
    let markup = html! {
        (components::error_summary(errors))
        span.app-caption { "Suitability report: " (person.list_name()) }
        p { a href=(path(&c.id)) { "Back to the report" } }
        form method="post" action={ (path(&c.id)) "/sections/" (section.code) } novalidate {
            (components::csrf_field(&ctx.user.csrf_token))
            h1.app-heading-l { (section.title) }
            (components::textarea("body", "Section text", body, hint, errors))
            button.app-button type="submit" { "Save section" }
        }
    };
    let title = format!("{} – suitability report", section.title);
    ctx.form_page(&title, errors, markup)
}

pub async fn show(ctx: Ctx, path_parts: web::Path<(String, String)>) -> Result<HttpResponse, AppError> {
    let (id, code) = path_parts.into_inner();
    let view = (audit::VIEW, Some("MHTR suitability report section"));
    let (c, person, full) = super::load(&ctx, id.into(), view).await?;
    let section = editable(full.as_ref(), &code)?;
    let full = full.as_ref().ok_or_else(super::not_drafted)?;
    Ok(page(
        &ctx,
        (&c, &person, full, section),
        &section.body,
        &Errors::default(),
    ))
}

pub async fn submit(
    ctx: Ctx,
    path_parts: web::Path<(String, String)>,
    form: web::Form<SectionForm>,
) -> Result<HttpResponse, AppError> {
    let (id, code) = path_parts.into_inner();
    let (c, person, full) = super::load(&ctx, id.into(), (audit::UPDATE, None)).await?;
    let section = editable(full.as_ref(), &code)?;
    let full = full.as_ref().ok_or_else(super::not_drafted)?;
    let body = form.into_inner().body;
    let mut errors = Errors::default();
    if body.trim().chars().count() > SECTION_MAX {
        errors.add("body", format!("Section must be {SECTION_MAX} characters or fewer"));
    }
    if !errors.is_empty() {
        return Ok(page(&ctx, (&c, &person, full, section), &body, &errors));
    }
    let (case_id, report_id) = (c.id.clone(), full.report.id.clone());
    ctx.write(move |tx| {
        reports::update_section(
            tx.conn,
            tx.now,
            &report_id,
            &code,
            (body.trim(), &reports::Answers::default()),
        )?;
        let event = Event::allowed(audit::UPDATE)
            .record(RECORD, &case_id)
            .detail(format!("suitability report section {code}"));
        tx.audit(event)
    })
    .await?;
    Ok(see_other(&path(&c.id)))
}
