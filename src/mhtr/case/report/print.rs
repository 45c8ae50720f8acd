//! GET /mhtr/cases/{id}/report/print: the report on a page of its own, without the app's
//! header and navigation, laid out for paper by the print stylesheet; `?version=N` shows
//! version N as it was signed off and sent.

use actix_web::{HttpResponse, web};

use super::path;
use crate::audit;
use crate::reports::print::{self, VersionQuery};
use crate::web::context::Ctx;
use crate::web::error::AppError;

pub async fn show(ctx: Ctx, id: web::Path<String>, query: web::Query<VersionQuery>) -> Result<HttpResponse, AppError> {
    let access = (audit::VIEW, Some("MHTR suitability report (printable)"));
    let (c, person, full) = super::load(&ctx, id.into_inner().into(), access).await?;
    let full = full.ok_or_else(super::not_drafted)?;
    print::page(&ctx, full, query.version, &super::about(&person, &c), &path(&c.id)).await
}
