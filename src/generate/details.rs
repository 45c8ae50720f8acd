//! The small particulars of an episode: vulnerabilities, who raised the concern, where the
//! person is, the reference, and the timeline and appropriate-adult rows.

use super::episode::Contact;
use super::rng::Rng;
use super::{Writer, rows};
use crate::clock::Millis;
use crate::domain::codes::{APPROPRIATE_ADULT_RELATIONSHIPS, VULNERABILITIES, label_of};
use crate::domain::measures::NONE_IDENTIFIED;
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

/// People with at least one vulnerability, as RAND's national evaluation of L&D found (88%).
const ANY_VULNERABILITY: f64 = 0.88;

/// Each vulnerability's chance for someone who has at least one: tuned so that, over everyone
/// screened, 71% have a mental health need and 52% misuse drugs or alcohol (RAND).
fn chance_given_any(code: &str, c: &Contact<'_>) -> f64 {
    match code {
        "mental-health" => 0.78,
        "drug-misuse" => 0.38,
        "alcohol-misuse" => 0.3,
        "suicide-self-harm" => 0.22,
        "accommodation" => 0.17,
        "physical-health" => 0.12,
        "education-training-employment" if c.youth => 0.3,
        "education-training-employment" | "finance-debt" => 0.1,
        "domestic-abuse-victim" if c.woman => 0.25,
        "care-leaver" | "gangs-county-lines" if c.youth => 0.15,
        "parenting" if c.woman => 0.15,
        "learning-disability" | "learning-difficulty" | "autism" | "adhd" => 0.05,
        "domestic-abuse-victim" | "domestic-abuse-perpetrator" | "bereavement" => 0.05,
        "sexual-exploitation" if c.youth || c.woman => 0.05,
        NONE_IDENTIFIED => 0.0,
        _ => 0.02,
    }
}

/// Vulnerabilities found at screening, stored in code-list order, and their labels; "none
/// identified" for the people with none.
pub fn vulnerabilities(rng: &mut Rng, c: &Contact<'_>) -> (String, String) {
    if !rng.chance(ANY_VULNERABILITY) {
        let label = label_of(VULNERABILITIES, NONE_IDENTIFIED).unwrap_or_default();
        return (NONE_IDENTIFIED.to_string(), label.to_string());
    }
    loop {
        let chosen: Vec<&(&str, &str)> = VULNERABILITIES
            .iter()
            .filter(|(code, _)| rng.chance(chance_given_any(code, c)))
            .collect();
        if !chosen.is_empty() {
            let codes = chosen.iter().map(|(c, _)| *c).collect::<Vec<_>>().join(",");
            let labels = chosen.iter().map(|(_, l)| *l).collect::<Vec<_>>().join(", ");
            return (codes, labels);
        }
    }
}

/// Where the person is in the criminal justice process when L&D hears of them: at a police
/// station nearly always before charge; at court mostly charged and yet to plead, some after
/// a plea and awaiting sentence, a few already sentenced (a breach, a recall).
pub fn cj_stage(rng: &mut Rng, kind: SiteKind) -> &'static str {
    let stages: &[(u32, &'static str)] = match kind {
        SiteKind::CustodySuite | SiteKind::VoluntaryAttendance | SiteKind::Community => {
            &[(96, "pre-charge"), (4, "post-charge-pre-plea")]
        }
        SiteKind::Probation => &[(70, "post-plea-pre-sentence"), (30, "sentenced")],
        SiteKind::MagistratesCourt | SiteKind::YouthCourt | SiteKind::YouthOffendingTeam => &[
            (65, "post-charge-pre-plea"),
            (28, "post-plea-pre-sentence"),
            (7, "sentenced"),
        ],
        SiteKind::CrownCourt => &[
            (50, "post-charge-pre-plea"),
            (42, "post-plea-pre-sentence"),
            (8, "sentenced"),
        ],
    };
    rng.weighted(stages)
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
        SiteKind::Probation => &[(80, "E3"), (20, "P1")],
        SiteKind::YouthOffendingTeam => &[(80, "E6"), (20, "P1")],
        SiteKind::Community => &[(40, "B1"), (30, "A1"), (30, "B2")],
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
        SiteKind::Probation | SiteKind::YouthOffendingTeam | SiteKind::Community => {
            format!("Interview room {}", rng.range(1, 4))
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::codes::CJ_STAGES;

    /// The mix over many screenings is RAND's, within a point or two.
    #[test]
    fn the_vulnerability_mix_is_like_the_national_evaluation() {
        let mut rng = Rng::new(14);
        let (n, mut any, mut mental, mut drink_or_drugs) = (20_000, 0, 0, 0);
        for i in 0..n {
            let c = Contact {
                person_id: "p",
                site: 0,
                alert: 0,
                youth: i % 10 == 0,
                woman: i % 6 == 1,
            };
            let (codes, labels) = vulnerabilities(&mut rng, &c);
            let codes: Vec<&str> = codes.split(',').collect();
            assert!(!labels.is_empty());
            assert!(
                codes.iter().all(|v| label_of(VULNERABILITIES, v).is_some()),
                "{codes:?}"
            );
            if codes != [NONE_IDENTIFIED] {
                assert!(!codes.contains(&NONE_IDENTIFIED), "none identified stands alone");
                any += 1;
            }
            mental += usize::from(codes.contains(&"mental-health"));
            drink_or_drugs += usize::from(codes.contains(&"drug-misuse") || codes.contains(&"alcohol-misuse"));
        }
        let share = |k: usize| k as f64 / f64::from(n);
        assert!((share(any) - 0.88).abs() < 0.015, "any: {}", share(any));
        assert!((share(mental) - 0.71).abs() < 0.02, "mental health: {}", share(mental));
        assert!(
            (share(drink_or_drugs) - 0.52).abs() < 0.02,
            "drug or alcohol: {}",
            share(drink_or_drugs)
        );
    }

    #[test]
    fn stages_are_on_the_list_and_custody_is_mostly_before_charge() {
        let mut rng = Rng::new(3);
        let pre_charge = (0..1000)
            .map(|_| cj_stage(&mut rng, SiteKind::CustodySuite))
            .filter(|s| *s == "pre-charge")
            .count();
        assert!(pre_charge > 900, "{pre_charge}");
        for _ in 0..100 {
            assert!(label_of(CJ_STAGES, cj_stage(&mut rng, SiteKind::CrownCourt)).is_some());
        }
    }
}
