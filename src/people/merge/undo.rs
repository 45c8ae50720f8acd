//! Undoing a merge: from the kept record's list of merges by a senior practitioner within
//! the period, or from the administrators' list of every merge at any time.

use actix_web::{HttpResponse, web};
use maud::{Markup, html};
use serde::Deserialize;

use super::UNDO_DAYS;
use super::pages::{check_reason, reach};
use super::store::{self, Merge};
use crate::access::Intent;
use crate::audit::{self, Event};
use crate::clock::Millis;
use crate::domain::ids::PersonId;
use crate::domain::local_time;
use crate::views::components;
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::see_other;

const DAY: Millis = 24 * 3_600_000;

#[derive(Deserialize, Default, Debug)]
pub struct UndoForm {
    #[serde(default)]
    reason: String,
}

/// The kept record's merges, with an undo link for a senior practitioner while it is open.
pub fn section(person_id: &str, merges: &[Merge], now: Millis, can_undo: bool) -> Markup {
    html! {
        @if !merges.is_empty() {
            h2.app-heading-m #merges { "Merged records" }
            @for m in merges {
                div.app-card {
                    p { "A duplicate record was merged into this one on " (local_time::date_time(m.merged_at)) " by " (m.merged_by) "." }
                    p { "Why: " (m.reason) }
                    @if can_undo && now - m.merged_at < UNDO_DAYS * DAY {
                        a href={ "/people/" (person_id) "/merges/" (m.id) "/undo" } { "Undo this merge" }
                    }
                }
            }
        }
    }
}

fn undo_page(ctx: &Ctx, action: &str, m: &Merge, form: &UndoForm, errors: &Errors) -> HttpResponse {
    let body = html! {
        (components::error_summary(errors))
        h1.app-heading-l { "Undo a merge" }
        (components::summary_list(&[
            ("Merged", html! { (local_time::date_time(m.merged_at)) " by " (m.merged_by) }),
            ("Why", html! { (m.reason) }),
        ]))
        p { "The two records are separated again: everything that moved goes back to the duplicate, with the identifiers it gave. Anything recorded on the kept record since stays there." }
        form method="post" action=(action) novalidate {
            (components::csrf_field(&ctx.user.csrf_token))
            (components::textarea("reason", "Why are you undoing it?", &form.reason, None, errors))
            button.app-button.app-button--warning type="submit" { "Undo the merge" }
        }
    };
    ctx.form_page("Undo a merge", errors, body)
}

#[derive(Deserialize)]
pub struct UndoPath {
    id: PersonId,
    merge_id: String,
}

/// The merge, if it is into this person, not undone, and still within the senior
/// practitioner's period.
async fn open_merge(ctx: &Ctx, path: &UndoPath, intent: Intent) -> Result<Merge, AppError> {
    reach(ctx, path.id.clone(), intent).await?;
    let (mid, kept) = (path.merge_id.clone(), path.id.to_string());
    let m = ctx
        .read(move |conn| Ok(store::find(conn, &mid)?))
        .await?
        .filter(|m| m.kept_id == kept)
        .ok_or(AppError::NotFound)?;
    if m.undone_at.is_some() {
        return Err(AppError::Refused("This merge has already been undone".into()));
    }
    if ctx.now() - m.merged_at >= UNDO_DAYS * DAY {
        return Err(AppError::Refused(format!(
            "A merge can be undone here for {UNDO_DAYS} days; ask an administrator"
        )));
    }
    Ok(m)
}

pub async fn undo_form(ctx: Ctx, path: web::Path<UndoPath>) -> Result<HttpResponse, AppError> {
    let path = path.into_inner();
    let m = open_merge(&ctx, &path, Intent::Read("undo a merge form")).await?;
    let action = format!("/people/{}/merges/{}/undo", path.id, m.id);
    Ok(undo_page(&ctx, &action, &m, &UndoForm::default(), &Errors::default()))
}

pub async fn undo(ctx: Ctx, path: web::Path<UndoPath>, form: web::Form<UndoForm>) -> Result<HttpResponse, AppError> {
    let path = path.into_inner();
    let m = open_merge(&ctx, &path, Intent::Write(audit::UPDATE)).await?;
    let action = format!("/people/{}/merges/{}/undo", path.id, m.id);
    undo_and_return(&ctx, &action, m, form.into_inner(), format!("/people/{}", path.id)).await
}

/// Undoes the merge, audited against both people, and sends the user to `done`.
async fn undo_and_return(
    ctx: &Ctx,
    action: &str,
    m: Merge,
    form: UndoForm,
    done: String,
) -> Result<HttpResponse, AppError> {
    let mut errors = Errors::default();
    check_reason(&mut errors, &form.reason, "Enter why you are undoing the merge");
    if !errors.is_empty() {
        return Ok(undo_page(ctx, action, &m, &form, &errors));
    }
    let (uid, reason) = (ctx.user.id.clone(), form.reason.trim().to_string());
    ctx.write(move |tx| {
        if !store::undo(tx.conn, tx.now, &m, &uid, &reason)? {
            return Err(AppError::Refused(
                "This merge has already been undone, or the kept record has since been merged into another".into(),
            ));
        }
        for person in [&m.kept_id, &m.merged_id] {
            tx.audit(
                Event::allowed(audit::UPDATE)
                    .record("person", person)
                    .person(person)
                    .detail(format!("merge {} undone: {reason}", m.id)),
            )?;
        }
        Ok(())
    })
    .await?;
    Ok(see_other(&done))
}

pub async fn admin_list(ctx: Ctx) -> Result<HttpResponse, AppError> {
    let merges = ctx.read(|conn| Ok(store::latest(conn, 100)?)).await?;
    let rows: Vec<Vec<Markup>> = merges
        .iter()
        .map(|m| {
            vec![
                html! { (local_time::date_time(m.merged_at)) },
                html! { (m.merged_by) },
                html! { "Kept " code { (m.kept_id) } br; "Merged " code { (m.merged_id) } },
                html! { (m.reason) },
                html! {
                    @if m.undone_at.is_some() { "Undone" }
                    @else { a href={ "/admin/merges/" (m.id) } { "Undo" span.app-visually-hidden { " the merge of " (local_time::date_time(m.merged_at)) } } }
                },
            ]
        })
        .collect();
    let body = html! {
        h1.app-heading-l { "Merged records" }
        p { "The latest 100 merges of duplicate person records. Senior practitioners can undo a merge for " (UNDO_DAYS) " days; you can undo any merge." }
        @if merges.is_empty() { p { "No records have been merged." } }
        @else { (components::table("Merges, newest first", &["When", "By", "Records", "Why", ""], &rows)) }
    };
    Ok(ctx.render(actix_web::http::StatusCode::OK, &ctx.page("Merged records"), body))
}

async fn admin_merge(ctx: &Ctx, id: String) -> Result<Merge, AppError> {
    let m = ctx
        .read(move |conn| Ok(store::find(conn, &id)?))
        .await?
        .ok_or(AppError::NotFound)?;
    if m.undone_at.is_some() {
        return Err(AppError::Refused("This merge has already been undone".into()));
    }
    Ok(m)
}

pub async fn admin_undo_form(ctx: Ctx, id: web::Path<String>) -> Result<HttpResponse, AppError> {
    let m = admin_merge(&ctx, id.into_inner()).await?;
    let action = format!("/admin/merges/{}", m.id);
    Ok(undo_page(&ctx, &action, &m, &UndoForm::default(), &Errors::default()))
}

pub async fn admin_undo(ctx: Ctx, id: web::Path<String>, form: web::Form<UndoForm>) -> Result<HttpResponse, AppError> {
    let m = admin_merge(&ctx, id.into_inner()).await?;
    let action = format!("/admin/merges/{}", m.id);
    undo_and_return(&ctx, &action, m, form.into_inner(), "/admin/merges".into()).await
}
