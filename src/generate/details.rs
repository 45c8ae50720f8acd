//! The small particulars of an episode: vulnerabilities, who raised the concern, where the
//! person is, the reference, and the timeline and appropriate-adult rows.

use super::episode::Contact;
use super::rng::Rng;
use super::{Writer, rows};
use crate::clock::Millis;
use crate::domain::codes::{APPROPRIATE_ADULT_RELATIONSHIPS, VULNERABILITIES};
use crate::domain::site::SiteKind;

impl<'w> Writer<'w> {
    /// One timeline entry: `kind` is the stored code (`status`, `note`, `contact`).
    pub fn timeline(
        &mut self,
        rng: &mut Rng,
        episode_id: &str,
        (at, author): (Millis, &'w str),
        kind: &'w str,
        body: String,
    ) {
        self.batch.timeline.push(rows::TimelineEntry {
            id: rng.uuid(),
            episode_id: episode_id.to_string(),
            at,
            author_id: author,
            kind,
            body,
            corrects_id: None,
        });
        self.stats.timeline += 1;
    }

    /// The appropriate adult a child must have before screening (PACE Code C).
    pub fn appropriate_adult(&mut self, rng: &mut Rng, episode_id: &str, at: Millis, author: &'w str) {
        let relationship = rng.weighted(&[(55, 0), (10, 1), (15, 2), (12, 3), (8, 4)]);
        let family = rng.pick(super::names::FAMILY);
        let names = if rng.chance(0.6) {
            super::names::FEMALE
        } else {
            super::names::MALE
        };
        let given = rng.pick(names);
        self.batch.adults.push(rows::AppropriateAdult {
            episode_id: episode_id.to_string(),
            name: format!("{given} {family}"),
            relationship: APPROPRIATE_ADULT_RELATIONSHIPS[relationship].0,
            // Ofcom's drama range: never connected.
            phone: "07700 900123",
            present: rng.chance(0.8),
            recorded_by: author,
            recorded_at: at,
        });
    }

    pub fn next_episode_serial(&mut self) -> u64 {
        self.episode_serial += 1;
        self.episode_serial
    }
}

/// Vulnerabilities found at screening, stored in code-list order, and their labels.
pub fn vulnerabilities(rng: &mut Rng, c: &Contact<'_>) -> (String, String) {
    let chance = |code: &str| match code {
        "mental-health" => 0.62,
        "substance-misuse" => 0.3,
        "alcohol-misuse" => 0.24,
        "self-harm-suicidal-thoughts" => 0.2,
        "trauma-abuse" => 0.14,
        "housing" => 0.15,
        "physical-health" => 0.1,
        "care-leaver" if c.youth => 0.15,
        "pregnancy-parenting" if c.woman => 0.15,
        "neurodiversity" | "finance-debt" => 0.08,
        _ => 0.04,
    };
    let chosen: Vec<&(&str, &str)> = VULNERABILITIES
        .iter()
        .filter(|(code, _)| rng.chance(chance(code)))
        .collect();
    let codes = chosen.iter().map(|(c, _)| *c).collect::<Vec<_>>().join(",");
    let labels = chosen.iter().map(|(_, l)| *l).collect::<Vec<_>>().join(", ");
    (
        codes,
        if labels.is_empty() {
            "None identified".into()
        } else {
            labels
        },
    )
}

/// Who raised the concern, by the kind of site (MHSDS source of referral codes where they exist).
pub fn source(rng: &mut Rng, kind: SiteKind, youth: bool) -> &'static str {
    let sources: &[(u32, &'static str)] = match kind {
        SiteKind::CustodySuite | SiteKind::VoluntaryAttendance if youth => {
            &[(45, "E1"), (20, "P1"), (20, "E6"), (15, "B2")]
        }
        SiteKind::CustodySuite => &[
            (55, "E1"),
            (25, "P1"),
            (8, "DEF"),
            (5, "B2"),
            (3, "B1"),
            (2, "A1"),
            (2, "ESC"),
        ],
        SiteKind::VoluntaryAttendance => &[(50, "E1"), (20, "DEF"), (20, "P1"), (10, "B2")],
        SiteKind::YouthCourt => &[(40, "E6"), (20, "E2"), (15, "DEF"), (15, "B2"), (10, "C1")],
        SiteKind::MagistratesCourt | SiteKind::CrownCourt => {
            &[(25, "E2"), (20, "E5"), (25, "DEF"), (8, "CPS"), (15, "E3"), (7, "P1")]
        }
    };
    rng.weighted(sources)
}

pub fn location(rng: &mut Rng, kind: SiteKind, youth: bool) -> String {
    match kind {
        SiteKind::CustodySuite if youth => format!("Juvenile detention room {}", rng.range(1, 3)),
        SiteKind::CustodySuite => format!("Cell {}", rng.range(1, 24)),
        SiteKind::VoluntaryAttendance => format!("Interview room {}", rng.range(1, 4)),
        SiteKind::MagistratesCourt => format!("Court {} cells", rng.range(1, 6)),
        SiteKind::YouthCourt => format!("Youth court {}", rng.range(1, 2)),
        SiteKind::CrownCourt => format!("Crown Court cells, court {}", rng.range(1, 8)),
    }
}

/// A custody record number or court reference, marked synthetic ("SYN").
pub fn reference(kind: SiteKind, site: usize, serial: u64, alert: Millis) -> String {
    let year = crate::domain::local_time::local_date(alert).format("%y");
    if kind.is_court() {
        format!("SYN-{year}{serial:07}")
    } else {
        format!("SYN/{:02}/{:06}/{year}", site + 1, serial % 1_000_000)
    }
}
