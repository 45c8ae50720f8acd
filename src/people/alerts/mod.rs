//! Person-level alerts (risk to staff, MAPPA, an interpreter needed, …): raised from the person
//! page with a date to review them by, then reviewed (kept with a new date) or ended with a
//! reason. Reached through the access model like the person page, so a break-glass reader
//! sees them but cannot change them; every change is audited and nothing is deleted.

mod form;

use actix_web::{HttpResponse, web};
use chrono::NaiveDate;
use diesel::prelude::*;
use maud::{Markup, html};

use self::form::{AlertForm, Decision, ReviewForm};
use crate::access::{Intent, Subject};
use crate::audit::{self, Event};
use crate::db::schema::person_alerts;
use crate::domain::ids::PersonId;
use crate::domain::local_time;
use crate::records::Person;
use crate::records::alerts::{self, Alert};
use crate::views::components;
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::routes::{Guard::Clinical, Record, Routes};
use crate::web::see_other;

#[rustfmt::skip]
pub fn routes(r: &mut Routes) {
    const NEW: &str = "/people/{id}/alerts/new";
    const ONE: &str = "/people/{id}/alerts/{alert_id}";
    r.get(NEW, Clinical, Record::Person, new)
        .post(NEW, Clinical, Record::Person, raise)
        .get(ONE, Clinical, Record::Person, show_review)
        .post(ONE, Clinical, Record::Person, review);
}

/// The audit trail's name for an alert.
const RECORD: &str = "person-alert";

/// The alerts section of the person page: each current alert with its review date.
pub fn section(person_id: &str, alerts: &[Alert], today: NaiveDate, can_change: bool) -> Markup {
    let rows: Vec<Vec<Markup>> = alerts
        .iter()
        .map(|a| {
            vec![
                components::tag(&a.label, components::Tone::Bad),
                html! { (a.note) },
                html! {
                    (a.review_on_display())
                    @if a.review_overdue(today) { " " (components::tag("Review overdue", components::Tone::Warning)) }
                },
                html! { (a.raised_by) br; span.app-hint { (local_time::date_time(a.raised_at)) } },
                html! {
                    @if can_change {
                        a href={ "/people/" (person_id) "/alerts/" (a.id) } { "Review" span.app-visually-hidden { " the " (a.label) " alert" } }
                    }
                },
            ]
        })
        .collect();
    html! {
        h2.app-heading-m #alerts { "Alerts" }
        @if alerts.is_empty() { p { "No alerts recorded." } }
        @else { (components::table("Current alerts", &["Alert", "Details", "Review by", "Raised by", ""], &rows)) }
        @if can_change { p { a.app-button.app-button--secondary href={ "/people/" (person_id) "/alerts/new" } { "Add an alert" } } }
    }
}

/// The person, reached as a change to their record, with their current alerts.
async fn reach(ctx: &Ctx, id: PersonId, intent: Intent) -> Result<(Person, Vec<Alert>), AppError> {
    ctx.reach(Subject::Person(id.clone()), intent, move |conn, _| {
        let person = crate::records::person::find(conn, &id)?.ok_or(AppError::NotFound)?;
        let current = alerts::current_for(conn, &[id.as_str()])?;
        Ok((person, current))
    })
    .await
}

fn back_link(person: &Person) -> Markup {
    html! { p { a href={ "/people/" (person.id) "#alerts" } { "Back to " (person.full_name()) } } }
}

fn new_page(ctx: &Ctx, person: &Person, kinds: &[(String, String)], form: &AlertForm, errors: &Errors) -> HttpResponse {
    let body = html! {
        (components::error_summary(errors))
        span.app-caption { (person.list_name()) }
        h1.app-heading-l { "Add an alert" }
        p { "Alerts show on the live list, the episode and the person page for every team that works with this person." }
        form method="post" action={ "/people/" (person.id) "/alerts/new" } novalidate {
            (components::csrf_field(&ctx.user.csrf_token))
            (form.fields(kinds, errors))
            button.app-button type="submit" { "Add alert" }
        }
        (back_link(person))
    };
    ctx.form_page("Add an alert", errors, body)
}

pub async fn new(ctx: Ctx, id: web::Path<PersonId>) -> Result<HttpResponse, AppError> {
    let (person, _) = reach(&ctx, id.into_inner(), Intent::Read("add an alert form")).await?;
    let kinds = ctx.read(|conn| Ok(alerts::active_kinds(conn)?)).await?;
    Ok(new_page(
        &ctx,
        &person,
        &kinds,
        &AlertForm::default(),
        &Errors::default(),
    ))
}

pub async fn raise(ctx: Ctx, id: web::Path<PersonId>, form: web::Form<AlertForm>) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let (person, _) = reach(&ctx, id.into_inner(), Intent::Write(audit::CREATE)).await?;
    let kinds = ctx.read(|conn| Ok(alerts::active_kinds(conn)?)).await?;
    let new = match form.validate(&kinds, local_time::local_date(ctx.now())) {
        Ok(new) => new,
        Err(errors) => return Ok(new_page(&ctx, &person, &kinds, &form, &errors)),
    };
    let (pid, uid) = (person.id.clone(), ctx.user.id.clone());
    ctx.write(move |tx| {
        let alert_id = crate::domain::new_id();
        diesel::insert_into(person_alerts::table)
            .values((
                person_alerts::id.eq(&alert_id),
                person_alerts::person_id.eq(&pid),
                person_alerts::kind.eq(&new.kind),
                person_alerts::note.eq(&new.note),
                person_alerts::review_on.eq(new.review_on.iso()),
                person_alerts::raised_by.eq(&uid),
                person_alerts::raised_at.eq(tx.now),
            ))
            .execute(tx.conn)?;
        tx.audit(
            Event::allowed(audit::CREATE)
                .record(RECORD, &alert_id)
                .person(&pid)
                .detail(format!("{}; review by {}", new.kind, new.review_on.iso())),
        )
    })
    .await?;
    Ok(see_other(&format!("/people/{}#alerts", person.id)))
}

fn review_page(ctx: &Ctx, person: &Person, alert: &Alert, form: &ReviewForm, errors: &Errors) -> HttpResponse {
    let body = html! {
        (components::error_summary(errors))
        span.app-caption { (person.list_name()) }
        h1.app-heading-l { "Review the " (alert.label) " alert" }
        (components::summary_list(&[
            ("Details", html! { (alert.note) }),
            ("Review by", html! { (alert.review_on_display()) }),
            ("Raised by", html! { (alert.raised_by) ", " (local_time::date_time(alert.raised_at)) }),
        ]))
        form method="post" action={ "/people/" (person.id) "/alerts/" (alert.id) } novalidate {
            (components::csrf_field(&ctx.user.csrf_token))
            (form.fields(errors))
            button.app-button type="submit" { "Save review" }
        }
        (back_link(person))
    };
    ctx.form_page("Review an alert", errors, body)
}

/// The path's person and alert.
#[derive(serde::Deserialize)]
pub struct AlertPath {
    id: PersonId,
    alert_id: String,
}

async fn reach_alert(ctx: &Ctx, path: AlertPath, intent: Intent) -> Result<(Person, Alert), AppError> {
    let (person, current) = reach(ctx, path.id, intent).await?;
    let alert = current
        .into_iter()
        .find(|a| a.id == path.alert_id)
        .ok_or(AppError::NotFound)?;
    Ok((person, alert))
}

pub async fn show_review(ctx: Ctx, path: web::Path<AlertPath>) -> Result<HttpResponse, AppError> {
    let (person, alert) = reach_alert(&ctx, path.into_inner(), Intent::Read("review an alert form")).await?;
    Ok(review_page(
        &ctx,
        &person,
        &alert,
        &ReviewForm::default(),
        &Errors::default(),
    ))
}

pub async fn review(
    ctx: Ctx,
    path: web::Path<AlertPath>,
    form: web::Form<ReviewForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let (person, alert) = reach_alert(&ctx, path.into_inner(), Intent::Write(audit::UPDATE)).await?;
    let decision = match form.validate(local_time::local_date(ctx.now())) {
        Ok(d) => d,
        Err(errors) => return Ok(review_page(&ctx, &person, &alert, &form, &errors)),
    };
    let (pid, uid) = (person.id.clone(), ctx.user.id.clone());
    ctx.write(move |tx| {
        let current = person_alerts::table
            .find(&alert.id)
            .filter(person_alerts::ended_at.is_null());
        let (changed, detail) = match &decision {
            Decision::Keep(next) => (
                diesel::update(current)
                    .set((
                        person_alerts::review_on.eq(next.iso()),
                        person_alerts::reviewed_by.eq(&uid),
                        person_alerts::reviewed_at.eq(tx.now),
                    ))
                    .execute(tx.conn)?,
                format!("reviewed; review by {} → {}", alert.review_on.iso(), next.iso()),
            ),
            Decision::End(reason) => (
                diesel::update(current)
                    .set((
                        person_alerts::ended_by.eq(&uid),
                        person_alerts::ended_at.eq(tx.now),
                        person_alerts::end_reason.eq(reason),
                    ))
                    .execute(tx.conn)?,
                format!("ended: {reason}"),
            ),
        };
        if changed == 0 {
            return Err(AppError::Refused("Someone else has just ended this alert".into()));
        }
        tx.audit(
            Event::allowed(audit::UPDATE)
                .record(RECORD, &alert.id)
                .person(&pid)
                .detail(format!("{}: {detail}", alert.label)),
        )
    })
    .await?;
    Ok(see_other(&format!("/people/{}#alerts", person.id)))
}
