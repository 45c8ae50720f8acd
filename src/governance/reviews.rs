//! The information governance lead's review queue: every break-glass and every relationship
//! claimed by recording a new contact, the most overdue first, each marked appropriate or
//! for follow-up with what the user opened during it.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::{Markup, html};
use serde::Deserialize;

use crate::access::overrides::{self, Listed, Override, OverrideKind, ReviewOutcome};
use crate::audit::{self, Event};
use crate::clock::Millis;
use crate::db::DbConnection;
use crate::db::schema::audit_events;
use crate::views::components::{self, Tone};
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::{form_status, see_other};

/// The audit trail's record type for a review.
pub const RECORD: &str = "access-review";
const QUEUE_SIZE: i64 = 200;
const NOTE_MAX: usize = 2000;

pub(super) fn kind_label(kind: OverrideKind) -> &'static str {
    match kind {
        OverrideKind::BreakGlass => "Break-glass",
        OverrideKind::SelfClaim => "New contact, not known to the team",
    }
}

fn due_tag(o: &Override, now: Millis) -> Markup {
    match o.review_outcome {
        Some(ReviewOutcome::Appropriate) => components::tag("Appropriate", Tone::Good),
        Some(ReviewOutcome::FollowUp) => components::tag("Needs follow-up", Tone::Bad),
        None if o.review_due < now => components::tag("Review overdue", Tone::Bad),
        None => components::tag("To review", Tone::Warning),
    }
}

fn rows(listed: &[Listed], now: Millis) -> Vec<Vec<Markup>> {
    listed
        .iter()
        .map(|(o, who)| {
            vec![
                html! { a href={ "/governance/access-reviews/" (o.id) } { (crate::domain::local_time::date_time(o.started_at)) } },
                html! { (kind_label(o.kind)) },
                html! { (who) },
                html! { (o.reason_label()) },
                html! { (crate::domain::local_time::date_time(o.review_due)) },
                due_tag(o, now),
            ]
        })
        .collect()
}

async fn guard(ctx: &Ctx) -> Result<(), AppError> {
    ctx.require(ctx.user.role.reviews_access(), RECORD).await
}

pub async fn queue(ctx: Ctx) -> Result<HttpResponse, AppError> {
    guard(&ctx).await?;
    let (waiting, done, shares) = ctx
        .read(|conn| {
            Ok((
                overrides::awaiting_review(conn, QUEUE_SIZE)?,
                overrides::reviewed(conn, 50)?,
                crate::sharing::store::awaiting_review(conn, QUEUE_SIZE)?,
            ))
        })
        .await?;
    ctx.audit(Event::allowed(audit::VIEW).record(RECORD, "-").detail("review queue"))
        .await?;
    let now = ctx.now();
    let headings = ["Started", "Kind", "Who", "Reason", "Review by", "Status"];
    let body = html! {
        h1.app-heading-l { "Access reviews" }
        p { "Every break-glass, and every contact recorded for a person the team had no relationship with, waits here for review: the most overdue first." }
        h2.app-heading-m { "To review" }
        @if waiting.is_empty() { p { "Nothing is waiting for review." } }
        @else { (components::table(&format!("{} to review", waiting.len()), &headings, &rows(&waiting, now))) }
        (super::share_reviews::queue_section(&shares, now))
        h2.app-heading-m { "Recently reviewed" }
        @if done.is_empty() { p { "Nothing has been reviewed yet." } }
        @else { (components::table("Recently reviewed, newest first", &headings, &rows(&done, now))) }
    };
    Ok(ctx.render(StatusCode::OK, &ctx.page("Access reviews"), body))
}

/// The pages the user opened on the person's records while the override lasted.
fn opened_during(conn: &mut DbConnection, o: &Override) -> Result<Vec<audit::Row>, AppError> {
    use diesel::prelude::*;
    // A self-claim lasts as long as the contact's first day.
    let until = if o.kind == OverrideKind::BreakGlass {
        o.expires_at
    } else {
        o.started_at + 24 * 60 * 60 * 1000
    };
    Ok(audit_events::table
        .filter(audit_events::person_id.eq(&o.person_id))
        .filter(audit_events::user_id.eq(&o.user_id))
        .filter(audit_events::at.between(o.started_at, until))
        .order(audit_events::at.asc())
        .select(audit::Row::as_select())
        .limit(200)
        .load(conn)?)
}

#[derive(Deserialize, Default)]
pub struct ReviewForm {
    #[serde(default)]
    pub(super) outcome: String,
    #[serde(default)]
    pub(super) note: String,
}

impl ReviewForm {
    /// The outcome and note, posted to `action`: the same form for any review on the queue.
    pub(super) fn form(&self, ctx: &Ctx, action: &str, question: &str, errors: &Errors) -> Markup {
        let outcomes: Vec<(&str, &str)> = ReviewOutcome::ALL.iter().map(|r| (r.code(), r.label())).collect();
        html! {
            form method="post" action=(action) novalidate {
                (components::csrf_field(&ctx.user.csrf_token))
                (components::radios("outcome", question, &outcomes, &self.outcome, errors))
                (components::textarea("note", "Review note (needed for follow-up)", &self.note, None, errors))
                button.app-button type="submit" { "Record the review" }
            }
        }
    }

    pub(super) fn validate(&self) -> Result<(ReviewOutcome, Option<String>), Errors> {
        let mut errors = Errors::default();
        let outcome = self.outcome.parse::<ReviewOutcome>().ok();
        if outcome.is_none() {
            errors.add("outcome", "Select whether the access was appropriate");
        }
        let note = self.note.trim();
        if outcome == Some(ReviewOutcome::FollowUp) && note.is_empty() {
            errors.add("note", "Say what needs following up");
        } else if note.chars().count() > NOTE_MAX {
            errors.add("note", format!("Note must be {NOTE_MAX} characters or fewer"));
        }
        match outcome {
            Some(o) if errors.is_empty() => Ok((o, (!note.is_empty()).then(|| note.to_string()))),
            _ => Err(errors),
        }
    }
}

struct Loaded {
    found: Override,
    who: String,
    opened: Vec<audit::Row>,
}

async fn load(ctx: &Ctx, id: String, audited: bool) -> Result<Loaded, AppError> {
    let loaded = ctx
        .read(move |conn| {
            let found = overrides::find(conn, &id)?.ok_or(AppError::NotFound)?;
            let who = crate::auth::accounts::find(conn, &found.user_id)?
                .map(|u| format!("{} ({})", u.display_name, u.username))
                .unwrap_or_default();
            let opened = opened_during(conn, &found)?;
            Ok(Loaded { found, who, opened })
        })
        .await?;
    if audited {
        let found = &loaded.found;
        ctx.audit(
            Event::allowed(audit::VIEW)
                .record(RECORD, &found.id)
                .person(&found.person_id),
        )
        .await?;
    }
    Ok(loaded)
}

fn page(ctx: &Ctx, loaded: &Loaded, form: &ReviewForm, errors: &Errors) -> HttpResponse {
    let o = &loaded.found;
    let opened: Vec<Vec<Markup>> = loaded
        .opened
        .iter()
        .map(|r| {
            vec![
                html! { (crate::domain::local_time::date_time(r.at)) },
                html! { (r.action) },
                html! { (r.record_type.as_deref().unwrap_or("")) " " span.app-code { (r.record_id.as_deref().unwrap_or("")) } },
                html! { (r.detail.as_deref().unwrap_or("")) },
            ]
        })
        .collect();
    let body = html! {
        (components::error_summary(errors))
        span.app-caption { "Access review" }
        h1.app-heading-l { (kind_label(o.kind)) " by " (loaded.who) }
        (components::summary_list(&[
            ("Started", html! { (crate::domain::local_time::date_time(o.started_at)) }),
            ("Read-only until", html! { @if o.kind == OverrideKind::BreakGlass { (crate::domain::local_time::date_time(o.expires_at)) } @else { "Not applicable" } }),
            ("Reason", html! { (o.reason_label()) }),
            ("Explanation", html! { @if o.note.is_empty() { "None given" } @else { (o.note) } }),
            ("Person", html! { a href={ "/governance/people/" (o.person_id) "/access" } { "Who accessed this record" } " " span.app-code { (o.person_id) } }),
            ("Review by", html! { (crate::domain::local_time::date_time(o.review_due)) " " (due_tag(o, ctx.now())) }),
        ]))
        h2.app-heading-m { "What they opened" }
        @if opened.is_empty() { p { "Nothing was opened." } }
        @else { (components::table("Pages opened, oldest first", &["When", "Action", "Record", "Detail"], &opened)) }
        @if o.reviewed_at.is_some() {
            h2.app-heading-m { "Review" }
            p { (o.review_outcome.map_or("", |r| r.label())) " – " (crate::domain::local_time::date_time(o.reviewed_at.unwrap_or_default())) }
            @if let Some(note) = &o.review_note { p { (note) } }
        } @else {
            (form.form(ctx, &format!("/governance/access-reviews/{}", o.id), "Was this access appropriate?", errors))
        }
        p { a href="/governance/access-reviews" { "Back to access reviews" } }
    };
    let page = ctx.page("Access review").with_errors(!errors.is_empty());
    ctx.render(form_status(errors), &page, body)
}

pub async fn show(ctx: Ctx, id: web::Path<String>) -> Result<HttpResponse, AppError> {
    guard(&ctx).await?;
    let loaded = load(&ctx, id.into_inner(), true).await?;
    Ok(page(&ctx, &loaded, &ReviewForm::default(), &Errors::default()))
}

pub async fn review(ctx: Ctx, id: web::Path<String>, form: web::Form<ReviewForm>) -> Result<HttpResponse, AppError> {
    guard(&ctx).await?;
    let id = id.into_inner();
    let (outcome, note) = match form.validate() {
        Ok(v) => v,
        Err(errors) => {
            let loaded = load(&ctx, id, false).await?;
            return Ok(page(&ctx, &loaded, &form, &errors));
        }
    };
    let reviewer = ctx.user.id.clone();
    let target = id.clone();
    let recorded = ctx
        .write(move |tx| {
            let found = overrides::find(tx.conn, &target)?.ok_or(AppError::NotFound)?;
            if !overrides::review(tx.conn, tx.now, &target, &reviewer, (outcome, note.as_deref()))? {
                return Ok(false);
            }
            let event = Event::allowed(audit::REVIEW)
                .record(RECORD, &target)
                .person(&found.person_id)
                .detail(format!(
                    "{}{}",
                    outcome.label(),
                    note.map(|n| format!(": {n}")).unwrap_or_default()
                ));
            tx.audit(event)?;
            Ok(true)
        })
        .await?;
    if !recorded {
        return Err(AppError::Refused("This access has already been reviewed".into()));
    }
    Ok(see_other("/governance/access-reviews"))
}
