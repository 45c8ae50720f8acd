//! GET/POST /mhtr/cases/{id}/eligibility: the eligibility screen (docs/domain.md §7.5). Her age
//! comes from her date of birth; the practitioner answers the rest. Eligible moves the case
//! to the suitability assessment; otherwise the practitioner decides how it closes.

use actix_web::{HttpResponse, web};
use maud::{Markup, html};
use serde::Deserialize;

use super::{MhtrCase, RECORD};
use crate::audit::{self, Event};
use crate::db::schema::mhtr_cases;
use crate::domain::local_time;
use crate::domain::mhtr::{
    Action, Eligibility, EligibilityAnswers, ExitReason, GP_STATUSES, GpStatus, MhtrStatus, PLEAS, Plea, assess,
};
use crate::domain::person::age_on;
use crate::records::Person;
use crate::views::components;
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::see_other;

const YES_NO: &[(&str, &str)] = &[("yes", "Yes"), ("no", "No")];
const NOTE_MAX: usize = 2000;

/// What the practitioner decides when the screen rules her out.
const INELIGIBLE_OUTCOMES: &[(&str, &str)] = &[
    ("ineligible", "Not eligible: close the case"),
    ("stepped-to-primary-care", "Step her to the primary care MHTR"),
    ("signposted", "Signpost her to other support"),
];

const SCOPE: &str = "The London Women's MHTR accepts people who identify as women, including trans women and \
                     non-binary people assigned female at birth.";

#[derive(Deserialize, Default, Debug, Clone)]
pub struct EligibilityForm {
    #[serde(default)]
    identifies_as_woman: String,
    #[serde(default)]
    plea: String,
    #[serde(default)]
    offence_in_range: String,
    #[serde(default)]
    gp: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    note: String,
}

/// A screen that passed validation: what to store and which move to make.
#[derive(Debug, PartialEq, Eq)]
struct Screened {
    outcome: &'static str,
    reasons: Vec<&'static str>,
    action: Action,
    note: Option<String>,
}

fn yes_no(value: &str) -> Option<bool> {
    match value {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    }
}

impl EligibilityForm {
    fn validate(&self, age_years: Option<u32>) -> Result<Screened, Errors> {
        let mut errors = Errors::default();
        if age_years.is_none() {
            errors.add("age", "Record her date of birth before screening");
        }
        let identifies_as_woman = yes_no(&self.identifies_as_woman);
        if identifies_as_woman.is_none() {
            errors.add(
                "identifies_as_woman",
                "Select whether she is within the service's scope",
            );
        }
        let plea = self.plea.parse::<Plea>().ok();
        if plea.is_none() {
            errors.add("plea", "Select her plea or conviction status");
        }
        let in_range = yes_no(&self.offence_in_range);
        if in_range.is_none() {
            errors.add(
                "offence_in_range",
                "Select whether the offence is in the community order or suspended sentence range",
            );
        }
        let gp = self.gp.parse::<GpStatus>().ok();
        if gp.is_none() {
            errors.add(
                "gp",
                "Select whether she is registered with a GP or willing to register",
            );
        }
        let note = self.note.trim();
        if note.chars().count() > NOTE_MAX {
            errors.add("note", format!("Note must be {NOTE_MAX} characters or fewer"));
        }
        let (Some(plea), Some(gp), true) = (plea, gp, errors.is_empty()) else {
            return Err(errors);
        };
        let answers = EligibilityAnswers {
            age_years,
            identifies_as_woman,
            plea,
            offence_in_community_range: in_range,
            gp,
        };
        let note = Some(note.to_string()).filter(|n| !n.is_empty());
        match assess(&answers) {
            Eligibility::Eligible => Ok(Screened {
                outcome: "eligible",
                reasons: Vec::new(),
                action: Action::ConfirmEligible,
                note,
            }),
            Eligibility::NeedsAnswers(questions) => {
                // Only "not known" GP registration gets here: every other answer is required.
                errors.add("gp", questions.join(". "));
                Err(errors)
            }
            Eligibility::Ineligible(reasons) => {
                let (outcome, exit) = match self.outcome.as_str() {
                    "ineligible" => ("ineligible", ExitReason::Ineligible),
                    "stepped-to-primary-care" => ("stepped-to-primary-care", ExitReason::SteppedToPrimaryCare),
                    "signposted" => ("signposted", ExitReason::Signposted),
                    _ => {
                        errors.add(
                            "outcome",
                            format!(
                                "She is not eligible ({}). Select what happens next",
                                reasons.join("; ").to_lowercase()
                            ),
                        );
                        return Err(errors);
                    }
                };
                Ok(Screened {
                    outcome,
                    reasons,
                    action: Action::Close(exit),
                    note,
                })
            }
        }
    }
}

fn age_of(person: &Person, ctx: &Ctx) -> Option<u32> {
    let today = local_time::local_date(ctx.now());
    Some(age_on(person.dob(), today))
}

fn form_body(
    c: &MhtrCase,
    person: &Person,
    age: Option<u32>,
    csrf: &str,
    form: &EligibilityForm,
    errors: &Errors,
) -> Markup {
    html! {
        (components::error_summary(errors))
        span.app-caption { "MHTR case" }
        p { a href=(super::path(&c.id)) { "Back to the case" } }
        h1.app-heading-l { "Eligibility screen: " (person.list_name()) }
        div.app-form-group.app-form-group--error[errors.get("age").is_some()] id="age" {
            @if let Some(e) = errors.get("age") { p.app-error-message { span.app-visually-hidden { "Error: " } (e) } }
            (components::summary_list(&[
                ("Date of birth", html! { (person.dob_display()) }),
                ("Age", html! { @if let Some(a) = age { (a) } @else { "Unknown" } }),
            ]))
        }
        form method="post" action={ (super::path(&c.id)) "/eligibility" } novalidate {
            (components::csrf_field(csrf))
            p.app-hint { (SCOPE) }
            (components::radios("identifies_as_woman", "Is she within the service's scope?", YES_NO, &form.identifies_as_woman, errors))
            (components::radios("plea", "Plea or conviction", PLEAS, &form.plea, errors))
            (components::radios("offence_in_range", "Is the offence in the community order or suspended sentence range?", YES_NO, &form.offence_in_range, errors))
            (components::radios("gp", "GP registration", GP_STATUSES, &form.gp, errors))
            p.app-hint { "Answer this only if she is not eligible." }
            (components::radios("outcome", "If she is not eligible, what happens next?", INELIGIBLE_OUTCOMES, &form.outcome, errors))
            (components::textarea("note", "Note (optional)", &form.note, None, errors))
            button.app-button type="submit" { "Save eligibility screen" }
        }
    }
}

fn page(ctx: &Ctx, (c, person): (&MhtrCase, &Person), form: &EligibilityForm, errors: &Errors) -> HttpResponse {
    let age = age_of(person, ctx);
    let body = form_body(c, person, age, &ctx.user.csrf_token, form, errors);
    let title = format!("Eligibility screen – {}", person.list_name());
    ctx.form_page(&title, errors, body)
}

fn not_at_eligibility(c: &MhtrCase) -> AppError {
    AppError::Refused(format!(
        "The eligibility screen can only be recorded at eligibility screening; this case is at “{}”",
        c.status().label().to_lowercase()
    ))
}

pub async fn show(ctx: Ctx, id: web::Path<String>) -> Result<HttpResponse, AppError> {
    let view = (audit::VIEW, Some("MHTR eligibility screen"));
    let (c, person) = super::load(&ctx, id.into_inner().into(), view).await?;
    if c.status() != MhtrStatus::Eligibility {
        return Err(not_at_eligibility(&c));
    }
    Ok(page(
        &ctx,
        (&c, &person),
        &EligibilityForm::default(),
        &Errors::default(),
    ))
}

pub async fn submit(
    ctx: Ctx,
    id: web::Path<String>,
    form: web::Form<EligibilityForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let (c, person) = super::load(&ctx, id.into_inner().into(), (audit::UPDATE, None)).await?;
    if c.status() != MhtrStatus::Eligibility {
        return Err(not_at_eligibility(&c));
    }
    let screened = match form.validate(age_of(&person, &ctx)) {
        Ok(s) => s,
        Err(errors) => return Ok(page(&ctx, (&c, &person), &form, &errors)),
    };
    let (uid, case) = (ctx.user.id.clone(), c.clone());
    ctx.write(move |tx| {
        use diesel::prelude::*;
        let reasons = Some(screened.reasons.join("\n")).filter(|r| !r.is_empty());
        diesel::update(mhtr_cases::table.find(&case.id))
            .set((
                mhtr_cases::eligibility_outcome.eq(screened.outcome),
                mhtr_cases::eligibility_reasons.eq(reasons),
                mhtr_cases::eligibility_at.eq(tx.now),
            ))
            .execute(tx.conn)?;
        let note = match (&screened.note, screened.reasons.is_empty()) {
            (Some(n), _) => Some(n.clone()),
            (None, false) => Some(screened.reasons.join("; ")),
            (None, true) => None,
        };
        super::apply(tx.conn, tx.now, &uid, &case, screened.action, note.as_deref())?;
        let event = Event::allowed(audit::UPDATE)
            .record(RECORD, &case.id)
            .detail(format!("eligibility {}", screened.outcome));
        tx.audit(event)
    })
    .await?;
    Ok(see_other(&super::path(&c.id)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(woman: &str, plea: &str, range: &str, gp: &str, outcome: &str) -> EligibilityForm {
        EligibilityForm {
            identifies_as_woman: woman.into(),
            plea: plea.into(),
            offence_in_range: range.into(),
            gp: gp.into(),
            outcome: outcome.into(),
            note: String::new(),
        }
    }

    #[test]
    fn an_eligible_screen_confirms_eligibility() {
        let s = form("yes", "guilty", "yes", "registered", "")
            .validate(Some(30))
            .unwrap();
        assert_eq!((s.outcome, s.action), ("eligible", Action::ConfirmEligible));
    }

    #[test]
    fn an_ineligible_screen_needs_the_practitioners_decision() {
        let f = form("yes", "not-guilty", "yes", "registered", "");
        assert!(f.validate(Some(30)).unwrap_err().get("outcome").is_some());
        let s = form("yes", "not-guilty", "yes", "registered", "signposted")
            .validate(Some(30))
            .unwrap();
        assert_eq!(s.action, Action::Close(ExitReason::Signposted));
        assert_eq!(s.reasons, vec!["Has not pleaded or been found guilty"]);
    }

    #[test]
    fn every_answer_is_required_and_age_must_be_known() {
        let errors = form("", "", "", "", "").validate(None).unwrap_err();
        for field in ["age", "identifies_as_woman", "plea", "offence_in_range", "gp"] {
            assert!(errors.get(field).is_some(), "{field}");
        }
        let errors = form("yes", "guilty", "yes", "unknown", "")
            .validate(Some(30))
            .unwrap_err();
        assert!(errors.get("gp").is_some());
    }
}
