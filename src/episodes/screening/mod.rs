//! Screening (docs/domain.md §3.3): need, risk and urgency, and whether a full assessment is
//! needed. For someone under 18 an appropriate adult (PACE Code C) must be recorded first.

mod adult;
mod form;
mod page;
mod records;

use maud::{Markup, html};

use crate::domain::codes::CodeList;
use crate::records::Episode;
use crate::records::Person;
use crate::web::routes::Routes;

pub use records::{AppropriateAdult, Screening, find, find_appropriate_adult, summary};

/// The screening outcome that sends the episode on to a full assessment.
pub const FULL_ASSESSMENT_NEEDED: &str = "full-assessment-needed";

/// Whether the person agreed to be screened.
pub const CONSENT: CodeList = &[
    ("given", "Consent given"),
    ("declined", "Declined"),
    ("unable", "Unable to consent, for example intoxicated or too unwell"),
];

/// The immediate risks asked about at screening; each is a flag on the episode.
const RISKS: CodeList = &[
    ("self", "Risk to self or suicide"),
    ("others", "Harm to others"),
    ("from-others", "Risk from others"),
];

#[rustfmt::skip]
pub fn routes(r: &mut Routes) {
    use crate::web::routes::{Guard::Clinical, Record::Episode};
    r.get("/episodes/{id}/screening", Clinical, Episode, page::show)
        .post("/episodes/{id}/screening", Clinical, Episode, page::save)
        .get("/episodes/{id}/appropriate-adult", Clinical, Episode, adult::show_adult)
        .post("/episodes/{id}/appropriate-adult", Clinical, Episode, adult::save_adult);
}

/// The person and a way back to the episode, at the top of both forms.
fn episode_caption(ep: &Episode, person: &Person) -> Markup {
    html! {
        span.app-caption { (person.list_name()) ", born " (person.dob_display()) }
        p { a href={ "/episodes/" (ep.id) } { "Back to the episode" } }
    }
}
