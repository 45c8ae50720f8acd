//! Signing off (GET shows the quality checklist, POST signs) and each addendum. A failing
//! checklist item blocks sign-off until it is fixed or the signer waives it with a reason;
//! the effective-participation rule cannot be waived. Who may sign is the kind's rule (a
//! senior, or for a custody summary its author too); anyone else is told why, and a direct
//! POST is refused (403) and audited.

use actix_web::{HttpResponse, web};
use maud::{Markup, html};

use super::{RECORD, cannot_sign_off, path};
use crate::audit::{self, Event};
use crate::records::{Episode, Person};
use crate::reports::checklist::{self, Item};
use crate::reports::{self, Addendum, Full, view};
use crate::views::components::{self, Tone};
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::see_other;

const REASON_MAX: usize = 500;

fn waiver_field(item: &Item) -> String {
    format!("waive-{}", item.code)
}

fn draft_of(full: Option<Full>) -> Result<Full, AppError> {
    let full = full.ok_or_else(super::not_drafted)?;
    full.still_draft()?;
    Ok(full)
}

/// Refuses, and audits, a sign-off by someone the kind's rule does not allow.
async fn allowed_to_sign(ctx: &Ctx, ep: &Episode, full: &Full) -> Result<(), AppError> {
    let kind = full.report.kind;
    let signer = ctx
        .read(move |conn| Ok(crate::reports::signer_for(conn, kind)?))
        .await?;
    if cannot_sign_off(&ctx.user, signer, &full.report).is_none() {
        return Ok(());
    }
    let (eid, pid) = (ep.id.clone(), ep.person_id.clone());
    let detail = format!("{} sign-off refused", kind.spec().title);
    ctx.write(move |tx| {
        tx.audit(
            Event::denied(audit::UPDATE)
                .record(RECORD, &eid)
                .person(&pid)
                .detail(detail),
        )
    })
    .await?;
    Err(AppError::Forbidden)
}

fn checklist_view(items: &[Item], form: &[(String, String)], errors: &Errors) -> Markup {
    html! {
        h2.app-heading-m { "Quality checklist" }
        ul.app-checklist {
            @for item in items {
                li {
                    @if item.problem.is_some() { (components::tag("Needs attention", Tone::Bad)) } @else { (components::tag("Done", Tone::Good)) }
                    " " strong { (item.label) }
                    @if let Some(p) = &item.problem { br; (p) }
                }
            }
        }
        @for item in items.iter().filter(|i| i.problem.is_some() && i.waivable) {
            @let name = waiver_field(item);
            @let value = form.iter().find(|(k, _)| *k == name).map(|(_, v)| v.as_str()).unwrap_or("");
            (components::textarea_named(&name, &format!("To sign off without fixing “{}”, say why", item.label), value, errors))
        }
    }
}

fn page(
    ctx: &Ctx,
    (ep, person, full): (&Episode, &Person, &Full),
    form: &[(String, String)],
    errors: &Errors,
) -> HttpResponse {
    let base = path(&ep.id, full.report.kind);
    let items = checklist::check(full);
    let blocked = items.iter().any(|i| i.problem.is_some() && !i.waivable);
    let markup = html! {
        (components::error_summary(errors))
        span.app-caption { (full.report.title()) ": " (person.list_name()) }
        p { a href=(base) { "Back to the report" } }
        h1.app-heading-l { "Check and sign off the " (full.report.title().to_lowercase()) }
        p { strong { "Once signed off, the report is final and cannot be changed. Any later change is an addendum with its own sign-off." } }
        form method="post" action={ (base) "/sign-off" } novalidate {
            (components::csrf_field(&ctx.user.csrf_token))
            (checklist_view(&items, form, errors))
            @if blocked { p { "Put right the items that cannot be waived before signing off." } }
            @else { button.app-button type="submit" { "Sign off the report" } }
        }
        h2.app-heading-m { "The report" }
        (view::body(full))
    };
    ctx.form_page(&format!("Sign off – {}", full.report.title()), errors, markup)
}

pub async fn confirm(ctx: Ctx, parts: web::Path<(String, String)>) -> Result<HttpResponse, AppError> {
    let (ep, person, _, full) = super::load(&ctx, parts.into_inner(), Some("report sign-off")).await?;
    let full = draft_of(full)?;
    Ok(page(&ctx, (&ep, &person, &full), &[], &Errors::default()))
}

pub async fn sign(
    ctx: Ctx,
    parts: web::Path<(String, String)>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let (ep, person, kind, full) = super::load(&ctx, parts.into_inner(), None).await?;
    allowed_to_sign(&ctx, &ep, full.as_ref().ok_or_else(super::not_drafted)?).await?;
    let full = draft_of(full)?;
    let mut errors = Errors::default();
    let mut waivers: Vec<(&'static str, String)> = Vec::new();
    for item in checklist::check(&full).iter().filter(|i| i.problem.is_some()) {
        let name = waiver_field(item);
        let reason = form.iter().find(|(k, _)| *k == name).map_or("", |(_, v)| v.trim());
        if !item.waivable {
            errors.add(
                "participation",
                format!("{}: put this right before signing off", item.label),
            );
        } else if reason.is_empty() {
            errors.add(
                &name,
                format!("Fix “{}”, or say why you are signing off without it", item.label),
            );
        } else if reason.chars().count() > REASON_MAX {
            errors.add(&name, format!("Reason must be {REASON_MAX} characters or fewer"));
        } else {
            waivers.push((item.code, reason.to_string()));
        }
    }
    if !errors.is_empty() {
        return Ok(page(&ctx, (&ep, &person, &full), &form, &errors));
    }
    let (uid, eid, pid, report_id) = (ctx.user.id.clone(), ep.id.clone(), ep.person_id.clone(), full.report.id);
    ctx.write(move |tx| {
        let pairs: Vec<(&str, &str)> = waivers.iter().map(|(i, r)| (*i, r.as_str())).collect();
        let version = reports::sign_off(tx.conn, tx.now, &report_id, &uid, &pairs)?;
        let waived = if pairs.is_empty() {
            String::new()
        } else {
            format!(
                "; waived: {}",
                waivers.iter().map(|(i, _)| *i).collect::<Vec<_>>().join(", ")
            )
        };
        let event = Event::allowed(audit::UPDATE)
            .record(RECORD, &eid)
            .person(&pid)
            .detail(format!("{} signed off: version {version}{waived}", kind.spec().title));
        tx.audit(event)
    })
    .await?;
    Ok(see_other(&path(&ep.id, kind)))
}

fn unsigned_addendum(full: Option<Full>, aid: &str) -> Result<(Full, Addendum), AppError> {
    let full = full.ok_or_else(super::not_drafted)?;
    let a = full.unsigned_addendum(aid)?;
    Ok((full, a))
}

pub async fn confirm_addendum(ctx: Ctx, parts: web::Path<(String, String, String)>) -> Result<HttpResponse, AppError> {
    let (id, kind, aid) = parts.into_inner();
    let (ep, person, kind, full) = super::load(&ctx, (id, kind), Some("report addendum sign-off")).await?;
    let (full, a) = unsigned_addendum(full, &aid)?;
    let signer = ctx
        .read(move |conn| Ok(crate::reports::signer_for(conn, kind)?))
        .await?;
    let base = path(&ep.id, kind);
    let markup = html! {
        span.app-caption { (full.report.title()) ": " (person.list_name()) }
        p { a href=(base) { "Back to the report" } }
        h1.app-heading-l { "Sign off the addendum" }
        p { strong { "Once signed off, this addendum becomes version " (full.version.unwrap_or(1) + 1) " of the report and cannot be changed." } }
        p.app-pre-wrap { (a.body) }
        @match cannot_sign_off(&ctx.user, signer, &full.report) {
            Some(why) => p { strong { "You cannot sign this off. " } (why) "." },
            None => form method="post" action={ (base) "/addenda/" (a.id) "/sign-off" } novalidate {
                (components::csrf_field(&ctx.user.csrf_token))
                button.app-button type="submit" { "Sign off the addendum" }
            },
        }
    };
    Ok(ctx.form_page(
        &format!("Sign off the addendum – {}", full.report.title()),
        &Errors::default(),
        markup,
    ))
}

pub async fn sign_addendum(ctx: Ctx, parts: web::Path<(String, String, String)>) -> Result<HttpResponse, AppError> {
    let (id, kind, aid) = parts.into_inner();
    let (ep, _person, kind, full) = super::load(&ctx, (id, kind), None).await?;
    let (full, a) = unsigned_addendum(full, &aid)?;
    allowed_to_sign(&ctx, &ep, &full).await?;
    let (uid, eid, pid, report_id) = (ctx.user.id.clone(), ep.id.clone(), ep.person_id.clone(), full.report.id);
    ctx.write(move |tx| {
        let version = reports::sign_off_addendum(tx.conn, tx.now, &report_id, &a.id, &uid)?;
        let event = Event::allowed(audit::UPDATE)
            .record(RECORD, &eid)
            .person(&pid)
            .detail(format!("{} addendum signed off: version {version}", kind.spec().title));
        tx.audit(event)
    })
    .await?;
    Ok(see_other(&path(&ep.id, kind)))
}
