//! The partner service form: what an administrator typed, and its validation.

use chrono::NaiveDate;

use super::Service;
use crate::domain::codes;
use crate::domain::date_input::{self, DateRule, FieldError, When};
use crate::domain::phone::phone_problem;
use crate::domain::referral::{SERVICE_TYPES, email_problem};
use crate::views::form::Errors;

/// The field name of the "last verified" date (the GOV.UK date input pattern); the boxes are
/// `last_verified-day`, `last_verified-month` and `last_verified-year`.
pub const VERIFIED: &str = "last_verified";

const NAME_LIMIT: usize = 120;
const AREAS_LIMIT: usize = 500;
/// RFC 5321's limit on a whole address.
const EMAIL_LIMIT: usize = 254;
/// More than this is almost certainly a pasted distribution list, not a referral inbox.
const ADDRESS_LIMIT: usize = 10;

/// The form as submitted, kept as text so a rejected form shows exactly what was typed.
#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct ServiceForm {
    #[serde(default)]
    pub organisation: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub service_type: String,
    /// One address per line.
    #[serde(default)]
    pub addresses: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub areas: String,
    #[serde(default, rename = "last_verified-day")]
    pub verified_day: String,
    #[serde(default, rename = "last_verified-month")]
    pub verified_month: String,
    #[serde(default, rename = "last_verified-year")]
    pub verified_year: String,
    #[serde(default)]
    pub active: Option<String>,
}

/// A validated form, ready to save.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceValues {
    pub organisation: String,
    pub name: String,
    pub service_type: String,
    /// In the order typed, without duplicates; never empty.
    pub addresses: Vec<String>,
    pub phone: Option<String>,
    pub areas: Option<String>,
    /// 'YYYY-MM-DD'.
    pub last_verified: Option<String>,
    pub active: bool,
}

impl ServiceForm {
    /// A new service starts active.
    pub fn blank() -> ServiceForm {
        ServiceForm {
            active: Some("yes".into()),
            ..ServiceForm::default()
        }
    }

    /// The form filled in from a saved service, for editing.
    pub fn of(service: &Service) -> ServiceForm {
        let verified = service
            .last_verified
            .as_deref()
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
        let part = |format: &str| verified.map(|d| d.format(format).to_string()).unwrap_or_default();
        ServiceForm {
            organisation: service.organisation.clone(),
            name: service.name.clone(),
            service_type: service.service_type.clone(),
            addresses: service.addresses.join("\n"),
            phone: service.phone.clone().unwrap_or_default(),
            areas: service.areas.clone().unwrap_or_default(),
            verified_day: part("%-d"),
            verified_month: part("%-m"),
            verified_year: part("%Y"),
            active: service.active.then(|| "yes".into()),
        }
    }

    /// Checks every field and names each problem; `today` bounds the last-verified date.
    pub fn validate(&self, today: NaiveDate) -> Result<ServiceValues, Errors> {
        let mut errors = Errors::default();
        let organisation = required_text(
            &self.organisation,
            ("organisation", "Enter the organisation's name", "Organisation name"),
            &mut errors,
        );
        let name = required_text(
            &self.name,
            ("name", "Enter the service name", "Service name"),
            &mut errors,
        );
        if codes::label_of(SERVICE_TYPES, &self.service_type).is_none() {
            errors.add("service_type", "Select the type of service");
        }
        let addresses = parse_addresses(&self.addresses).unwrap_or_else(|message| {
            errors.add("addresses", message);
            Vec::new()
        });
        let phone = optional(&self.phone);
        if let Some(p) = &phone {
            errors.check("phone", phone_problem(p));
        }
        let areas = optional(&self.areas);
        if areas.as_ref().is_some_and(|a| a.chars().count() > AREAS_LIMIT) {
            errors.add(
                "areas",
                format!("Areas covered must be {AREAS_LIMIT} characters or fewer"),
            );
        }
        let last_verified =
            match parse_last_verified(&self.verified_day, &self.verified_month, &self.verified_year, today) {
                Ok(date) => date.map(|d| d.format("%Y-%m-%d").to_string()),
                Err((field, message)) => {
                    errors.add(field, message);
                    None
                }
            };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ServiceValues {
            organisation,
            name,
            service_type: self.service_type.clone(),
            addresses,
            phone,
            areas,
            last_verified,
            active: self.active.is_some(),
        })
    }
}

/// Tidied text that must be present and not too long. `rule` is (field, message when
/// missing, label for the length message).
fn required_text(raw: &str, rule: (&'static str, &str, &str), errors: &mut Errors) -> String {
    let (field, missing, label) = rule;
    let text = collapse_spaces(raw);
    if text.is_empty() {
        errors.add(field, missing);
    } else if text.chars().count() > NAME_LIMIT {
        errors.add(field, format!("{label} must be {NAME_LIMIT} characters or fewer"));
    }
    text
}

/// Runs of spaces become one, so "Brent  CAMHS" and "Brent CAMHS" are the same name.
fn collapse_spaces(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn optional(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

/// One address per line: blank lines skipped, duplicates (in any letter case) dropped, the
/// first bad line named so the administrator can find it.
pub fn parse_addresses(text: &str) -> Result<Vec<String>, String> {
    let mut addresses: Vec<String> = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let address = line.trim();
        if address.is_empty() {
            continue;
        }
        let line_number = index + 1;
        if let Some(problem) = email_problem(address) {
            return Err(format!("{problem} – check line {line_number}"));
        }
        if address.len() > EMAIL_LIMIT {
            return Err(format!(
                "Email address must be {EMAIL_LIMIT} characters or fewer – check line {line_number}"
            ));
        }
        if !addresses.iter().any(|a| a.eq_ignore_ascii_case(address)) {
            addresses.push(address.to_string());
        }
    }
    if addresses.is_empty() {
        return Err("Enter at least one referral email address".into());
    }
    if addresses.len() > ADDRESS_LIMIT {
        return Err(format!("Enter {ADDRESS_LIMIT} referral email addresses or fewer"));
    }
    Ok(addresses)
}

/// Nobody can have checked the details after today; a year before 2000 is a typing slip.
const LAST_VERIFIED: DateRule = DateRule {
    name: "Date last verified",
    prefix: VERIFIED,
    enter: "Enter the date last verified",
    when: When::TodayOrPast,
    earliest: NaiveDate::from_ymd_opt(2000, 1, 1),
    most_years_ago: None,
    most_years_ahead: None,
};

/// The optional "date last verified": all three boxes empty means not recorded.
pub fn parse_last_verified(
    day: &str,
    month: &str,
    year: &str,
    today: NaiveDate,
) -> Result<Option<NaiveDate>, FieldError> {
    date_input::parse_optional(day, month, year, &LAST_VERIFIED, today)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::date_input::testing::{err, shown};

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 5, 20).unwrap()
    }

    fn form() -> ServiceForm {
        ServiceForm {
            organisation: " Brent  CAMHS ".into(),
            name: "Referrals".into(),
            service_type: "camhs".into(),
            addresses: "team@nhs.net\r\n\r\nTEAM@nhs.net\ninfo@example.org\n".into(),
            phone: "020 7946 0101".into(),
            areas: String::new(),
            verified_day: "20".into(),
            verified_month: "May".into(),
            verified_year: "2026".into(),
            active: Some("yes".into()),
        }
    }

    #[test]
    fn a_good_form_is_tidied() {
        let v = form().validate(today()).unwrap();
        assert_eq!(v.organisation, "Brent CAMHS");
        assert_eq!(v.addresses, ["team@nhs.net", "info@example.org"]);
        assert_eq!(v.last_verified.as_deref(), Some("2026-05-20"));
        assert_eq!((v.areas, v.active), (None, true));
    }

    #[test]
    fn each_bad_field_is_named() {
        let bad = ServiceForm {
            organisation: String::new(),
            name: "x".repeat(121),
            service_type: "castle".into(),
            addresses: "ok@nhs.net\nnot an address".into(),
            phone: "ring me".into(),
            verified_day: "21".into(),
            ..form()
        };
        let errors = bad.validate(today()).unwrap_err();
        for field in ["organisation", "name", "service_type", "addresses", "phone", VERIFIED] {
            assert!(errors.get(field).is_some(), "{field}");
        }
        assert!(errors.get("addresses").unwrap().contains("line 2"));
        assert_eq!(errors.get("name"), Some("Service name must be 120 characters or fewer"));
    }

    #[test]
    fn addresses_are_required() {
        assert_eq!(
            parse_addresses(" \n\n").unwrap_err(),
            "Enter at least one referral email address"
        );
    }

    #[test]
    fn last_verified_is_optional_but_must_be_real_and_past() {
        let parse = |d, m, y| shown(parse_last_verified(d, m, y, today()));
        assert_eq!(parse("", " ", ""), Ok(None));
        assert_eq!(parse("1", "3", "2026"), Ok(NaiveDate::from_ymd_opt(2026, 3, 1)));
        assert_eq!(parse("20", "5", "2026"), Ok(Some(today())));
        assert_eq!(
            parse("31", "4", "2026"),
            err(VERIFIED, "Date last verified must be a real date")
        );
        let too_early = "Date last verified must be the same as or after 1 January 2000";
        assert_eq!(parse("1", "1", "1999"), err("last_verified-year", too_early));
        assert_eq!(
            parse("21", "5", "2026"),
            err(VERIFIED, "Date last verified must be today or in the past")
        );
        let no_day = "Date last verified must include a day and month";
        assert_eq!(parse("", "", "2026"), err("last_verified-day", no_day));
    }
}
