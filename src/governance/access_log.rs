//! "Who accessed this record": every audited view, change, refusal and break-glass on one
//! person's records (their episodes, cases, referrals and reports carry the person on their
//! audit rows), for the information governance lead or an administrator answering a subject
//! access request or a concern. People by name and role; a date range; pages of 100 reached
//! by a cursor, however long the history; and the whole range as CSV for the request.

use actix_web::{HttpResponse, web};
use chrono::NaiveDate;
use diesel::prelude::*;
use maud::{Markup, html};
use serde::{Deserialize, Serialize};

use crate::access::overrides;
use crate::audit::{self, Event, PersonSlice};
use crate::db::schema::users;
use crate::db::{DbConnection, one_of};
use crate::domain::csv::csv_line;
use crate::domain::date_input::{self, DateRule};
use crate::domain::local_time;
use crate::views::components::{self, Tone};
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::error::AppError;

const PAGE: i64 = 100;
/// A subject access export holds at most this many rows; a narrower range gets the rest.
const CSV_MOST: i64 = 20_000;

const FROM: DateRule = DateRule::happened("From", "from", "Enter the first day to include");
const TO: DateRule = DateRule::happened("To", "to", "Enter the last day to include");

/// The address's filters, as typed.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
pub struct Query {
    #[serde(default, rename = "from-day")]
    from_day: String,
    #[serde(default, rename = "from-month")]
    from_month: String,
    #[serde(default, rename = "from-year")]
    from_year: String,
    #[serde(default, rename = "to-day")]
    to_day: String,
    #[serde(default, rename = "to-month")]
    to_month: String,
    #[serde(default, rename = "to-year")]
    to_year: String,
    /// "AT.ID" of the last row of the page before.
    #[serde(default, skip_serializing)]
    before: String,
    /// "csv" for the export.
    #[serde(default, skip_serializing)]
    format: String,
}

impl Query {
    /// The range in moments: from the start of the first local day to the start of the day
    /// after the last.
    fn range(&self, today: NaiveDate) -> Result<(Option<i64>, Option<i64>), Errors> {
        let mut errors = Errors::default();
        let mut read = |(d, m, y): (&str, &str, &str), rule: &DateRule| {
            date_input::parse_optional(d, m, y, rule, today)
                .map_err(|(field, message)| errors.add(field, message))
                .ok()
                .flatten()
        };
        let from = read((&self.from_day, &self.from_month, &self.from_year), &FROM);
        let to = read((&self.to_day, &self.to_month, &self.to_year), &TO);
        if let (Some(from), Some(to)) = (from, to)
            && to < from
        {
            errors.add("to", "To must be the same as or after From");
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let start = |d: NaiveDate| local_time::from_local(d.and_time(chrono::NaiveTime::MIN));
        Ok((from.map(start), to.and_then(|d| d.succ_opt()).map(start)))
    }

    fn before(&self) -> Option<(i64, i64)> {
        let (at, id) = self.before.split_once('.')?;
        Some((at.parse().ok()?, id.parse().ok()?))
    }

    fn address(&self, person_id: &str, extra: &str) -> String {
        let filters = serde_urlencoded::to_string(self).unwrap_or_default();
        format!("/governance/people/{person_id}/access?{filters}{extra}")
    }
}

/// A user's name and role, for the rows that name them.
fn names(conn: &mut DbConnection, rows: &[audit::Row]) -> QueryResult<Vec<(String, String, String)>> {
    let mut ids: Vec<&str> = rows.iter().filter_map(|r| r.user_id.as_deref()).collect();
    ids.sort_unstable();
    ids.dedup();
    users::table
        .filter(one_of(users::id, &ids))
        .select((users::id, users::display_name, users::role))
        .load(conn)
}

fn who(row: &audit::Row, names: &[(String, String, String)]) -> (String, String) {
    let found = row
        .user_id
        .as_deref()
        .and_then(|id| names.iter().find(|(uid, ..)| uid == id));
    match found {
        Some((_, name, role)) => (
            name.clone(),
            role.parse::<crate::domain::Role>()
                .map_or_else(|_| role.clone(), |r| r.label().to_string()),
        ),
        None => (
            row.username.clone().unwrap_or_else(|| "No one signed in".into()),
            String::new(),
        ),
    }
}

fn basis_label(row: &audit::Row) -> (&'static str, Tone) {
    match (row.outcome, row.basis.as_deref(), row.action.as_str()) {
        (audit::Outcome::Denied, _, _) => ("Refused", Tone::Bad),
        (_, Some("break-glass"), _) | (_, _, audit::BREAK_GLASS) => ("Break-glass", Tone::Bad),
        (_, Some("self-claim"), _) | (_, _, audit::SELF_CLAIM) => ("Claimed by a new contact", Tone::Warning),
        (_, Some("relationship"), _) => ("Team relationship", Tone::Neutral),
        _ => ("", Tone::Neutral),
    }
}

fn record_label(row: &audit::Row) -> String {
    let kind = row.record_type.as_deref().unwrap_or("").replace('-', " ");
    let mut label = kind[..1.min(kind.len())].to_uppercase() + kind.get(1..).unwrap_or("");
    if let Some(id) = row.record_id.as_deref().filter(|id| *id != "-") {
        label.push_str(&format!(" {}", id.chars().take(8).collect::<String>()));
    }
    label
}

pub async fn show(ctx: Ctx, id: web::Path<String>, query: web::Query<Query>) -> Result<HttpResponse, AppError> {
    let (person_id, query) = (id.into_inner(), query.into_inner());
    let today = local_time::local_date(ctx.now());
    let (from, to) = match query.range(today) {
        Ok(range) => range,
        Err(errors) => return Ok(page(&ctx, &person_id, &query, &errors, Loaded::default())),
    };
    let csv = query.format == "csv";
    let slice = PersonSlice {
        from,
        to,
        before: if csv { None } else { query.before() },
        // One more than a page tells whether there is an older page.
        limit: if csv { CSV_MOST } else { PAGE + 1 },
    };
    let target = person_id.clone();
    let loaded = ctx
        .read(move |conn| {
            let mut ids = crate::records::person::merged_ids(conn, &target)?;
            ids.push(target.to_string());
            let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
            let rows = audit::for_person(conn, &ids, &slice)?;
            let names = names(conn, &rows)?;
            let glass = if csv {
                Vec::new()
            } else {
                overrides::for_person(conn, &target)?
            };
            Ok(Loaded { rows, names, glass })
        })
        .await?;
    let action = if csv { audit::EXPORT } else { audit::VIEW };
    let detail = format!("{} rows", loaded.rows.len());
    let event = Event::allowed(action)
        .record("person-access-log", &person_id)
        .person(&person_id)
        .detail(detail);
    ctx.audit(event).await?;
    if csv {
        return Ok(export(&person_id, &loaded, today));
    }
    Ok(page(&ctx, &person_id, &query, &Errors::default(), loaded))
}

#[derive(Default)]
struct Loaded {
    rows: Vec<audit::Row>,
    names: Vec<(String, String, String)>,
    glass: Vec<(overrides::Override, String)>,
}

fn export(person_id: &str, loaded: &Loaded, today: NaiveDate) -> HttpResponse {
    let mut csv = csv_line(&[
        "When (UK time)",
        "Who",
        "Role",
        "Team",
        "Action",
        "Record",
        "Record id",
        "Basis",
        "Detail",
    ]);
    for row in &loaded.rows {
        let (name, role) = who(row, &loaded.names);
        csv.push_str(&csv_line(&[
            local_time::date_time_seconds(row.at),
            name,
            role,
            row.team.clone().unwrap_or_default(),
            row.action.clone(),
            row.record_type.clone().unwrap_or_default(),
            row.record_id.clone().unwrap_or_default(),
            basis_label(row).0.to_string(),
            row.detail.clone().unwrap_or_default(),
        ]));
    }
    let filename = format!(
        "access-log-{}-{}.csv",
        &person_id[..8.min(person_id.len())],
        today.format("%Y-%m-%d")
    );
    crate::web::csv_download(&filename, csv)
}

fn filter_form(person_id: &str, query: &Query, errors: &Errors) -> Markup {
    html! {
        form.app-filter method="get" action={ "/governance/people/" (person_id) "/access" } novalidate {
            (components::date_input("from", "From", Some("For example, 1 3 2026"), [&query.from_day, &query.from_month, &query.from_year], errors))
            (components::date_input("to", "To", None, [&query.to_day, &query.to_month, &query.to_year], errors))
            button.app-button.app-button--secondary type="submit" { "Show this period" }
        }
    }
}

fn page(ctx: &Ctx, person_id: &str, query: &Query, errors: &Errors, loaded: Loaded) -> HttpResponse {
    let older = loaded.rows.len() as i64 > PAGE;
    let rows = &loaded.rows[..loaded.rows.len().min(PAGE as usize)];
    let table: Vec<Vec<Markup>> = rows
        .iter()
        .map(|r| {
            let (name, role) = who(r, &loaded.names);
            let (basis, tone) = basis_label(r);
            vec![
                html! { (local_time::date_time_seconds(r.at)) },
                html! { (name) @if !role.is_empty() { br; span.app-hint { (role) } } @if let Some(team) = &r.team { br; span.app-hint { (team) } } },
                html! { (r.action) },
                html! { (record_label(r)) },
                html! { @if !basis.is_empty() { (components::tag(basis, tone)) } },
                html! { (r.detail.as_deref().unwrap_or("")) },
            ]
        })
        .collect();
    let glass: Vec<Vec<Markup>> = loaded
        .glass
        .iter()
        .map(|(o, who)| {
            vec![
                html! { a href={ "/governance/access-reviews/" (o.id) } { (local_time::date_time_seconds(o.started_at)) } },
                html! { (super::reviews::kind_label(o.kind)) },
                html! { (who) },
                html! { (o.reason_label()) },
                html! { (o.review_outcome.map_or("Not yet reviewed", |r| r.label())) },
            ]
        })
        .collect();
    let next = rows
        .last()
        .filter(|_| older)
        .map(|last| query.address(person_id, &format!("&before={}.{}", last.at, last.id)));
    let body = html! {
        (components::error_summary(errors))
        span.app-caption { "Person " span.app-code { (person_id) } }
        h1.app-heading-l { "Who accessed this record" }
        p { "Every view, change and refusal on this person's records – their episodes, MHTR cases, referrals and reports – newest first. A live list's refresh is one entry for the list, not one for each person on it." }
        (filter_form(person_id, query, errors))
        p { a href=(query.address(person_id, "&format=csv")) download { "Download this period as CSV (for a subject access request)" } }
        h2.app-heading-m { "Break-glass and claimed relationships" }
        @if glass.is_empty() { p { "None." } }
        @else { (components::table("Break-glass and claimed relationships, newest first", &["Started", "Kind", "Who", "Reason", "Review"], &glass)) }
        h2.app-heading-m { "Every access, newest first" }
        @if table.is_empty() { p { "No access recorded in this period." } }
        @else { (components::table(&format!("{} entries, newest first", table.len()), &["When", "Who", "Action", "Record", "Basis", "Detail"], &table)) }
        @if let Some(next) = next { p { a href=(next) { "Older entries" } } }
    };
    let page = ctx.page("Who accessed this record").with_errors(!errors.is_empty());
    ctx.render(crate::web::form_status(errors), &page, body)
}
