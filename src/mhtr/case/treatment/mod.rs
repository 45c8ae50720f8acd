//! Treatment under an MHTR: sessions and attendance, outcome measures, Women's Centre liaison, compliance events and completion.

use actix_web::web;
use maud::{Markup, html};

use crate::db::DbConnection;
use crate::mhtr::case::MhtrCase;

pub fn routes(_cfg: &mut web::ServiceConfig) {}

/// This part's section of the case page.
pub fn panel(_conn: &mut DbConnection, _case: &MhtrCase) -> diesel::QueryResult<Markup> {
    Ok(html! {})
}
