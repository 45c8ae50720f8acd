//! GET/POST /mhtr/cases/{id}/treatment/complete: recording how treatment ended. The page
//! says what completing means before anything is done.

use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use maud::{Markup, html};
use serde::Deserialize;

use super::court::Order;
use super::{END, Measure, START, Treatment};
use crate::audit;
use crate::db::schema::mhtr_orders;
use crate::domain::codes::{CodeList, label_of};
use crate::domain::local_time;
use crate::domain::mhtr::{Action, outcome_measure};
use crate::domain::words::count;
use crate::mhtr::case::{self, MhtrCase};
use crate::records::Person;
use crate::views::components;
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::see_other;

/// How treatment under the order ended.
pub const COMPLETION_OUTCOMES: CodeList = &[
    ("completed-all-sessions", "Completed all planned sessions"),
    ("completed-some-missed", "Completed, with some sessions missed"),
    ("ended-early-by-agreement", "Ended early by agreement"),
];

const NOTES_MAX: usize = 2000;

#[derive(Deserialize, Default, Debug, Clone)]
pub struct CompleteForm {
    #[serde(default)]
    outcome: String,
    /// Why end-of-treatment measures were not taken, when they were not.
    #[serde(default)]
    measures_reason: String,
    #[serde(default)]
    notes: String,
}

/// How treatment ended, as it will be recorded.
#[derive(Debug, PartialEq, Eq)]
struct Completion {
    outcome: &'static str,
    measures_reason: Option<String>,
    notes: Option<String>,
}

impl CompleteForm {
    /// Checked against the treatment record, so the evaluation never reads "completed all
    /// planned sessions" beside a missed one, or a completion without its end scores.
    fn validate(&self, t: &Treatment) -> Result<Completion, Errors> {
        let mut errors = Errors::default();
        let outcome = COMPLETION_OUTCOMES
            .iter()
            .find(|(c, _)| *c == self.outcome)
            .map(|(c, _)| *c);
        if outcome.is_none() {
            errors.add("outcome", "Select how treatment ended");
        }
        let attended = t
            .sessions
            .iter()
            .filter(|s| s.attendance.as_deref() == Some("attended"))
            .count();
        if outcome == Some("completed-all-sessions") && (t.sessions.is_empty() || attended < t.sessions.len()) {
            errors.add(
                "outcome",
                format!(
                    "{} of {} recorded as attended: record attendance first, or choose \
                     \"Completed, with some sessions missed\"",
                    count(attended as i64, "planned session", "planned sessions"),
                    t.sessions.len()
                ),
            );
        }
        let measures_reason = super::notes(&mut errors, "measures_reason", &self.measures_reason, NOTES_MAX);
        let missing = missing_end_scores(&t.measures);
        if !missing.is_empty() && measures_reason.is_none() {
            errors.add(
                "measures_reason",
                format!(
                    "Record the end-of-treatment {} or say why they were not taken",
                    missing.join(", ")
                ),
            );
        }
        let notes = super::notes(&mut errors, "notes", &self.notes, NOTES_MAX);
        match outcome {
            Some(outcome) if errors.is_empty() => Ok(Completion {
                outcome,
                measures_reason,
                notes,
            }),
            _ => Err(errors),
        }
    }
}

/// The measures taken at the start without a score at the end (or "scores" when none were
/// taken at all), in words.
fn missing_end_scores(measures: &[Measure]) -> Vec<String> {
    let ended = |code: &str| measures.iter().any(|m| m.measure == code && m.phase == END);
    let mut missing: Vec<String> = measures
        .iter()
        .filter(|m| m.phase == START && !ended(&m.measure))
        .map(|m| outcome_measure(&m.measure).map_or_else(|| m.measure.clone(), |o| format!("{} score", o.name)))
        .collect();
    missing.dedup();
    if measures.iter().all(|m| m.phase != END) && missing.is_empty() {
        missing.push("outcome measure scores".into());
    }
    missing
}

/// How treatment ended, once recorded.
pub fn summary(order: Option<&Order>) -> Markup {
    match order.and_then(|o| o.completion_outcome.as_deref().zip(o.completed_at)) {
        Some((outcome, at)) => components::summary_list(&[
            (
                "Outcome",
                html! { (label_of(COMPLETION_OUTCOMES, outcome).unwrap_or(outcome)) },
            ),
            ("Completed on", html! { (local_time::date_time(at)) }),
        ]),
        None => html! { p { "Treatment has not been completed." } },
    }
}

fn page(ctx: &Ctx, (c, person): (&MhtrCase, &Person), form: &CompleteForm, errors: &Errors) -> HttpResponse {
    let body = html! {
        (components::error_summary(errors))
        span.app-caption { "MHTR case" }
        p { a href=(super::treatment_path(&c.id)) { "Back to treatment" } }
        h1.app-heading-l { "Complete treatment: " (person.list_name()) }
        p { "Completing ends treatment under the order: the case is marked completed, leaves the team's caseload, and no more sessions, measures or compliance events can be recorded. It cannot be undone. If the order was revoked, close the case instead." }
        form method="post" action={ (super::treatment_path(&c.id)) "/complete" } novalidate {
            (components::csrf_field(&ctx.user.csrf_token))
            (components::radios("outcome", "How did treatment end?", COMPLETION_OUTCOMES, &form.outcome, errors))
            (components::textarea("measures_reason", "If end-of-treatment measures were not taken, why not?", &form.measures_reason, Some("For example, she declined, or treatment ended before the last session"), errors))
            (components::textarea("notes", "Notes (optional)", &form.notes, None, errors))
            button.app-button.app-button--warning type="submit" { "Complete treatment" }
        }
    };
    let title = format!("Complete treatment – {}", person.list_name());
    ctx.form_page(&title, errors, body)
}

pub async fn show(ctx: Ctx, id: web::Path<String>) -> Result<HttpResponse, AppError> {
    let view = (audit::VIEW, Some("MHTR complete treatment"));
    let (c, person) = case::load(&ctx, id.into_inner().into(), view).await?;
    super::in_treatment(&c)?;
    Ok(page(&ctx, (&c, &person), &CompleteForm::default(), &Errors::default()))
}

pub async fn submit(ctx: Ctx, id: web::Path<String>, form: web::Form<CompleteForm>) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let (c, person) = super::load_for_change(&ctx, id.into_inner()).await?;
    let case_id = c.id.to_string();
    let treatment = ctx.read(move |conn| Ok(Treatment::load(conn, &case_id)?)).await?;
    let Completion {
        outcome,
        measures_reason,
        notes,
    } = match form.validate(&treatment) {
        Ok(v) => v,
        Err(errors) => return Ok(page(&ctx, (&c, &person), &form, &errors)),
    };
    let notes = match (measures_reason, notes) {
        (Some(why), Some(n)) => Some(format!("{n}. End-of-treatment measures not taken: {why}")),
        (Some(why), None) => Some(format!("End-of-treatment measures not taken: {why}")),
        (None, n) => n,
    };
    let uid = ctx.user.id.clone();
    super::record_change(&ctx, &c.id, move |conn, now, fresh| {
        let changed = diesel::update(mhtr_orders::table.find(&fresh.id))
            .set((
                mhtr_orders::completion_outcome.eq(outcome),
                mhtr_orders::completed_at.eq(now),
            ))
            .execute(conn)?;
        if changed != 1 {
            return Err(AppError::Refused(
                "The court's order is not recorded, so treatment under it cannot be completed".into(),
            ));
        }
        let label = label_of(COMPLETION_OUTCOMES, outcome).unwrap_or(outcome);
        let note = match &notes {
            Some(n) => format!("{label}: {n}"),
            None => label.to_string(),
        };
        case::apply(conn, now, &uid, fresh, Action::Complete, Some(&note))?;
        Ok(format!("treatment completed: {outcome}"))
    })
    .await?;
    Ok(see_other(&case::path(&c.id)))
}

#[cfg(test)]
mod tests {
    use super::super::Session;
    use super::*;

    fn session(attendance: Option<&str>) -> Session {
        Session {
            id: "s".into(),
            planned_on: "2026-05-01".parse().unwrap(),
            attendance: attendance.map(String::from),
            reason: None,
        }
    }

    fn measure(code: &str, phase: &str) -> Measure {
        Measure {
            measure: code.into(),
            phase: phase.into(),
            score: 10,
            taken_on: "2026-05-01".parse().unwrap(),
        }
    }

    fn treatment(sessions: Vec<Session>, measures: Vec<Measure>) -> Treatment {
        Treatment {
            order: None,
            sessions,
            measures,
            contacts: Vec::new(),
            events: Vec::new(),
        }
    }

    fn form(outcome: &str, measures_reason: &str) -> CompleteForm {
        CompleteForm {
            outcome: outcome.into(),
            measures_reason: measures_reason.into(),
            notes: " ".into(),
        }
    }

    #[test]
    fn an_outcome_is_required() {
        let measured = treatment(
            vec![session(Some("attended"))],
            vec![measure("core-10", START), measure("core-10", END)],
        );
        assert!(
            CompleteForm::default()
                .validate(&measured)
                .unwrap_err()
                .get("outcome")
                .is_some()
        );
        assert_eq!(
            form("completed-some-missed", "").validate(&measured).unwrap(),
            Completion {
                outcome: "completed-some-missed",
                measures_reason: None,
                notes: None
            }
        );
    }

    #[test]
    fn all_sessions_completed_needs_every_session_attended() {
        let ended = vec![measure("core-10", START), measure("core-10", END)];
        let missed = treatment(
            vec![session(Some("attended")), session(Some("did-not-attend"))],
            ended.clone(),
        );
        let errors = form("completed-all-sessions", "").validate(&missed).unwrap_err();
        assert_eq!(
            errors.get("outcome"),
            Some(
                "1 planned session of 2 recorded as attended: record attendance first, or choose \"Completed, with some sessions missed\""
            )
        );
        let unrecorded = treatment(vec![session(Some("attended")), session(None)], ended.clone());
        assert!(form("completed-all-sessions", "").validate(&unrecorded).is_err());
        assert!(
            form("completed-all-sessions", "")
                .validate(&treatment(Vec::new(), ended.clone()))
                .is_err()
        );
        let all = treatment(vec![session(Some("attended")), session(Some("attended"))], ended);
        assert!(form("completed-all-sessions", "").validate(&all).is_ok());
    }

    #[test]
    fn completion_needs_the_end_scores_or_a_reason() {
        let attended = || vec![session(Some("attended"))];
        let started_only = treatment(
            attended(),
            vec![
                measure("core-10", START),
                measure("wemwbs", START),
                measure("wemwbs", END),
            ],
        );
        let errors = form("completed-all-sessions", "").validate(&started_only).unwrap_err();
        let message = errors.get("measures_reason").expect("asks for the end scores");
        assert!(message.contains("CORE-10") && !message.contains("WEMWBS"), "{message}");
        assert!(
            form("completed-all-sessions", "She declined the last questionnaire")
                .validate(&started_only)
                .is_ok()
        );
        let none = treatment(attended(), Vec::new());
        assert!(form("ended-early-by-agreement", "").validate(&none).is_err());
        assert_eq!(
            form("ended-early-by-agreement", " Left the area ")
                .validate(&none)
                .unwrap()
                .measures_reason
                .as_deref(),
            Some("Left the area")
        );
    }
}
