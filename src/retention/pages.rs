//! The records manager's pages: the appraisal queue, and one record's retention.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use maud::{Markup, html};

use super::forms::{DeathForm, DecisionForm, HoldForm};
use super::record::{self, Record};
use super::store::{self, Due};
use super::{EXTEND, RECORD};
use crate::audit::{self, Event};
use crate::clock::Millis;
use crate::db::schema::record_destructions;
use crate::domain::local_time::{date_time, local_date};
use crate::views::components::{self, Tone};
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::form_status;

const QUEUE_SIZE: i64 = 200;

fn due_rows(due: &[Due]) -> Vec<Vec<Markup>> {
    due.iter()
        .map(|d| {
            vec![
                html! { a href={ "/records/people/" (d.person_id) } { (d.name) } },
                html! { (d.date_of_birth) },
                html! { (d.class.label()) },
                html! { (d.last_contact_on.as_deref().unwrap_or("")) },
                html! { (d.review_on) },
                if d.held {
                    components::tag("Legal hold", Tone::Bad)
                } else {
                    components::tag("Due for appraisal", Tone::Warning)
                },
            ]
        })
        .collect()
}

/// Destructions, newest first: (tombstone, person id, rows removed, destroyed at).
type Destroyed = (String, String, i64, Millis);

/// How far back the queue lists destructions (the tombstones themselves are kept for ever).
const RECENT_DAYS: i64 = 90;

pub async fn queue(ctx: Ctx) -> Result<HttpResponse, AppError> {
    let now = ctx.now();
    let ((due, total), destroyed) = ctx
        .read(move |conn| {
            let since = now - RECENT_DAYS * 24 * 60 * 60_000;
            let destroyed: Vec<Destroyed> = record_destructions::table
                .filter(record_destructions::destroyed_at.ge(since))
                .order(record_destructions::destroyed_at.desc())
                .limit(20)
                .select((
                    record_destructions::id,
                    record_destructions::person_id,
                    record_destructions::rows_removed,
                    record_destructions::destroyed_at,
                ))
                .load(conn)?;
            Ok((store::due(conn, now, QUEUE_SIZE)?, destroyed))
        })
        .await?;
    let shown: Vec<&str> = due.iter().map(|d| d.person_id.as_str()).collect();
    let detail = format!("appraisal queue: {} due, shown {}", total, shown.join(", "));
    ctx.audit(Event::allowed(audit::VIEW).record(RECORD, "-").detail(detail))
        .await?;
    let headings = [
        "Person",
        "Date of birth",
        "Retention class",
        "Last contact ended",
        "Review date",
        "Status",
    ];
    let gone: Vec<Vec<Markup>> = destroyed
        .iter()
        .map(|(id, person, rows, at)| {
            vec![
                html! { (date_time(*at)) },
                html! { span.app-code { (person) } },
                html! { (rows) },
                html! { span.app-code { (id) } },
            ]
        })
        .collect();
    let body = html! {
        h1.app-heading-l { "Records due for appraisal" }
        p { "A record reaches its review date when the retention period the NHS Records Management Code of Practice sets for it has passed. Nothing is destroyed automatically: decide for each whether to destroy it, keep it longer or preserve it." }
        @if due.is_empty() { p { "No record is due for appraisal." } }
        @else {
            @if total > due.len() as i64 { p { "Showing the " (due.len()) " longest overdue of " (total) "." } }
            (components::table(&format!("{total} records due, the longest overdue first"), &headings, &due_rows(&due)))
        }
        h2.app-heading-m { "Destroyed in the last " (RECENT_DAYS) " days" }
        @if gone.is_empty() { p { "No record has been destroyed in the last " (RECENT_DAYS) " days." } }
        @else { (components::table("Destructions, newest first", &["Destroyed", "Record", "Rows removed", "Destruction reference"], &gone)) }
    };
    Ok(ctx.render(StatusCode::OK, &ctx.page("Appraisal"), body))
}

/// A person's record, or the tombstone left where it was.
pub(super) enum Found {
    Present(Box<Record>),
    Destroyed { tombstone: String, at: Millis, rows: i64 },
}

pub(super) async fn load(ctx: &Ctx, id: &str) -> Result<Found, AppError> {
    let id = id.to_string();
    ctx.read(move |conn| {
        if let Some(r) = record::load(conn, &id)? {
            return Ok(Found::Present(Box::new(r)));
        }
        let (tombstone, at, rows) = record::tombstone(conn, &id)?.ok_or(AppError::NotFound)?;
        Ok(Found::Destroyed { tombstone, at, rows })
    })
    .await
}

pub async fn person(ctx: Ctx, id: web::Path<String>) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let found = load(&ctx, &id).await?;
    ctx.audit(Event::allowed(audit::VIEW).record(RECORD, &id).person(&id))
        .await?;
    let forms = Forms::default();
    Ok(render_person(&ctx, found, &forms))
}

/// The forms on the record's page as last submitted, with their errors.
#[derive(Default)]
pub(super) struct Forms {
    pub decision: DecisionForm,
    pub hold: HoldForm,
    pub death: DeathForm,
    pub errors: Errors,
}

pub(super) fn render_person(ctx: &Ctx, found: Found, forms: &Forms) -> HttpResponse {
    let r = match found {
        Found::Present(r) => r,
        Found::Destroyed { tombstone, at, rows } => {
            let body = html! {
                h1.app-heading-l { "This record was destroyed" }
                p { "It was destroyed on " (date_time(at)) " by a records manager's decision: " (rows) " rows were removed. Destruction reference " span.app-code { (tombstone) } "." }
                p { a href="/records/appraisal" { "Back to appraisal" } }
            };
            return ctx.render(StatusCode::OK, &ctx.page("Record destroyed"), body);
        }
    };
    let today = local_date(ctx.now()).to_string();
    let p = &r.identity;
    let errors = &forms.errors;
    let retention_rows = match &r.retention {
        Some(ret) => vec![
            ("Retention class", html! { (ret.class_label()) }),
            (
                "Last contact ended",
                html! { (ret.last_contact_on.as_deref().unwrap_or("Still in the service's care")) },
            ),
            (
                "Review date",
                html! {
                    (ret.review_on.as_deref().unwrap_or("None while in care"))
                    @if ret.preserved { " " (components::tag("Preserved permanently", Tone::Good)) }
                    @else if ret.due(&today) { " " (components::tag("Due for appraisal", Tone::Warning)) }
                },
            ),
            ("Worked out on", html! { (ret.computed_on) }),
        ],
        None => vec![(
            "Retention",
            html! { "Not worked out yet: the daily recalculation has not reached this record." },
        )],
    };
    let hold = r.active_hold();
    let destroyable = hold.is_none() && r.retention.as_ref().is_some_and(|ret| ret.due(&today));
    let base = format!("/records/people/{}", p.id);
    let body = html! {
        (components::error_summary(errors))
        span.app-caption { "Retention" }
        h1.app-heading-l { (p.family_name) ", " (p.given_name) }
        (components::summary_list(&[
            ("Date of birth", html! { (p.date_of_birth) }),
            ("NHS number", html! { (p.nhs_number.as_deref().unwrap_or("Not known")) }),
            ("Date of death", html! { (p.died_on.as_deref().unwrap_or("Not recorded")) }),
        ]))
        (components::summary_list(&retention_rows))
        @if let Some(h) = hold {
            (components::notification(&format!("Legal hold since {}: {}", date_time(h.placed_at), h.reason), false))
        }
        @if destroyable {
            p { a.app-button.app-button--warning href={ (base) "/destroy" } { "Destroy this record…" } }
        }
        h2.app-heading-m { "Keep it longer or preserve it" }
        (forms.decision.render(ctx, &base, errors))
        h2.app-heading-m { "Legal hold" }
        @if hold.is_some() {
            p { "While the hold is in place the record cannot be destroyed." }
        } @else {
            p { "Place a hold while an inquiry, litigation or subject access request needs the record: it cannot be destroyed until the hold is lifted." }
        }
        (forms.hold.render(ctx, &base, hold.is_some(), errors))
        h2.app-heading-m { "Date of death" }
        p { "A death shortens the retention period when it ends sooner: ten years after death for mental health records." }
        (forms.death.render(ctx, &base, errors))
        @if !r.decisions.is_empty() || !r.holds.is_empty() {
            h2.app-heading-m { "History" }
            (components::table("Decisions and holds, newest first", &["When", "What", "Reason"], &history(&r)))
        }
        p { a href="/records/appraisal" { "Back to appraisal" } }
    };
    let page = ctx.page("Retention").with_errors(!errors.is_empty());
    ctx.render(form_status(errors), &page, body)
}

fn history(r: &Record) -> Vec<Vec<Markup>> {
    let mut rows: Vec<(Millis, Vec<Markup>)> = r
        .decisions
        .iter()
        .map(|d| {
            let what = if d.decision == EXTEND {
                format!("Kept until {}", d.new_review_on.as_deref().unwrap_or(""))
            } else {
                "Preserved permanently".to_string()
            };
            (
                d.decided_at,
                vec![
                    html! { (date_time(d.decided_at)) },
                    html! { (what) },
                    html! { (d.reason) },
                ],
            )
        })
        .collect();
    for h in &r.holds {
        rows.push((
            h.placed_at,
            vec![
                html! { (date_time(h.placed_at)) },
                html! { "Legal hold placed" },
                html! { (h.reason) },
            ],
        ));
        if let Some(at) = h.lifted_at {
            rows.push((
                at,
                vec![
                    html! { (date_time(at)) },
                    html! { "Legal hold lifted" },
                    html! { (h.lift_reason.as_deref().unwrap_or("")) },
                ],
            ));
        }
    }
    rows.sort_by_key(|row| std::cmp::Reverse(row.0));
    rows.into_iter().map(|(_, row)| row).collect()
}
