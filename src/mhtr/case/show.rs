//! GET /mhtr/cases/{id}: one MHTR case – who she is, where the case stands, the report
//! deadline, the next step, and every transition so far.

use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use maud::{Markup, html};

use super::{CaseEvent, MhtrCase, status_tag};
use crate::audit;
use crate::db::schema::teams;
use crate::domain::codes;
use crate::domain::local_time;
use crate::domain::mhtr::{
    ActionKind, ELIGIBILITY_OUTCOMES, EXIT_REASONS, ExitReason, MhtrStatus, REFERRAL_SOURCES, available_actions,
    countdown, next_step,
};
use crate::domain::person::age_on;
use crate::mhtr::hearing;
use crate::records::Person;
use crate::views::components;
use crate::web::context::Ctx;
use crate::web::error::AppError;

fn stored_label(list: codes::CodeList, code: &str) -> String {
    codes::label_of(list, code).map_or_else(|| code.to_string(), str::to_string)
}

fn status_words(code: &str) -> String {
    code.parse::<MhtrStatus>()
        .map_or_else(|_| code.to_string(), |s| s.label().to_string())
}

/// Whether the suitability report has gone to probation: the deadline no longer counts down.
fn report_sent(status: MhtrStatus) -> bool {
    matches!(
        status,
        MhtrStatus::AwaitingSentence | MhtrStatus::Treatment | MhtrStatus::Completed
    )
}

fn deadline(c: &MhtrCase, today: chrono::NaiveDate) -> Markup {
    let kind = c.deadline_kind().map_or(c.deadline_kind.as_str(), |k| k.label());
    html! {
        @if report_sent(c.status()) { "Sent to probation" }
        @else if let Some(due) = c.report_due_date() {
            strong { (countdown(due, today)) } " – " (local_time::day(due))
        } @else { "Not set" }
        br;
        span.app-hint { (kind) }
    }
}

fn summary(c: &MhtrCase, person: &Person, team: &str, today: chrono::NaiveDate) -> Markup {
    let age = age_on(person.dob(), today);
    components::summary_list(&[
        ("Name", html! { (person.full_name()) }),
        ("Reference", html! { (c.reference()) }),
        ("Age", html! { (age) }),
        ("Status", status_tag(c.status())),
        ("MHTR team", html! { (team) }),
        (
            "Referred by",
            html! { (stored_label(REFERRAL_SOURCES, &c.referral_source)) },
        ),
        ("Referrer", referrer(c)),
        ("Court", html! { (c.court.as_deref().unwrap_or("Not recorded")) }),
        (
            "Next hearing",
            html! {
                @match (&c.next_hearing, c.next_hearing_date()) {
                    _ if matches!(c.status(), MhtrStatus::Treatment | MhtrStatus::Completed) => { "None: she has been sentenced" },
                    (Some(_), Some(d)) => { (local_time::day(d)) " – " (hearing::countdown(d, today)) },
                    (Some(s), None) => { (s) },
                    _ => { "Not set" },
                }
            },
        ),
        ("Suitability report due", deadline(c, today)),
        // A referral waiting for, or declined at, intake was never accepted.
        (
            "Accepted on",
            html! {
                @if was_accepted(c) { (local_time::date_time(c.accepted_at)) }
                @else { "Not accepted" }
            },
        ),
    ])
}

fn was_accepted(c: &MhtrCase) -> bool {
    c.status() != MhtrStatus::Referred && c.exit_reason.as_deref() != Some(ExitReason::DeclinedAtIntake.code())
}

/// Who referred her from outside the app; internal referrals name the L&D team instead.
fn referrer(c: &MhtrCase) -> Markup {
    let parts: Vec<&str> = [
        &c.referrer_name,
        &c.referrer_organisation,
        &c.referrer_email,
        &c.referrer_phone,
    ]
    .into_iter()
    .filter_map(|p| p.as_deref())
    .collect();
    html! { @if parts.is_empty() { "–" } @else { (parts.join(", ")) } }
}

fn eligibility(c: &MhtrCase) -> Markup {
    let Some(outcome) = c.eligibility_outcome.as_deref() else {
        return html! {};
    };
    let reasons: Vec<&str> = c
        .eligibility_reasons
        .as_deref()
        .map(|r| r.lines().filter(|l| !l.trim().is_empty()).collect())
        .unwrap_or_default();
    html! {
        h2.app-heading-m { "Eligibility" }
        (components::summary_list(&[
            ("Outcome", html! { (stored_label(ELIGIBILITY_OUTCOMES, outcome)) }),
            ("Screened on", html! { @if let Some(at) = c.eligibility_at { (local_time::date_time(at)) } }),
            ("Reasons", html! {
                @if reasons.is_empty() { "–" }
                @else { ul { @for r in &reasons { li { (r) } } } }
            }),
        ]))
    }
}

fn closure(c: &MhtrCase) -> Markup {
    let Some(reason) = c.exit_reason.as_deref() else {
        return html! {};
    };
    html! {
        h2.app-heading-m { "Closure" }
        (components::summary_list(&[
            ("Reason", html! { (stored_label(EXIT_REASONS, reason)) }),
            ("Closed on", html! { @if let Some(at) = c.closed_at { (local_time::date_time(at)) } }),
            ("Note", html! { span.app-pre-wrap { (c.exit_note.as_deref().unwrap_or("–")) } }),
        ]))
    }
}

/// The page, under the case's address, where each step is recorded, and the link text.
pub fn step_page(kind: ActionKind) -> Option<(&'static str, &'static str)> {
    match kind {
        ActionKind::Accept => None,
        ActionKind::ConfirmEligible => Some(("eligibility", "Record the eligibility screen")),
        ActionKind::CompleteAssessment => Some(("assessment", "Record the suitability assessment")),
        ActionKind::RecordConsent => Some(("consent", "Record consent and the proposed treatment")),
        ActionKind::AgreePathway => Some(("negotiation", "Record the secondary care negotiation")),
        ActionKind::SendRecommendation => Some(("report", "Write, sign off and send the suitability report")),
        ActionKind::MhtrMade | ActionKind::Adjourn => Some(("court", "Record the court outcome")),
        ActionKind::Complete => Some(("treatment", "Record treatment")),
        ActionKind::Close => Some(("close", "Close the case")),
    }
}

/// The next step as a button, then the other things that can be done at this stage.
fn next(c: &MhtrCase) -> Markup {
    let status = c.status();
    let base = super::path(&c.id);
    let next = next_step(status);
    let mut others: Vec<(&str, &str)> = available_actions(status)
        .into_iter()
        .filter(|k| Some(*k) != next)
        .filter_map(step_page)
        .filter(|page| next.and_then(step_page) != Some(*page))
        .collect();
    others.dedup();
    html! {
        h2.app-heading-m { "Next step" }
        @match next.map(|k| (k, step_page(k))) {
            Some((_, Some((page, text)))) => p { a.app-button href={ (base) "/" (page) } { (text) } },
            Some((kind, None)) => p { (kind.label()) },
            None => p { "This case has ended: there are no further steps." },
        }
        @if !others.is_empty() {
            p { "Also at this stage:" }
            ul { @for (page, text) in &others { li { a href={ (base) "/" (page) } { (text) } } } }
        }
    }
}

fn event_log(events: &[CaseEvent]) -> Markup {
    let rows: Vec<Vec<Markup>> = events
        .iter()
        .map(|e| {
            vec![
                html! { (local_time::date_time(e.at)) },
                html! { (e.author) },
                html! { (status_words(&e.from_status)) " → " (status_words(&e.to_status)) },
                html! { span.app-pre-wrap { (e.note.as_deref().unwrap_or("")) } },
            ]
        })
        .collect();
    html! {
        h2.app-heading-m { "History" }
        (components::table("Every change of this case's status", &["When", "By", "Change", "Note"], &rows))
    }
}

pub async fn show(ctx: Ctx, id: web::Path<String>) -> Result<HttpResponse, AppError> {
    let view = (audit::VIEW, Some("MHTR case page"));
    let (c, person) = super::load(&ctx, id.into_inner().into(), view).await?;
    let (case_id, team_id) = (c.id.clone(), c.team_id.clone());
    let case = c.clone();
    let (events, team, panels) = ctx
        .read(move |conn| {
            let events = super::events(conn, &case_id)?;
            let team: Option<String> = teams::table.find(&team_id).select(teams::name).first(conn).optional()?;
            let panels = html! {
                (super::suitability::panel(conn, &case)?)
                (super::report::panel(conn, &case)?)
                (super::court::panel(conn, &case)?)
                (super::treatment::panel(conn, &case)?)
            };
            Ok((events, team.unwrap_or_default(), panels))
        })
        .await?;
    let today = local_time::local_date(ctx.now());
    let body = html! {
        span.app-caption { "MHTR case" }
        p { a href="/mhtr/intake" { "Back to MHTR intake" } }
        h1.app-heading-l { (person.list_name()) }
        (summary(&c, &person, &team, today))
        (next(&c))
        (eligibility(&c))
        (panels)
        (closure(&c))
        (event_log(&events))
    };
    let title = format!("{} – MHTR case", person.list_name());
    Ok(ctx.render(actix_web::http::StatusCode::OK, &ctx.page(&title), body))
}
