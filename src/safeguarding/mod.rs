//! Safeguarding (docs/domain.md §6): adult and child safeguarding concerns raised with a
//! local authority or other agency under local policies. Recording one flags the episode, so
//! the person stands out on the live list and their person page; the agency's answer is
//! added later, and the concern can be sent on as a referral like any other.

mod date_raised;
mod outcome;
mod record;

use chrono::NaiveDate;
use diesel::prelude::*;
use maud::{Markup, html};

use crate::clock::Millis;
use crate::db::DbConnection;
use crate::db::schema::safeguarding_concerns;
use crate::domain::CalendarDate;
use crate::domain::codes::{self, CodeList};
use crate::domain::ids::ConcernId;
use crate::domain::local_time;
use crate::partners::ServiceEntry;
use crate::records::Episode;
use crate::records::Person;
use crate::views::components::{self, Tone};
use crate::web::routes::{Guard::Clinical, Record, Routes};

/// Who the concern is about.
pub const KINDS: CodeList = &[("adult", "An adult at risk"), ("child", "A child")];

/// The audit trail's name for a concern.
const RECORD: &str = "safeguarding-concern";

const AGENCY_MAX: usize = 200;
const REFERENCE_MAX: usize = 60;
const OUTCOME_MAX: usize = 2000;

#[rustfmt::skip]
pub fn routes(r: &mut Routes) {
    const PATH: &str = "/episodes/{id}/safeguarding";
    const CONCERN: &str = "/episodes/{id}/safeguarding/{concern_id}";
    r.get(PATH, Clinical, Record::Episode, record::show)
        .post(PATH, Clinical, Record::Episode, record::save)
        .get(CONCERN, Clinical, Record::Episode, outcome::show)
        .post(CONCERN, Clinical, Record::Episode, outcome::save);
}

// ---- The record --------------------------------------------------------------------------

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = safeguarding_concerns)]
pub struct Concern {
    pub id: ConcernId,
    pub episode_id: String,
    /// A `KINDS` code.
    pub kind: String,
    pub agency: String,
    #[diesel(deserialize_as = String)]
    pub raised_on: CalendarDate,
    pub agency_reference: Option<String>,
    pub outcome: Option<String>,
    pub recorded_by: String,
    pub recorded_at: Millis,
}

impl Concern {
    /// "child" or "adult", for sentences such as "Safeguarding concern (child)".
    pub fn kind_word(&self) -> &str {
        if self.kind == "child" { "child" } else { "adult" }
    }

    /// "3 May 2026".
    pub fn raised_on_display(&self) -> String {
        long_date(self.raised_on.date())
    }
}

/// "3 May 2026".
fn long_date(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

/// The concerns recorded for an episode, newest first.
pub fn for_episode(conn: &mut DbConnection, episode_id: &str) -> QueryResult<Vec<Concern>> {
    safeguarding_concerns::table
        .filter(safeguarding_concerns::episode_id.eq(episode_id))
        .select(Concern::as_select())
        .order((
            safeguarding_concerns::recorded_at.desc(),
            safeguarding_concerns::id.desc(),
        ))
        .load(conn)
}

/// One concern, only if it belongs to the episode in the address, so a concern cannot be
/// reached through an episode the user is allowed to see but it is not part of.
fn find_in_episode(conn: &mut DbConnection, episode_id: &str, concern_id: &ConcernId) -> QueryResult<Option<Concern>> {
    safeguarding_concerns::table
        .filter(safeguarding_concerns::id.eq(concern_id))
        .filter(safeguarding_concerns::episode_id.eq(episode_id))
        .select(Concern::as_select())
        .first(conn)
        .optional()
}

/// Trimmed text, or `None` when nothing was typed.
fn optional_text(text: &str) -> Option<String> {
    Some(text.trim().to_string()).filter(|t| !t.is_empty())
}

// ---- Shared view parts -------------------------------------------------------------------

fn kind_label(code: &str) -> &str {
    codes::label_of(KINDS, code).unwrap_or(code)
}

/// The concern as a summary list.
fn summary(concern: &Concern) -> Markup {
    components::summary_list(&[
        ("About", html! { (kind_label(&concern.kind)) }),
        ("Agency", html! { (concern.agency) }),
        ("Date raised", html! { (concern.raised_on_display()) }),
        (
            "Agency reference number",
            html! { (concern.agency_reference.as_deref().unwrap_or("Not recorded yet")) },
        ),
        (
            "Outcome",
            html! { (concern.outcome.as_deref().unwrap_or("Not recorded yet")) },
        ),
        ("Recorded", html! { (local_time::date_time(concern.recorded_at)) }),
    ])
}

fn outcome_link(concern: &Concern) -> Markup {
    html! {
        a href={ "/episodes/" (concern.episode_id) "/safeguarding/" (concern.id) } {
            "Record the outcome or reference"
            span.app-visually-hidden { " for the concern raised with " (concern.agency) }
        }
    }
}

/// One card per concern; empty when there are none.
fn concern_cards(concerns: &[Concern]) -> Markup {
    html! {
        @for c in concerns {
            div.app-card {
                h3.app-heading-s { "Safeguarding concern (" (c.kind_word()) ") – " (c.agency) }
                (summary(c))
                p { (outcome_link(c)) }
            }
        }
    }
}

/// The episode page's safeguarding section: each concern recorded, and where to record one.
/// `flagged` is the episode's safeguarding flag: set by a recorded concern or by screening,
/// so with none recorded the section says screening found one still to record, never "none".
pub fn episode_section(episode_id: &str, flagged: bool, concerns: &[Concern]) -> Markup {
    html! {
        h2.app-heading-m #safeguarding { "Safeguarding" }
        @if concerns.is_empty() && flagged {
            p { (components::tag("Safeguarding", Tone::Bad)) " Screening identified a safeguarding concern that has not been recorded yet." }
        } @else if concerns.is_empty() {
            p { "No safeguarding concerns recorded." }
        } @else {
            (concern_cards(concerns))
        }
        p { a href={ "/episodes/" (episode_id) "/safeguarding" } { "Record a safeguarding concern" } }
    }
}

fn is_safeguarding_service(service_type: &str) -> bool {
    matches!(service_type, "adult-safeguarding" | "childrens-safeguarding")
}

/// The directory service type that matches a concern's kind.
fn service_type_for(kind: &str) -> &'static str {
    if kind == "child" {
        "childrens-safeguarding"
    } else {
        "adult-safeguarding"
    }
}

/// The active safeguarding services, those matching `kind` first, then in directory order.
fn safeguarding_services(services: Vec<ServiceEntry>, kind: &str) -> Vec<ServiceEntry> {
    let preferred = service_type_for(kind);
    let mut found: Vec<ServiceEntry> = services
        .into_iter()
        .filter(|s| s.active && is_safeguarding_service(&s.service_type))
        .collect();
    // A stable sort keeps the directory's own order within each group.
    found.sort_by_key(|s| s.service_type != preferred);
    found
}

/// "Send as a referral": a link per safeguarding service into the referral form with that
/// service chosen, so consent and what is shared are recorded as for any referral.
fn referral_links(episode_id: &str, services: &[ServiceEntry]) -> Markup {
    html! {
        h2.app-heading-m #send { "Send as a referral" }
        @if services.is_empty() {
            p { "There are no safeguarding services in the partner directory. Ask an administrator to add your local adult and children's safeguarding teams." }
        } @else {
            p { "Sending it as a referral records consent or the lawful basis for sharing, and keeps track of the agency's answer." }
            ul.app-list {
                @for s in services {
                    li {
                        a href={ "/episodes/" (episode_id) "/referrals/new?services=" (s.id) } {
                            (s.organisation) " – " (s.name)
                        }
                        " (" (codes::label_of(crate::domain::referral::SERVICE_TYPES, &s.service_type).unwrap_or("Safeguarding")) ")"
                    }
                }
            }
        }
    }
}

fn episode_caption(ep: &Episode, person: &Person) -> Markup {
    html! {
        span.app-caption { (person.list_name()) ", born " (person.dob_display()) }
        p { a href={ "/episodes/" (ep.id) } { "Back to the episode" } }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service(id: &str, service_type: &str, active: bool) -> ServiceEntry {
        ServiceEntry {
            id: id.into(),
            organisation: "Brent Council".into(),
            name: id.into(),
            service_type: service_type.into(),
            phone: None,
            addresses: vec![],
            active,
        }
    }

    fn ids(services: &[ServiceEntry]) -> Vec<&str> {
        services.iter().map(|s| s.id.as_str()).collect()
    }

    #[test]
    fn safeguarding_services_match_the_kind_first() {
        let all = vec![
            service("adults", "adult-safeguarding", true),
            service("cmht", "cmht", true),
            service("mash", "childrens-safeguarding", true),
            service("old-mash", "childrens-safeguarding", false),
        ];
        assert_eq!(ids(&safeguarding_services(all.clone(), "child")), ["mash", "adults"]);
        assert_eq!(ids(&safeguarding_services(all, "adult")), ["adults", "mash"]);
    }

    #[test]
    fn the_episode_section_links_to_recording_and_to_each_outcome() {
        let empty = episode_section("e", false, &[]).into_string();
        assert!(empty.contains("No safeguarding concerns recorded."));
        assert!(empty.contains(r#"href="/episodes/e/safeguarding""#));
        // Flagged at screening with nothing recorded: never "none recorded" beside the flag.
        let flagged = episode_section("e", true, &[]).into_string();
        assert!(!flagged.contains("No safeguarding concerns recorded."), "{flagged}");
        assert!(flagged.contains("Screening identified a safeguarding concern that has not been recorded yet."));
        let concern = Concern {
            id: "c".into(),
            episode_id: "e".into(),
            kind: "adult".into(),
            agency: "Brent Adult Social Care".into(),
            raised_on: "2026-05-03".parse().unwrap(),
            agency_reference: Some("ASC-9".into()),
            outcome: None,
            recorded_by: "u".into(),
            recorded_at: 0,
        };
        let html = episode_section("e", true, &[concern]).into_string();
        assert!(html.contains("Safeguarding concern (adult) – Brent Adult Social Care"));
        assert!(html.contains("ASC-9") && html.contains(r#"href="/episodes/e/safeguarding/c""#));
    }

    #[test]
    fn raised_on_reads_as_a_long_date() {
        let concern = Concern {
            id: "c".into(),
            episode_id: "e".into(),
            kind: "child".into(),
            agency: "Brent Children's Social Care".into(),
            raised_on: "2026-05-03".parse().unwrap(),
            agency_reference: None,
            outcome: None,
            recorded_by: "u".into(),
            recorded_at: 0,
        };
        assert_eq!(concern.raised_on_display(), "3 May 2026");
        assert_eq!(concern.kind_word(), "child");
    }
}
