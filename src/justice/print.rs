//! GET /episodes/{id}/reports/{kind}/print: the report for paper; `?version=N` shows version
//! N as it was signed off and sent, marked superseded when a newer version exists.

use actix_web::{HttpResponse, web};

use super::path;
use crate::domain::local_time;
use crate::reports::{self, print};
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::html as respond;

#[derive(serde::Deserialize)]
pub struct Version {
    version: Option<i32>,
}

pub async fn show(
    ctx: Ctx,
    parts: web::Path<(String, String)>,
    query: web::Query<Version>,
) -> Result<HttpResponse, AppError> {
    let (ep, person, kind, full) = super::load(&ctx, parts.into_inner(), Some("report (printable)")).await?;
    let full = full.ok_or_else(super::not_drafted)?;
    let (full, superseded_by) = full.to_print(query.version)?;
    let team = ep.team_id.clone();
    let letterhead = ctx.read(move |conn| Ok(reports::letterhead(conn, &team)?)).await?;
    let identifiers = reports::shown_identifiers(&full, &super::about(&person, &ep));
    let markup = print::document(&print::Printed {
        full: &full,
        letterhead: &letterhead,
        identifiers: &identifiers,
        superseded_by,
        back: Some(&path(&ep.id, kind)),
        printed: format!(
            "Printed by {} at {}",
            ctx.user.display_name,
            local_time::date_time(ctx.now())
        ),
        demo: ctx.state.demo,
    });
    Ok(respond(actix_web::http::StatusCode::OK, markup))
}
