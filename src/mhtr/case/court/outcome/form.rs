//! The court outcome form as typed, and the hearing it describes once checked.

use chrono::NaiveDate;
use serde::Deserialize;

use crate::domain::date_input::{self, DateRule, When};
use crate::domain::mhtr::ORDER_TYPES;
use crate::domain::referral::email_problem;
use crate::views::form::Errors;

const NAME_MAX: usize = 200;
const NOTES_MAX: usize = 2000;
const MOST_MONTHS: u32 = 36;

/// The hearing the outcome came from has happened; it follows the referral by weeks, so a
/// date more than a year back (or before 2000) is a typing slip.
pub const HEARD: DateRule = DateRule {
    name: "Hearing date",
    prefix: "heard",
    enter: "Enter the date of the hearing",
    when: When::TodayOrPast,
    earliest: NaiveDate::from_ymd_opt(2000, 1, 1),
    most_years_ago: Some(1),
    most_years_ahead: None,
};

/// The caller refuses a new hearing in the past (`domain::mhtr::adjourn`); no court lists
/// one more than `HEARING_YEARS_AHEAD` years ahead.
pub const ADJOURNED: DateRule = DateRule {
    name: "New hearing date",
    prefix: "adjourned",
    enter: "Enter the date the hearing was adjourned to",
    when: When::TodayOrFuture,
    earliest: None,
    most_years_ago: None,
    most_years_ahead: Some(crate::mhtr::hearing::HEARING_YEARS_AHEAD),
};

#[derive(Deserialize, Default, Debug, Clone)]
pub struct CourtForm {
    #[serde(default, rename = "heard-day")]
    pub heard_day: String,
    #[serde(default, rename = "heard-month")]
    pub heard_month: String,
    #[serde(default, rename = "heard-year")]
    pub heard_year: String,
    #[serde(default)]
    pub outcome: String,
    #[serde(default)]
    pub order_type: String,
    #[serde(default)]
    pub requirement_months: String,
    #[serde(default)]
    pub responsible_officer: String,
    #[serde(default)]
    pub responsible_officer_email: String,
    #[serde(default)]
    pub treating_practitioner: String,
    #[serde(default, rename = "adjourned-day")]
    pub adjourned_day: String,
    #[serde(default, rename = "adjourned-month")]
    pub adjourned_month: String,
    #[serde(default, rename = "adjourned-year")]
    pub adjourned_year: String,
    #[serde(default)]
    pub notes: String,
}

/// The terms of an order with an MHTR.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderTerms {
    pub order_type: &'static str,
    pub months: i32,
    pub officer: String,
    pub officer_email: String,
    pub practitioner: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    MhtrMade(OrderTerms),
    OtherSentence,
    Adjourned(NaiveDate),
}

impl Outcome {
    pub fn code(&self) -> &'static str {
        match self {
            Outcome::MhtrMade(_) => "mhtr-made",
            Outcome::OtherSentence => "other-sentence",
            Outcome::Adjourned(_) => "adjourned",
        }
    }
}

/// A hearing that passed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub heard_on: NaiveDate,
    pub outcome: Outcome,
    pub notes: Option<String>,
}

/// The move a `COURT_OUTCOMES` code makes on the case.
fn required_text(errors: &mut Errors, field: &str, value: &str, name: &str) -> String {
    let text = value.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        errors.add(field, format!("Enter the {}", name.to_lowercase()));
    } else if text.chars().count() > NAME_MAX {
        errors.add(field, format!("{name} must be {NAME_MAX} characters or fewer"));
    }
    text
}

fn parse_months(text: &str) -> Result<i32, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("Enter the requirement length in months".into());
    }
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err("Requirement length must be a whole number of months, like 12".into());
    }
    match text.parse::<u32>() {
        Ok(n) if (1..=MOST_MONTHS).contains(&n) => Ok(n as i32),
        _ => Err(format!("Requirement length must be between 1 and {MOST_MONTHS} months")),
    }
}

impl CourtForm {
    fn order_terms(&self, errors: &mut Errors) -> Option<OrderTerms> {
        let order_type = ORDER_TYPES.iter().find(|(c, _)| *c == self.order_type).map(|(c, _)| *c);
        if order_type.is_none() {
            errors.add("order_type", "Select the type of order");
        }
        let months = parse_months(&self.requirement_months).map_err(|m| errors.add("requirement_months", m));
        let officer = required_text(
            errors,
            "responsible_officer",
            &self.responsible_officer,
            "Responsible officer's name",
        );
        let officer_email = self.responsible_officer_email.trim().to_string();
        if officer_email.is_empty() {
            errors.add(
                "responsible_officer_email",
                "Enter the responsible officer's email address",
            );
        } else if let Some(problem) = email_problem(&officer_email) {
            errors.add("responsible_officer_email", problem);
        }
        let practitioner = required_text(
            errors,
            "treating_practitioner",
            &self.treating_practitioner,
            "Treating practitioner",
        );
        Some(OrderTerms {
            order_type: order_type?,
            months: months.ok()?,
            officer,
            officer_email,
            practitioner,
        })
    }

    pub fn validate(&self, today: NaiveDate) -> Result<Recorded, Errors> {
        let mut errors = Errors::default();
        let heard_on = date_input::parse(&self.heard_day, &self.heard_month, &self.heard_year, &HEARD, today)
            .map_err(|(field, message)| errors.add(field, message))
            .ok();
        let outcome = match self.outcome.as_str() {
            "mhtr-made" => self.order_terms(&mut errors).map(Outcome::MhtrMade),
            "other-sentence" => Some(Outcome::OtherSentence),
            "adjourned" => {
                let (d, m, y) = (&self.adjourned_day, &self.adjourned_month, &self.adjourned_year);
                match date_input::parse(d, m, y, &ADJOURNED, today) {
                    Ok(to) if heard_on.is_some_and(|h| to <= h) => {
                        errors.add("adjourned", "New hearing date must be after the hearing date");
                        None
                    }
                    Ok(to) => Some(Outcome::Adjourned(to)),
                    Err((field, message)) => {
                        errors.add(field, message);
                        None
                    }
                }
            }
            _ => {
                errors.add("outcome", "Select what the court decided");
                None
            }
        };
        let notes = Some(self.notes.trim().to_string()).filter(|n| !n.is_empty());
        if notes.as_ref().is_some_and(|n| n.chars().count() > NOTES_MAX) {
            errors.add("notes", format!("Notes must be {NOTES_MAX} characters or fewer"));
        }
        match (heard_on, outcome, errors.is_empty()) {
            (Some(heard_on), Some(outcome), true) => Ok(Recorded {
                heard_on,
                outcome,
                notes,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()
    }

    fn made() -> CourtForm {
        CourtForm {
            heard_day: "20".into(),
            heard_month: "11".into(),
            heard_year: "2026".into(),
            outcome: "mhtr-made".into(),
            order_type: "community-order".into(),
            requirement_months: "12".into(),
            responsible_officer: " Sam  Okoro ".into(),
            responsible_officer_email: "sam.okoro@justice.gov.uk".into(),
            treating_practitioner: "Dr Ana Silva".into(),
            ..CourtForm::default()
        }
    }

    #[test]
    fn an_mhtr_made_keeps_the_order_terms() {
        let r = made().validate(today()).unwrap();
        let Outcome::MhtrMade(t) = r.outcome else {
            panic!("not made")
        };
        assert_eq!(
            (t.order_type, t.months, t.officer.as_str()),
            ("community-order", 12, "Sam Okoro")
        );
    }

    #[test]
    fn months_must_be_a_whole_number_from_1_to_36() {
        assert_eq!(parse_months("36"), Ok(36));
        for bad in ["0", "37", "x", "1.5", "", "-3"] {
            assert!(parse_months(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn an_adjournment_must_be_to_a_later_date() {
        let form = CourtForm {
            outcome: "adjourned".into(),
            adjourned_day: "20".into(),
            adjourned_month: "11".into(),
            adjourned_year: "2026".into(),
            ..made()
        };
        assert!(form.validate(today()).unwrap_err().get("adjourned").is_some());
        let later = CourtForm {
            adjourned_day: "4".into(),
            adjourned_month: "12".into(),
            ..form
        };
        let want = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
        assert_eq!(later.validate(today()).unwrap().outcome, Outcome::Adjourned(want));
    }
}
