//! Treatment under an MHTR: sessions and attendance, outcome measures, Women's Centre liaison, compliance events and completion.
//!
//! Everything is recorded only while the case is in treatment; the page stays readable once
//! treatment has ended.

mod centre;
mod complete;
mod compliance;
mod measures;
mod notice;
mod page;
mod sessions;

use diesel::prelude::*;
use maud::{Markup, html};

use super::court::{self, Order};
use crate::audit;
use crate::clock::Millis;
use crate::db::DbConnection;
use crate::db::schema::{mhtr_centre_contacts, mhtr_compliance_events, mhtr_measures, mhtr_sessions};
use crate::domain::CalendarDate;
use crate::domain::mhtr::MhtrStatus;
use crate::mhtr::case::{self, MhtrCase};
use crate::records::Person;
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::routes::Routes;

pub use complete::COMPLETION_OUTCOMES;

#[rustfmt::skip]
pub fn routes(r: &mut Routes) {
    use crate::web::routes::{Guard::Clinical, Record::MhtrCase};
    r.get("/mhtr/cases/{id}/treatment", Clinical, MhtrCase, page::show)
        .post("/mhtr/cases/{id}/treatment/sessions", Clinical, MhtrCase, sessions::plan)
        .get("/mhtr/cases/{id}/treatment/sessions/{sid}", Clinical, MhtrCase, sessions::show_attendance)
        .post("/mhtr/cases/{id}/treatment/sessions/{sid}", Clinical, MhtrCase, sessions::record_attendance)
        .post("/mhtr/cases/{id}/treatment/measures", Clinical, MhtrCase, measures::submit)
        .post("/mhtr/cases/{id}/treatment/centre-contacts", Clinical, MhtrCase, centre::submit)
        .post("/mhtr/cases/{id}/treatment/compliance", Clinical, MhtrCase, compliance::submit)
        .get("/mhtr/cases/{id}/treatment/complete", Clinical, MhtrCase, complete::show)
        .post("/mhtr/cases/{id}/treatment/complete", Clinical, MhtrCase, complete::submit);
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = mhtr_sessions)]
pub struct Session {
    pub id: String,
    #[diesel(deserialize_as = String)]
    pub planned_on: CalendarDate,
    /// An `ATTENDANCE` code, once recorded.
    pub attendance: Option<String>,
    pub reason: Option<String>,
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = mhtr_measures)]
pub struct Measure {
    pub measure: String,
    /// [`START`] or [`END`].
    pub phase: String,
    pub score: i32,
    #[diesel(deserialize_as = String)]
    pub taken_on: CalendarDate,
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = mhtr_centre_contacts)]
pub struct CentreContact {
    pub centre: String,
    #[diesel(deserialize_as = String)]
    pub contacted_on: CalendarDate,
    pub method: String,
    pub notes: Option<String>,
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = mhtr_compliance_events)]
pub struct ComplianceEvent {
    pub kind: String,
    #[diesel(deserialize_as = String)]
    pub occurred_on: CalendarDate,
    pub notes: Option<String>,
    pub outbox_id: Option<String>,
}

pub const START: &str = "start";
pub const END: &str = "end";
pub const ATTENDED: &str = "attended";
pub const DID_NOT_ATTEND: &str = "did-not-attend";

/// Everything recorded about treatment on one case.
pub struct Treatment {
    pub order: Option<Order>,
    pub sessions: Vec<Session>,
    pub measures: Vec<Measure>,
    pub contacts: Vec<CentreContact>,
    pub events: Vec<ComplianceEvent>,
}

impl Treatment {
    pub fn load(conn: &mut DbConnection, case_id: &str) -> QueryResult<Treatment> {
        Ok(Treatment {
            order: court::order(conn, case_id)?,
            sessions: mhtr_sessions::table
                .filter(mhtr_sessions::case_id.eq(case_id))
                .order((mhtr_sessions::planned_on.asc(), mhtr_sessions::recorded_at.asc()))
                .select(Session::as_select())
                .load(conn)?,
            measures: mhtr_measures::table
                .filter(mhtr_measures::case_id.eq(case_id))
                .order(mhtr_measures::recorded_at.asc())
                .select(Measure::as_select())
                .load(conn)?,
            contacts: mhtr_centre_contacts::table
                .filter(mhtr_centre_contacts::case_id.eq(case_id))
                .order((
                    mhtr_centre_contacts::contacted_on.asc(),
                    mhtr_centre_contacts::recorded_at.asc(),
                ))
                .select(CentreContact::as_select())
                .load(conn)?,
            events: mhtr_compliance_events::table
                .filter(mhtr_compliance_events::case_id.eq(case_id))
                .order((
                    mhtr_compliance_events::occurred_on.asc(),
                    mhtr_compliance_events::recorded_at.asc(),
                ))
                .select(ComplianceEvent::as_select())
                .load(conn)?,
        })
    }

    fn attended(&self) -> usize {
        self.sessions
            .iter()
            .filter(|s| s.attendance.as_deref() == Some(ATTENDED))
            .count()
    }

    /// The dates of the sessions she did not attend, oldest first.
    fn missed(&self) -> Vec<CalendarDate> {
        self.sessions
            .iter()
            .filter(|s| s.attendance.as_deref() == Some(DID_NOT_ATTEND))
            .map(|s| s.planned_on)
            .collect()
    }
}

/// "2 of 3 sessions attended (12 proposed)".
fn session_counts(c: &MhtrCase, t: &Treatment) -> String {
    let planned = t.sessions.len();
    let noun = if planned == 1 { "session" } else { "sessions" };
    let proposed = c
        .planned_sessions
        .map(|n| format!(" ({n} proposed)"))
        .unwrap_or_default();
    format!("{} of {planned} {noun} attended{proposed}", t.attended())
}

/// Optional notes, trimmed, or the error when too long.
fn notes(errors: &mut Errors, field: &str, value: &str, most: usize) -> Option<String> {
    let text = Some(value.trim().to_string()).filter(|n| !n.is_empty());
    if text.as_ref().is_some_and(|n| n.chars().count() > most) {
        errors.add(field, format!("Notes must be {most} characters or fewer"));
    }
    text
}

/// Refuses a change to the treatment record unless the case is in treatment.
fn in_treatment(c: &MhtrCase) -> Result<(), AppError> {
    if c.status() == MhtrStatus::Treatment {
        return Ok(());
    }
    Err(AppError::Refused(format!(
        "Treatment can only be recorded while the case is in treatment; this case is “{}”",
        c.status().label().to_lowercase()
    )))
}

/// The case, for a change to its treatment record: only while it is in treatment.
async fn load_for_change(ctx: &Ctx, id: String) -> Result<(MhtrCase, Person), AppError> {
    let (c, person) = case::load(ctx, id.into(), (audit::UPDATE, None)).await?;
    in_treatment(&c)?;
    Ok((c, person))
}

/// Runs `work` in a write transaction once the case is checked, under its row lock, to be
/// still in treatment, and audits the change with the detail `work` returns.
async fn record_change<F>(ctx: &Ctx, case_id: &str, work: F) -> Result<(), AppError>
where
    F: FnOnce(&mut DbConnection, Millis, &MhtrCase) -> Result<String, AppError> + Send + 'static,
{
    case::record_change(ctx, case_id, (audit::UPDATE, in_treatment), work).await
}

fn treatment_path(case_id: &str) -> String {
    format!("{}/treatment", case::path(case_id))
}

/// This part's section of the case page.
pub fn panel(conn: &mut DbConnection, case: &MhtrCase) -> diesel::QueryResult<Markup> {
    let t = Treatment::load(conn, &case.id)?;
    let started = case.status() == MhtrStatus::Treatment || t.order.is_some();
    if !started {
        return Ok(html! {});
    }
    Ok(html! {
        h2.app-heading-m { "Treatment" }
        p { (session_counts(case, &t)) }
        (measures::table(&t.measures))
        (compliance::table(&t.events))
        (complete::summary(t.order.as_ref()))
        p { a href=(treatment_path(&case.id)) { "Sessions, measures and contacts" } }
    })
}
