//! The suitability assessment, consent to an MHTR with the proposed treatment, and the negotiation of a pathway with secondary care and the consultant clinical psychologist.

use actix_web::web;
use maud::{Markup, html};

use crate::db::DbConnection;
use crate::mhtr::case::MhtrCase;

pub fn routes(_cfg: &mut web::ServiceConfig) {}

/// This part's section of the case page.
pub fn panel(_conn: &mut DbConnection, _case: &MhtrCase) -> diesel::QueryResult<Markup> {
    Ok(html! {})
}
