//! A section's structured answers: field code → a line of text, a chosen code, or a list of
//! ticked codes, stored as a JSON object beside the section's free text.

use serde_json::{Map, Value};

use super::kinds::{Field, Input, SectionKind};
use crate::domain::codes::{RETIRED_VULNERABILITIES, label_of};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Answers(Map<String, Value>);

impl Answers {
    /// Stored JSON; anything unreadable reads as no answers rather than failing the page.
    pub fn parse(json: &str) -> Answers {
        Answers(serde_json::from_str(json).unwrap_or_default())
    }

    pub fn to_json(&self) -> String {
        Value::Object(self.0.clone()).to_string()
    }

    /// A line or a choice; "" when unanswered.
    pub fn text(&self, code: &str) -> &str {
        self.0.get(code).and_then(Value::as_str).unwrap_or("")
    }

    /// The ticked codes of a set of ticks.
    pub fn ticks(&self, code: &str) -> Vec<&str> {
        match self.0.get(code) {
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        }
    }

    pub fn set_text(&mut self, code: &str, value: &str) {
        let value = value.trim();
        if value.is_empty() {
            self.0.remove(code);
        } else {
            self.0.insert(code.into(), Value::String(value.into()));
        }
    }

    pub fn set_ticks(&mut self, code: &str, ticked: &[&str]) {
        if ticked.is_empty() {
            self.0.remove(code);
        } else {
            let items = ticked.iter().map(|t| Value::String((*t).into())).collect();
            self.0.insert(code.into(), Value::Array(items));
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Each answered field of `kind` as (label, answer in words), in the kind's order.
    pub fn lines(&self, kind: &SectionKind) -> Vec<(&'static str, String)> {
        kind.fields
            .iter()
            .filter_map(|f| Some((f.label, self.words(f)?)))
            .collect()
    }

    fn words(&self, f: &Field) -> Option<String> {
        let words = match f.input {
            Input::Line => self.text(f.code).to_string(),
            Input::Choice(list) => label_of(list, self.text(f.code)).unwrap_or_default().to_string(),
            // A final report keeps the codes it was sent with, retired ones included.
            Input::Ticks(list) => self
                .ticks(f.code)
                .iter()
                .filter_map(|t| label_of(list, t).or_else(|| label_of(RETIRED_VULNERABILITIES, t)))
                .collect::<Vec<_>>()
                .join("; "),
        };
        (!words.is_empty()).then_some(words)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reports::kinds::CUSTODY_SUMMARY;

    #[test]
    fn answers_round_trip_and_read_as_words_in_the_kinds_order() {
        let mut a = Answers::default();
        a.set_text("source", "  Custody record, 1 Dec 2026 ");
        a.set_ticks("risks", &["alcohol-withdrawal", "self-harm", "made-up"]);
        let back = Answers::parse(&a.to_json());
        assert_eq!(back, a);
        let risk = CUSTODY_SUMMARY.section("risk").unwrap();
        assert_eq!(
            back.lines(risk),
            vec![
                (
                    "Risks in custody",
                    "Alcohol withdrawal; Self-harm or suicidal thoughts".to_string()
                ),
                (
                    "Where this came from and when",
                    "Custody record, 1 Dec 2026".to_string()
                ),
            ]
        );
        let mut sent = Answers::default();
        sent.set_ticks("found", &["mental-health", "housing"]);
        let found = CUSTODY_SUMMARY.section("vulnerabilities").unwrap();
        assert_eq!(
            sent.lines(found),
            vec![(
                "Vulnerabilities found",
                "Mental health; Housing problems or no fixed abode".to_string()
            )],
            "a retired code in a final report still reads in words"
        );
        a.set_text("source", " ");
        a.set_ticks("risks", &[]);
        assert!(a.is_empty());
        assert!(Answers::parse("not json").is_empty());
    }
}
