//! L&D reports to police, the CPS, court and probation (issue 12, decision 0015): drafted on
//! an episode from what it records, edited section by section, checked against the kind's
//! quality checklist, signed off (by a senior, or for a custody summary its author), frozen,
//! printed, and sent through the share gate and the outbox. A standard address gets a notice
//! with a single-use link to the one version sent.

mod draft;
mod edit;
mod identifiers;
pub mod link;
mod print;
mod send;
mod show;
mod sign_off;

use diesel::prelude::*;
use maud::{Markup, html};

use crate::auth::CurrentUser;
use crate::clock::Millis;
use crate::db::DbConnection;
use crate::domain::ids::EpisodeId;
use crate::domain::local_time;
use crate::records::{Episode, Person};
use crate::reports::kinds::{EPISODE_KINDS, Signer};
use crate::reports::{self, Full, Kind, Report, view};
use crate::views::components;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::routes::Routes;

/// The reports table's subject type for an L&D episode.
pub const SUBJECT: &str = "episode";
/// The audit record type (the id is the episode's).
const RECORD: &str = "episode";

#[rustfmt::skip]
pub fn routes(r: &mut Routes) {
    use crate::web::routes::Guard::Clinical;
    use crate::web::routes::Record::Episode;
    const REPORT: &str = "/episodes/{id}/reports/{kind}";
    r.get(REPORT, Clinical, Episode, show::show)
        .post(REPORT, Clinical, Episode, show::draft)
        .get("/episodes/{id}/reports/{kind}/sections/{code}", Clinical, Episode, edit::show)
        .post("/episodes/{id}/reports/{kind}/sections/{code}", Clinical, Episode, edit::submit)
        .get("/episodes/{id}/reports/{kind}/identifiers", Clinical, Episode, identifiers::show)
        .post("/episodes/{id}/reports/{kind}/identifiers", Clinical, Episode, identifiers::submit)
        .get("/episodes/{id}/reports/{kind}/sign-off", Clinical, Episode, sign_off::confirm)
        .post("/episodes/{id}/reports/{kind}/sign-off", Clinical, Episode, sign_off::sign)
        .post("/episodes/{id}/reports/{kind}/addenda", Clinical, Episode, show::add_addendum)
        .get("/episodes/{id}/reports/{kind}/addenda/{aid}/sign-off", Clinical, Episode, sign_off::confirm_addendum)
        .post("/episodes/{id}/reports/{kind}/addenda/{aid}/sign-off", Clinical, Episode, sign_off::sign_addendum)
        .get("/episodes/{id}/reports/{kind}/print", Clinical, Episode, print::show)
        .get("/episodes/{id}/reports/{kind}/send", Clinical, Episode, send::show)
        .post("/episodes/{id}/reports/{kind}/send", Clinical, Episode, send::submit);
}

/// A report kind an L&D practitioner writes on an episode, from the address.
fn episode_kind(code: &str) -> Result<Kind, AppError> {
    Kind::try_from(code.to_string())
        .ok()
        .filter(|k| EPISODE_KINDS.contains(k))
        .ok_or(AppError::NotFound)
}

pub fn path(episode_id: &str, kind: Kind) -> String {
    format!("/episodes/{episode_id}/reports/{}", kind.code())
}

/// The episode's report of this kind, with everything shown or sent with it.
fn report_of(conn: &mut DbConnection, episode_id: &str, kind: Kind) -> QueryResult<Option<Full>> {
    let found = reports::all_for_subject(conn, SUBJECT, episode_id)?
        .into_iter()
        .find(|r| r.kind == kind);
    match found {
        Some(r) => reports::load(conn, &r.id),
        None => Ok(None),
    }
}

/// An episode, its person and its report of `kind` (if drafted), through the access model;
/// `view` as for [`crate::records::access::open`].
async fn load(
    ctx: &Ctx,
    (id, kind): (String, String),
    view: Option<&'static str>,
) -> Result<(Episode, Person, Kind, Option<Full>), AppError> {
    let kind = episode_kind(&kind)?;
    let (ep, person) = crate::records::access::open(ctx, EpisodeId::from(id), view).await?;
    let eid = ep.id.clone();
    let full = ctx.read(move |conn| Ok(report_of(conn, &eid, kind)?)).await?;
    Ok((ep, person, kind, full))
}

fn not_drafted() -> AppError {
    AppError::Refused("This report has not been drafted yet".into())
}

/// What the report may show of the person, by its kind's allow-list.
fn about(person: &Person, ep: &Episode) -> reports::About {
    reports::About {
        name: person.full_name(),
        date_of_birth: person.dob_display(),
        case_reference: ep.reference.clone(),
        pnc_id: person.pnc_id.clone(),
        nhs_number: person.nhs_display(),
        gp_practice: person.gp_practice.clone(),
    }
}

/// Why this user cannot sign off the report, or `None` when they can.
fn cannot_sign_off(user: &CurrentUser, signer: Signer, report: &Report) -> Option<String> {
    let senior = user.role.can_sign_off_reports();
    let author = signer == Signer::Author && report.created_by == user.id;
    (!senior && !author).then(|| {
        format!(
            "{} must sign off this {}",
            signer.label(),
            report.title().to_lowercase()
        )
    })
}

/// The episode page's section: each kind, drafted or not, with its state.
pub fn episode_section(conn: &mut DbConnection, episode_id: &str, open: bool) -> QueryResult<Markup> {
    let drafted = reports::all_for_subject(conn, SUBJECT, episode_id)?;
    let versions = reports::latest_versions(conn, &drafted)?;
    let mut rows = Vec::new();
    for kind in EPISODE_KINDS {
        let report = drafted.iter().find(|r| r.kind == kind);
        if report.is_none() && !open {
            continue;
        }
        let state = match report {
            None => html! { "Not started" },
            Some(r) => {
                let sent = reports::sends(conn, &r.id)?;
                html! {
                    (view::version_tag(versions.get(&r.id).copied()))
                    @if let Some(s) = sent.first() { br; span.app-hint { "Sent to " (s.recipient) " on " (local_time::date_time(s.sent_at)) } }
                }
            }
        };
        rows.push(vec![
            html! { a href=(path(episode_id, kind)) { (kind.spec().title) } },
            state,
        ]);
    }
    Ok(html! {
        h2.app-heading-m #reports { "Reports" }
        @if rows.is_empty() { p { "No reports were written for this episode." } }
        @else { (components::table("Reports to police, the CPS, court and probation", &["Report", "State"], &rows)) }
    })
}

/// The person page's section: every report about the person and everything shared, from
/// any episode. A person has a handful of each; both come from indexed lookups by person.
pub fn person_section(conn: &mut DbConnection, person_id: &str) -> QueryResult<Markup> {
    let found: Vec<Report> = crate::db::schema::reports::table
        .filter(crate::db::schema::reports::person_id.eq(person_id))
        .filter(crate::db::schema::reports::subject_type.eq(SUBJECT))
        .order(crate::db::schema::reports::created_at.desc())
        .select(Report::as_select())
        .load(conn)?;
    let versions = reports::latest_versions(conn, &found)?;
    let mut rows = Vec::new();
    for r in &found {
        rows.push(vec![
            html! { a href=(path(&r.subject_id, r.kind)) { (r.title()) } },
            html! { (local_time::date_time(r.created_at)) },
            view::version_tag(versions.get(&r.id).copied()),
        ]);
    }
    let shares = crate::sharing::store::for_person(conn, person_id)?;
    Ok(html! {
        h2.app-heading-m #reports { "Reports and what was shared" }
        @if rows.is_empty() { p { "No reports have been drafted about this person." } }
        @else { (components::table("Reports, newest first", &["Report", "Drafted", "State"], &rows)) }
        @if shares.is_empty() { p { "Nothing has been shared about this person." } }
        @else { (crate::sharing::shares_table(&shares)) }
    })
}

/// Drafts the episode's report of `kind` at `now`, by `author` (id, name), from what the
/// episode records, and returns its id; an episode has one report of each kind, so when it
/// is drafted already that one's id comes back (run in a write transaction).
pub fn draft(
    conn: &mut DbConnection,
    now: Millis,
    (author_id, author): (&str, &str),
    ep: &Episode,
    kind: Kind,
) -> QueryResult<crate::domain::ids::ReportId> {
    let drafted = reports::all_for_subject(conn, SUBJECT, &ep.id)?;
    if let Some(existing) = drafted.into_iter().find(|r| r.kind == kind) {
        return Ok(existing.id);
    }
    let recorded = draft::gather(conn, ep, author)?;
    let new = reports::NewReport {
        kind,
        subject_type: SUBJECT,
        subject_id: &ep.id,
        person_id: &ep.person_id,
        team_id: &ep.team_id,
    };
    reports::create_draft(conn, now, author_id, &new, |code| recorded.prefill(kind, code))
}
