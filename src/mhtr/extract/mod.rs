//! The pilot's evaluation extract: one CSV row per MHTR case, optionally pseudonymised.
//! MHTR team members may take either file for their teams; analysts, who see no
//! identifiable record, only the pseudonymised file, for every MHTR team. Every export is
//! audited. Field definitions: docs/mhtr-evaluation-extract.md and the extract page.

mod columns;
mod key;
mod load;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::html;
use serde::Deserialize;

use crate::audit::{self, Event};
use crate::domain::Role;
use crate::domain::csv::csv_line;
use crate::domain::ids::TeamId;
use crate::domain::local_time;
use crate::domain::mhtr::funnel::Journey;
use crate::domain::mhtr::measures_in_use;
use crate::views::components;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::reauth;
use crate::web::routes::{Guard::Analytics, Record, Routes};

/// The extract page.
const PAGE: &str = "/mhtr/extract";

/// The audit trail's record type for an export.
pub const RECORD: &str = "mhtr-extract";

/// Each case of the teams as the funnel sees it (the MHTR dashboard): the same facts the
/// extract reads, so the two cannot disagree.
pub fn journeys(conn: &mut crate::db::DbConnection, team_ids: &[TeamId]) -> diesel::QueryResult<Vec<Journey>> {
    if team_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(load::cases(conn, team_ids)?
        .into_iter()
        .map(|f| Journey {
            referred_at: f.referred_at,
            eligibility_at: f.case.eligibility_at,
            negotiation_outcome: f.case.negotiation_outcome.clone(),
            status: f.case.status.code().to_string(),
            exit_reason: f.case.exit_reason.clone(),
            first_attended_on: f.sessions.first_attended.map(Into::into),
            sessions_attended: f.sessions.attended,
            sessions_offered: f.sessions.offered,
            breach_referred: f.breach_referred,
            reached: f.reached,
        })
        .collect())
}

#[rustfmt::skip]
pub fn routes(r: &mut Routes) {
    r.get("/mhtr/extract", Analytics, Record::MhtrExtract, show)
        .get("/mhtr/extract.csv", Analytics, Record::MhtrExtract, download);
}

/// The teams whose cases the user may export, and whether the identifiable file is theirs
/// to take.
struct Scope {
    team_ids: Vec<TeamId>,
    may_identify: bool,
}

/// An audited refusal.
async fn refuse(ctx: &Ctx, why: &'static str) -> AppError {
    match ctx
        .audit(Event::denied(audit::EXPORT).record(RECORD, "-").detail(why))
        .await
    {
        Ok(()) => AppError::Forbidden,
        Err(e) => e,
    }
}

async fn scope(ctx: &Ctx) -> Result<Scope, AppError> {
    if ctx.user.role.is_clinical() && super::is_mhtr_member(&ctx.user) {
        let team_ids = super::teams::of_user(&ctx.user).iter().map(|t| t.id.clone()).collect();
        return Ok(Scope {
            team_ids,
            may_identify: true,
        });
    }
    if ctx.user.role == Role::Analyst {
        let teams = ctx.read(|conn| Ok(super::teams::all(conn)?)).await?;
        return Ok(Scope {
            team_ids: teams.into_iter().map(|t| t.id).collect(),
            may_identify: false,
        });
    }
    Err(refuse(ctx, "not an MHTR team member or analyst").await)
}

pub async fn show(ctx: Ctx) -> Result<HttpResponse, AppError> {
    let scope = scope(&ctx).await?;
    let in_use = measures_in_use(&ctx.state.config.mhtr_outcome_measures);
    let rows: Vec<Vec<maud::Markup>> = columns::all(&in_use)
        .into_iter()
        .map(|c| {
            vec![
                html! { code { (c.name) } },
                html! { (c.meaning) },
                html! { (c.files.label()) },
            ]
        })
        .collect();
    let body = html! {
        h1.app-heading-l { "MHTR evaluation extract" }
        p { "A spreadsheet (CSV) with one row for each MHTR case, for the pilot's evaluation: stage dates, referral source, eligibility, sessions, outcome measures, the court's decision and completion." }
        h2.app-heading-m { "Pseudonymised file" }
        p { "No names, dates of birth, NHS numbers or PNC IDs. Each woman has a pseudonym that stays the same in every extract, and an age band instead of her date of birth. Use this file unless you need to know who is who." }
        p { a.app-button href="/mhtr/extract.csv?pseudonymised=yes" download { "Download the pseudonymised file" } }
        @if scope.may_identify {
            h2.app-heading-m { "Identifiable file" }
            p { "Names, dates of birth, NHS numbers and PNC IDs, for your team's own checks. Store it only where personal data may be kept, and delete it when you are done." }
            @if reauth::is_fresh(&ctx.user, &ctx.state) {
                p { a.app-button.app-button--secondary href="/mhtr/extract.csv?pseudonymised=no" download { "Download the identifiable file" } }
            } @else {
                p { "You confirm it is you before downloading it." }
                p { a.app-button.app-button--secondary href=(reauth::confirm_url(PAGE)) { "Confirm it is you to download the identifiable file" } }
            }
        }
        p { "Every download is recorded in the audit trail." }
        h2.app-heading-m { "Field definitions" }
        p { "Codes are explained in full in the field definitions document (docs/mhtr-evaluation-extract.md)." }
        (components::table("Columns, in file order", &["Column", "Meaning", "In which file"], &rows))
    };
    Ok(ctx.render(StatusCode::OK, &ctx.page("MHTR evaluation extract"), body))
}

#[derive(Debug, Deserialize)]
pub struct Options {
    #[serde(default)]
    pseudonymised: String,
}

pub async fn download(ctx: Ctx, options: web::Query<Options>) -> Result<HttpResponse, AppError> {
    let pseudonymised = match options.pseudonymised.as_str() {
        "yes" => true,
        "no" => false,
        _ => return Err(AppError::BadRequest("Choose pseudonymised=yes or pseudonymised=no")),
    };
    let scope = scope(&ctx).await?;
    if !pseudonymised && !scope.may_identify {
        return Err(refuse(&ctx, "identifiable extract").await);
    }
    // An identifiable export needs the second factor confirmed recently; the extract page
    // then offers the download.
    if !pseudonymised {
        reauth::require(&ctx.user, &ctx.state, PAGE, ctx.htmx)?;
    }
    let in_use = measures_in_use(&ctx.state.config.mhtr_outcome_measures);
    // The key is made outside the transaction: on PostgreSQL a lost race to insert it would
    // abort the transaction that then reads the winner's.
    let key = ctx.read(|conn| Ok(key::get_or_create(conn)?)).await?;
    let teams_listed = scope.team_ids.iter().map(TeamId::as_str).collect::<Vec<_>>().join(",");
    let (csv, rows) = ctx
        .read(move |conn| {
            let cases = load::cases(conn, &scope.team_ids)?;
            let cols = columns::of_file(pseudonymised, &in_use);
            let names: Vec<&str> = cols.iter().map(|c| c.name.as_str()).collect();
            let mut csv = csv_line(&names);
            for facts in &cases {
                csv.push_str(&csv_line(&columns::values(&cols, facts, &key)));
            }
            Ok((csv, cases.len()))
        })
        .await?;
    let kind = if pseudonymised { "pseudonymised" } else { "identifiable" };
    let event = Event::allowed(audit::EXPORT)
        .record(RECORD, &teams_listed)
        .detail(format!("{kind} extract; {rows} rows"));
    ctx.audit(event).await?;
    let today = local_time::local_date(ctx.now()).format("%Y-%m-%d");
    let suffix = if pseudonymised { "pseudonymised" } else { "identifiable" };
    let filename = format!("mhtr-evaluation-{today}-{suffix}.csv");
    Ok(crate::web::csv_download(&filename, csv))
}
