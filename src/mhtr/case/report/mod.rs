//! The MHTR suitability report: drafted from the recorded assessment and pathway, signed off
//! by a senior practitioner or the consultant clinical psychologist, frozen, printed, and
//! sent to probation. The report itself lives in [`crate::reports`].

mod draft;
mod edit;
mod print;
mod send;
mod show;
mod sign_off;

use diesel::prelude::*;
use maud::{Markup, html};

use super::{MhtrCase, RECORD};
use crate::auth::CurrentUser;
use crate::clock::Millis;
use crate::db::DbConnection;
use crate::domain::ids::{MhtrCaseId, ReportId};
use crate::records::Person;
use crate::reports::{self, Full, view};
use crate::views::components;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::routes::Routes;

/// The reports table's subject type for an MHTR case.
pub const SUBJECT: &str = "mhtr-case";

#[rustfmt::skip]
pub fn routes(r: &mut Routes) {
    use crate::web::routes::Guard::{Clinical, SignsOff};
    use crate::web::routes::Record::MhtrCase;
    // Anyone in the case's team sees the sign-off page (it says who can sign); only a
    // senior practitioner or the consultant psychologist may sign.
    r.get("/mhtr/cases/{id}/report", Clinical, MhtrCase, show::show)
        .post("/mhtr/cases/{id}/report", Clinical, MhtrCase, show::draft)
        .get("/mhtr/cases/{id}/report/sections/{code}", Clinical, MhtrCase, edit::show)
        .post("/mhtr/cases/{id}/report/sections/{code}", Clinical, MhtrCase, edit::submit)
        .get("/mhtr/cases/{id}/report/sign-off", Clinical, MhtrCase, sign_off::confirm)
        .post("/mhtr/cases/{id}/report/sign-off", SignsOff, MhtrCase, sign_off::sign)
        .post("/mhtr/cases/{id}/report/addenda", Clinical, MhtrCase, show::add_addendum)
        .get("/mhtr/cases/{id}/report/addenda/{aid}/sign-off", Clinical, MhtrCase, sign_off::confirm_addendum)
        .post("/mhtr/cases/{id}/report/addenda/{aid}/sign-off", SignsOff, MhtrCase, sign_off::sign_addendum)
        .get("/mhtr/cases/{id}/report/print", Clinical, MhtrCase, print::show)
        .get("/mhtr/cases/{id}/report/send", Clinical, MhtrCase, send::show)
        .post("/mhtr/cases/{id}/report/send", Clinical, MhtrCase, send::submit);
}

/// Drafts the case's report from what the case records; returns the report's id.
pub fn draft_from_case(
    conn: &mut DbConnection,
    now: Millis,
    author_id: &str,
    case: &MhtrCase,
) -> QueryResult<ReportId> {
    let recorded = draft::gather(conn, case)?;
    let new = reports::NewReport {
        kind: reports::Kind::MhtrSuitability,
        subject_type: SUBJECT,
        subject_id: &case.id,
        person_id: &case.person_id,
        team_id: &case.team_id,
    };
    reports::create_draft(conn, now, author_id, &new, |code| recorded.prefill(code).into())
}

/// What the report may show of her, by its kind's allow-list.
fn about(person: &Person, case: &MhtrCase) -> reports::About {
    reports::About {
        name: person.full_name(),
        date_of_birth: person.dob_display(),
        case_reference: case.court.clone(),
        pnc_id: person.pnc_id.clone(),
        nhs_number: person.nhs_display(),
        gp_practice: person.gp_practice.clone(),
    }
}

/// The report page's address.
pub fn path(case_id: &str) -> String {
    format!("{}/report", super::path(case_id))
}

/// The case's report with its sections and addenda, if drafted.
fn report_of(conn: &mut DbConnection, case_id: &str) -> QueryResult<Option<Full>> {
    match reports::for_subject(conn, SUBJECT, case_id)? {
        Some(r) => reports::load(conn, &r.id),
        None => Ok(None),
    }
}

/// The case, her details and the report, for a clinician of the case's team; see
/// [`super::load`] for `access`.
async fn load(
    ctx: &Ctx,
    id: MhtrCaseId,
    access: (&'static str, Option<&'static str>),
) -> Result<(MhtrCase, Person, Option<Full>), AppError> {
    let (c, person) = super::load(ctx, id, access).await?;
    let case_id = c.id.clone();
    let full = ctx.read(move |conn| Ok(report_of(conn, &case_id)?)).await?;
    Ok((c, person, full))
}

fn not_drafted() -> AppError {
    AppError::Refused("No suitability report has been drafted for this case yet".into())
}

/// Why this user cannot sign off, or `None` when they can.
fn cannot_sign_off(user: &CurrentUser) -> Option<&'static str> {
    (!user.role.can_sign_off_reports()).then_some(
        "Only a senior practitioner or the consultant clinical psychologist in the case's team can sign off the report and its addenda",
    )
}

/// This part's section of the case page.
pub fn panel(conn: &mut DbConnection, case: &MhtrCase) -> QueryResult<Markup> {
    let Some(full) = report_of(conn, &case.id)? else {
        return Ok(html! {});
    };
    let sends = reports::sends(conn, &full.report.id)?;
    Ok(html! {
        h2.app-heading-m { "Suitability report" }
        (components::summary_list(&[
            ("Status", html! { (view::version_tag(full.version)) br; span.app-hint { (view::status_line(&full)) } }),
            ("Sent", html! {
                @if sends.is_empty() { "Not sent yet" }
                @else { ul { @for s in &sends { li {
                    "Version " (s.version) " to " (s.recipient) " on " (crate::domain::local_time::local_day(s.sent_at)) " by " (s.sent_by) " – "
                    a href={ (path(&case.id)) "/print?version=" (s.version) } { "view version " (s.version) " as sent" }
                } } } }
            }),
        ]))
        p { a href=(path(&case.id)) { "View the suitability report" } }
    })
}
