//! The extract's columns: each with its name, its meaning, the files it appears in and how
//! its value is made from one case. The header, the rows and the definitions shown on the
//! extract page all come from this one list (docs/mhtr-evaluation-extract.md repeats it).

use std::collections::HashMap;

use crate::clock::Millis;
use crate::domain::CalendarDate;
use crate::domain::local_time;
use crate::domain::mhtr::{MhtrStatus, OutcomeMeasure, age_band, pseudonym};
use crate::domain::person::age_on;
use crate::mhtr::case::MhtrCase;
use crate::records::Person;

/// Which file a column is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Files {
    Both,
    IdentifiableOnly,
    PseudonymisedOnly,
}

impl Files {
    pub fn includes(self, pseudonymised: bool) -> bool {
        match self {
            Files::Both => true,
            Files::IdentifiableOnly => !pseudonymised,
            Files::PseudonymisedOnly => pseudonymised,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Files::Both => "Both",
            Files::IdentifiableOnly => "Identifiable only",
            Files::PseudonymisedOnly => "Pseudonymised only",
        }
    }
}

/// A measure score as recorded.
#[derive(Debug, Clone)]
pub struct Measure {
    pub measure: String,
    /// "start" or "end".
    pub phase: String,
    pub score: i32,
    pub taken_on: CalendarDate,
    pub recorded_at: Millis,
}

/// The order the court made with the MHTR, as far as the extract needs it.
#[derive(Debug, Clone)]
pub struct Order {
    pub order_type: String,
    pub completion_outcome: Option<String>,
    pub completed_at: Option<Millis>,
}

/// Treatment sessions: attended, offered (all but the service's cancellations), and the
/// first attended.
#[derive(Debug, Clone, Default)]
pub struct Sessions {
    pub attended: usize,
    pub offered: usize,
    pub first_attended: Option<CalendarDate>,
}

/// Everything the extract says about one case, loaded a table at a time for every case.
#[derive(Debug, Clone)]
pub struct CaseFacts {
    pub case: MhtrCase,
    pub person: Person,
    pub team: String,
    /// When the referral reached the team: sent by L&D, or entered by the practitioner.
    pub referred_at: Millis,
    /// The first time the case reached each status (by code).
    pub reached: HashMap<String, Millis>,
    pub sessions: Sessions,
    /// A breach referral was recorded during the order.
    pub breach_referred: bool,
    pub measures: Vec<Measure>,
    /// The outcome of the latest hearing recorded.
    pub court_outcome: Option<String>,
    pub order: Option<Order>,
}

type Value = Box<dyn Fn(&CaseFacts, &[u8]) -> String + Send + Sync>;

pub struct Column {
    pub name: String,
    pub meaning: String,
    pub files: Files,
    value: Value,
}

fn date(ms: Millis) -> String {
    local_time::local_date(ms).format("%Y-%m-%d").to_string()
}

fn text(value: &Option<String>) -> String {
    value.clone().unwrap_or_default()
}

fn column(
    name: &str,
    meaning: &str,
    files: Files,
    value: impl Fn(&CaseFacts, &[u8]) -> String + Send + Sync + 'static,
) -> Column {
    Column {
        name: name.into(),
        meaning: meaning.into(),
        files,
        value: Box::new(value),
    }
}

/// The stages after intake whose first date is reported, in pathway order.
const STAGES: [MhtrStatus; 8] = [
    MhtrStatus::Eligibility,
    MhtrStatus::Assessment,
    MhtrStatus::Consent,
    MhtrStatus::Negotiation,
    MhtrStatus::Recommendation,
    MhtrStatus::AwaitingSentence,
    MhtrStatus::Treatment,
    MhtrStatus::Completed,
];

/// The first start score (earliest taken) or the last end score (latest taken).
fn score(f: &CaseFacts, measure: &str, phase: &str) -> String {
    let mut these: Vec<&Measure> = f
        .measures
        .iter()
        .filter(|m| m.measure == measure && m.phase == phase)
        .collect();
    these.sort_by_key(|m| (m.taken_on, m.recorded_at));
    let chosen = if phase == "start" { these.first() } else { these.last() };
    chosen.map(|m| m.score.to_string()).unwrap_or_default()
}

fn age_at_referral(f: &CaseFacts) -> u32 {
    age_on(f.person.dob(), local_time::local_date(f.case.created_at))
}

/// Every column, in file order.
pub fn all(measures: &[&OutcomeMeasure]) -> Vec<Column> {
    use Files::{Both, IdentifiableOnly as Named, PseudonymisedOnly as Pseudo};
    let mut cols = vec![
        column("case_reference", "The case's reference in Liaison", Named, |f, _| {
            f.case.id.to_string()
        }),
        column(
            "pseudonym",
            "A stable pseudonym for the woman: the same person has the same pseudonym in every extract and every case",
            Both,
            |f, key| pseudonym(key, &f.person.id),
        ),
        column("given_name", "Her first name", Named, |f, _| {
            f.person.given_name.clone()
        }),
        column("family_name", "Her last name", Named, |f, _| {
            f.person.family_name.clone()
        }),
        column("date_of_birth", "Her date of birth (YYYY-MM-DD)", Named, |f, _| {
            f.person.date_of_birth.iso()
        }),
        column(
            "nhs_number",
            "Her NHS number (10 digits), if recorded",
            Named,
            |f, _| text(&f.person.nhs_number),
        ),
        column(
            "pnc_id",
            "Her Police National Computer ID, if recorded",
            Named,
            |f, _| text(&f.person.pnc_id),
        ),
        column(
            "age_band",
            "Her age at referral, in bands: Under 18, 18-24, 25-34, 35-44, 45-54, 55-64, 65+",
            Pseudo,
            |f, _| age_band(age_at_referral(f)).to_string(),
        ),
        column("team", "The MHTR team", Both, |f, _| f.team.clone()),
        column(
            "referral_source",
            "Who referred her (REFERRAL_SOURCES code)",
            Both,
            |f, _| f.case.referral_source.clone(),
        ),
        column("court", "The court she was referred from", Both, |f, _| {
            text(&f.case.court)
        }),
        column(
            "referred_on",
            "The date the referral reached the MHTR team (YYYY-MM-DD)",
            Both,
            |f, _| date(f.referred_at),
        ),
        column(
            "accepted_on",
            "The date the referral was accepted into the pathway; blank if it was not",
            Both,
            |f, _| {
                f.reached
                    .get(MhtrStatus::Eligibility.code())
                    .map(|_| date(f.case.accepted_at))
                    .unwrap_or_default()
            },
        ),
    ];
    for stage in STAGES {
        let code = stage.code();
        cols.push(column(
            &format!("reached_{}_on", code.replace('-', "_")),
            &format!(
                "The first date the case reached “{}”; blank if it never did",
                stage.label()
            ),
            Both,
            move |f, _| f.reached.get(code).map(|at| date(*at)).unwrap_or_default(),
        ));
    }
    cols.extend([
        column(
            "closed_on",
            "The date the case closed early (YYYY-MM-DD); blank if it did not",
            Both,
            |f, _| f.case.closed_at.map(date).unwrap_or_default(),
        ),
        column("status", "Where the case stands now (status code)", Both, |f, _| {
            f.case.status.code().to_string()
        }),
        column(
            "eligibility_outcome",
            "The eligibility screen's outcome (ELIGIBILITY_OUTCOMES code)",
            Both,
            |f, _| text(&f.case.eligibility_outcome),
        ),
        column(
            "exit_reason",
            "Why the case closed early (EXIT_REASONS code)",
            Both,
            |f, _| text(&f.case.exit_reason),
        ),
        column(
            "negotiation_outcome",
            "How the negotiation with secondary care ended (NEGOTIATION_OUTCOMES code)",
            Both,
            |f, _| text(&f.case.negotiation_outcome),
        ),
        column(
            "treatment_type",
            "The proposed treatment (TREATMENT_TYPES code)",
            Both,
            |f, _| text(&f.case.treatment_type),
        ),
        column(
            "sessions_planned",
            "The number of treatment sessions proposed",
            Both,
            |f, _| f.case.planned_sessions.map(|n| n.to_string()).unwrap_or_default(),
        ),
        column(
            "sessions_attended",
            "The number of treatment sessions she attended",
            Both,
            |f, _| f.sessions.attended.to_string(),
        ),
    ]);
    for m in measures {
        let code = m.code;
        let name = code.replace('-', "_");
        for (phase, when) in [("start", "first score at the start"), ("end", "last score at the end")] {
            cols.push(column(
                &format!("{name}_{phase}"),
                &format!("{}: the {when} of treatment ({} to {})", m.name, m.min, m.max),
                Both,
                move |f, _| score(f, code, phase),
            ));
        }
    }
    cols.extend([
        column(
            "court_outcome",
            "The outcome of the latest hearing recorded (COURT_OUTCOMES code)",
            Both,
            |f, _| text(&f.court_outcome),
        ),
        column(
            "order_type",
            "The order the MHTR is part of (ORDER_TYPES code)",
            Both,
            |f, _| f.order.as_ref().map(|o| o.order_type.clone()).unwrap_or_default(),
        ),
        column(
            "completion_outcome",
            "How treatment under the order ended",
            Both,
            |f, _| {
                f.order
                    .as_ref()
                    .and_then(|o| o.completion_outcome.clone())
                    .unwrap_or_default()
            },
        ),
        column(
            "completed_on",
            "The date treatment was completed (YYYY-MM-DD)",
            Both,
            |f, _| {
                let at = f
                    .order
                    .as_ref()
                    .and_then(|o| o.completed_at)
                    .or_else(|| f.reached.get(MhtrStatus::Completed.code()).copied());
                at.map(date).unwrap_or_default()
            },
        ),
    ]);
    cols
}

/// The columns of one file.
pub fn of_file(pseudonymised: bool, measures: &[&OutcomeMeasure]) -> Vec<Column> {
    all(measures)
        .into_iter()
        .filter(|c| c.files.includes(pseudonymised))
        .collect()
}

/// One case's values, in the order of `columns`.
pub fn values(columns: &[Column], f: &CaseFacts, key: &[u8]) -> Vec<String> {
    columns.iter().map(|c| (c.value)(f, key)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::domain::mhtr::{OUTCOME_MEASURES, measures_in_use};

    fn defaults() -> Vec<&'static OutcomeMeasure> {
        measures_in_use(&crate::domain::mhtr::DEFAULT_MEASURES.map(String::from))
    }

    #[test]
    fn the_pseudonymised_file_has_no_direct_identifiers() {
        let names: Vec<String> = of_file(true, &defaults()).into_iter().map(|c| c.name).collect();
        for identifier in [
            "case_reference",
            "given_name",
            "family_name",
            "date_of_birth",
            "nhs_number",
            "pnc_id",
        ] {
            assert!(!names.iter().any(|n| n == identifier), "{identifier}");
        }
        assert!(names.iter().any(|n| n == "age_band"));
        let named: Vec<String> = of_file(false, &defaults()).into_iter().map(|c| c.name).collect();
        assert!(!named.iter().any(|n| n == "age_band"));
    }

    #[test]
    fn every_column_is_documented() {
        let doc = include_str!("../../../docs/mhtr-evaluation-extract.md");
        let every: Vec<&OutcomeMeasure> = OUTCOME_MEASURES.iter().collect();
        for c in all(&every) {
            assert!(doc.contains(&format!("`{}`", c.name)), "{} is not in the docs", c.name);
        }
    }
}
