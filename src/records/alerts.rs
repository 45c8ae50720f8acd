//! Alerts about a person that every team should see before meeting them: risk to staff,
//! MAPPA, an interpreter needed, and the other kinds an administrator keeps in the list. Each
//! carries a date by which it must be reviewed; an ended alert is kept for the record. The
//! live list, the episode page and the person page read them here, in one query for any
//! number of people.

use chrono::NaiveDate;
use diesel::prelude::*;
use maud::{Markup, html};

use crate::clock::Millis;
use crate::db::DbConnection;
use crate::db::schema::{alert_kinds, person_alerts, users};
use crate::domain::CalendarDate;
use crate::views::components::{self, Tone};

/// A current alert, as the pages show it.
#[derive(Debug, Clone)]
pub struct Alert {
    pub id: String,
    pub person_id: String,
    pub label: String,
    pub note: String,
    pub review_on: CalendarDate,
    pub raised_by: String,
    pub raised_at: Millis,
}

impl Alert {
    /// Past its review date on `today` (Europe/London).
    pub fn review_overdue(&self, today: NaiveDate) -> bool {
        self.review_on.date() < today
    }

    /// "12 March 2027".
    pub fn review_on_display(&self) -> String {
        self.review_on.date().format("%-d %B %Y").to_string()
    }
}

/// The current alerts of these people, by kind then newest first.
pub fn current_for(conn: &mut DbConnection, person_ids: &[&str]) -> QueryResult<Vec<Alert>> {
    if person_ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(String, String, String, String, String, String, Millis)> = person_alerts::table
        .inner_join(alert_kinds::table)
        .inner_join(users::table.on(users::id.eq(person_alerts::raised_by)))
        .filter(crate::db::one_of(person_alerts::person_id, person_ids))
        .filter(person_alerts::ended_at.is_null())
        .order((alert_kinds::label.asc(), person_alerts::raised_at.desc()))
        .select((
            person_alerts::id,
            person_alerts::person_id,
            alert_kinds::label,
            person_alerts::note,
            person_alerts::review_on,
            users::display_name,
            person_alerts::raised_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, person_id, label, note, review_on, raised_by, raised_at)| {
            Some(Alert {
                id,
                person_id,
                label,
                note,
                review_on: CalendarDate::parse(&review_on).ok()?,
                raised_by,
                raised_at,
            })
        })
        .collect())
}

/// The kinds a practitioner may choose from now (code, label), in the list's order.
pub fn active_kinds(conn: &mut DbConnection) -> QueryResult<Vec<(String, String)>> {
    alert_kinds::table
        .filter(alert_kinds::active.eq(true))
        .order(alert_kinds::label.asc())
        .select((alert_kinds::code, alert_kinds::label))
        .load(conn)
}

/// The alerts as tags, for the list and the top of the episode page.
pub fn tags<'a>(alerts: impl IntoIterator<Item = &'a Alert>, today: NaiveDate) -> Markup {
    html! {
        @for a in alerts {
            (components::tag(&a.label, Tone::Bad)) " "
            @if a.review_overdue(today) { span.app-hint { "(review overdue) " } }
        }
    }
}
