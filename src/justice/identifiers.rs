//! GET/POST /episodes/{id}/reports/{kind}/identifiers: the identifiers a draft carries. Its
//! kind's allow-list is shown as fixed; anything else (the NHS number on a report to a
//! criminal justice agency, say) goes in only with a reason, and can be taken out again.

use actix_web::{HttpResponse, web};
use maud::html;
use serde::Deserialize;

use super::{RECORD, path};
use crate::audit::{self, Event};
use crate::records::{Episode, Person};
use crate::reports::{self, Full, Identifier};
use crate::views::components;
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::see_other;

const REASON_MAX: usize = 500;

#[derive(Deserialize, Default, Debug, Clone)]
pub struct IncludeForm {
    #[serde(default)]
    identifier: String,
    #[serde(default)]
    reason: String,
    /// Set to take an included identifier out again.
    #[serde(default)]
    remove: String,
}

fn draft(full: Option<Full>) -> Result<Full, AppError> {
    let full = full.ok_or_else(super::not_drafted)?;
    if full.report.is_final() {
        return Err(reports::frozen());
    }
    Ok(full)
}

fn page(
    ctx: &Ctx,
    (ep, person, full): (&Episode, &Person, &Full),
    form: &IncludeForm,
    errors: &Errors,
) -> HttpResponse {
    let kind = full.report.kind();
    let base = path(&ep.id, full.report.kind);
    let extra: Vec<(&str, &str)> = Identifier::ALL
        .iter()
        .filter(|i| !kind.allows(**i) && !full.includes.iter().any(|inc| inc.identifier == **i))
        .map(|i| (i.code(), i.label()))
        .collect();
    let markup = html! {
        (components::error_summary(errors))
        span.app-caption { (full.report.title()) ": " (person.list_name()) }
        p { a href=(base) { "Back to the report" } }
        h1.app-heading-l { "Identifiers on this report" }
        p { "Share the minimum necessary. A " (kind.title.to_lowercase()) " carries these, where recorded:" }
        ul { @for i in kind.identifiers { li { (i.label()) } } }
        @if !full.includes.is_empty() {
            h2.app-heading-m { "Included with a reason" }
            @for inc in &full.includes {
                form method="post" action={ (base) "/identifiers" } novalidate {
                    (components::csrf_field(&ctx.user.csrf_token))
                    input type="hidden" name="identifier" value=(inc.identifier.code());
                    input type="hidden" name="remove" value="yes";
                    p { strong { (inc.identifier.label()) } ": " (inc.reason) " (" (inc.by) ") "
                        button.app-button.app-button--secondary type="submit" { "Take out" span.app-visually-hidden { " " (inc.identifier.label()) } } }
                }
            }
        }
        @if !extra.is_empty() {
            h2.app-heading-m { "Include another identifier" }
            form method="post" action={ (base) "/identifiers" } novalidate {
                (components::csrf_field(&ctx.user.csrf_token))
                (components::radios("identifier", "Which identifier?", &extra, &form.identifier, errors))
                (components::textarea("reason", "Why does the recipient need it?", &form.reason, None, errors))
                button.app-button type="submit" { "Include it" }
            }
        }
    };
    ctx.form_page(&format!("Identifiers – {}", full.report.title()), errors, markup)
}

pub async fn show(ctx: Ctx, parts: web::Path<(String, String)>) -> Result<HttpResponse, AppError> {
    let (ep, person, _, full) = super::load(&ctx, parts.into_inner(), Some("report identifiers")).await?;
    let full = draft(full)?;
    Ok(page(
        &ctx,
        (&ep, &person, &full),
        &IncludeForm::default(),
        &Errors::default(),
    ))
}

pub async fn submit(
    ctx: Ctx,
    parts: web::Path<(String, String)>,
    form: web::Form<IncludeForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let (ep, person, kind, full) = super::load(&ctx, parts.into_inner(), None).await?;
    let full = draft(full)?;
    let identifier = Identifier::try_from(form.identifier.clone())
        .ok()
        .filter(|i| !full.report.kind().allows(*i));
    let remove = !form.remove.is_empty();
    let reason = form.reason.trim().to_string();
    let mut errors = Errors::default();
    if identifier.is_none() {
        errors.add("identifier", "Select the identifier to include");
    }
    if !remove && reason.is_empty() {
        errors.add("reason", "Enter why the recipient needs it");
    } else if reason.chars().count() > REASON_MAX {
        errors.add("reason", format!("Reason must be {REASON_MAX} characters or fewer"));
    }
    let Some(identifier) = identifier.filter(|_| errors.is_empty()) else {
        return Ok(page(&ctx, (&ep, &person, &full), &form, &errors));
    };
    let (uid, eid, pid, report_id) = (ctx.user.id.clone(), ep.id.clone(), ep.person_id.clone(), full.report.id);
    ctx.write(move |tx| {
        let detail = if remove {
            reports::exclude(tx.conn, &report_id, identifier)?;
            format!("{} on the {}: taken out", identifier.label(), kind.spec().title)
        } else {
            reports::include(tx.conn, tx.now, &report_id, (identifier, &reason), &uid)?;
            format!(
                "{} on the {}: included because {reason}",
                identifier.label(),
                kind.spec().title
            )
        };
        tx.audit(
            Event::allowed(audit::UPDATE)
                .record(RECORD, &eid)
                .person(&pid)
                .detail(detail),
        )
    })
    .await?;
    Ok(see_other(&format!("{}/identifiers", path(&ep.id, kind))))
}
