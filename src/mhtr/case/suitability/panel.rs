//! This part's section of the case page: the assessment's progress, the latest consent
//! decision, the proposed treatment and the negotiation – only the parts that exist.

use maud::{Markup, html};

use super::assessment::progress_summary;
use super::consent::DECISIONS;
use super::negotiation::{proposed_treatment, review_decision};
use super::store;
use super::{MhtrCase, page_path};
use crate::db::DbConnection;
use crate::domain::codes::label_of;
use crate::domain::local_time;
use crate::domain::mhtr::NEGOTIATION_OUTCOMES;
use crate::views::components;

pub fn panel(conn: &mut DbConnection, case: &MhtrCase) -> diesel::QueryResult<Markup> {
    let sections = store::sections(conn, &case.id)?;
    let consent = store::consents(conn, &case.id)?.into_iter().next();
    let contacts = store::contacts(conn, &case.id)?.len();
    let review = store::reviews(conn, &case.id)?.into_iter().next();
    let negotiated = contacts > 0 || review.is_some() || case.negotiation_outcome.is_some();
    Ok(html! {
        @if !sections.is_empty() {
            h2.app-heading-m { "Suitability assessment" }
            p {
                (progress_summary(&store::progress(&sections))) ". "
                a href=(page_path(&case.id, "assessment")) { "View the assessment" }
            }
        }
        @if let Some(c) = &consent {
            h2.app-heading-m { "Consent" }
            (components::summary_list(&[
                ("Decision", html! { (label_of(DECISIONS, &c.decision).unwrap_or(&c.decision)) }),
                ("Date", html! { (local_time::day(c.decided_on)) }),
                ("Capacity", html! { span.app-pre-wrap { (c.capacity_note) } }),
                ("Witness", html! { (c.witness) }),
                ("Proposed treatment", proposed_treatment(case)),
            ]))
            p { a href=(page_path(&case.id, "consent")) { "View consent" } }
        }
        @if negotiated {
            h2.app-heading-m { "Secondary care negotiation" }
            (components::summary_list(&[
                ("Contacts", html! { (contacts) @if contacts == 1 { " contact" } @else { " contacts" } }),
                ("Latest review", html! {
                    @match &review {
                        Some(r) => { (review_decision(&r.decision)) " – " (r.reviewer) ", " (local_time::day(r.reviewed_on)) },
                        None => "None yet",
                    }
                }),
                ("Outcome", html! {
                    @match case.negotiation_outcome.as_deref() {
                        Some(o) => (label_of(NEGOTIATION_OUTCOMES, o).unwrap_or(o)),
                        None => "Not recorded yet",
                    }
                }),
            ]))
            p { a href=(page_path(&case.id, "negotiation")) { "View the negotiation" } }
        }
    })
}
