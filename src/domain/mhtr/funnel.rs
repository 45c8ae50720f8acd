//! The MHTR funnel M1–M11 (RETURNS-AND-DASHBOARDS.md): how many of the women referred reached
//! each stage, the conversion between adjacent stages, and the median days between sentence
//! and its neighbours. Plain arithmetic over one journey per case, so each definition is
//! tested on hand-built cases.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;

use crate::clock::Millis;
use crate::domain::local_time::local_date;
use crate::domain::measures::{histogram, median};

/// One case's way through the pathway, as the funnel sees it.
#[derive(Debug, Clone, Default)]
pub struct Journey {
    pub referred_at: Millis,
    /// The first time the case reached each status (by code).
    pub reached: HashMap<String, Millis>,
    /// When the eligibility screen was recorded.
    pub eligibility_at: Option<Millis>,
    /// The pathway negotiation's outcome (`pathway-agreed`, …).
    pub negotiation_outcome: Option<String>,
    pub status: String,
    pub exit_reason: Option<String>,
    /// The first treatment session she attended.
    pub first_attended_on: Option<NaiveDate>,
    pub sessions_attended: usize,
    /// Sessions that went ahead or that she missed: everything but the service's cancellations.
    pub sessions_offered: usize,
    pub breach_referred: bool,
}

impl Journey {
    fn reached(&self, status: &str) -> Option<Millis> {
        self.reached.get(status).copied()
    }
}

/// A stage of the funnel with its definition in words.
#[derive(Debug, Clone, PartialEq)]
pub struct Stage {
    pub id: &'static str,
    pub name: &'static str,
    pub definition: &'static str,
    pub count: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Funnel {
    /// M1–M9, in order.
    pub stages: Vec<Stage>,
    /// M10.
    pub sessions_attended: usize,
    pub sessions_offered: usize,
    /// M11: how orders ended, with those still in treatment.
    pub endings: BTreeMap<&'static str, usize>,
    /// Median days from assessment completed (M4) to sentence (M8), and from sentence to the
    /// first session attended (M9).
    pub days_m4_to_m8: Option<f64>,
    pub days_m8_to_m9: Option<f64>,
    pub m4_to_m8_cases: usize,
    pub m8_to_m9_cases: usize,
}

pub const ENDED_COMPLETED: &str = "Completed";
pub const ENDED_REVOKED: &str = "Revoked";
pub const ENDED_BREACH: &str = "Referred for breach";
pub const ENDED_OTHER: &str = "Ended another way";
pub const STILL_IN_TREATMENT: &str = "Still in treatment";

type Test = fn(&Journey) -> bool;

const STAGES: [(&str, &str, &str, Test); 9] = [
    (
        "M1",
        "Identified",
        "Referrals the MHTR team received: from L&D or from outside.",
        |_| true,
    ),
    ("M2", "Screened", "Eligibility screen recorded.", |j| {
        j.eligibility_at.is_some()
    }),
    (
        "M3",
        "Assessment offered",
        "Found eligible and offered the suitability assessment.",
        |j| j.reached("assessment").is_some(),
    ),
    ("M4", "Assessment completed", "Suitability assessment completed.", |j| {
        j.reached("consent").is_some()
    }),
    ("M5", "Consented", "She consented to an MHTR.", |j| {
        j.reached("negotiation").is_some()
    }),
    ("M6", "Report sent", "Suitability report sent to probation.", |j| {
        j.reached("awaiting-sentence").is_some()
    }),
    (
        "M7",
        "MHTR proposed",
        "Report sent with an agreed treatment pathway, so probation can propose an MHTR in the pre-sentence report. Liaison does not hold the pre-sentence report itself.",
        |j| j.reached("awaiting-sentence").is_some() && j.negotiation_outcome.as_deref() == Some("pathway-agreed"),
    ),
    ("M8", "Sentenced with an MHTR", "The court made an MHTR.", |j| {
        j.reached("treatment").is_some()
    }),
    ("M9", "First session", "First treatment session attended.", |j| {
        j.reached("treatment").is_some() && j.first_attended_on.is_some()
    }),
];

/// M10's and M11's definitions in words.
pub const M10_DEFINITION: &str =
    "Treatment sessions attended, of sessions offered (every planned session except those the service cancelled).";
pub const M11_DEFINITION: &str = "How orders made with an MHTR ended: completed, revoked, referred for breach, or ended another way; and those still in treatment.";

pub fn funnel(journeys: &[Journey]) -> Funnel {
    let stages = STAGES
        .iter()
        .map(|(id, name, definition, test)| Stage {
            id,
            name,
            definition,
            count: journeys.iter().filter(|j| test(j)).count(),
        })
        .collect();
    let mut endings = BTreeMap::new();
    let (mut to_sentence, mut to_first) = (Vec::new(), Vec::new());
    for j in journeys {
        let assessed = j.reached("consent").map(local_date);
        let sentenced = j.reached("treatment").map(local_date);
        if let (Some(a), Some(s)) = (assessed, sentenced) {
            to_sentence.push((s - a).num_days());
        }
        if let (Some(s), Some(first)) = (sentenced, j.first_attended_on) {
            to_first.push((first - s).num_days());
        }
        if sentenced.is_some() {
            *endings.entry(ending(j)).or_default() += 1;
        }
    }
    Funnel {
        stages,
        sessions_attended: journeys.iter().map(|j| j.sessions_attended).sum(),
        sessions_offered: journeys.iter().map(|j| j.sessions_offered).sum(),
        endings,
        days_m4_to_m8: median(&histogram(&to_sentence)),
        days_m8_to_m9: median(&histogram(&to_first)),
        m4_to_m8_cases: to_sentence.len(),
        m8_to_m9_cases: to_first.len(),
    }
}

/// How a sentenced case's order ended, or that it has not.
fn ending(j: &Journey) -> &'static str {
    match (j.status.as_str(), j.exit_reason.as_deref()) {
        ("completed", _) => ENDED_COMPLETED,
        ("closed", Some("revoked")) => ENDED_REVOKED,
        _ if j.breach_referred => ENDED_BREACH,
        ("closed", _) => ENDED_OTHER,
        _ => STILL_IN_TREATMENT,
    }
}

impl Funnel {
    /// The share of the previous stage that reached each stage (none for M1).
    pub fn conversions(&self) -> Vec<Option<f64>> {
        let mut previous = None;
        self.stages
            .iter()
            .map(|s| {
                let rate = previous.and_then(|p| crate::domain::measures::rate(s.count, p));
                previous = Some(s.count);
                rate
            })
            .collect()
    }
}

#[cfg(test)]
mod tests;
