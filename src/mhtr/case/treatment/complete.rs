//! GET/POST /mhtr/cases/{id}/treatment/complete: recording how treatment ended. The page
//! says what completing means before anything is done.

use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use maud::{Markup, html};
use serde::Deserialize;

use super::court::Order;
use crate::audit;
use crate::db::schema::mhtr_orders;
use crate::domain::codes::{CodeList, label_of};
use crate::domain::local_time;
use crate::domain::mhtr::Action;
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
    #[serde(default)]
    notes: String,
}

impl CompleteForm {
    fn validate(&self) -> Result<(&'static str, Option<String>), Errors> {
        let mut errors = Errors::default();
        let outcome = COMPLETION_OUTCOMES
            .iter()
            .find(|(c, _)| *c == self.outcome)
            .map(|(c, _)| *c);
        if outcome.is_none() {
            errors.add("outcome", "Select how treatment ended");
        }
        let notes = super::notes(&mut errors, "notes", &self.notes, NOTES_MAX);
        match outcome {
            Some(outcome) if errors.is_empty() => Ok((outcome, notes)),
            _ => Err(errors),
        }
    }
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
    let (outcome, notes) = match form.validate() {
        Ok(v) => v,
        Err(errors) => return Ok(page(&ctx, (&c, &person), &form, &errors)),
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
    use super::*;

    #[test]
    fn an_outcome_is_required() {
        let blank = CompleteForm::default();
        assert!(blank.validate().unwrap_err().get("outcome").is_some());
        let done = CompleteForm {
            outcome: "completed-some-missed".into(),
            notes: " ".into(),
        };
        assert_eq!(done.validate().unwrap(), ("completed-some-missed", None));
    }
}
