//! POST /mhtr/cases/{id}/negotiation/outcome: how the negotiation ended. A pathway is agreed
//! only after at least one contact with secondary care and with the consultant clinical
//! psychologist's latest review supporting it; otherwise she is stepped to the primary care
//! MHTR or signposted, which closes the case.

use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use maud::{Markup, html};
use serde::Deserialize;

use super::{Forms, load_data, page};
use crate::audit::{self, Event};
use crate::db::DbConnection;
use crate::db::schema::mhtr_cases;
use crate::domain::codes::label_of;
use crate::domain::mhtr::{Action, ExitReason, MhtrStatus, NEGOTIATION_OUTCOMES};
use crate::mhtr::case::find_locked;
use crate::mhtr::case::suitability::store;
use crate::mhtr::case::suitability::{MhtrCase, in_step, optional_text, page_path};
use crate::mhtr::case::{self as case, RECORD};
use crate::records::Person;
use crate::views::components;
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::see_other;

const AGREED: &str = "pathway-agreed";

#[derive(Deserialize, Default, Debug, Clone)]
pub struct OutcomeForm {
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    outcome_note: String,
}

struct Checked {
    outcome: &'static str,
    action: Action,
    note: Option<String>,
}

impl OutcomeForm {
    fn validate(&self) -> Result<Checked, Errors> {
        let mut errors = Errors::default();
        let outcome = NEGOTIATION_OUTCOMES
            .iter()
            .find(|(code, _)| *code == self.outcome)
            .map(|(code, _)| *code);
        let action = match outcome {
            Some(AGREED) => Some(Action::AgreePathway),
            Some("stepped-to-primary-care") => Some(Action::Close(ExitReason::SteppedToPrimaryCare)),
            Some("signposted") => Some(Action::Close(ExitReason::Signposted)),
            _ => None,
        };
        if action.is_none() {
            errors.add("outcome", "Select the outcome of the negotiation");
        }
        let note = optional_text(&mut errors, ("outcome_note", "Note"), &self.outcome_note);
        if matches!(action, Some(Action::Close(_))) && note.is_none() {
            errors.add(
                "outcome_note",
                "Enter why the pathway was not agreed and what happens next",
            );
        }
        match (outcome, action) {
            (Some(outcome), Some(action)) if errors.is_empty() => Ok(Checked { outcome, action, note }),
            _ => Err(errors),
        }
    }
}

/// Why a pathway cannot be recorded as agreed yet, if it cannot.
fn not_ready(conn: &mut DbConnection, case_id: &str) -> QueryResult<Option<&'static str>> {
    if store::contacts(conn, case_id)?.is_empty() {
        return Ok(Some(
            "Record at least one contact with a secondary care team before recording the pathway as agreed",
        ));
    }
    Ok(match store::reviews(conn, case_id)?.first() {
        None => Some("Record the consultant clinical psychologist's review before recording the pathway as agreed"),
        Some(r) if r.decision != "supported" => Some(
            "The consultant clinical psychologist's latest review does not support the pathway. \
             Record a review that supports it, or choose another outcome",
        ),
        Some(_) => None,
    })
}

pub async fn submit(ctx: Ctx, id: web::Path<String>, form: web::Form<OutcomeForm>) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let (c, person) = case::load(&ctx, id.into_inner().into(), (audit::UPDATE, None)).await?;
    // Stepping down and signposting are also exits from earlier stages, but this form is the
    // negotiation's: the domain explains what comes first.
    if c.status() != MhtrStatus::Negotiation {
        in_step(&c, Action::AgreePathway)?;
    }
    let checked = match form.validate() {
        Ok(v) => v,
        Err(errors) => return rejected(&ctx, (&c, &person), form, errors).await,
    };
    let (uid, case_id) = (ctx.user.id.clone(), c.id.clone());
    let problem = ctx
        .write(move |tx| -> Result<Option<&'static str>, AppError> {
            let current = find_locked(tx.conn, &case_id)?;
            if current.status() != MhtrStatus::Negotiation {
                in_step(&current, Action::AgreePathway)?;
            }
            if checked.action == Action::AgreePathway
                && let Some(why) = not_ready(tx.conn, &case_id)?
            {
                return Ok(Some(why));
            }
            diesel::update(mhtr_cases::table.find(&case_id))
                .set(mhtr_cases::negotiation_outcome.eq(checked.outcome))
                .execute(tx.conn)?;
            let label = label_of(NEGOTIATION_OUTCOMES, checked.outcome).unwrap_or(checked.outcome);
            let note = match &checked.note {
                Some(n) => format!("{label}: {n}"),
                None => label.to_string(),
            };
            case::apply(tx.conn, tx.now, &uid, &current, checked.action, Some(&note))?;
            let event = Event::allowed(audit::UPDATE)
                .record(RECORD, &case_id)
                .detail(format!("negotiation outcome {}", checked.outcome));
            tx.audit(event)?;
            Ok(None)
        })
        .await?;
    match problem {
        None => Ok(see_other(&case::path(&c.id))),
        Some(why) => {
            let mut errors = Errors::default();
            errors.add("outcome", why);
            rejected(&ctx, (&c, &person), form, errors).await
        }
    }
}

/// The negotiation page again (422) with the outcome as chosen and why it was not saved.
async fn rejected(
    ctx: &Ctx,
    (c, person): (&MhtrCase, &Person),
    form: OutcomeForm,
    errors: Errors,
) -> Result<HttpResponse, AppError> {
    let data = load_data(ctx, c).await?;
    let forms = Forms {
        outcome: form,
        ..Forms::default()
    };
    Ok(page(ctx, (c, person), &data, &forms, &errors))
}

pub fn form(c: &MhtrCase, csrf: &str, f: &OutcomeForm, errors: &Errors) -> Markup {
    html! {
        form method="post" action=(page_path(&c.id, "negotiation/outcome")) novalidate {
            (components::csrf_field(csrf))
            p.app-hint { "A pathway can be agreed once a secondary care team has been contacted and the consultant clinical psychologist's latest review supports it. The other outcomes close the case." }
            (components::radios("outcome", "How did the negotiation end?", NEGOTIATION_OUTCOMES, &f.outcome, errors))
            (components::textarea("outcome_note", "Note", &f.outcome_note, Some("Required if the pathway was not agreed: why, and what happens next"), errors))
            button.app-button type="submit" { "Record the outcome" }
        }
    }
}
