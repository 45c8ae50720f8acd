//! The stored screening and appropriate adult: finding them, and showing them as text.

use diesel::prelude::*;
use maud::{Markup, html};

use super::{CONSENT, FULL_ASSESSMENT_NEEDED};
use crate::clock::Millis;
use crate::db::DbConnection;
use crate::db::schema::{appropriate_adults, screenings};
use crate::domain::codes::{self, CodeList};
use crate::domain::local_time;
use crate::views::components;
use crate::web::context::Ctx;
use crate::web::error::AppError;

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = screenings)]
pub struct Screening {
    pub episode_id: String,
    pub consent: String,
    /// Codes from `codes::VULNERABILITIES`, comma-separated.
    pub vulnerabilities: String,
    pub presenting_concerns: String,
    pub outcome: String,
    pub completed_by: String,
    pub completed_at: Millis,
}

impl Screening {
    pub fn vulnerability_codes(&self) -> impl Iterator<Item = &str> {
        crate::domain::code::Codes::Text(&self.vulnerabilities).iter()
    }

    pub fn needs_assessment(&self) -> bool {
        self.outcome == FULL_ASSESSMENT_NEEDED
    }
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = appropriate_adults)]
pub struct AppropriateAdult {
    pub episode_id: String,
    pub name: String,
    pub relationship: String,
    pub phone: String,
    pub present: bool,
    pub recorded_by: String,
    pub recorded_at: Millis,
}

impl AppropriateAdult {
    /// "Jane Doe (parent), present" – for the timeline and summaries.
    pub fn describe(&self) -> String {
        format!(
            "{} ({}), {}",
            self.name,
            label(codes::APPROPRIATE_ADULT_RELATIONSHIPS, &self.relationship).to_lowercase(),
            if self.present { "present" } else { "not present" }
        )
    }
}

pub fn find(conn: &mut DbConnection, episode_id: &str) -> QueryResult<Option<Screening>> {
    screenings::table
        .find(episode_id)
        .select(Screening::as_select())
        .first(conn)
        .optional()
}

pub fn find_appropriate_adult(conn: &mut DbConnection, episode_id: &str) -> QueryResult<Option<AppropriateAdult>> {
    appropriate_adults::table
        .find(episode_id)
        .select(AppropriateAdult::as_select())
        .first(conn)
        .optional()
}

pub(super) async fn load_adult(ctx: &Ctx, episode_id: &str) -> Result<Option<AppropriateAdult>, AppError> {
    let id = episode_id.to_string();
    ctx.read(move |conn| Ok(find_appropriate_adult(conn, &id)?)).await
}
/// The label for a stored code; the code itself if the list no longer has it.
pub(super) fn label(list: CodeList, code: &str) -> &str {
    codes::label_of(list, code).unwrap_or(code)
}

pub(super) fn vulnerability_labels<'a>(selected: impl Iterator<Item = &'a str>) -> String {
    let labels: Vec<&str> = selected.map(|c| label(codes::VULNERABILITIES, c)).collect();
    // "None identified" is a code of its own: nothing ticked is nothing recorded.
    if labels.is_empty() {
        "None recorded".to_string()
    } else {
        labels.join(", ")
    }
}

/// The screening as a summary list, for the episode page.
pub fn summary(screening: &Screening, adult: Option<&AppropriateAdult>) -> Markup {
    let mut rows = vec![
        ("Screened", html! { (local_time::date_time(screening.completed_at)) }),
        ("Consent to screening", html! { (label(CONSENT, &screening.consent)) }),
        (
            "Vulnerabilities",
            html! { (vulnerability_labels(screening.vulnerability_codes())) },
        ),
        ("Presenting concerns", html! { (screening.presenting_concerns) }),
        (
            "Outcome",
            html! { (label(codes::SCREENING_OUTCOMES, &screening.outcome)) },
        ),
    ];
    if let Some(a) = adult {
        rows.push(("Appropriate adult", html! { (a.describe()) br; (a.phone) }));
    }
    components::summary_list(&rows)
}
