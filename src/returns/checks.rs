//! A quarter's return worked out from the records: its episodes, the validation of each, and
//! the rows of the file, in one read.

use std::collections::BTreeMap;

use diesel::dsl::count_star;
use diesel::prelude::*;

use super::facts::{self, Recorded, Selection};
use super::table::{self, Row};
use crate::auth::accounts;
use crate::clock::Millis;
use crate::db::DbConnection;
use crate::db::schema::episodes;
use crate::domain::code::Code;
use crate::domain::ids::TeamId;
use crate::domain::period::Period;
use crate::domain::return_checks::{ReturnRecord, Validation, validate};

/// The quarter's return as the records stand now.
pub struct Worked {
    pub facts: Vec<Recorded>,
    pub validation: Validation,
    pub rows: Vec<Row>,
}

/// The quarter's return worked out for a page, on facts brought up to date first.
pub async fn worked(ctx: &crate::web::context::Ctx, quarter: Period) -> Result<Worked, crate::web::error::AppError> {
    super::facts::up_to_date(ctx).await?;
    let now = ctx.now();
    let _turn = ctx.state.long_read_turn().await?;
    ctx.read(move |conn| Ok(work(conn, quarter, now)?)).await
}

/// Every team's episodes alerted in the quarter: the return is the whole service's.
pub fn work(conn: &mut DbConnection, quarter: Period, now: Millis) -> QueryResult<Worked> {
    let teams: Vec<TeamId> = accounts::all_teams(conn)?.into_iter().map(|t| t.id).collect();
    let (from, to) = quarter.bounds();
    let selection = Selection {
        from,
        to,
        teams,
        site: None,
        youth: None,
    };
    let facts = facts::load(conn, &selection)?;
    let records: Vec<ReturnRecord> = facts.iter().map(record).collect();
    let before = previous_month_alerts(conn, quarter)?;
    let validation = validate(&records, &before, now);
    let rows = table::rows(facts.iter().map(|r| &r.facts), quarter, now);
    Ok(Worked {
        facts,
        validation,
        rows,
    })
}

/// Alerts per site in the month before the quarter, for the month-on-month check.
fn previous_month_alerts(conn: &mut DbConnection, quarter: Period) -> QueryResult<BTreeMap<String, usize>> {
    let month = quarter.months()[0].previous();
    let (from, to) = month.bounds();
    let counts: Vec<(String, i64)> = episodes::table
        .filter(episodes::alert_at.ge(from))
        .filter(episodes::alert_at.lt(to))
        .group_by(episodes::site_id)
        .select((episodes::site_id, count_star()))
        .load(conn)?;
    Ok(counts
        .into_iter()
        .map(|(site, n)| (site, usize::try_from(n).unwrap_or(0)))
        .collect())
}

/// An episode as the return's checks see it.
pub fn record(r: &Recorded) -> ReturnRecord {
    let (f, e) = (&r.facts, &r.record);
    ReturnRecord {
        episode_id: e.id.clone(),
        person_id: e.person_id.clone(),
        site_id: f.site.id.clone(),
        site_name: f.site.name.clone(),
        nhs_number: e.nhs_number.clone(),
        date_of_birth: f.date_of_birth,
        youth: e.youth,
        alert_at: f.alert_at,
        screening_started_at: f.screening_started_at,
        screened_at: e.screened_at,
        assessed_at: f.assessed_at,
        first_referral_at: e.first_referral_at,
        closed_at: e.closed_at,
        source: f.referral_source.to_string(),
        point_of_contact: f.point_of_contact().to_string(),
        cj_stage: e.cj_stage.clone(),
        not_seen_reason: f.not_seen_reason.as_ref().map(Code::to_string),
        vulnerabilities: f.vulnerabilities.codes().iter().map(String::from).collect(),
        ethnic_category: f.ethnic_category.as_ref().map(Code::to_string),
        gender_identity: f.gender_identity.as_ref().map(Code::to_string),
        sex: e.sex.clone(),
    }
}
