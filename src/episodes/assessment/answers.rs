//! The answers to one assessment section: field code → text, stored as a JSON object.

use std::collections::BTreeMap;

use crate::domain::codes::{self, AssessmentSection};
use crate::views::form::Errors;

/// The longest answer a completed field may hold; drafts are bounded by the form size limit.
pub const MAX_FIELD_CHARS: usize = 10_000;

/// The risk section's level fields, each a select of `codes::RISK_LEVELS`.
const RISK_LEVEL_FIELDS: [&str; 3] = ["to-self", "to-others", "from-others"];

/// Whether `field` of `section` is a risk level (a select) rather than free text.
pub fn is_risk_level(section: &AssessmentSection, field: &str) -> bool {
    section.code == "risk" && RISK_LEVEL_FIELDS.contains(&field)
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Answers(BTreeMap<String, String>);

impl Answers {
    /// Keeps only the section's own fields from a submitted form (the CSRF token, the intent
    /// and anything unexpected are dropped). Blank answers are not stored: absent means blank.
    pub fn from_form(section: &AssessmentSection, pairs: &[(String, String)]) -> Answers {
        let mut answers = BTreeMap::new();
        for (name, value) in pairs {
            if section.field_label(name).is_some() {
                // Browsers send textarea line breaks as CRLF; store them as typed otherwise.
                let value = value.replace("\r\n", "\n");
                if value.trim().is_empty() {
                    answers.remove(name);
                } else {
                    answers.insert(name.clone(), value);
                }
            }
        }
        Answers(answers)
    }

    /// Reads stored content; content that is not a JSON object of strings reads as no answers,
    /// and is logged, rather than making the assessment unusable.
    pub fn from_json(content: &str) -> Answers {
        match serde_json::from_str::<BTreeMap<String, String>>(content) {
            Ok(map) => Answers(map),
            Err(e) => {
                tracing::error!(error = %e, "unreadable assessment section content");
                Answers::default()
            }
        }
    }

    pub fn to_json(&self) -> String {
        // A map of strings always serialises; the fallback only satisfies the type.
        serde_json::to_string(&self.0).unwrap_or_else(|_| "{}".into())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn get(&self, field: &str) -> &str {
        self.0.get(field).map_or("", String::as_str)
    }

    /// The answer as a reader sees it: risk levels by their label, blanks as "Not recorded".
    pub fn display(&self, section: &AssessmentSection, field: &str) -> String {
        let value = self.get(field).trim();
        if value.is_empty() {
            return "Not recorded".into();
        }
        if is_risk_level(section, field) {
            return codes::label_of(codes::RISK_LEVELS, value).unwrap_or(value).to_string();
        }
        value.to_string()
    }

    /// For "Mark section complete": every field answered, risk levels from the list, no answer
    /// too long. Returns the trimmed answers to store.
    pub fn validate(&self, section: &AssessmentSection) -> Result<Answers, Errors> {
        let mut errors = Errors::default();
        let mut clean = BTreeMap::new();
        for (field, label) in section.fields {
            let value = self.get(field).trim();
            if let Some(problem) = problem(section, field, label, value) {
                errors.add(*field, problem);
            } else {
                clean.insert(field.to_string(), value.to_string());
            }
        }
        if errors.is_empty() {
            Ok(Answers(clean))
        } else {
            Err(errors)
        }
    }
}

/// The GOV.UK-style message for an answer that cannot complete the section, if any.
fn problem(section: &AssessmentSection, field: &str, label: &str, value: &str) -> Option<String> {
    if is_risk_level(section, field) {
        let valid = codes::label_of(codes::RISK_LEVELS, value).is_some();
        return (!valid).then(|| format!("Select the level of {}", lower_first(label)));
    }
    if value.is_empty() {
        return Some(format!("Enter {}", lower_first(label)));
    }
    (value.chars().count() > MAX_FIELD_CHARS).then(|| format!("{label} must be 10,000 characters or fewer"))
}

/// "Risk to self" → "risk to self", for a label inside a sentence.
fn lower_first(label: &str) -> String {
    let mut chars = label.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::codes::assessment_section;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn only_the_sections_fields_are_kept_and_blanks_dropped() {
        let mse = assessment_section("mental-state-examination").unwrap();
        let a = Answers::from_form(
            mse,
            &pairs(&[
                ("csrf_token", "t"),
                ("speech", "Rapid\r\nloud"),
                ("mood-affect", "  "),
                ("plan", "x"),
            ]),
        );
        assert_eq!(a.get("speech"), "Rapid\nloud");
        assert_eq!(a.get("mood-affect"), "");
        assert_eq!(a.get("plan"), "");
        assert_eq!(Answers::from_json(&a.to_json()), a);
        assert_eq!(Answers::from_json("not json"), Answers::default());
    }

    #[test]
    fn completing_needs_every_field_and_valid_risk_levels() {
        let risk = assessment_section("risk").unwrap();
        let a = Answers::from_form(
            risk,
            &pairs(&[
                ("to-self", "high"),
                ("to-self-rationale", " Recent attempt "),
                ("to-others", "extreme"),
            ]),
        );
        let errors = a.validate(risk).unwrap_err();
        assert_eq!(errors.get("to-others"), Some("Select the level of risk to others"));
        assert_eq!(errors.get("from-others"), Some("Select the level of risk from others"));
        assert_eq!(
            errors.get("to-others-rationale"),
            Some("Enter reasons for the risk to others rating")
        );
        assert_eq!(errors.get("to-self"), None);
        assert_eq!(a.display(risk, "to-self"), "High");
        assert_eq!(a.display(risk, "from-others"), "Not recorded");
    }

    #[test]
    fn completed_answers_are_trimmed_and_bounded() {
        let plan = assessment_section("care-pathway").unwrap();
        let ok = Answers::from_form(plan, &pairs(&[("plan", "  Refer to CMHT ")]));
        assert_eq!(ok.validate(plan).unwrap().get("plan"), "Refer to CMHT");
        let long = Answers::from_form(plan, &pairs(&[("plan", &"x".repeat(MAX_FIELD_CHARS + 1))]));
        assert_eq!(
            long.validate(plan).unwrap_err().get("plan"),
            Some("Plan must be 10,000 characters or fewer")
        );
    }
}
