//! GET /mhtr/cases/{id}/report/print: the report on a page of its own, without the app's
//! header and navigation, laid out for paper by the print stylesheet.

use actix_web::{HttpResponse, web};

use super::path;
use crate::audit;
use crate::domain::local_time;
use crate::reports::{self, print};
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::html as respond;

/// `?version=N` shows version N as it was signed off and sent, without later addenda.
#[derive(serde::Deserialize)]
pub struct Version {
    version: Option<i32>,
}

pub async fn show(ctx: Ctx, id: web::Path<String>, query: web::Query<Version>) -> Result<HttpResponse, AppError> {
    let access = (audit::VIEW, Some("MHTR suitability report (printable)"));
    let (c, person, full) = super::load(&ctx, id.into_inner().into(), access).await?;
    let full = full.ok_or_else(super::not_drafted)?;
    let (full, superseded_by) = full.to_print(query.version)?;
    let team = c.team_id.clone();
    let letterhead = ctx.read(move |conn| Ok(reports::letterhead(conn, &team)?)).await?;
    let identifiers = reports::shown_identifiers(&full, &super::about(&person, &c));
    let markup = print::document(&print::Printed {
        full: &full,
        letterhead: &letterhead,
        identifiers: &identifiers,
        superseded_by,
        back: Some(&path(&c.id)),
        printed: format!(
            "Printed by {} at {}",
            ctx.user.display_name,
            local_time::date_time(ctx.now())
        ),
        demo: ctx.state.demo,
    });
    Ok(respond(actix_web::http::StatusCode::OK, markup))
}
