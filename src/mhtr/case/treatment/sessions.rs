//! Treatment sessions: planned by date, then marked attended, not attended or cancelled.

use actix_web::{HttpResponse, web};
use chrono::{Duration, NaiveDate};
use diesel::prelude::*;
use maud::{Markup, html};
use serde::Deserialize;

use super::page::{self, Forms};
use super::{ATTENDED, Session, Treatment, session_counts};
use crate::audit;
use crate::db::schema::mhtr_sessions;
use crate::domain::CalendarDate;
use crate::domain::codes::label_of;
use crate::domain::date_input::{self, DateRule, When};
use crate::domain::local_time;
use crate::domain::mhtr::ATTENDANCE;
use crate::domain::new_id;
use crate::mhtr::case::{self, MhtrCase};
use crate::records::Person;
use crate::views::components;
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::see_other;

const REASON_MAX: usize = 500;
/// Sessions are planned up to a year ahead.
const PLAN_AHEAD_DAYS: i64 = 366;

/// Checked against the order and a year ahead below, so `when` never refuses a date here.
const PLANNED: DateRule = DateRule {
    name: "Session date",
    prefix: "planned",
    enter: "Enter the date of the session",
    when: When::TodayOrPast,
    earliest: NaiveDate::from_ymd_opt(2000, 1, 1),
    most_years_ago: None,
    most_years_ahead: None,
};

#[derive(Deserialize, Default, Debug, Clone)]
pub struct PlanForm {
    #[serde(default, rename = "planned-day")]
    day: String,
    #[serde(default, rename = "planned-month")]
    month: String,
    #[serde(default, rename = "planned-year")]
    year: String,
}

impl PlanForm {
    /// A session date from the day of the order (when known) to a year from today.
    fn validate(&self, today: NaiveDate, sentenced_on: Option<NaiveDate>) -> Result<NaiveDate, Errors> {
        let mut errors = Errors::default();
        match date_input::parse(&self.day, &self.month, &self.year, &PLANNED, NaiveDate::MAX) {
            Ok(d) if sentenced_on.is_some_and(|s| d < s) => errors.add(
                PLANNED.prefix,
                "Session date must be the same as or after the date of the order",
            ),
            Ok(d) if d > today + Duration::days(PLAN_AHEAD_DAYS) => {
                errors.add(PLANNED.prefix, "Session date must be within a year from today")
            }
            Ok(d) => return Ok(d),
            Err((field, message)) => errors.add(field, message),
        }
        Err(errors)
    }
}

#[derive(Deserialize, Default, Debug, Clone)]
pub struct AttendanceForm {
    #[serde(default)]
    attendance: String,
    #[serde(default)]
    reason: String,
}

impl AttendanceForm {
    /// The attendance code and reason. Whether she came can only be known once the day has
    /// come; a cancellation can be recorded ahead.
    fn validate(&self, planned_on: NaiveDate, today: NaiveDate) -> Result<(String, Option<String>), Errors> {
        let mut errors = Errors::default();
        let reason = Some(self.reason.trim().to_string()).filter(|r| !r.is_empty());
        let code = self.attendance.as_str();
        let happened = planned_on <= today;
        match code {
            _ if label_of(ATTENDANCE, code).is_none() => {
                errors.add("attendance", "Select whether the session took place")
            }
            ATTENDED | super::DID_NOT_ATTEND if !happened => {
                errors.add("attendance", "You can record attendance once the session date has come")
            }
            _ => {}
        }
        match &reason {
            None if !code.is_empty() && code != ATTENDED => errors.add("reason", "Enter the reason"),
            Some(r) if r.chars().count() > REASON_MAX => {
                errors.add("reason", format!("Reason must be {REASON_MAX} characters or fewer"));
            }
            _ => {}
        }
        if errors.is_empty() {
            Ok((code.to_string(), reason))
        } else {
            Err(errors)
        }
    }
}

fn session_path(case_id: &str, session_id: &str) -> String {
    format!("{}/sessions/{session_id}", super::treatment_path(case_id))
}

/// The counts and one row per session; while open, each links to its attendance form.
pub fn section(c: &MhtrCase, t: &Treatment, open: bool) -> Markup {
    let mut headings = vec!["Planned date", "Attendance", "Reason"];
    if open {
        headings.push("Action");
    }
    let rows: Vec<Vec<Markup>> = t
        .sessions
        .iter()
        .map(|s| {
            let mut row = vec![
                html! { (local_time::day(s.planned_on)) },
                html! { (s.attendance.as_deref().map_or("Not recorded", |a| label_of(ATTENDANCE, a).unwrap_or(a))) },
                html! { (s.reason.as_deref().unwrap_or("")) },
            ];
            if open {
                row.push(html! {
                    a href=(session_path(&c.id, &s.id)) {
                        "Record attendance" span.app-visually-hidden { " for " (local_time::day(s.planned_on)) }
                    }
                });
            }
            row
        })
        .collect();
    html! {
        p { (session_counts(c, t)) }
        @if !t.sessions.is_empty() { (components::table("Sessions, oldest first", &headings, &rows)) }
    }
}

pub fn plan_form(c: &MhtrCase, csrf: &str, form: &PlanForm, errors: &Errors) -> Markup {
    html! {
        form method="post" action={ (super::treatment_path(&c.id)) "/sessions" } novalidate {
            (components::csrf_field(csrf))
            (components::date_input(PLANNED.prefix, "Plan a session", Some("For example, 27 3 2027"),
                [&form.day, &form.month, &form.year], errors))
            button.app-button type="submit" { "Plan session" }
        }
    }
}

pub async fn plan(ctx: Ctx, id: web::Path<String>, form: web::Form<PlanForm>) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let (c, person) = super::load_for_change(&ctx, id.into_inner()).await?;
    let case_id = c.id.clone();
    let order = ctx.read(move |conn| Ok(super::court::order(conn, &case_id)?)).await?;
    let sentenced_on = order.map(|o| o.sentenced_on.date());
    let today = local_time::local_date(ctx.now());
    let planned_on = match form.validate(today, sentenced_on) {
        Ok(d) => CalendarDate::from(d),
        Err(errors) => {
            let forms = Forms {
                plan: form,
                ..Forms::default()
            };
            return page::reject(&ctx, (&c, &person), &forms, &errors).await;
        }
    };
    let uid = ctx.user.id.clone();
    super::record_change(&ctx, &c.id, move |conn, now, fresh| {
        let id = new_id();
        diesel::insert_into(mhtr_sessions::table)
            .values((
                mhtr_sessions::id.eq(&id),
                mhtr_sessions::case_id.eq(&fresh.id),
                mhtr_sessions::planned_on.eq(planned_on.iso()),
                mhtr_sessions::recorded_by.eq(&uid),
                mhtr_sessions::recorded_at.eq(now),
                mhtr_sessions::updated_at.eq(now),
            ))
            .execute(conn)?;
        Ok(format!("session {id} planned for {planned_on}"))
    })
    .await?;
    Ok(see_other(&super::treatment_path(&c.id)))
}

fn find_session(conn: &mut crate::db::DbConnection, case_id: &str, session_id: &str) -> QueryResult<Option<Session>> {
    mhtr_sessions::table
        .filter(mhtr_sessions::case_id.eq(case_id))
        .filter(mhtr_sessions::id.eq(session_id))
        .select(Session::as_select())
        .first(conn)
        .optional()
}

fn attendance_page(
    ctx: &Ctx,
    (c, person, s): (&MhtrCase, &Person, &Session),
    form: &AttendanceForm,
    errors: &Errors,
) -> HttpResponse {
    let date = local_time::day(s.planned_on);
    let body = html! {
        (components::error_summary(errors))
        span.app-caption { "MHTR case" }
        p { a href=(super::treatment_path(&c.id)) { "Back to treatment" } }
        h1.app-heading-l { "Session on " (date) ": " (person.list_name()) }
        form method="post" action=(session_path(&c.id, &s.id)) novalidate {
            (components::csrf_field(&ctx.user.csrf_token))
            (components::radios("attendance", "Did the session take place?", ATTENDANCE, &form.attendance, errors))
            (components::textarea("reason", "Reason", &form.reason, Some("Required unless she attended"), errors))
            button.app-button type="submit" { "Save attendance" }
        }
    };
    let title = format!("Session on {date} – {}", person.list_name());
    ctx.form_page(&title, errors, body)
}

/// The case (in treatment) and the session, which must belong to it.
async fn load_session(
    ctx: &Ctx,
    (id, sid): (String, String),
    view: Option<&'static str>,
) -> Result<(MhtrCase, Person, Session), AppError> {
    let (c, person) = match view {
        Some(_) => case::load(ctx, id.into(), (audit::VIEW, view)).await?,
        None => case::load(ctx, id.into(), (audit::UPDATE, None)).await?,
    };
    super::in_treatment(&c)?;
    let case_id = c.id.clone();
    let session = ctx.read(move |conn| Ok(find_session(conn, &case_id, &sid)?)).await?;
    let session = session.ok_or(AppError::NotFound)?;
    Ok((c, person, session))
}

pub async fn show_attendance(ctx: Ctx, path: web::Path<(String, String)>) -> Result<HttpResponse, AppError> {
    let loaded = load_session(&ctx, path.into_inner(), Some("MHTR treatment session")).await?;
    let (c, person, s) = loaded;
    let form = AttendanceForm {
        attendance: s.attendance.clone().unwrap_or_default(),
        reason: s.reason.clone().unwrap_or_default(),
    };
    Ok(attendance_page(&ctx, (&c, &person, &s), &form, &Errors::default()))
}

pub async fn record_attendance(
    ctx: Ctx,
    path: web::Path<(String, String)>,
    form: web::Form<AttendanceForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let (c, person, s) = load_session(&ctx, path.into_inner(), None).await?;
    let today = local_time::local_date(ctx.now());
    let (attendance, reason) = match form.validate(s.planned_on.date(), today) {
        Ok(v) => v,
        Err(errors) => return Ok(attendance_page(&ctx, (&c, &person, &s), &form, &errors)),
    };
    let session_id = s.id.clone();
    super::record_change(&ctx, &c.id, move |conn, now, _| {
        diesel::update(mhtr_sessions::table.find(&session_id))
            .set((
                mhtr_sessions::attendance.eq(&attendance),
                mhtr_sessions::reason.eq(&reason),
                mhtr_sessions::updated_at.eq(now),
            ))
            .execute(conn)?;
        Ok(format!("session {session_id} attendance {attendance}"))
    })
    .await?;
    Ok(see_other(&super::treatment_path(&c.id)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    fn attendance(code: &str, reason: &str) -> AttendanceForm {
        AttendanceForm {
            attendance: code.into(),
            reason: reason.into(),
        }
    }

    #[test]
    fn a_missed_session_needs_a_reason() {
        let today = day(20);
        assert!(attendance("attended", "").validate(day(19), today).is_ok());
        let errors = attendance("did-not-attend", " ").validate(day(19), today).unwrap_err();
        assert!(errors.get("reason").is_some());
        assert!(attendance("did-not-attend", "Unwell").validate(day(19), today).is_ok());
    }

    #[test]
    fn attendance_waits_for_the_day_but_a_cancellation_does_not() {
        let today = day(20);
        let errors = attendance("attended", "").validate(day(21), today).unwrap_err();
        assert!(errors.get("attendance").is_some());
        assert!(
            attendance("cancelled-by-person", "Childcare")
                .validate(day(21), today)
                .is_ok()
        );
    }

    #[test]
    fn sessions_are_planned_from_the_order_to_a_year_ahead() {
        let plan = |d: &str, m: &str, y: &str| PlanForm {
            day: d.into(),
            month: m.into(),
            year: y.into(),
        };
        assert_eq!(plan("10", "11", "2026").validate(day(20), None).ok(), Some(day(10)));
        assert!(plan("10", "11", "2026").validate(day(20), Some(day(12))).is_err());
        assert!(plan("10", "11", "2028").validate(day(20), None).is_err());
        assert!(plan("", "", "").validate(day(20), None).is_err());
    }
}
