//! What the records manager decides about a record: keep it longer, preserve it, place or lift
//! a legal hold, record a death.

use actix_web::{HttpResponse, web};
use chrono::NaiveDate;
use maud::{Markup, html};
use serde::Deserialize;

use super::pages::{self, Forms};
use super::{EXTEND, PRESERVE, RECORD, record, store};
use crate::audit::{self, Event};
use crate::domain::date_input::{self, DateRule, When};
use crate::domain::local_time::local_date;
use crate::views::components;
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::see_other;

const REASON_MAX: usize = 2000;

pub(super) fn reason(text: &str, field: &'static str, missing: &'static str, errors: &mut Errors) -> String {
    let text = text.trim();
    if text.is_empty() {
        errors.add(field, missing);
    } else if text.chars().count() > REASON_MAX {
        errors.add(field, format!("Reason must be {REASON_MAX} characters or fewer"));
    }
    text.to_string()
}

const NEW_REVIEW: DateRule = DateRule {
    name: "New review date",
    prefix: "review",
    enter: "Enter the new review date",
    when: When::TodayOrFuture,
    earliest: None,
    most_years_ago: None,
    most_years_ahead: Some(100),
};

#[derive(Deserialize, Default)]
pub struct DecisionForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    reason: String,
    #[serde(default, rename = "review-day")]
    day: String,
    #[serde(default, rename = "review-month")]
    month: String,
    #[serde(default, rename = "review-year")]
    year: String,
}

impl DecisionForm {
    pub(super) fn render(&self, ctx: &Ctx, base: &str, errors: &Errors) -> Markup {
        let extend = html! {
            (components::date_input("review", "New review date", Some("For example, 1 6 2031"), [&self.day, &self.month, &self.year], errors))
        };
        html! {
            form method="post" action={ (base) "/decision" } novalidate {
                (components::csrf_field(&ctx.user.csrf_token))
                (components::radios("decision", "What should happen to the record?", &[(EXTEND, "Keep it until a later review date"), (PRESERVE, "Preserve it permanently")], &self.decision, errors))
                (components::shown_when("decision", EXTEND, extend))
                (components::textarea("reason", "Reason", &self.reason, Some("Recorded with the decision, for audit"), errors))
                button.app-button type="submit" { "Record the decision" }
            }
        }
    }

    fn validate(&self, today: NaiveDate) -> Result<(&'static str, String, Option<String>), Errors> {
        let mut errors = Errors::default();
        let kind = [EXTEND, PRESERVE].into_iter().find(|k| *k == self.decision);
        if kind.is_none() {
            errors.add("decision", "Select what should happen to the record");
        }
        let mut new_date = None;
        if kind == Some(EXTEND) {
            match date_input::parse(&self.day, &self.month, &self.year, &NEW_REVIEW, today) {
                Ok(d) if d > today => new_date = Some(d.to_string()),
                Ok(_) => errors.add("review", "New review date must be after today"),
                Err((field, message)) => errors.add(field, message),
            }
        }
        let reason = reason(&self.reason, "reason", "Enter the reason for the decision", &mut errors);
        match kind {
            Some(k) if errors.is_empty() => Ok((k, reason, new_date)),
            _ => Err(errors),
        }
    }
}

#[derive(Deserialize, Default)]
pub struct HoldForm {
    #[serde(default)]
    hold_reason: String,
}

impl HoldForm {
    pub(super) fn render(&self, ctx: &Ctx, base: &str, held: bool, errors: &Errors) -> Markup {
        let (action, label, button) = if held {
            (
                format!("{base}/hold/lift"),
                "Why the hold can be lifted",
                "Lift the legal hold",
            )
        } else {
            (
                format!("{base}/hold"),
                "Why the record must be held",
                "Place a legal hold",
            )
        };
        html! {
            form method="post" action=(action) novalidate {
                (components::csrf_field(&ctx.user.csrf_token))
                (components::textarea("hold_reason", label, &self.hold_reason, Some("For example, the inquiry or claim and its reference"), errors))
                button.app-button.app-button--secondary type="submit" { (button) }
            }
        }
    }
}

#[derive(Deserialize, Default)]
pub struct DeathForm {
    #[serde(default, rename = "died-day")]
    day: String,
    #[serde(default, rename = "died-month")]
    month: String,
    #[serde(default, rename = "died-year")]
    year: String,
}

const DIED: DateRule = DateRule {
    name: "Date of death",
    prefix: "died",
    enter: "Enter the date of death",
    when: When::TodayOrPast,
    earliest: None,
    most_years_ago: Some(120),
    most_years_ahead: None,
};

impl DeathForm {
    pub(super) fn render(&self, ctx: &Ctx, base: &str, errors: &Errors) -> Markup {
        html! {
            form method="post" action={ (base) "/death" } novalidate {
                (components::csrf_field(&ctx.user.csrf_token))
                (components::date_input("died", "Date of death", Some("For example, 27 3 2026"), [&self.day, &self.month, &self.year], errors))
                button.app-button.app-button--secondary type="submit" { "Record the date of death" }
            }
        }
    }
}

/// Shows the record's page again with one form's answers and errors, nothing saved.
async fn refused(ctx: &Ctx, id: &str, forms: Forms) -> Result<HttpResponse, AppError> {
    let found = pages::load(ctx, id).await?;
    Ok(pages::render_person(ctx, found, &forms))
}

/// Runs a change to a present record, audited against the person, then back to its page.
async fn change<F>(ctx: &Ctx, id: String, detail: String, work: F) -> Result<HttpResponse, AppError>
where
    F: FnOnce(&mut crate::db::DbConnection, crate::clock::Millis, &str) -> Result<(), AppError> + Send + 'static,
{
    let by = ctx.user.id.clone();
    let target = id.clone();
    let periods = ctx.state.config.retention_periods();
    ctx.write(move |tx| {
        if record::load(tx.conn, &target)?.is_none() {
            return Err(AppError::NotFound);
        }
        work(tx.conn, tx.now, &by)?;
        store::recompute(tx.conn, tx.now, periods, &[target.as_str()])?;
        tx.audit(
            Event::allowed(audit::UPDATE)
                .record(RECORD, &target)
                .person(&target)
                .detail(detail),
        )?;
        Ok(())
    })
    .await?;
    Ok(see_other(&format!("/records/people/{id}")))
}

pub async fn decide(ctx: Ctx, id: web::Path<String>, form: web::Form<DecisionForm>) -> Result<HttpResponse, AppError> {
    let (id, form) = (id.into_inner(), form.into_inner());
    let (kind, reason, new_date) = match form.validate(local_date(ctx.now())) {
        Ok(v) => v,
        Err(errors) => {
            return refused(
                &ctx,
                &id,
                Forms {
                    decision: form,
                    errors,
                    ..Forms::default()
                },
            )
            .await;
        }
    };
    let detail = match &new_date {
        Some(d) => format!("kept until {d}: {reason}"),
        None => format!("preserved permanently: {reason}"),
    };
    change(&ctx, id.clone(), detail, move |conn, now, by| {
        Ok(record::decide(
            conn,
            now,
            &id,
            by,
            (kind, &reason, new_date.as_deref()),
        )?)
    })
    .await
}

pub async fn place_hold(ctx: Ctx, id: web::Path<String>, form: web::Form<HoldForm>) -> Result<HttpResponse, AppError> {
    hold(ctx, id.into_inner(), form.into_inner(), true).await
}

pub async fn lift_hold(ctx: Ctx, id: web::Path<String>, form: web::Form<HoldForm>) -> Result<HttpResponse, AppError> {
    hold(ctx, id.into_inner(), form.into_inner(), false).await
}

/// Places (`place`) or lifts a legal hold, with its reason.
async fn hold(ctx: Ctx, id: String, form: HoldForm, place: bool) -> Result<HttpResponse, AppError> {
    let (missing, done) = if place {
        ("Enter why the record must be held", "legal hold placed")
    } else {
        ("Enter why the hold can be lifted", "legal hold lifted")
    };
    let mut errors = Errors::default();
    let why = reason(&form.hold_reason, "hold_reason", missing, &mut errors);
    if !errors.is_empty() {
        let forms = Forms {
            hold: form,
            errors,
            ..Forms::default()
        };
        return refused(&ctx, &id, forms).await;
    }
    change(&ctx, id.clone(), format!("{done}: {why}"), move |conn, now, by| {
        if place {
            if !store::held_among(conn, &[id.as_str()])?.is_empty() {
                return Err(AppError::Refused("The record is already under a legal hold".into()));
            }
            record::place_hold(conn, now, &id, by, &why)?;
        } else if !record::lift_hold(conn, now, &id, by, &why)? {
            return Err(AppError::Refused("The record has no legal hold to lift".into()));
        }
        Ok(())
    })
    .await
}

pub async fn record_death(
    ctx: Ctx,
    id: web::Path<String>,
    form: web::Form<DeathForm>,
) -> Result<HttpResponse, AppError> {
    let (id, form) = (id.into_inner(), form.into_inner());
    let today = local_date(ctx.now());
    let died = match date_input::parse(&form.day, &form.month, &form.year, &DIED, today) {
        Ok(d) => d.to_string(),
        Err((field, message)) => {
            let mut errors = Errors::default();
            errors.add(field, message);
            return refused(
                &ctx,
                &id,
                Forms {
                    death: form,
                    errors,
                    ..Forms::default()
                },
            )
            .await;
        }
    };
    change(
        &ctx,
        id.clone(),
        format!("date of death recorded: {died}"),
        move |conn, _, _| Ok(record::record_death(conn, &id, Some(&died))?),
    )
    .await
}
