//! Compliance events during the order. Reporting non-attendance queues an email to the
//! responsible officer in the same transaction as the event, which keeps its outbox id.

use actix_web::{HttpResponse, web};
use chrono::NaiveDate;
use diesel::prelude::*;
use maud::{Markup, html};
use serde::Deserialize;

use super::notice::{self, Contact, NonAttendance};
use super::page::{self, Forms};
use super::{ComplianceEvent, Treatment};
use crate::clock::Millis;
use crate::db::DbConnection;
use crate::db::schema::mhtr_compliance_events;
use crate::domain::CalendarDate;
use crate::domain::codes::label_of;
use crate::domain::date_input::{self, DateRule};
use crate::domain::local_time;
use crate::domain::mhtr::COMPLIANCE_EVENTS;
use crate::domain::new_id;
use crate::email::outbox::{NewMessage, enqueue};
use crate::mhtr::case::MhtrCase;
use crate::views::components;
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::see_other;

const NON_ATTENDANCE: &str = "non-attendance-reported";
const NOTES_MAX: usize = 2000;

const OCCURRED: DateRule = DateRule::happened("Date", "occurred", "Enter the date of the event");

#[derive(Deserialize, Default, Debug, Clone)]
pub struct ComplianceForm {
    #[serde(default)]
    kind: String,
    #[serde(default, rename = "occurred-day")]
    day: String,
    #[serde(default, rename = "occurred-month")]
    month: String,
    #[serde(default, rename = "occurred-year")]
    year: String,
    #[serde(default)]
    compliance_notes: String,
}

#[derive(Debug, PartialEq, Eq)]
struct Event {
    kind: String,
    occurred_on: NaiveDate,
    notes: Option<String>,
}

impl ComplianceForm {
    /// Non-attendance can be reported only with a responsible officer to tell and a missed
    /// session to tell them about.
    fn validate(&self, t: &Treatment, today: NaiveDate) -> Result<Event, Errors> {
        let mut errors = Errors::default();
        if label_of(COMPLIANCE_EVENTS, &self.kind).is_none() {
            errors.add("kind", "Select what happened");
        } else if self.kind == NON_ATTENDANCE && t.order.is_none() {
            errors.add(
                "kind",
                "Record the court's order and its responsible officer before reporting non-attendance",
            );
        } else if self.kind == NON_ATTENDANCE && t.missed().is_empty() {
            errors.add("kind", "Record the missed session as not attended before reporting it");
        }
        let occurred_on = date_input::parse(&self.day, &self.month, &self.year, &OCCURRED, today)
            .map_err(|(field, message)| errors.add(field, message))
            .ok();
        let notes = super::notes(&mut errors, "compliance_notes", &self.compliance_notes, NOTES_MAX);
        match occurred_on {
            Some(occurred_on) if errors.is_empty() => Ok(Event {
                kind: self.kind.clone(),
                occurred_on,
                notes,
            }),
            _ => Err(errors),
        }
    }
}

pub fn table(events: &[ComplianceEvent]) -> Markup {
    let rows: Vec<Vec<Markup>> = events
        .iter()
        .map(|e| {
            vec![
                html! { (local_time::day(e.occurred_on)) },
                html! { (label_of(COMPLIANCE_EVENTS, &e.kind).unwrap_or(&e.kind)) },
                html! { span.app-pre-wrap { (e.notes.as_deref().unwrap_or("")) } },
                html! { @if e.outbox_id.is_some() { "Emailed to the responsible officer" } },
            ]
        })
        .collect();
    html! {
        @if rows.is_empty() { p { "No compliance events have been recorded." } }
        @else { (components::table("Compliance events, oldest first", &["Date", "Event", "Notes", "Message"], &rows)) }
    }
}

pub fn form(c: &MhtrCase, csrf: &str, form: &ComplianceForm, errors: &Errors) -> Markup {
    html! {
        form method="post" action={ (super::treatment_path(&c.id)) "/compliance" } novalidate {
            (components::csrf_field(csrf))
            p.app-hint { "Reporting non-attendance emails the responsible officer. A secure address gets her name and the missed session dates; any other address gets a notice asking them to contact the team." }
            (components::radios("kind", "What happened?", COMPLIANCE_EVENTS, &form.kind, errors))
            (components::date_input(OCCURRED.prefix, "Date", Some("For example, 27 3 2026"), [&form.day, &form.month, &form.year], errors))
            (components::textarea("compliance_notes", "Notes (optional)", &form.compliance_notes, Some("Not included in the email"), errors))
            button.app-button type="submit" { "Save compliance event" }
        }
    }
}

/// Who reports non-attendance, about whom, and which addresses may receive her details.
struct Reporter {
    user_id: String,
    practitioner: String,
    team: Option<String>,
    name: String,
    secure_domains: Vec<String>,
}

/// Queues the non-attendance email to the order's responsible officer; returns its outbox id.
fn queue_notice(conn: &mut DbConnection, now: Millis, c: &MhtrCase, r: &Reporter) -> Result<String, AppError> {
    let t = Treatment::load(conn, &c.id)?;
    let order = t
        .order
        .as_ref()
        .ok_or_else(|| AppError::Refused("The court's order is not recorded".into()))?;
    let contact = Contact {
        practitioner: r.practitioner.clone(),
        team: r.team.clone().unwrap_or_default(),
        phone: crate::shifts::current(conn, &r.user_id)?.map(|(shift, _)| shift.contact_phone),
    };
    let reference = c.reference();
    let notice = NonAttendance {
        officer: &order.responsible_officer,
        officer_email: &order.responsible_officer_email,
        reference: &reference,
        name: &r.name,
        missed: &t.missed(),
        contact: &contact,
    };
    let email = notice::render(&notice, &r.secure_domains);
    let message = NewMessage {
        referral_id: None,
        recipient: &order.responsible_officer_email,
        subject: &email.subject,
        body_text: &email.text,
        body_html: None,
    };
    Ok(enqueue(conn, now, &message)?)
}

pub async fn submit(
    ctx: Ctx,
    id: web::Path<String>,
    form: web::Form<ComplianceForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let (c, person) = super::load_for_change(&ctx, id.into_inner()).await?;
    let case_id = c.id.clone();
    let t = ctx.read(move |conn| Ok(Treatment::load(conn, &case_id)?)).await?;
    let event = match form.validate(&t, local_time::local_date(ctx.now())) {
        Ok(v) => v,
        Err(errors) => {
            let forms = Forms {
                compliance: form,
                ..Forms::default()
            };
            return page::reject(&ctx, (&c, &person), &forms, &errors).await;
        }
    };
    let reporter = Reporter {
        user_id: ctx.user.id.clone(),
        practitioner: ctx.user.display_name.clone(),
        team: ctx
            .user
            .teams
            .iter()
            .find(|team| team.id == c.team_id)
            .map(|team| team.name.clone()),
        name: person.full_name(),
        secure_domains: ctx.state.config.secure_domains.clone(),
    };
    let reports = event.kind == NON_ATTENDANCE;
    super::record_change(&ctx, &c.id, move |conn, now, fresh| {
        let outbox_id = if reports {
            Some(queue_notice(conn, now, fresh, &reporter)?)
        } else {
            None
        };
        let on = CalendarDate::from(event.occurred_on);
        diesel::insert_into(mhtr_compliance_events::table)
            .values((
                mhtr_compliance_events::id.eq(new_id()),
                mhtr_compliance_events::case_id.eq(&fresh.id),
                mhtr_compliance_events::kind.eq(&event.kind),
                mhtr_compliance_events::occurred_on.eq(on.iso()),
                mhtr_compliance_events::notes.eq(&event.notes),
                mhtr_compliance_events::outbox_id.eq(&outbox_id),
                mhtr_compliance_events::recorded_by.eq(&reporter.user_id),
                mhtr_compliance_events::recorded_at.eq(now),
            ))
            .execute(conn)?;
        let emailed = outbox_id.map(|id| format!("; outbox {id}")).unwrap_or_default();
        Ok(format!("compliance {} on {on}{emailed}", event.kind))
    })
    .await?;
    if reports {
        ctx.state.outbox.wake();
    }
    Ok(see_other(&super::treatment_path(&c.id)))
}
