//! The MHTR outreach log: awareness sessions the team ran for secondary care clinicians,
//! the judiciary and others – when, for whom, how many came – listed and counted.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use chrono::NaiveDate;
use diesel::prelude::*;
use maud::{Markup, html};
use serde::Deserialize;

use super::teams;
use crate::audit::{self, Event};
use crate::auth::accounts::Team;
use crate::clock::Millis;
use crate::db::schema::mhtr_outreach;
use crate::db::{DbConnection, one_of};
use crate::domain::CalendarDate;
use crate::domain::codes::label_of;
use crate::domain::date_input::{self, DateRule};
use crate::domain::ids::TeamId;
use crate::domain::local_time;
use crate::domain::mhtr::OUTREACH_AUDIENCES;
use crate::domain::words::count;
use crate::views::components::{self, Field};
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::see_other;

/// The audit trail's record type for the outreach log.
pub const RECORD: &str = "mhtr-outreach";
/// The whole-date field id; the boxes are `held-day`, `held-month` and `held-year`.
pub const HELD: &str = "held";

const ORGANISATION_LIMIT: usize = 200;
const NOTES_LIMIT: usize = 2000;
const MOST_ATTENDING: u32 = 1000;

/// A session cannot have been held after today; a year before 2000 is a typing slip.
const HELD_ON: DateRule = DateRule::happened("Date held", HELD, "Enter the date the session was held");

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = mhtr_outreach)]
pub struct Outreach {
    pub id: String,
    pub team_id: TeamId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub held_on: CalendarDate,
    pub audience: String,
    pub organisation: String,
    pub attendees: i32,
    pub notes: Option<String>,
    pub recorded_by: String,
    pub recorded_at: Millis,
}

/// The form as typed, kept as text so a rejected form shows exactly what was entered.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct OutreachForm {
    #[serde(default, rename = "held-day")]
    pub day: String,
    #[serde(default, rename = "held-month")]
    pub month: String,
    #[serde(default, rename = "held-year")]
    pub year: String,
    #[serde(default)]
    pub audience: String,
    #[serde(default)]
    pub organisation: String,
    #[serde(default)]
    pub attendees: String,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub team_id: String,
}

/// A checked form, ready to save.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutreachValues {
    pub team_id: TeamId,
    pub held_on: CalendarDate,
    pub audience: String,
    pub organisation: String,
    pub attendees: i32,
    pub notes: Option<String>,
}

/// Why `text` is not a number attending, or the number.
fn parse_attendees(text: &str) -> Result<i32, &'static str> {
    let text = text.trim();
    if text.is_empty() {
        return Err("Enter the number attending");
    }
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err("Number attending must be a whole number, like 25");
    }
    match text.parse::<u32>() {
        Ok(n) if (1..=MOST_ATTENDING).contains(&n) => Ok(n as i32),
        _ => Err("Number attending must be between 1 and 1000"),
    }
}

impl OutreachForm {
    /// Checks every field; `team_ids` are the user's MHTR teams, `today` bounds the date.
    pub fn validate(&self, team_ids: &[TeamId], today: NaiveDate) -> Result<OutreachValues, Errors> {
        let mut errors = Errors::default();
        let held_on = date_input::parse(&self.day, &self.month, &self.year, &HELD_ON, today)
            .map_err(|(field, message)| errors.add(field, message))
            .ok();
        if label_of(OUTREACH_AUDIENCES, &self.audience).is_none() {
            errors.add("audience", "Select who the session was for");
        }
        let organisation = self.organisation.split_whitespace().collect::<Vec<_>>().join(" ");
        if organisation.is_empty() {
            errors.add("organisation", "Enter the organisation");
        } else if organisation.chars().count() > ORGANISATION_LIMIT {
            errors.add(
                "organisation",
                format!("Organisation must be {ORGANISATION_LIMIT} characters or fewer"),
            );
        }
        let attendees = parse_attendees(&self.attendees).unwrap_or_else(|message| {
            errors.add("attendees", message);
            0
        });
        let notes = Some(self.notes.trim().to_string()).filter(|n| !n.is_empty());
        if notes.as_ref().is_some_and(|n| n.chars().count() > NOTES_LIMIT) {
            errors.add("notes", format!("Notes must be {NOTES_LIMIT} characters or fewer"));
        }
        let team_id = match team_ids {
            [only] => only.clone(),
            _ if team_ids.iter().any(|t| *t == self.team_id) => self.team_id.clone().into(),
            _ => {
                errors.add("team_id", "Select the team that ran the session");
                String::new().into()
            }
        };
        let (Some(held_on), true) = (held_on, errors.is_empty()) else {
            return Err(errors);
        };
        Ok(OutreachValues {
            team_id,
            held_on: held_on.into(),
            audience: self.audience.clone(),
            organisation,
            attendees,
            notes,
        })
    }
}

/// The sessions of `team_ids`, newest first.
pub fn list(conn: &mut DbConnection, team_ids: &[TeamId]) -> QueryResult<Vec<Outreach>> {
    mhtr_outreach::table
        .filter(one_of(mhtr_outreach::team_id, team_ids))
        .order((mhtr_outreach::held_on.desc(), mhtr_outreach::recorded_at.desc()))
        .select(Outreach::as_select())
        .load(conn)
}

pub fn create(conn: &mut DbConnection, now: Millis, user_id: &str, v: &OutreachValues) -> QueryResult<String> {
    let id = crate::domain::new_id();
    let row = Outreach {
        id: id.clone(),
        team_id: v.team_id.clone(),
        held_on: v.held_on,
        audience: v.audience.clone(),
        organisation: v.organisation.clone(),
        attendees: v.attendees,
        notes: v.notes.clone(),
        recorded_by: user_id.to_string(),
        recorded_at: now,
    };
    diesel::insert_into(mhtr_outreach::table).values(row).execute(conn)?;
    Ok(id)
}

/// "2 sessions, 45 people reached".
fn in_words(sessions: &[&Outreach]) -> String {
    let people: i64 = sessions.iter().map(|s| i64::from(s.attendees)).sum();
    format!(
        "{}, {} reached",
        count(sessions.len() as i64, "session", "sessions"),
        count(people, "person", "people")
    )
}

/// The totals at the top: every session, then each audience type.
pub fn totals(sessions: &[Outreach]) -> (String, Vec<(&'static str, String)>) {
    let all: Vec<&Outreach> = sessions.iter().collect();
    let by_audience = OUTREACH_AUDIENCES
        .iter()
        .map(|(code, label)| {
            let these: Vec<&Outreach> = sessions.iter().filter(|s| s.audience == *code).collect();
            (*label, in_words(&these))
        })
        .collect();
    (in_words(&all), by_audience)
}

/// The user's MHTR teams, or an audited refusal for anyone outside them.
async fn require_member(ctx: &Ctx, action: &'static str) -> Result<Vec<Team>, AppError> {
    let mine: Vec<Team> = teams::of_user(&ctx.user).into_iter().cloned().collect();
    if !mine.is_empty() {
        return Ok(mine);
    }
    ctx.audit(Event::denied(action).record(RECORD, "-")).await?;
    Err(AppError::Forbidden)
}

fn ids(teams: &[Team]) -> Vec<TeamId> {
    teams.iter().map(|t| t.id.clone()).collect()
}

pub async fn show_list(ctx: Ctx) -> Result<HttpResponse, AppError> {
    let my_teams = require_member(&ctx, audit::VIEW).await?;
    let team_ids = ids(&my_teams);
    let teams_listed = team_ids.iter().map(TeamId::as_str).collect::<Vec<_>>().join(",");
    let sessions = ctx.read(move |conn| Ok(list(conn, &team_ids)?)).await?;
    let event = Event::allowed(audit::VIEW)
        .record(RECORD, &teams_listed)
        .detail(format!("{} sessions", sessions.len()));
    ctx.audit(event).await?;
    let (overall, by_audience) = totals(&sessions);
    let team_name = |id: &str| {
        my_teams
            .iter()
            .find(|t| t.id == id)
            .map_or("", |t| t.name.as_str())
            .to_string()
    };
    let several = my_teams.len() > 1;
    let mut headings = vec!["Date held", "Audience", "Organisation", "Attending", "Notes"];
    if several {
        headings.push("Team");
    }
    let rows: Vec<Vec<Markup>> = sessions
        .iter()
        .map(|s| {
            let mut row = vec![
                html! { (local_time::day(s.held_on)) },
                html! { (label_of(OUTREACH_AUDIENCES, &s.audience).unwrap_or(&s.audience)) },
                html! { (s.organisation) },
                html! { (s.attendees) },
                html! { (s.notes.as_deref().unwrap_or("")) },
            ];
            if several {
                row.push(html! { (team_name(&s.team_id)) });
            }
            row
        })
        .collect();
    let summary: Vec<(&str, Markup)> = by_audience
        .iter()
        .map(|(label, words)| (*label, html! { (words) }))
        .collect();
    let names: Vec<&str> = my_teams.iter().map(|t| t.name.as_str()).collect();
    let body = html! {
        span.app-caption { (names.join(", ")) }
        h1.app-heading-l { "MHTR outreach" }
        p { "Awareness sessions for secondary care clinicians, the judiciary and others." }
        p id="outreach-total" { strong { (overall) } }
        (components::summary_list(&summary))
        p { a.app-button href="/mhtr/outreach/new" { "Record a session" } }
        @if sessions.is_empty() { p { "No sessions have been recorded yet." } }
        @else { (components::table("Sessions, newest first", &headings, &rows)) }
    };
    Ok(ctx.render(StatusCode::OK, &ctx.page("MHTR outreach"), body))
}

fn form_page(ctx: &Ctx, my_teams: &[Team], form: &OutreachForm, errors: &Errors) -> HttpResponse {
    let audiences: Vec<(&str, &str)> = OUTREACH_AUDIENCES.to_vec();
    let team_options: Vec<(&str, &str)> = my_teams.iter().map(|t| (t.id.as_str(), t.name.as_str())).collect();
    let title = "Record an outreach session";
    let body = html! {
        (components::error_summary(errors))
        h1.app-heading-l { (title) }
        form method="post" action="/mhtr/outreach/new" novalidate {
            (components::csrf_field(&ctx.user.csrf_token))
            @if my_teams.len() > 1 {
                (components::radios("team_id", "Team", &team_options, &form.team_id, errors))
            }
            (components::date_input(HELD, "Date held", Some("For example, 27 3 2026"), [&form.day, &form.month, &form.year], errors))
            (components::radios("audience", "Who was the session for?", &audiences, &form.audience, errors))
            (components::input(Field::text("organisation", "Organisation", &form.organisation).hint("For example, the hospital trust or the court"), errors))
            (components::input(Field::text("attendees", "Number attending", &form.attendees).hint("A whole number, like 25"), errors))
            (components::textarea("notes", "Notes (optional)", &form.notes, None, errors))
            button.app-button type="submit" { "Save session" }
        }
        p { a href="/mhtr/outreach" { "Back to outreach" } }
    };
    ctx.form_page(title, errors, body)
}

pub async fn new_form(ctx: Ctx) -> Result<HttpResponse, AppError> {
    let my_teams = require_member(&ctx, audit::VIEW).await?;
    Ok(form_page(&ctx, &my_teams, &OutreachForm::default(), &Errors::default()))
}

pub async fn submit(ctx: Ctx, form: web::Form<OutreachForm>) -> Result<HttpResponse, AppError> {
    let my_teams = require_member(&ctx, audit::CREATE).await?;
    let form = form.into_inner();
    let today = local_time::local_date(ctx.now());
    let values = match form.validate(&ids(&my_teams), today) {
        Ok(v) => v,
        Err(errors) => return Ok(form_page(&ctx, &my_teams, &form, &errors)),
    };
    let user_id = ctx.user.id.clone();
    ctx.write(move |tx| {
        let id = create(tx.conn, tx.now, &user_id, &values)?;
        let detail = format!(
            "team={}; held_on={}; audience={}; organisation={}; attendees={}",
            values.team_id, values.held_on, values.audience, values.organisation, values.attendees
        );
        tx.audit(Event::allowed(audit::CREATE).record(RECORD, &id).detail(detail))
    })
    .await?;
    Ok(see_other("/mhtr/outreach"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 5, 20).unwrap()
    }

    fn good() -> OutreachForm {
        OutreachForm {
            day: "1".into(),
            month: "5".into(),
            year: "2026".into(),
            audience: "judiciary".into(),
            organisation: " Westminster   Magistrates ".into(),
            attendees: "12".into(),
            notes: String::new(),
            team_id: String::new(),
        }
    }

    #[test]
    fn a_good_form_is_tidied() {
        let v = good().validate(&["t".into()], today()).unwrap();
        assert_eq!(v.held_on.iso(), "2026-05-01");
        assert_eq!(v.organisation, "Westminster Magistrates");
        assert_eq!((v.attendees, v.notes, v.team_id.as_str()), (12, None, "t"));
    }

    #[test]
    fn attendees_must_be_a_whole_number_from_1_to_1000() {
        assert_eq!(parse_attendees("1000"), Ok(1000));
        assert!(parse_attendees("0").is_err());
        assert!(parse_attendees("1001").is_err());
        assert!(parse_attendees("lots").is_err());
        assert!(parse_attendees("2.5").is_err());
        assert!(parse_attendees("").is_err());
    }

    #[test]
    fn several_teams_means_choosing_one() {
        let teams = [TeamId::from("a"), TeamId::from("b")];
        let errors = good().validate(&teams, today()).unwrap_err();
        assert!(errors.get("team_id").is_some());
        let chosen = OutreachForm {
            team_id: "b".into(),
            ..good()
        };
        assert_eq!(chosen.validate(&teams, today()).unwrap().team_id, "b");
    }
}
