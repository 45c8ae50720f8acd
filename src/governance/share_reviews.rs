//! Shares made on a basis other than consent (required by law, the public interest,
//! safeguarding) wait on the IG lead's review queue beside break-glass access: each is marked
//! appropriate or for follow-up.

use actix_web::{HttpResponse, web};
use maud::{Markup, html};

use super::reviews::ReviewForm;
use crate::audit::{self, Event};
use crate::clock::Millis;
use crate::domain::local_time;
use crate::sharing::store::{self, Share};
use crate::views::components::{self, Tone};
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::{form_status, see_other};

/// The audit trail's record type for a share's review.
const RECORD: &str = "share-review";

fn status(s: &Share, now: Millis) -> Markup {
    match s.review_outcome.as_deref() {
        Some("appropriate") => components::tag("Appropriate", Tone::Good),
        Some(_) => components::tag("Needs follow-up", Tone::Bad),
        None if s.review_due.is_some_and(|d| d < now) => components::tag("Review overdue", Tone::Bad),
        None => components::tag("To review", Tone::Warning),
    }
}

/// The queue's part for shares made without consent.
pub fn queue_section(shares: &[Share], now: Millis) -> Markup {
    let rows: Vec<Vec<Markup>> = shares
        .iter()
        .map(|s| {
            vec![
                html! { a href={ "/governance/share-reviews/" (s.id) } { (local_time::date_time(s.shared_at)) } },
                html! { (s.document) " to " (s.recipient) },
                html! { (s.basis_label()) },
                html! { (s.shared_by) },
                status(s, now),
            ]
        })
        .collect();
    html! {
        h2.app-heading-m { "Shared without consent" }
        @if shares.is_empty() { p { "No share made without consent is waiting for review." } }
        @else { (components::table(&format!("{} shares to review", shares.len()), &["Shared", "What and to whom", "Basis", "By", "Status"], &rows)) }
    }
}

async fn load(ctx: &Ctx, id: String) -> Result<Share, AppError> {
    ctx.read(move |conn| store::find(conn, &id)?.ok_or(AppError::NotFound))
        .await
}

fn page(ctx: &Ctx, s: &Share, form: &ReviewForm, errors: &Errors) -> HttpResponse {
    let body = html! {
        (components::error_summary(errors))
        span.app-caption { "Share review" }
        h1.app-heading-l { (s.document) " shared without consent" }
        (components::summary_list(&[
            ("Shared", html! { (local_time::date_time(s.shared_at)) " by " (s.shared_by) }),
            ("To", html! { (s.recipient) " (" (s.scope_label()) ")" }),
            ("Basis", html! { (s.basis_label()) }),
            ("Justification or reference", html! { (s.basis_detail.as_deref().unwrap_or("None recorded")) }),
            ("Senior clinician consulted", html! { (s.consulted.as_deref().unwrap_or("Not applicable")) }),
            ("Caldicott Guardian told", html! { (if s.caldicott_told { "Yes" } else { "No" }) }),
            ("Document", html! { @if let Some(v) = s.document_version { "Version " (v) ", " } "content hash " span.app-code { (s.content_hash) } }),
            ("Person", html! { a href={ "/governance/people/" (s.person_id) "/access" } { "Who accessed this record" } }),
        ]))
        @if s.review_outcome.is_some() {
            h2.app-heading-m { "Review" }
            p { (status(s, ctx.now())) }
            @if let Some(note) = &s.review_note { p { (note) } }
        } @else {
            (form.form(ctx, &format!("/governance/share-reviews/{}", s.id), "Was this share appropriate?", errors))
        }
        p { a href="/governance/access-reviews" { "Back to reviews" } }
    };
    let page = ctx.page("Share review").with_errors(!errors.is_empty());
    ctx.render(form_status(errors), &page, body)
}

pub async fn show(ctx: Ctx, id: web::Path<String>) -> Result<HttpResponse, AppError> {
    let s = load(&ctx, id.into_inner()).await?;
    ctx.audit(Event::allowed(audit::VIEW).record(RECORD, &s.id).person(&s.person_id))
        .await?;
    Ok(page(&ctx, &s, &ReviewForm::default(), &Errors::default()))
}

pub async fn save(ctx: Ctx, id: web::Path<String>, form: web::Form<ReviewForm>) -> Result<HttpResponse, AppError> {
    let s = load(&ctx, id.into_inner()).await?;
    let (outcome, note) = match form.validate() {
        Ok(v) => v,
        Err(errors) => return Ok(page(&ctx, &s, &form, &errors)),
    };
    let reviewer = ctx.user.id.clone();
    let recorded = ctx
        .write(move |tx| {
            if !store::review(tx.conn, tx.now, &s.id, &reviewer, (outcome.code(), note.as_deref()))? {
                return Ok(false);
            }
            tx.audit(
                Event::allowed(audit::REVIEW)
                    .record(RECORD, &s.id)
                    .person(&s.person_id)
                    .detail(outcome.label()),
            )?;
            Ok(true)
        })
        .await?;
    if !recorded {
        return Err(AppError::Refused("This share has already been reviewed".into()));
    }
    Ok(see_other("/governance/access-reviews"))
}
