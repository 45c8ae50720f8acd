//! GET /mhtr/intake: the MHTR team's queue. Referrals waiting for a decision – from a court
//! L&D team inside the app, or entered from outside – in one list, the nearest report
//! deadline first; below it, the team's open cases.

use std::collections::HashMap;

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use chrono::NaiveDate;
use diesel::prelude::*;
use maud::{Markup, html};

use super::access::{self, INTAKE_RECORD};
use super::case::{self, MhtrCase, SOURCE_COURT_LD, status_tag};
use super::external::{self, form::source_label};
use super::hearing;
use super::referral::{MhtrReferral, Status};
use crate::audit::{self, Event};
use crate::clock::Millis;
use crate::db::schema::{episodes, mhtr_cases, mhtr_referrals, people, sites, teams, users};
use crate::db::{DbConnection, one_of};
use crate::domain::ids::TeamId;
use crate::domain::local_time;
use crate::domain::mhtr::{DeadlineKind, MhtrStatus, countdown};
use crate::domain::person::age_on;
use crate::domain::site::court_name;
use crate::domain::words::count;
use crate::records::Person;
use crate::views::components;
use crate::web::context::Ctx;
use crate::web::error::AppError;

/// How much of the reason the list shows; the referral page shows it all.
const REASON_PREVIEW: usize = 200;

/// One referral waiting for the team's decision, wherever it came from.
pub struct Waiting {
    /// The decision page.
    pub link: String,
    pub person: Person,
    /// The referral source in words.
    pub source: String,
    /// Who referred her: the L&D team and practitioner, or the referrer outside.
    pub referred_by: String,
    pub court: Option<String>,
    pub next_hearing: Option<NaiveDate>,
    /// `None` for an L&D referral: the team chooses it when accepting.
    pub deadline_kind: Option<DeadlineKind>,
    /// When the report is due; for an L&D referral, the hearing, which it cannot be after.
    pub due: Option<NaiveDate>,
    pub received_at: Millis,
    pub reason: String,
}

/// The soonest deadline first, those without one last; then the longest waiting.
pub fn queue_order(w: &Waiting) -> (bool, Option<NaiveDate>, Millis) {
    (w.due.is_none(), w.due, w.received_at)
}

/// New internal referrals to `team_ids`, with the L&D team, the practitioner and the court
/// (the episode's site), in a fixed number of queries.
fn internal(conn: &mut DbConnection, team_ids: &[TeamId]) -> QueryResult<Vec<Waiting>> {
    let found: Vec<(MhtrReferral, Person)> = mhtr_referrals::table
        .inner_join(people::table)
        .filter(one_of(mhtr_referrals::team_id, team_ids))
        .filter(mhtr_referrals::status.eq(Status::New.code()))
        .select((MhtrReferral::as_select(), Person::as_select()))
        .load(conn)?;
    let user_ids: Vec<&str> = found.iter().map(|(r, _)| r.referred_by.as_str()).collect();
    let episode_ids: Vec<&str> = found.iter().filter_map(|(r, _)| r.episode_id.as_deref()).collect();
    let names: HashMap<String, String> = users::table
        .filter(one_of(users::id, &user_ids))
        .select((users::id, users::display_name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    // The referring team, and the court when the L&D contact was at one (a custody suite is
    // not her court).
    let places: HashMap<String, (String, Option<String>)> = episodes::table
        .inner_join(teams::table.on(teams::id.eq(episodes::team_id)))
        .inner_join(sites::table.on(sites::id.eq(episodes::site_id)))
        .filter(one_of(episodes::id, &episode_ids))
        .select((episodes::id, teams::name, sites::name, sites::kind))
        .load::<(String, String, String, String)>(conn)?
        .into_iter()
        .map(|(episode, team, site, kind)| (episode, (team, court_name(&kind, site))))
        .collect();
    Ok(found
        .into_iter()
        .map(|(r, person)| {
            let place = r.episode_id.as_ref().and_then(|e| places.get(e.as_str()));
            let practitioner = names.get(&r.referred_by).map_or("", String::as_str);
            let referred_by = match place {
                Some((team, _)) => format!("{team}, {practitioner}"),
                None => practitioner.to_string(),
            };
            Waiting {
                link: format!("/mhtr/intake/{}", r.id),
                source: source_label(SOURCE_COURT_LD).to_string(),
                referred_by,
                court: place.and_then(|(_, court)| court.clone()),
                next_hearing: r.hearing(),
                deadline_kind: None,
                due: r.hearing(),
                received_at: r.created_at,
                reason: r.reason,
                person,
            }
        })
        .collect())
}

/// Cases of `team_ids` with their person, in the given statuses.
fn cases_in(conn: &mut DbConnection, team_ids: &[TeamId], statuses: &[&str]) -> QueryResult<Vec<(MhtrCase, Person)>> {
    mhtr_cases::table
        .inner_join(people::table)
        .filter(one_of(mhtr_cases::team_id, team_ids))
        .filter(one_of(mhtr_cases::status, statuses))
        .select((MhtrCase::as_select(), Person::as_select()))
        .load(conn)
}

/// Referrals entered from outside, still waiting for the intake decision.
fn external(conn: &mut DbConnection, team_ids: &[TeamId]) -> QueryResult<Vec<Waiting>> {
    let found = cases_in(conn, team_ids, &[MhtrStatus::Referred.code()])?;
    Ok(found
        .into_iter()
        .filter(|(c, _)| external::waiting_in_intake(c))
        .map(|(c, person)| {
            let referred_by = [&c.referrer_name, &c.referrer_organisation]
                .into_iter()
                .flatten()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join(", ");
            Waiting {
                link: external::decision_path(&c.id),
                source: source_label(&c.referral_source).to_string(),
                referred_by,
                next_hearing: c.next_hearing_date(),
                deadline_kind: c.deadline_kind(),
                due: c.report_due_date(),
                received_at: c.created_at,
                reason: c.referral_reason.clone().unwrap_or_default(),
                court: c.court,
                person,
            }
        })
        .collect())
}

/// Every referral waiting for `team_ids`' decision, in queue order.
pub fn waiting(conn: &mut DbConnection, team_ids: &[TeamId]) -> QueryResult<Vec<Waiting>> {
    let mut all = internal(conn, team_ids)?;
    all.extend(external(conn, team_ids)?);
    all.sort_by_key(queue_order);
    Ok(all)
}

/// The team's cases on the pathway (accepted, not yet ended), the nearest report first.
pub fn open_cases(conn: &mut DbConnection, team_ids: &[TeamId]) -> QueryResult<Vec<(MhtrCase, Person)>> {
    let open: Vec<&str> = MhtrStatus::ALL
        .into_iter()
        .filter(|s| s.is_open() && *s != MhtrStatus::Referred)
        .map(MhtrStatus::code)
        .collect();
    let mut found = cases_in(conn, team_ids, &open)?;
    found.sort_by_key(|(c, _)| {
        let due = report_deadline(c);
        (due.is_none(), due, c.created_at)
    });
    Ok(found)
}

/// The report deadline while it still matters: until the court has sentenced.
fn report_deadline(c: &MhtrCase) -> Option<NaiveDate> {
    c.status().is_before_sentence().then(|| c.report_due_date()).flatten()
}

/// "27 Mar 2027" and "12 days to hearing", or that none is set.
pub fn hearing_cell(r: &MhtrReferral, today: NaiveDate) -> Markup {
    match r.hearing() {
        Some(date) => html! { (local_time::day(date)) br; strong { (hearing::countdown(date, today)) } },
        None => html! { "Not set" },
    }
}

fn preview(text: &str) -> String {
    if text.chars().count() <= REASON_PREVIEW {
        return text.to_string();
    }
    let cut: String = text.chars().take(REASON_PREVIEW).collect();
    format!("{}…", cut.trim_end())
}

fn deadline_cell(w: &Waiting, today: NaiveDate) -> Markup {
    html! {
        @if let Some(due) = w.due { strong { (countdown(due, today)) } br; (local_time::day(due)) br; }
        @else { "Not set" br; }
        span.app-hint {
            @match w.deadline_kind {
                Some(kind) => { (kind.label()) },
                None => { "Chosen when accepted; no later than the hearing" },
            }
        }
    }
}

fn waiting_cells(w: &Waiting, today: NaiveDate) -> Vec<Markup> {
    let age = age_on(w.person.dob(), today);
    vec![
        html! {
            a href=(w.link) { (w.person.list_name()) } br;
            span.app-hint { "Age " (age) }
        },
        html! {
            (w.source) br;
            (w.referred_by) br;
            span.app-hint { (local_time::date_time(w.received_at)) }
        },
        html! { (w.court.as_deref().unwrap_or("Not recorded")) },
        html! {
            @if let Some(d) = w.next_hearing { (local_time::day(d)) br; strong { (hearing::countdown(d, today)) } }
            @else { "Not set" }
        },
        deadline_cell(w, today),
        html! { (preview(&w.reason)) },
    ]
}

const WAITING_HEADINGS: [&str; 6] = [
    "Name",
    "Referred by",
    "Court",
    "Next hearing",
    "Report deadline",
    "Reason",
];

fn case_cells((c, person): &(MhtrCase, Person), today: NaiveDate) -> Vec<Markup> {
    vec![
        html! { a href=(case::path(&c.id)) { (person.list_name()) } },
        status_tag(c.status()),
        html! {
            @if let Some(due) = report_deadline(c) { strong { (countdown(due, today)) } br; (local_time::day(due)) }
            @else { "–" }
        },
        html! { (c.court.as_deref().unwrap_or("Not recorded")) },
    ]
}

const CASE_HEADINGS: [&str; 4] = ["Name", "Status", "Report due", "Court"];

fn list_body(team_names: &str, waiting: &[Waiting], open: &[(MhtrCase, Person)], today: NaiveDate) -> Markup {
    let waiting_rows: Vec<Vec<Markup>> = waiting.iter().map(|w| waiting_cells(w, today)).collect();
    let case_rows: Vec<Vec<Markup>> = open.iter().map(|c| case_cells(c, today)).collect();
    html! {
        span.app-caption { (team_names) }
        h1.app-heading-l { "MHTR intake" }
        p { "Referrals from liaison and diversion teams arrive here. Enter referrals from probation, the primary care MHTR team, the judiciary or self-referrals yourself. Accept or decline each one." }
        p {
            a.app-button href="/mhtr/referrals/new" { "Enter a referral from outside the service" }
        }
        h2.app-heading-m { "Waiting for a decision" }
        @if waiting.is_empty() { p { "There are no referrals waiting for a decision." } }
        @else {
            (components::table(&format!("{}, nearest report deadline first", count(waiting.len() as i64, "referral", "referrals")), &WAITING_HEADINGS, &waiting_rows))
        }
        h2.app-heading-m { "Open cases" }
        @if open.is_empty() { p { "There are no open cases." } }
        @else {
            (components::table(&format!("{} open cases, nearest report deadline first", open.len()), &CASE_HEADINGS, &case_rows))
        }
        p { a href="/mhtr/extract" { "Evaluation extract" } }
    }
}

pub async fn list(ctx: Ctx) -> Result<HttpResponse, AppError> {
    let team_ids = access::require_mhtr_member(&ctx, audit::VIEW).await?;
    let teams_listed = team_ids.iter().map(TeamId::as_str).collect::<Vec<_>>().join(",");
    let (waiting, open) = ctx
        .read(move |conn| Ok((waiting(conn, &team_ids)?, open_cases(conn, &team_ids)?)))
        .await?;
    // One audit row per request, never one per person listed.
    let detail = format!("{} waiting; {} open cases", waiting.len(), open.len());
    ctx.audit(
        Event::allowed(audit::VIEW)
            .record(INTAKE_RECORD, &teams_listed)
            .detail(detail),
    )
    .await?;
    let team_names: Vec<&str> = super::teams::of_user(&ctx.user)
        .iter()
        .map(|t| t.name.as_str())
        .collect();
    let body = list_body(
        &team_names.join(", "),
        &waiting,
        &open,
        local_time::local_date(ctx.now()),
    );
    Ok(ctx.render(StatusCode::OK, &ctx.page("MHTR intake"), body))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn waiting(id: &str, due: Option<&str>, received_at: Millis) -> Waiting {
        let person = Person {
            id: id.into(),
            nhs_number: None,
            pnc_id: None,
            cro_number: None,
            given_name: id.into(),
            family_name: "X".into(),
            given_key: String::new(),
            family_key: String::new(),
            date_of_birth: "1990-01-01".parse().unwrap(),
            sex: None,
            gender_identity: None,
            ethnic_category: None,
            preferred_language: None,
            interpreter_needed: false,
            gp_practice: None,
            created_by: None,
            created_at: 0,
            updated_at: 0,
            merged_into: None,
        };
        Waiting {
            link: String::new(),
            person,
            source: String::new(),
            referred_by: String::new(),
            court: None,
            next_hearing: None,
            deadline_kind: None,
            due: due.and_then(hearing::from_stored),
            received_at,
            reason: String::new(),
        }
    }

    #[test]
    fn soonest_deadline_first_then_longest_waiting_and_no_deadline_last() {
        let mut list = [
            waiting("no-deadline", None, 0),
            waiting("later", Some("2026-12-20"), 0),
            waiting("sooner-newer", Some("2026-12-01"), 9),
            waiting("sooner-older", Some("2026-12-01"), 3),
        ];
        list.sort_by_key(queue_order);
        let ids: Vec<&str> = list.iter().map(|w| w.person.id.as_str()).collect();
        assert_eq!(ids, ["sooner-older", "sooner-newer", "later", "no-deadline"]);
    }

    #[test]
    fn long_reasons_are_cut_on_the_list() {
        assert_eq!(preview("short"), "short");
        let long = "a".repeat(REASON_PREVIEW + 5);
        assert_eq!(preview(&long).chars().count(), REASON_PREVIEW + 1);
    }
}
