//! Signing off the report (GET confirms, POST signs) and each addendum. Only a senior
//! practitioner or the consultant clinical psychologist of the case's team may sign off;
//! anyone else is told why on the confirmation page, and a direct POST is refused (403) and
//! audited.

use actix_web::{HttpResponse, web};
use maud::{Markup, html};

use super::{RECORD, cannot_sign_off, path};
use crate::audit::{self, Event};
use crate::auth::CurrentUser;
use crate::records::Person;
use crate::reports::{self, Addendum, Full, view};
use crate::views::components;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::see_other;

/// The sections still empty: a report with gaps does not go to court.
fn unwritten(full: &Full) -> Vec<&str> {
    full.sections
        .iter()
        .filter(|s| s.body.trim().is_empty())
        .map(|s| s.title.as_str())
        .collect()
}

fn draft_of(full: Option<Full>) -> Result<Full, AppError> {
    let full = full.ok_or_else(super::not_drafted)?;
    full.still_draft()?;
    Ok(full)
}

fn unsigned_addendum(full: Option<Full>, aid: &str) -> Result<(Full, Addendum), AppError> {
    let full = full.ok_or_else(super::not_drafted)?;
    let a = full.unsigned_addendum(aid)?;
    Ok((full, a))
}

fn page(ctx: &Ctx, person: &Person, heading: &str, body: Markup) -> HttpResponse {
    let markup = html! {
        span.app-caption { "Suitability report: " (person.list_name()) }
        h1.app-heading-l { (heading) }
        (body)
    };
    let title = format!("{heading} – {}", person.list_name());
    ctx.render(actix_web::http::StatusCode::OK, &ctx.page(&title), markup)
}

/// The sign-off button, or why there is none.
fn confirm_form(user: &CurrentUser, action: &str, button: &str, blocked: Option<Markup>) -> Markup {
    html! {
        @if let Some(why) = cannot_sign_off(user) {
            p { strong { "You cannot sign this off. " } (why) "." }
        } @else if let Some(b) = blocked {
            (b)
        } @else {
            form method="post" action=(action) novalidate {
                (components::csrf_field(&user.csrf_token))
                button.app-button type="submit" { (button) }
            }
        }
    }
}

pub async fn confirm(ctx: Ctx, id: web::Path<String>) -> Result<HttpResponse, AppError> {
    let view = (audit::VIEW, Some("MHTR suitability report sign-off"));
    let (c, person, full) = super::load(&ctx, id.into_inner().into(), view).await?;
    let full = draft_of(full)?;
    let gaps = unwritten(&full);
    let blocked = (!gaps.is_empty()).then(|| {
        html! {
            p { "Write every section before the report is signed off. Still empty:" }
            ul { @for g in &gaps { li { (g) } } }
        }
    });
    let body = html! {
        p { a href=(path(&c.id)) { "Back to the report" } }
        p { strong { "Once signed off, the report is final and cannot be changed. Any later change is an addendum with its own sign-off." } }
        (view::body(&full))
        (confirm_form(&ctx.user, &format!("{}/sign-off", path(&c.id)), "Sign off the report", blocked))
    };
    Ok(page(&ctx, &person, "Sign off the suitability report", body))
}

pub async fn sign(ctx: Ctx, id: web::Path<String>) -> Result<HttpResponse, AppError> {
    let (c, _person, full) = super::load(&ctx, id.into_inner().into(), (audit::UPDATE, None)).await?;
    let full = draft_of(full)?;
    let gaps = unwritten(&full);
    if !gaps.is_empty() {
        return Err(AppError::Refused(format!(
            "Write every section before signing off the report. Still empty: {}",
            gaps.join(", ")
        )));
    }
    let (uid, case_id, report_id) = (ctx.user.id.clone(), c.id.clone(), full.report.id);
    ctx.write(move |tx| {
        let version = reports::sign_off(tx.conn, tx.now, &report_id, &uid, &[])?;
        let event = Event::allowed(audit::UPDATE)
            .record(RECORD, &case_id)
            .detail(format!("suitability report signed off: version {version}"));
        tx.audit(event)
    })
    .await?;
    Ok(see_other(&path(&c.id)))
}

pub async fn confirm_addendum(ctx: Ctx, path_parts: web::Path<(String, String)>) -> Result<HttpResponse, AppError> {
    let (id, aid) = path_parts.into_inner();
    let view = (audit::VIEW, Some("MHTR suitability report addendum sign-off"));
    let (c, person, full) = super::load(&ctx, id.into(), view).await?;
    let (full, a) = unsigned_addendum(full, &aid)?;
    let next = full.version.unwrap_or(1) + 1;
    let action = format!("{}/addenda/{}/sign-off", path(&c.id), a.id);
    let body = html! {
        p { a href=(path(&c.id)) { "Back to the report" } }
        p { strong { "Once signed off, this addendum becomes version " (next) " of the report and cannot be changed." } }
        p.app-pre-wrap { (a.body) }
        p.app-hint { "Added by " (a.author) " on " (crate::domain::local_time::local_day(a.created_at)) "." }
        (confirm_form(&ctx.user, &action, "Sign off the addendum", None))
    };
    Ok(page(&ctx, &person, "Sign off the addendum", body))
}

pub async fn sign_addendum(ctx: Ctx, path_parts: web::Path<(String, String)>) -> Result<HttpResponse, AppError> {
    let (id, aid) = path_parts.into_inner();
    let (c, _person, full) = super::load(&ctx, id.into(), (audit::UPDATE, None)).await?;
    let (full, a) = unsigned_addendum(full, &aid)?;
    let (uid, case_id, report_id) = (ctx.user.id.clone(), c.id.clone(), full.report.id);
    ctx.write(move |tx| {
        let version = reports::sign_off_addendum(tx.conn, tx.now, &report_id, &a.id, &uid)?;
        let event = Event::allowed(audit::UPDATE)
            .record(RECORD, &case_id)
            .detail(format!("suitability report addendum signed off: version {version}"));
        tx.audit(event)
    })
    .await?;
    Ok(see_other(&path(&c.id)))
}
