//! GET/POST /mhtr/intake/cases/{id}: the intake decision on a referral entered from outside –
//! accept into the pathway with the report deadline confirmed, or decline with a reason. A
//! declined referrer who gave an email address is told through the outbox: a secure address
//! may hear who and why, a standard one only that there is news.

use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use maud::html;

use super::form::source_label;
use crate::audit::{self, Event};
use crate::clock::Millis;
use crate::config::Config;
use crate::db::DbConnection;
use crate::db::schema::{mhtr_cases, teams};
use crate::domain::local_time;
use crate::domain::mhtr::{Action, DEADLINE_KINDS, ExitReason, MhtrStatus, countdown, report_due_by};
use crate::domain::referral::{SecurityClass, security_class};
use crate::email::outbox::{self, NewMessage};
use crate::mhtr::case::{self, MhtrCase, RECORD};
use crate::mhtr::decision::{DECISIONS, Decision, DecisionForm};
use crate::mhtr::hearing;
use crate::records::Person;
use crate::views::components;
use crate::views::form::Errors;
use crate::web::context::{Ctx, Tx};
use crate::web::error::AppError;
use crate::web::see_other;

fn page(ctx: &Ctx, (c, person): (&MhtrCase, &Person), form: &DecisionForm, errors: &Errors) -> HttpResponse {
    let today = local_time::local_date(ctx.now());
    let or_not = |v: &Option<String>| v.clone().unwrap_or_else(|| "Not recorded".into());
    let kind = c.deadline_kind().map_or(c.deadline_kind.as_str(), |k| k.label());
    let body = html! {
        (components::error_summary(errors))
        p { a href="/mhtr/intake" { "Back to MHTR intake" } }
        span.app-caption { "MHTR referral" }
        h1.app-heading-l { (person.list_name()) }
        h2.app-heading-m { "Her details" }
        (components::summary_list(&[
            ("Name", html! { (person.full_name()) }),
            ("Date of birth", html! { (person.dob_display()) }),
            ("NHS number", html! { (person.nhs_display().unwrap_or_else(|| "Not recorded".into())) }),
        ]))
        h2.app-heading-m { "Referral" }
        (components::summary_list(&[
            ("Referral source", html! { (source_label(&c.referral_source)) }),
            ("Referrer", html! { (or_not(&c.referrer_name)) }),
            ("Organisation", html! { (or_not(&c.referrer_organisation)) }),
            ("Email address", html! { (or_not(&c.referrer_email)) }),
            ("Telephone", html! { (or_not(&c.referrer_phone)) }),
            ("Received on", html! { (local_time::date_time(c.created_at)) }),
            ("Reason for referral", html! { span.app-pre-wrap { (c.referral_reason.as_deref().unwrap_or("")) } }),
            ("Court", html! { (c.court.as_deref().unwrap_or("Not recorded")) }),
            ("Next hearing", html! {
                @if let Some(d) = c.next_hearing_date() { (local_time::day(d)) br; strong { (hearing::countdown(d, today)) } }
                @else { "Not set" }
            }),
            ("Suitability report due", html! {
                @if let Some(d) = c.report_due_date() { strong { (countdown(d, today)) } " – " (local_time::day(d)) br; }
                span.app-hint { (kind) }
            }),
        ]))
        h2.app-heading-m { "Intake decision" }
        form method="post" action=(super::decision_path(&c.id)) novalidate {
            (components::csrf_field(&ctx.user.csrf_token))
            (components::radios("decision", "Do you accept this referral?", DECISIONS, &form.decision, errors))
            (components::shown_when("decision", "accept", components::radios("deadline_kind", "If you accept: confirm when the court needs the suitability report", DEADLINE_KINDS, &form.deadline_kind, errors)))
            (components::shown_when("decision", "decline", components::textarea("decline_reason", "Reason for declining", &form.decline_reason, Some("Required if you decline. If the referrer gave an email address, they are told."), errors)))
            button.app-button type="submit" { "Save decision" }
        }
    };
    let title = format!("{} – MHTR referral", person.list_name());
    ctx.form_page(&title, errors, body)
}

fn already_decided() -> AppError {
    AppError::Refused("This referral has already been decided: go to the case to see where it stands".into())
}

/// Loads the case if the user is in its team and it came from outside the app.
async fn load(
    ctx: &Ctx,
    id: String,
    access: (&'static str, Option<&'static str>),
) -> Result<(MhtrCase, Person), AppError> {
    let (c, person) = case::load(ctx, id.into(), access).await?;
    if c.referral_id.is_some() {
        return Err(AppError::NotFound);
    }
    Ok((c, person))
}

pub async fn show(ctx: Ctx, id: web::Path<String>) -> Result<HttpResponse, AppError> {
    let view = (audit::VIEW, Some("intake decision page"));
    let (c, person) = load(&ctx, id.into_inner(), view).await?;
    if c.status() != MhtrStatus::Referred {
        return Ok(see_other(&case::path(&c.id)));
    }
    let form = DecisionForm {
        deadline_kind: c.deadline_kind.clone(),
        ..DecisionForm::default()
    };
    Ok(page(&ctx, (&c, &person), &form, &Errors::default()))
}

pub async fn decide(ctx: Ctx, id: web::Path<String>, form: web::Form<DecisionForm>) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let (c, person) = load(&ctx, id.into_inner(), (audit::UPDATE, None)).await?;
    if c.status() != MhtrStatus::Referred {
        return Err(already_decided());
    }
    let decision = match form.validate() {
        Ok(d) => d,
        Err(errors) => return Ok(page(&ctx, (&c, &person), &form, &errors)),
    };
    let (uid, config) = (ctx.user.id.clone(), ctx.state.config.clone());
    let case_id = c.id.clone();
    let queued = ctx
        .write(move |tx| {
            let current = case::find(tx.conn, &case_id)?.ok_or(AppError::NotFound)?;
            if current.status() != MhtrStatus::Referred {
                return Err(already_decided());
            }
            record(tx, &uid, (&current, &person), &decision, &config)
        })
        .await?;
    if queued {
        ctx.state.outbox.wake();
    }
    Ok(see_other(&case::path(&c.id)))
}

/// Applies the decision; returns whether a message to the referrer was queued.
fn record(
    tx: &mut Tx<'_>,
    user_id: &str,
    (c, person): (&MhtrCase, &Person),
    decision: &Decision,
    config: &Config,
) -> Result<bool, AppError> {
    let (detail, queued) = match decision {
        Decision::Accept(kind) => {
            let referred_on = local_time::local_date(c.created_at);
            let due = report_due_by(*kind, referred_on, c.next_hearing_date());
            diesel::update(mhtr_cases::table.find(&c.id))
                .set((
                    mhtr_cases::deadline_kind.eq(kind.code()),
                    mhtr_cases::report_due.eq(hearing::to_stored(due)),
                ))
                .execute(tx.conn)?;
            case::apply(
                tx.conn,
                tx.now,
                user_id,
                c,
                Action::Accept,
                Some("Referral accepted at intake"),
            )?;
            ("intake accepted".to_string(), false)
        }
        Decision::Decline(reason) => {
            let exit = Action::Close(ExitReason::DeclinedAtIntake);
            case::apply(tx.conn, tx.now, user_id, c, exit, Some(reason))?;
            let queued = tell_referrer(tx.conn, tx.now, config, (c, person), reason)?;
            let detail = if queued {
                "intake declined; referrer told by email"
            } else {
                "intake declined"
            };
            (detail.to_string(), queued)
        }
    };
    let event = Event::allowed(audit::UPDATE).record(RECORD, &c.id).detail(detail);
    tx.audit(event)?;
    Ok(queued)
}

/// Queues the decline to the referrer's email address, if they gave one.
fn tell_referrer(
    conn: &mut DbConnection,
    now: Millis,
    config: &Config,
    (c, person): (&MhtrCase, &Person),
    reason: &str,
) -> Result<bool, AppError> {
    let Some(address) = c.referrer_email.as_deref() else {
        return Ok(false);
    };
    let team: String = teams::table.find(&c.team_id).select(teams::name).first(conn)?;
    let received = local_time::local_day(c.created_at);
    let greeting = c
        .referrer_name
        .as_deref()
        .map_or_else(|| "Hello,".to_string(), |n| format!("Dear {n},"));
    let subject = format!("Your referral to {team}");
    let body = match security_class(address, &config.secure_domains) {
        SecurityClass::Secure => format!(
            "{greeting}\n\nThank you for your referral of {name}, born {dob}, received on {received}.\n\n\
             {team} is not able to accept it. The reason is:\n{reason}\n\n\
             Please contact the team if you would like to discuss this.\n",
            name = person.full_name(),
            dob = person.dob_display(),
        ),
        SecurityClass::Standard => format!(
            "{greeting}\n\n{team} has made a decision on the referral you sent on {received}: it has not \
             been accepted.\n\nThis email is not secure, so it contains no personal information. Please \
             contact the team, quoting reference {reference}, for the details.\n",
            reference = c.reference(),
        ),
    };
    outbox::enqueue(
        conn,
        now,
        &NewMessage {
            referral_id: None,
            recipient: address,
            subject: &subject,
            body_text: &body,
            body_html: None,
        },
    )?;
    Ok(true)
}
