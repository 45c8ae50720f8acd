//! The MHTR suitability report: drafted from the recorded assessment and pathway, signed off, frozen, sent to probation.

use actix_web::web;
use maud::{Markup, html};

use crate::db::DbConnection;
use crate::mhtr::case::MhtrCase;

pub fn routes(_cfg: &mut web::ServiceConfig) {}

/// This part's section of the case page.
pub fn panel(_conn: &mut DbConnection, _case: &MhtrCase) -> diesel::QueryResult<Markup> {
    Ok(html! {})
}
