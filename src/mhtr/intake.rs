//! GET /mhtr/intake: the MHTR team's queue of referrals, new ones first and the nearest
//! sentencing hearing first among them, since the hearing is the assessment's deadline.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use chrono::NaiveDate;
use diesel::prelude::*;
use maud::{Markup, html};
use serde::Deserialize;

use super::access::{self, INTAKE_RECORD};
use super::hearing;
use super::referral::{MhtrReferral, Status};
use crate::audit::{self, Event};
use crate::auth::CurrentUser;
use crate::clock::Millis;
use crate::db::DbConnection;
use crate::db::schema::{episodes, mhtr_referrals, people, teams, users};
use crate::domain::local_time;
use crate::domain::person::age_on;
use crate::people::Person;
use crate::state::AppState;
use crate::views::components;
use crate::views::{Page, layout};
use crate::web::error::AppError;
use crate::web::form::Errors;
use crate::web::html as respond;

/// How much of the reason the list shows; the referral page shows it all.
const REASON_PREVIEW: usize = 200;

#[derive(Debug, Default, Clone, Deserialize)]
pub struct IntakeFilter {
    /// "new", "accepted", "declined", or empty for every status.
    #[serde(default)]
    pub status: String,
}

impl IntakeFilter {
    fn status(&self) -> Option<Status> {
        Status::parse(&self.status)
    }
}

/// One referral on the list, with everything it shows.
pub struct IntakeRow {
    pub referral: MhtrReferral,
    pub person: Person,
    /// The L&D team whose episode it came from.
    pub referring_team: Option<String>,
    pub referred_by: String,
}

/// New referrals first; then the soonest hearing, referrals without one last; then the
/// longest waiting.
pub fn intake_order(r: &MhtrReferral) -> (bool, bool, Option<NaiveDate>, Millis) {
    let hearing = r.hearing();
    (r.status() != Status::New, hearing.is_none(), hearing, r.created_at)
}

/// The referrals to `team_ids`, filtered and in intake order, in a fixed number of queries.
pub fn load(conn: &mut DbConnection, team_ids: &[String], status: Option<Status>) -> QueryResult<Vec<IntakeRow>> {
    let mut query = mhtr_referrals::table
        .inner_join(people::table)
        .filter(mhtr_referrals::team_id.eq_any(team_ids))
        .select((MhtrReferral::as_select(), Person::as_select()))
        .into_boxed();
    if let Some(s) = status {
        query = query.filter(mhtr_referrals::status.eq(s.code()));
    }
    let found: Vec<(MhtrReferral, Person)> = query.load(conn)?;
    let user_ids: Vec<&str> = found.iter().map(|(r, _)| r.referred_by.as_str()).collect();
    let episode_ids: Vec<&str> = found.iter().filter_map(|(r, _)| r.episode_id.as_deref()).collect();
    let names: HashMap<String, String> = users::table
        .filter(users::id.eq_any(&user_ids))
        .select((users::id, users::display_name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    let referring_teams: HashMap<String, String> = episodes::table
        .inner_join(teams::table.on(teams::id.eq(episodes::team_id)))
        .filter(episodes::id.eq_any(&episode_ids))
        .select((episodes::id, teams::name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    let mut rows: Vec<IntakeRow> = found
        .into_iter()
        .map(|(referral, person)| IntakeRow {
            referring_team: referral
                .episode_id
                .as_ref()
                .and_then(|e| referring_teams.get(e).cloned()),
            referred_by: names.get(&referral.referred_by).cloned().unwrap_or_default(),
            referral,
            person,
        })
        .collect();
    rows.sort_by_key(|r| intake_order(&r.referral));
    Ok(rows)
}

/// "27 Mar 2027" and "12 days to hearing", or that none is set.
pub fn hearing_cell(r: &MhtrReferral, today: NaiveDate) -> Markup {
    match (r.hearing_date.as_deref(), r.hearing()) {
        (Some(stored), Some(date)) => {
            html! { (hearing::display(stored)) br; strong { (hearing::countdown(date, today)) } }
        }
        (Some(stored), None) => html! { (stored) },
        _ => html! { "Not set" },
    }
}

fn preview(text: &str) -> String {
    if text.chars().count() <= REASON_PREVIEW {
        return text.to_string();
    }
    let cut: String = text.chars().take(REASON_PREVIEW).collect();
    format!("{}…", cut.trim_end())
}

fn row_cells(row: &IntakeRow, today: NaiveDate) -> Vec<Markup> {
    let r = &row.referral;
    let age = row.person.dob().map(|d| age_on(d, today));
    vec![
        html! { a href={ "/mhtr/intake/" (r.id) } { (row.person.list_name()) } },
        html! { @if let Some(a) = age { (a) } @else { "Unknown" } },
        html! {
            (row.referring_team.as_deref().unwrap_or("–")) br;
            (row.referred_by) br;
            span.app-hint { (local_time::date_time(r.created_at)) }
        },
        html! { (preview(&r.reason)) },
        hearing_cell(r, today),
        r.status().tag(),
    ]
}

const HEADINGS: [&str; 6] = ["Name", "Age", "Referred by", "Reason", "Sentencing hearing", "Status"];

fn filter_form(filter: &IntakeFilter) -> Markup {
    let options: Vec<(String, String)> = std::iter::once((String::new(), "Any status".to_string()))
        .chain(
            Status::ALL
                .iter()
                .map(|s| (s.code().to_string(), s.label().to_string())),
        )
        .collect();
    html! {
        form.app-filter method="get" action="/mhtr/intake" {
            (components::select("status", "Status", &options, &filter.status, &Errors::default()))
            button.app-button.app-button--secondary type="submit" { "Filter" }
        }
    }
}

fn list_body(team_names: &str, filter: &IntakeFilter, rows: &[IntakeRow], today: NaiveDate) -> Markup {
    let cells: Vec<Vec<Markup>> = rows.iter().map(|r| row_cells(r, today)).collect();
    let caption = format!("{} referrals, new first, nearest hearing first", rows.len());
    html! {
        span.app-caption { (team_names) }
        h1.app-heading-l { "MHTR intake" }
        p { "Referrals from Liaison and Diversion teams. Accept or decline each one; the referring team sees your decision on their episode." }
        (filter_form(filter))
        @if rows.is_empty() { p { "There are no referrals to show." } }
        @else { (components::table(&caption, &HEADINGS, &cells)) }
    }
}

pub async fn list(
    state: web::Data<AppState>,
    user: CurrentUser,
    filter: web::Query<IntakeFilter>,
) -> Result<HttpResponse, AppError> {
    let team_ids = access::require_mhtr_member(&state, &user, audit::VIEW).await?;
    let filter = filter.into_inner();
    let (now, actor, status) = (state.now(), user.actor(), filter.status());
    let rows = state
        .db(move |conn| {
            let rows = load(conn, &team_ids, status)?;
            // One audit row per request, never one per person listed.
            let detail = format!(
                "{} referrals; status {}",
                rows.len(),
                status.map_or("any", Status::code)
            );
            let teams_listed = team_ids.join(",");
            let event = Event::allowed(audit::VIEW)
                .record(INTAKE_RECORD, &teams_listed)
                .detail(detail);
            audit::record(conn, now, &actor, event)?;
            Ok(rows)
        })
        .await?;
    let team_names: Vec<&str> = super::teams::of_user(&user).iter().map(|t| t.name.as_str()).collect();
    let body = list_body(&team_names.join(", "), &filter, &rows, local_time::local_date(now));
    let page = Page::signed_in("MHTR intake", &user, state.demo);
    Ok(respond(StatusCode::OK, layout::render(&page, body)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn referral(id: &str, status: &str, hearing: Option<&str>, created_at: Millis) -> MhtrReferral {
        MhtrReferral {
            id: id.into(),
            person_id: "p".into(),
            episode_id: None,
            team_id: "t".into(),
            reason: "r".into(),
            hearing_date: hearing.map(String::from),
            status: status.into(),
            decline_reason: None,
            referred_by: "u".into(),
            created_at,
            decided_by: None,
            decided_at: None,
        }
    }

    #[test]
    fn new_first_then_soonest_hearing_then_oldest() {
        let mut list = [
            referral("decided", "accepted", Some("2026-01-01"), 0),
            referral("no-hearing-old", "new", None, 1),
            referral("no-hearing-new", "new", None, 2),
            referral("later", "new", Some("2026-12-20"), 0),
            referral("sooner-newer", "new", Some("2026-12-01"), 9),
            referral("sooner-older", "new", Some("2026-12-01"), 3),
        ];
        list.sort_by_key(intake_order);
        let ids: Vec<&str> = list.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "sooner-older",
                "sooner-newer",
                "later",
                "no-hearing-old",
                "no-hearing-new",
                "decided"
            ]
        );
    }

    #[test]
    fn long_reasons_are_cut_on_the_list() {
        assert_eq!(preview("short"), "short");
        let long = "a".repeat(REASON_PREVIEW + 5);
        assert_eq!(preview(&long).chars().count(), REASON_PREVIEW + 1);
    }
}
