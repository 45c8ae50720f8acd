//! GET /shared/{token}: the one version of a report a standard address was sent a link to.
//! The link works once and for 72 hours; every open, and every failed one, is audited; and
//! an address that keeps trying links that do not work is refused for a while (429), so
//! tokens cannot be guessed.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use diesel::prelude::*;

use crate::audit::{self, Actor, Event};
use crate::db::schema::{episodes, people};
use crate::db::write_tx;
use crate::domain::local_time;
use crate::records::{access, person};
use crate::reports::links::{self, Opened};
use crate::reports::{self, print};
use crate::web::error::AppError;
use crate::web::state::AppState;
use crate::web::{client_addr, html as respond};

/// The audit action of a link opened or tried.
pub const OPEN: &str = "report-link";

fn dead_end(state: &AppState, status: StatusCode, title: &str, message: &str) -> HttpResponse {
    crate::web::public_message(state.demo, status, title, message)
}

enum Outcome {
    Throttled,
    Failed(Opened),
    Report(Box<(reports::Full, person::Person, crate::records::Episode, String, String)>),
}

pub async fn open(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let (now, addr) = (state.now(), client_addr(&req));
    let outcome = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let mut actor = Actor {
                    role: Some("recipient".into()),
                    client_addr: Some(addr.clone()),
                    ..Actor::default()
                };
                if audit::refuse_link_guessing(conn, OPEN, &actor, now)? {
                    return Ok(Outcome::Throttled);
                }
                let (report_id, version, email) = match links::open(conn, now, &token)? {
                    Opened::Version {
                        report_id,
                        version,
                        email,
                    } => (report_id, version, email),
                    other => {
                        audit::record(conn, now, &actor, Event::denied(OPEN).detail(other.failure()))?;
                        return Ok(Outcome::Failed(other));
                    }
                };
                let full = reports::load(conn, &report_id)?.ok_or(AppError::NotFound)?;
                let full = full.as_of(version).ok_or(AppError::NotFound)?;
                let (ep, person) = episodes::table
                    .inner_join(people::table)
                    .filter(episodes::id.eq(&full.report.subject_id))
                    .select((crate::records::Episode::as_select(), person::Person::as_select()))
                    .first(conn)?;
                let letterhead = reports::letterhead(conn, &ep.team_id)?;
                actor.username = Some(format!("recipient: {email}"));
                let detail = format!(
                    "{} version {version} opened through the link sent to {email}",
                    full.report.title()
                );
                let event = Event::allowed(OPEN)
                    .record(access::RECORD, &ep.id)
                    .person(&ep.person_id)
                    .detail(detail);
                audit::record(conn, now, &actor, event)?;
                Ok(Outcome::Report(Box::new((full, person, ep, letterhead, email))))
            })
        })
        .await?;
    let (full, person, ep, letterhead, email) = match outcome {
        Outcome::Report(found) => *found,
        Outcome::Throttled => {
            return Ok(dead_end(
                &state,
                StatusCode::TOO_MANY_REQUESTS,
                "Too many links that do not work",
                "Wait 15 minutes and try again, or telephone the team that sent the report.",
            ));
        }
        Outcome::Failed(Opened::Used) => {
            return Ok(dead_end(
                &state,
                StatusCode::GONE,
                "This link has already been used",
                "The link opens the report once. Telephone the team that sent it and quote the reference in the email.",
            ));
        }
        Outcome::Failed(Opened::Expired) => {
            return Ok(dead_end(
                &state,
                StatusCode::GONE,
                "This link has expired",
                "Telephone the team that sent the report and quote the reference in the email.",
            ));
        }
        Outcome::Failed(_) => {
            return Ok(dead_end(
                &state,
                StatusCode::NOT_FOUND,
                "This link is not valid",
                "Check you copied the whole link from the email, or telephone the team that sent the report.",
            ));
        }
    };
    let identifiers = reports::shown_identifiers(&full, &super::about(&person, &ep));
    let markup = print::document(&print::Printed {
        full: &full,
        letterhead: &letterhead,
        identifiers: &identifiers,
        superseded_by: None,
        back: None,
        printed: format!(
            "Opened by {email} at {}. This link now no longer works: save or print the report",
            local_time::date_time(now)
        ),
        demo: state.demo,
    });
    Ok(respond(StatusCode::OK, markup))
}
