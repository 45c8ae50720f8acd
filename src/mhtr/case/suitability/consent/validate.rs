//! The consent form checked: the decisions that fit the case's stage, her capacity and the
//! witness, and the proposed treatment when she gives consent.

use chrono::NaiveDate;
use serde::Deserialize;

use super::super::{NAME_MAX, TEXT_MAX, checked_date, optional_text, required_text};
use crate::domain::CalendarDate;
use crate::domain::codes::{CodeList, label_of};
use crate::domain::date_input::DateRule;
use crate::domain::local_time;
use crate::domain::mhtr::{self, Action, ExitReason, MhtrStatus, TREATMENT_TYPES};
use crate::views::form::Errors;
use crate::web::error::AppError;

/// Every decision that can be recorded, for reading them back.
pub use crate::domain::mhtr::CONSENT_DECISIONS as DECISIONS;

const MOST_SESSIONS: u32 = 52;

const DECIDED_ON: DateRule = DateRule::happened("Date of her decision", "decided", "Enter the date of her decision");

/// The decisions that fit the case's stage: given or declined at consent; afterwards, until
/// sentence, only withdrawn.
pub fn decisions(status: MhtrStatus) -> CodeList {
    match status {
        MhtrStatus::Consent => &DECISIONS[..2],
        MhtrStatus::Negotiation | MhtrStatus::Recommendation | MhtrStatus::AwaitingSentence => &DECISIONS[2..],
        _ => &[],
    }
}

/// The domain's explanation of why nothing about consent can be recorded at this stage.
pub fn refusal(status: MhtrStatus) -> AppError {
    // In treatment the question is withdrawal, which the table no longer allows.
    let action = match status {
        MhtrStatus::Treatment => Action::Close(ExitReason::ConsentDeclined),
        _ => Action::RecordConsent,
    };
    match mhtr::transition(status, action) {
        Err(e) => AppError::Refused(e.message().to_string()),
        Ok(_) => AppError::Refused("Consent cannot be recorded at this stage".into()),
    }
}

#[derive(Deserialize, Default, Debug, Clone)]
pub struct ConsentForm {
    #[serde(default)]
    pub decision: String,
    #[serde(default, rename = "decided-day")]
    pub day: String,
    #[serde(default, rename = "decided-month")]
    pub month: String,
    #[serde(default, rename = "decided-year")]
    pub year: String,
    #[serde(default)]
    pub capacity_note: String,
    #[serde(default)]
    pub witness_name: String,
    #[serde(default)]
    pub witness_role: String,
    #[serde(default)]
    pub treatment_type: String,
    #[serde(default)]
    pub sessions: String,
    #[serde(default)]
    pub treating_team: String,
    #[serde(default)]
    pub note: String,
}

/// The treatment proposed when she gives consent.
#[derive(Debug, PartialEq, Eq)]
pub struct Treatment {
    pub kind: String,
    pub sessions: i32,
    pub team: String,
}

/// A checked form: what to store and which move to make.
#[derive(Debug)]
pub struct Decision {
    pub decision: &'static str,
    pub decided_on: CalendarDate,
    pub capacity_note: String,
    pub witness: String,
    pub treatment: Option<Treatment>,
    pub note: Option<String>,
}

impl Decision {
    pub fn action(&self) -> Action {
        match self.treatment {
            Some(_) => Action::RecordConsent,
            None => Action::Close(ExitReason::ConsentDeclined),
        }
    }

    /// The note on the case's history (and, when it closes, its closure note).
    pub fn history_note(&self) -> String {
        let label = label_of(DECISIONS, self.decision).unwrap_or(self.decision);
        let said = format!("{label} on {}", local_time::day(self.decided_on));
        match &self.note {
            Some(note) => format!("{said}: {note}"),
            None => said,
        }
    }
}

fn parse_sessions(text: &str) -> Result<i32, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("Enter the number of sessions".into());
    }
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err("Number of sessions must be a whole number, like 12".into());
    }
    match text.parse::<u32>() {
        Ok(n) if (1..=MOST_SESSIONS).contains(&n) => Ok(n as i32),
        _ => Err(format!("Number of sessions must be between 1 and {MOST_SESSIONS}")),
    }
}

impl ConsentForm {
    pub fn validate(&self, status: MhtrStatus, today: NaiveDate) -> Result<Decision, Errors> {
        let mut errors = Errors::default();
        let offered = decisions(status);
        let decision = offered
            .iter()
            .find(|(code, _)| *code == self.decision)
            .map(|(code, _)| *code);
        if decision.is_none() {
            let choices: Vec<String> = offered.iter().map(|(_, l)| l.to_lowercase()).collect();
            errors.add("decision", format!("Select {}", choices.join(" or ")));
        }
        let decided_on = checked_date([&self.day, &self.month, &self.year], &DECIDED_ON, today, &mut errors);
        let capacity_note = required_text(
            &mut errors,
            (
                "capacity_note",
                "Capacity note",
                "Enter how her capacity to consent was assessed",
            ),
            &self.capacity_note,
            TEXT_MAX,
        );
        let witness_name = required_text(
            &mut errors,
            (
                "witness_name",
                "Witness's name",
                "Enter the name of who witnessed her decision",
            ),
            &self.witness_name,
            NAME_MAX,
        );
        let witness_role = required_text(
            &mut errors,
            (
                "witness_role",
                "Witness's role",
                "Enter the role of who witnessed her decision",
            ),
            &self.witness_role,
            NAME_MAX,
        );
        let treatment = (decision == Some("given")).then(|| self.treatment(&mut errors));
        let note = optional_text(&mut errors, ("note", "Note"), &self.note);
        match (decision, decided_on) {
            (Some(decision), Some(decided_on)) if errors.is_empty() => Ok(Decision {
                decision,
                decided_on,
                capacity_note,
                witness: format!("{witness_name} ({witness_role})"),
                treatment,
                note,
            }),
            _ => Err(errors),
        }
    }

    fn treatment(&self, errors: &mut Errors) -> Treatment {
        if label_of(TREATMENT_TYPES, &self.treatment_type).is_none() {
            errors.add("treatment_type", "Select the type of treatment proposed");
        }
        let sessions = parse_sessions(&self.sessions).unwrap_or_else(|message| {
            errors.add("sessions", message);
            0
        });
        let team = required_text(
            errors,
            (
                "treating_team",
                "Treating team or practitioner",
                "Enter the treating team or practitioner",
            ),
            &self.treating_team,
            NAME_MAX,
        );
        Treatment {
            kind: self.treatment_type.clone(),
            sessions,
            team,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    fn given() -> ConsentForm {
        ConsentForm {
            decision: "given".into(),
            day: "20".into(),
            month: "11".into(),
            year: "2026".into(),
            capacity_note: "Understood, retained and weighed the information".into(),
            witness_name: " Sam Patel ".into(),
            witness_role: "Probation officer".into(),
            treatment_type: "primary-care-psychological-therapy".into(),
            sessions: "12".into(),
            treating_team: "Islington CMHT".into(),
            note: String::new(),
        }
    }

    #[test]
    fn consent_given_carries_the_proposed_treatment() {
        let d = given().validate(MhtrStatus::Consent, today()).unwrap();
        assert_eq!(d.action(), Action::RecordConsent);
        assert_eq!(d.witness, "Sam Patel (Probation officer)");
        assert_eq!(d.decided_on.iso(), "2026-11-20");
        assert_eq!(d.treatment.unwrap().sessions, 12);
    }

    #[test]
    fn declined_needs_no_treatment_and_closes() {
        let form = ConsentForm {
            decision: "declined".into(),
            sessions: "abc".into(),
            ..given()
        };
        let d = form.validate(MhtrStatus::Consent, today()).unwrap();
        assert_eq!(d.action(), Action::Close(ExitReason::ConsentDeclined));
        assert!(d.treatment.is_none());
    }

    #[test]
    fn only_withdrawal_is_offered_after_consent() {
        let errors = given().validate(MhtrStatus::Negotiation, today()).unwrap_err();
        assert_eq!(errors.get("decision"), Some("Select consent withdrawn"));
        let withdrawn = ConsentForm {
            decision: "withdrawn".into(),
            ..given()
        };
        assert!(withdrawn.validate(MhtrStatus::AwaitingSentence, today()).is_ok());
        assert!(decisions(MhtrStatus::Treatment).is_empty());
    }

    #[test]
    fn sessions_must_be_a_whole_number_from_1_to_52() {
        assert_eq!(parse_sessions("52"), Ok(52));
        for bad in ["0", "53", "abc", "2.5", "", "-1"] {
            assert!(parse_sessions(bad).is_err(), "{bad}");
        }
    }
}
