//! Signing off the report (GET confirms, POST signs) and each addendum. Only a senior
//! practitioner or the consultant clinical psychologist of the case's team may sign off;
//! anyone else is told why on the confirmation page, and a direct POST is refused (403) and
//! audited.

use actix_web::{HttpResponse, web};
use maud::{Markup, html};

use super::{RECORD, cannot_sign_off, path};
use crate::audit::{self, Event};
use crate::auth::CurrentUser;
use crate::db::write_tx;
use crate::people::Person;
use crate::reports::{self, Addendum, Full, view};
use crate::state::AppState;
use crate::views::components;
use crate::views::{Page, layout};
use crate::web::error::AppError;
use crate::web::{html as respond, see_other};

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
    if full.report.is_final() {
        return Err(AppError::Refused("This report has already been signed off".into()));
    }
    Ok(full)
}

fn unsigned_addendum(full: Option<Full>, aid: &str) -> Result<(Full, Addendum), AppError> {
    let full = full.ok_or_else(super::not_drafted)?;
    let a = full
        .addenda
        .iter()
        .find(|a| a.id == aid)
        .cloned()
        .ok_or(AppError::NotFound)?;
    if a.version.is_some() {
        return Err(AppError::Refused("This addendum has already been signed off".into()));
    }
    Ok((full, a))
}

fn page(state: &AppState, user: &CurrentUser, person: &Person, heading: &str, body: Markup) -> HttpResponse {
    let markup = html! {
        span.app-caption { "Suitability report: " (person.list_name()) }
        h1.app-heading-l { (heading) }
        (body)
    };
    let title = format!("{heading} – {}", person.list_name());
    let page = Page::signed_in(&title, user, state.demo);
    respond(actix_web::http::StatusCode::OK, layout::render(&page, markup))
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

pub async fn confirm(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let view = (audit::VIEW, Some("MHTR suitability report sign-off"));
    let (c, person, full) = super::load(&state, &user, id.into_inner(), view).await?;
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
        (confirm_form(&user, &format!("{}/sign-off", path(&c.id)), "Sign off the report", blocked))
    };
    Ok(page(&state, &user, &person, "Sign off the suitability report", body))
}

pub async fn sign(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (c, _person, full) = super::load(&state, &user, id.into_inner(), (audit::UPDATE, None)).await?;
    super::require_signer(&state, &user, &c.id).await?;
    let full = draft_of(full)?;
    let gaps = unwritten(&full);
    if !gaps.is_empty() {
        return Err(AppError::Refused(format!(
            "Write every section before signing off the report. Still empty: {}",
            gaps.join(", ")
        )));
    }
    let (now, actor, uid, case_id, report_id) =
        (state.now(), user.actor(), user.id.clone(), c.id.clone(), full.report.id);
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let version = reports::sign_off(conn, now, &report_id, &uid)?;
                let event = Event::allowed(audit::UPDATE)
                    .record(RECORD, &case_id)
                    .detail(format!("suitability report signed off: version {version}"));
                audit::record(conn, now, &actor, event)?;
                Ok::<_, AppError>(())
            })
        })
        .await?;
    Ok(see_other(&path(&c.id)))
}

pub async fn confirm_addendum(
    state: web::Data<AppState>,
    user: CurrentUser,
    path_parts: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (id, aid) = path_parts.into_inner();
    let view = (audit::VIEW, Some("MHTR suitability report addendum sign-off"));
    let (c, person, full) = super::load(&state, &user, id, view).await?;
    let (full, a) = unsigned_addendum(full, &aid)?;
    let next = full.version.unwrap_or(1) + 1;
    let action = format!("{}/addenda/{}/sign-off", path(&c.id), a.id);
    let body = html! {
        p { a href=(path(&c.id)) { "Back to the report" } }
        p { strong { "Once signed off, this addendum becomes version " (next) " of the report and cannot be changed." } }
        p.app-pre-wrap { (a.body) }
        p.app-hint { "Added by " (a.author) " on " (crate::domain::local_time::local_day(a.created_at)) "." }
        (confirm_form(&user, &action, "Sign off the addendum", None))
    };
    Ok(page(&state, &user, &person, "Sign off the addendum", body))
}

pub async fn sign_addendum(
    state: web::Data<AppState>,
    user: CurrentUser,
    path_parts: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (id, aid) = path_parts.into_inner();
    let (c, _person, full) = super::load(&state, &user, id, (audit::UPDATE, None)).await?;
    super::require_signer(&state, &user, &c.id).await?;
    let (full, a) = unsigned_addendum(full, &aid)?;
    let (now, actor, uid, case_id, report_id) =
        (state.now(), user.actor(), user.id.clone(), c.id.clone(), full.report.id);
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let version = reports::sign_off_addendum(conn, now, &report_id, &a.id, &uid)?;
                let event = Event::allowed(audit::UPDATE)
                    .record(RECORD, &case_id)
                    .detail(format!("suitability report addendum signed off: version {version}"));
                audit::record(conn, now, &actor, event)?;
                Ok::<_, AppError>(())
            })
        })
        .await?;
    Ok(see_other(&path(&c.id)))
}
