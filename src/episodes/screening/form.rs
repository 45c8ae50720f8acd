//! The screening form as submitted, and its checks.

use super::records::{label, vulnerability_labels};
use super::{CONSENT, Episode, RISKS};
use crate::domain::codes;
use crate::domain::measures::NONE_IDENTIFIED;
use crate::views::form::Errors;

const CONCERNS_MAX: usize = 4000;

/// The form as submitted. Vulnerabilities and risks repeat, so it is read from the raw pairs.
#[derive(Default, Debug, Clone)]
pub(super) struct ScreeningForm {
    pub(super) consent: String,
    pub(super) vulnerabilities: Vec<String>,
    pub(super) presenting_concerns: String,
    pub(super) risks: Vec<String>,
    pub(super) safeguarding: bool,
    pub(super) outcome: String,
}

impl ScreeningForm {
    pub(super) fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let mut form = ScreeningForm::default();
        for (k, v) in pairs {
            match k.as_str() {
                "consent" => form.consent = v,
                "vulnerabilities" => form.vulnerabilities.push(v),
                "presenting_concerns" => form.presenting_concerns = v,
                "risks" => form.risks.push(v),
                "safeguarding" => form.safeguarding = true,
                "outcome" => form.outcome = v,
                _ => {}
            }
        }
        form
    }

    /// A blank form with the flags already on the episode ticked, so none is lost by accident.
    pub(super) fn for_episode(ep: &Episode) -> Self {
        let risks = [
            (ep.risk_to_self, "self"),
            (ep.risk_to_others, "others"),
            (ep.risk_from_others, "from-others"),
        ];
        ScreeningForm {
            risks: risks.iter().filter(|(on, _)| *on).map(|(_, c)| c.to_string()).collect(),
            safeguarding: ep.safeguarding,
            ..ScreeningForm::default()
        }
    }

    pub(super) fn has_risk(&self, code: &str) -> bool {
        self.risks.iter().any(|r| r == code)
    }

    /// Field errors; `adult_missing` blocks a youth screening (PACE Code C), and a concern
    /// already recorded keeps the safeguarding box ticked (unticking it cannot undo a record).
    pub(super) fn validate(&self, adult_missing: bool, concerns_recorded: usize) -> Errors {
        let mut errors = Errors::default();
        if adult_missing {
            errors.add(
                "appropriate_adult",
                "Record an appropriate adult before completing screening for someone under 18",
            );
        }
        if codes::label_of(CONSENT, &self.consent).is_none() {
            errors.add("consent", "Select whether the person consented to screening");
        }
        errors.check("vulnerabilities", self.vulnerabilities_problem());
        let concerns = self.presenting_concerns.trim();
        if concerns.is_empty() {
            errors.add("presenting_concerns", "Enter the presenting concerns");
        } else if concerns.chars().count() > CONCERNS_MAX {
            errors.add(
                "presenting_concerns",
                format!("Presenting concerns must be {CONCERNS_MAX} characters or fewer"),
            );
        }
        if self.risks.iter().any(|r| codes::label_of(RISKS, r).is_none()) {
            errors.add("risks", "Select risks from the list");
        }
        if codes::label_of(codes::SCREENING_OUTCOMES, &self.outcome).is_none() {
            errors.add("outcome", "Select the outcome of the screening");
        }
        if !self.safeguarding && concerns_recorded > 0 {
            errors.add(
                "safeguarding",
                "A safeguarding concern is recorded for this episode, so keep this box ticked. \
                 Record the concern's outcome on the episode page instead",
            );
        }
        errors
    }

    /// At least one box, from the list, and "none identified" only on its own.
    fn vulnerabilities_problem(&self) -> Option<&'static str> {
        let none = self.vulnerabilities.iter().any(|v| v == NONE_IDENTIFIED);
        if self.vulnerabilities.is_empty() {
            Some("Select the vulnerabilities found, or none identified")
        } else if self
            .vulnerabilities
            .iter()
            .any(|v| codes::label_of(codes::VULNERABILITIES, v).is_none())
        {
            Some("Select vulnerabilities from the list")
        } else if none && self.vulnerabilities.iter().any(|v| v != NONE_IDENTIFIED) {
            Some("Select either the vulnerabilities found or none identified, not both")
        } else {
            None
        }
    }

    /// The vulnerabilities in the order of the code list, each once.
    pub(super) fn vulnerabilities_stored(&self) -> String {
        codes::VULNERABILITIES
            .iter()
            .map(|(c, _)| *c)
            .filter(|c| self.vulnerabilities.iter().any(|v| v == c))
            .collect::<Vec<_>>()
            .join(",")
    }

    /// The note on the status change: what was decided, without the clinical narrative.
    pub(super) fn timeline_note(&self) -> String {
        format!(
            "{}. Consent: {}. Vulnerabilities: {}",
            label(codes::SCREENING_OUTCOMES, &self.outcome),
            label(CONSENT, &self.consent),
            vulnerability_labels(self.vulnerabilities.iter().map(String::as_str))
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn repeated_fields_are_all_kept_and_stored_in_list_order() {
        let form = ScreeningForm::from_pairs(pairs(&[
            ("vulnerabilities", "alcohol-misuse"),
            ("vulnerabilities", "mental-health"),
            ("vulnerabilities", "mental-health"),
            ("risks", "self"),
            ("risks", "from-others"),
        ]));
        assert_eq!(form.vulnerabilities_stored(), "mental-health,alcohol-misuse");
        assert!(form.has_risk("self") && form.has_risk("from-others") && !form.has_risk("others"));
    }

    #[test]
    fn unknown_codes_and_a_missing_adult_are_errors() {
        let form = ScreeningForm::from_pairs(pairs(&[
            ("consent", "maybe"),
            ("vulnerabilities", "astrology"),
            ("presenting_concerns", "  "),
            ("risks", "weather"),
            ("outcome", "done"),
        ]));
        let errors = form.validate(true, 0);
        let fields: Vec<&str> = errors.iter().map(|(f, _)| f).collect();
        assert_eq!(
            fields,
            [
                "appropriate_adult",
                "consent",
                "vulnerabilities",
                "presenting_concerns",
                "risks",
                "outcome"
            ]
        );
    }

    #[test]
    fn vulnerabilities_need_a_tick_and_none_identified_stands_alone() {
        let problem = |ticked: &[&str]| {
            let list: Vec<(&str, &str)> = ticked.iter().map(|v| ("vulnerabilities", *v)).collect();
            ScreeningForm::from_pairs(pairs(&list))
                .validate(false, 0)
                .get("vulnerabilities")
                .map(str::to_string)
        };
        assert_eq!(
            problem(&[]).as_deref(),
            Some("Select the vulnerabilities found, or none identified")
        );
        assert_eq!(
            problem(&["none-identified", "mental-health"]).as_deref(),
            Some("Select either the vulnerabilities found or none identified, not both")
        );
        assert_eq!(problem(&["none-identified"]), None);
        assert_eq!(problem(&["mental-health", "drug-misuse"]), None);
    }

    #[test]
    fn over_long_concerns_are_refused() {
        let form = ScreeningForm {
            consent: "given".into(),
            presenting_concerns: "x".repeat(CONCERNS_MAX + 1),
            outcome: "signposted".into(),
            ..ScreeningForm::default()
        };
        assert!(form.validate(false, 0).get("presenting_concerns").is_some());
    }

    #[test]
    fn a_recorded_concern_keeps_the_safeguarding_box_ticked() {
        let unticked = ScreeningForm::default();
        assert!(unticked.validate(false, 1).get("safeguarding").is_some());
        assert!(unticked.validate(false, 0).get("safeguarding").is_none());
        let ticked = ScreeningForm {
            safeguarding: true,
            ..ScreeningForm::default()
        };
        assert!(ticked.validate(false, 2).get("safeguarding").is_none());
    }
}
