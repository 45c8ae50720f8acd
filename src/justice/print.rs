//! GET /episodes/{id}/reports/{kind}/print: the report for paper; `?version=N` shows version
//! N as it was signed off and sent, marked superseded when a newer version exists.

use actix_web::{HttpResponse, web};

use super::path;
use crate::reports::print::{self, VersionQuery};
use crate::web::context::Ctx;
use crate::web::error::AppError;

pub async fn show(
    ctx: Ctx,
    parts: web::Path<(String, String)>,
    query: web::Query<VersionQuery>,
) -> Result<HttpResponse, AppError> {
    let (ep, person, kind, full) = super::load(&ctx, parts.into_inner(), Some("report (printable)")).await?;
    let full = full.ok_or_else(super::not_drafted)?;
    print::page(
        &ctx,
        full,
        query.version,
        &super::about(&person, &ep),
        &path(&ep.id, kind),
    )
    .await
}
