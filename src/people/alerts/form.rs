//! The two alert forms: raising one, and reviewing one (keep it with a new review date, or
//! end it with a reason). Everything is kept as typed so a refused form shows it again.

use chrono::NaiveDate;
use maud::{Markup, html};
use serde::Deserialize;

use crate::domain::CalendarDate;
use crate::domain::date_input::{self, DateRule, When};
use crate::views::components;
use crate::views::form::Errors;

const NOTE_MAX: usize = 500;
const REASON_MAX: usize = 500;

/// The review date: from today to two years ahead (further is a typing slip, and an alert
/// nobody looks at for longer is not one anyone relies on).
const REVIEW_ON: DateRule = DateRule {
    name: "Review date",
    prefix: "review",
    enter: "Enter the date to review the alert by",
    when: When::TodayOrFuture,
    earliest: None,
    most_years_ago: None,
    most_years_ahead: Some(2),
};

const DECISIONS: [(&str, &str); 2] = [
    ("keep", "It still applies: set the next review date"),
    ("end", "It no longer applies: end the alert"),
];

fn review_date(values: [&str; 3], errors: &Errors) -> Markup {
    components::date_input(
        REVIEW_ON.prefix,
        "Review by",
        Some("Someone checks the alert still applies by this date. For example, 27 3 2027"),
        values,
        errors,
    )
}

fn parse_review(f: [&str; 3], today: NaiveDate, errors: &mut Errors) -> Option<CalendarDate> {
    match date_input::parse(f[0], f[1], f[2], &REVIEW_ON, today) {
        Ok(d) => Some(CalendarDate::new(d)),
        Err((field, message)) => {
            errors.add(field, message);
            None
        }
    }
}

fn required_text(errors: &mut Errors, field: &'static str, value: &str, (enter, max): (&str, usize)) -> String {
    let text = value.trim();
    if text.is_empty() {
        errors.add(field, enter);
    } else if text.chars().count() > max {
        errors.add(field, format!("This must be {max} characters or fewer"));
    }
    text.to_string()
}

#[derive(Deserialize, Default, Debug, Clone)]
pub struct AlertForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    note: String,
    #[serde(default, rename = "review-day")]
    review_day: String,
    #[serde(default, rename = "review-month")]
    review_month: String,
    #[serde(default, rename = "review-year")]
    review_year: String,
}

/// A checked alert, ready to save.
pub struct NewAlert {
    pub kind: String,
    pub note: String,
    pub review_on: CalendarDate,
}

impl AlertForm {
    pub fn fields(&self, kinds: &[(String, String)], errors: &Errors) -> Markup {
        let options: Vec<(&str, &str)> = kinds.iter().map(|(c, l)| (c.as_str(), l.as_str())).collect();
        html! {
            (components::radios("kind", "What is the alert?", &options, &self.kind, errors))
            (components::textarea("note", "Details", &self.note, Some("What a colleague needs to know before meeting them, and where it came from. For example: MAPPA level 2, managed by Brent probation"), errors))
            (review_date([&self.review_day, &self.review_month, &self.review_year], errors))
        }
    }

    pub fn validate(&self, kinds: &[(String, String)], today: NaiveDate) -> Result<NewAlert, Errors> {
        let mut errors = Errors::default();
        if !kinds.iter().any(|(code, _)| *code == self.kind) {
            errors.add("kind", "Select what the alert is");
        }
        let note = required_text(
            &mut errors,
            "note",
            &self.note,
            ("Enter the details of the alert", NOTE_MAX),
        );
        let review_on = parse_review(
            [&self.review_day, &self.review_month, &self.review_year],
            today,
            &mut errors,
        );
        match review_on {
            Some(review_on) if errors.is_empty() => Ok(NewAlert {
                kind: self.kind.clone(),
                note,
                review_on,
            }),
            _ => Err(errors),
        }
    }
}

#[derive(Deserialize, Default, Debug, Clone)]
pub struct ReviewForm {
    #[serde(default)]
    decision: String,
    #[serde(default, rename = "review-day")]
    review_day: String,
    #[serde(default, rename = "review-month")]
    review_month: String,
    #[serde(default, rename = "review-year")]
    review_year: String,
    #[serde(default)]
    reason: String,
}

/// What the review decided.
pub enum Decision {
    Keep(CalendarDate),
    End(String),
}

impl ReviewForm {
    pub fn fields(&self, errors: &Errors) -> Markup {
        html! {
            (components::radios("decision", "Does the alert still apply?", &DECISIONS, &self.decision, errors))
            (components::shown_when("decision", "keep", review_date([&self.review_day, &self.review_month, &self.review_year], errors)))
            (components::shown_when("decision", "end", components::textarea("reason", "Why does it no longer apply?", &self.reason, None, errors)))
        }
    }

    pub fn validate(&self, today: NaiveDate) -> Result<Decision, Errors> {
        let mut errors = Errors::default();
        let decision = match self.decision.as_str() {
            "keep" => parse_review(
                [&self.review_day, &self.review_month, &self.review_year],
                today,
                &mut errors,
            )
            .map(Decision::Keep),
            "end" => Some(Decision::End(required_text(
                &mut errors,
                "reason",
                &self.reason,
                ("Enter why the alert no longer applies", REASON_MAX),
            ))),
            _ => {
                errors.add("decision", "Select whether the alert still applies");
                None
            }
        };
        match decision {
            Some(d) if errors.is_empty() => Ok(d),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
    }

    fn kinds() -> Vec<(String, String)> {
        vec![("mappa".into(), "MAPPA".into())]
    }

    fn alert(kind: &str, note: &str, date: [&str; 3]) -> AlertForm {
        AlertForm {
            kind: kind.into(),
            note: note.into(),
            review_day: date[0].into(),
            review_month: date[1].into(),
            review_year: date[2].into(),
        }
    }

    #[test]
    fn an_alert_needs_a_listed_kind_details_and_a_review_date_ahead() {
        let ok = alert("mappa", " Level 2 ", ["1", "3", "2027"]).validate(&kinds(), today());
        let ok = ok.unwrap_or_else(|_| panic!("valid"));
        assert_eq!(
            (ok.note.as_str(), ok.review_on.iso()),
            ("Level 2", "2027-03-01".to_string())
        );
        let errors = alert("retired", "", ["30", "11", "2026"])
            .validate(&kinds(), today())
            .err()
            .unwrap();
        assert_eq!(errors.get("kind"), Some("Select what the alert is"));
        assert_eq!(errors.get("note"), Some("Enter the details of the alert"));
        assert_eq!(errors.get("review"), Some("Review date must be today or in the future"));
        let far = alert("mappa", "x", ["1", "1", "2030"]).validate(&kinds(), today());
        assert!(far.is_err(), "more than two years ahead");
    }

    #[test]
    fn a_review_keeps_with_a_date_or_ends_with_a_reason() {
        let keep = ReviewForm {
            decision: "keep".into(),
            review_day: "1".into(),
            review_month: "6".into(),
            review_year: "2027".into(),
            ..ReviewForm::default()
        };
        assert!(matches!(keep.validate(today()), Ok(Decision::Keep(d)) if d.iso() == "2027-06-01"));
        let end = ReviewForm {
            decision: "end".into(),
            ..ReviewForm::default()
        };
        let errors = end.validate(today()).err().unwrap();
        assert_eq!(errors.get("reason"), Some("Enter why the alert no longer applies"));
        assert!(
            ReviewForm::default()
                .validate(today())
                .err()
                .unwrap()
                .get("decision")
                .is_some()
        );
    }
}
