//! The external referral form as typed, and its checks.

use chrono::NaiveDate;
use maud::{Markup, html};
use serde::Deserialize;

use crate::auth::accounts::Team;
use crate::domain::codes::label_of;
use crate::domain::identifiers::NhsNumber;
use crate::domain::ids::TeamId;
use crate::domain::mhtr::{DEADLINE_KINDS, DeadlineKind, REFERRAL_SOURCES};
use crate::domain::person::parse_date_of_birth;
use crate::domain::referral::email_problem;
use crate::mhtr::case::SOURCE_COURT_LD;
use crate::mhtr::hearing;
use crate::views::components::{self, Field};
use crate::views::form::Errors;

pub const SELF_REFERRAL: &str = "self";
const SHORT_LIMIT: usize = 200;
const REASON_LIMIT: usize = 2000;

/// As typed, so a rejected form shows what was entered.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct ExternalForm {
    #[serde(default)]
    pub team_id: String,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub referrer_name: String,
    #[serde(default)]
    pub referrer_organisation: String,
    #[serde(default)]
    pub referrer_email: String,
    #[serde(default)]
    pub referrer_phone: String,
    #[serde(default)]
    pub given_name: String,
    #[serde(default)]
    pub family_name: String,
    #[serde(default, rename = "dob-day")]
    pub dob_day: String,
    #[serde(default, rename = "dob-month")]
    pub dob_month: String,
    #[serde(default, rename = "dob-year")]
    pub dob_year: String,
    #[serde(default)]
    pub nhs_number: String,
    #[serde(default)]
    pub court: String,
    #[serde(default, rename = "hearing-day")]
    pub hearing_day: String,
    #[serde(default, rename = "hearing-month")]
    pub hearing_month: String,
    #[serde(default, rename = "hearing-year")]
    pub hearing_year: String,
    #[serde(default)]
    pub deadline_kind: String,
    #[serde(default)]
    pub reason: String,
}

/// A checked referral, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalReferral {
    pub team_id: TeamId,
    pub source: String,
    pub referrer_name: Option<String>,
    pub referrer_organisation: Option<String>,
    pub referrer_email: Option<String>,
    pub referrer_phone: Option<String>,
    pub given_name: String,
    pub family_name: String,
    pub date_of_birth: NaiveDate,
    /// Ten digits, no spaces.
    pub nhs_number: Option<String>,
    pub court: String,
    pub next_hearing: Option<NaiveDate>,
    pub deadline_kind: DeadlineKind,
    pub reason: String,
}

/// The sources a practitioner may enter: every one but the internal L&D referral.
pub fn sources() -> Vec<(&'static str, &'static str)> {
    REFERRAL_SOURCES
        .iter()
        .copied()
        .filter(|(code, _)| *code != SOURCE_COURT_LD)
        .collect()
}

/// Trimmed, inner runs of spaces made one, `None` when blank; over `limit` is an error.
fn tidy(value: &str, field: &'static str, label: &str, limit: usize, errors: &mut Errors) -> Option<String> {
    let tidied = value.split_whitespace().collect::<Vec<_>>().join(" ");
    if tidied.chars().count() > limit {
        errors.add(field, format!("{label} must be {limit} characters or fewer"));
    }
    (!tidied.is_empty()).then_some(tidied)
}

impl ExternalForm {
    /// Checks every field; `team_ids` are the user's MHTR teams, `today` bounds the dates.
    pub fn validate(&self, team_ids: &[TeamId], today: NaiveDate) -> Result<ExternalReferral, Errors> {
        let mut e = Errors::default();
        let team_id = match team_ids {
            [only] => Some(only.clone()),
            _ if team_ids.iter().any(|t| *t == self.team_id) => Some(self.team_id.clone().into()),
            _ => {
                e.add("team_id", "Select the MHTR team the referral is for");
                None
            }
        };
        let source = sources()
            .iter()
            .any(|(code, _)| *code == self.source)
            .then(|| self.source.clone());
        if source.is_none() {
            e.add("source", "Select who made the referral");
        }
        let referrer_name = tidy(
            &self.referrer_name,
            "referrer_name",
            "Referrer's name",
            SHORT_LIMIT,
            &mut e,
        );
        if referrer_name.is_none() && source.is_some() && self.source != SELF_REFERRAL {
            e.add("referrer_name", "Enter the referrer's name");
        }
        let organisation = tidy(
            &self.referrer_organisation,
            "referrer_organisation",
            "Organisation",
            SHORT_LIMIT,
            &mut e,
        );
        let email = tidy(
            &self.referrer_email,
            "referrer_email",
            "Email address",
            SHORT_LIMIT,
            &mut e,
        );
        if let Some(problem) = email.as_deref().and_then(email_problem) {
            e.add("referrer_email", problem);
        }
        let phone = tidy(&self.referrer_phone, "referrer_phone", "Telephone", 40, &mut e);
        let given_name = tidy(&self.given_name, "given_name", "First name", 100, &mut e);
        if given_name.is_none() {
            e.add("given_name", "Enter her first name");
        }
        let family_name = tidy(&self.family_name, "family_name", "Last name", 100, &mut e);
        if family_name.is_none() {
            e.add("family_name", "Enter her last name");
        }
        let dob = parse_date_of_birth(&self.dob_day, &self.dob_month, &self.dob_year, today)
            .map_err(|(field, message)| e.add(field, message))
            .ok();
        let nhs_number = match self.nhs_number.trim() {
            "" => None,
            typed => NhsNumber::parse(typed)
                .map(|n| n.as_str().to_string())
                .map_err(|m| e.add("nhs_number", m))
                .ok(),
        };
        let court = tidy(&self.court, "court", "Court", SHORT_LIMIT, &mut e);
        if court.is_none() {
            e.add("court", "Enter the court");
        }
        let next_hearing = hearing::parse(&self.hearing_day, &self.hearing_month, &self.hearing_year, today)
            .map_err(|(field, message)| e.add(field, message))
            .ok()
            .flatten();
        let deadline_kind = self.deadline_kind.parse::<DeadlineKind>().ok();
        if deadline_kind.is_none() {
            e.add(
                "deadline_kind",
                "Select how long the court has given for the suitability report",
            );
        }
        let reason = self.reason.trim().to_string();
        if reason.is_empty() {
            e.add("reason", "Enter the reason for referral");
        } else if reason.chars().count() > REASON_LIMIT {
            e.add(
                "reason",
                format!("Reason for referral must be {REASON_LIMIT} characters or fewer"),
            );
        }
        match (team_id, source, given_name, family_name, dob, court, deadline_kind) {
            (Some(team_id), Some(source), Some(given_name), Some(family_name), Some(dob), Some(court), Some(kind))
                if e.is_empty() =>
            {
                Ok(ExternalReferral {
                    team_id,
                    source,
                    referrer_name,
                    referrer_organisation: organisation,
                    referrer_email: email,
                    referrer_phone: phone,
                    given_name,
                    family_name,
                    date_of_birth: dob,
                    nhs_number,
                    court,
                    next_hearing,
                    deadline_kind: kind,
                    reason,
                })
            }
            _ => Err(e),
        }
    }
}

/// The form's fields, in the order the practitioner hears them on the phone.
pub fn fields(teams: &[&Team], form: &ExternalForm, errors: &Errors) -> Markup {
    let team_options: Vec<(&str, &str)> = teams.iter().map(|t| (t.id.as_str(), t.name.as_str())).collect();
    let f = form;
    html! {
        @if teams.len() > 1 {
            (components::radios("team_id", "Which MHTR team is the referral for?", &team_options, &f.team_id, errors))
        }
        h2.app-heading-m { "Who referred her" }
        (components::radios("source", "Referral source", &sources(), &f.source, errors))
        (components::input(Field::text("referrer_name", "Referrer's name", &f.referrer_name).hint("Not needed for a self-referral"), errors))
        (components::input(Field::text("referrer_organisation", "Organisation (optional)", &f.referrer_organisation), errors))
        (components::input(Field::text("referrer_email", "Email address (optional)", &f.referrer_email).kind("email").hint("If you decline the referral, the referrer is told by email"), errors))
        (components::input(Field::text("referrer_phone", "Telephone (optional)", &f.referrer_phone).kind("tel"), errors))
        h2.app-heading-m { "The woman referred" }
        (components::input(Field::text("given_name", "First name", &f.given_name).autocomplete("off"), errors))
        (components::input(Field::text("family_name", "Last name", &f.family_name).autocomplete("off"), errors))
        (components::date_input("dob", "Date of birth", Some("For example, 27 3 1990"), [&f.dob_day, &f.dob_month, &f.dob_year], errors))
        (components::input(Field::text("nhs_number", "NHS number (optional)", &f.nhs_number).hint("10 digits, like 943 476 5919. If she is already known, her record is used"), errors))
        h2.app-heading-m { "The court" }
        (components::input(Field::text("court", "Court", &f.court).hint("For example, Highbury Corner Magistrates' Court"), errors))
        (components::date_input(hearing::WHOLE, "Next hearing date (optional)", Some("For example, 27 3 2027"), [&f.hearing_day, &f.hearing_month, &f.hearing_year], errors))
        (components::radios("deadline_kind", "When does the court need the suitability report?", DEADLINE_KINDS, &f.deadline_kind, errors))
        (components::textarea("reason", "Reason for referral", &f.reason, None, errors))
    }
}

/// The source in words, for lists and messages.
pub fn source_label(code: &str) -> &str {
    label_of(REFERRAL_SOURCES, code).unwrap_or(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    fn good() -> ExternalForm {
        ExternalForm {
            source: "court-probation".into(),
            referrer_name: " Sam   Jones ".into(),
            referrer_email: "sam.jones@justice.gov.uk".into(),
            given_name: "Ann".into(),
            family_name: "Adams".into(),
            dob_day: "3".into(),
            dob_month: "2".into(),
            dob_year: "1985".into(),
            nhs_number: "943 476 5919".into(),
            court: "Highbury Corner Magistrates' Court".into(),
            deadline_kind: "five-working-days".into(),
            reason: "Depression; no secondary care".into(),
            ..ExternalForm::default()
        }
    }

    #[test]
    fn a_good_form_is_tidied() {
        let r = good().validate(&["t".into()], today()).unwrap();
        assert_eq!(r.referrer_name.as_deref(), Some("Sam Jones"));
        assert_eq!(r.nhs_number.as_deref(), Some("9434765919"));
        assert_eq!((r.team_id.as_str(), r.next_hearing), ("t", None));
        assert_eq!(r.deadline_kind, DeadlineKind::FiveWorkingDays);
    }

    #[test]
    fn the_referrers_name_is_needed_unless_she_referred_herself() {
        let anonymous = ExternalForm {
            referrer_name: String::new(),
            ..good()
        };
        let errors = anonymous.validate(&["t".into()], today()).unwrap_err();
        assert!(errors.get("referrer_name").is_some());
        let herself = ExternalForm {
            source: SELF_REFERRAL.into(),
            ..anonymous
        };
        assert!(herself.validate(&["t".into()], today()).is_ok());
    }

    #[test]
    fn internal_sources_bad_identifiers_and_missing_answers_are_refused() {
        let bad = ExternalForm {
            source: SOURCE_COURT_LD.into(),
            referrer_email: "not an address".into(),
            nhs_number: "943 476 5918".into(),
            court: " ".into(),
            reason: String::new(),
            deadline_kind: String::new(),
            ..good()
        };
        let errors = bad.validate(&["a".into(), "b".into()], today()).unwrap_err();
        for field in [
            "team_id",
            "source",
            "referrer_email",
            "nhs_number",
            "court",
            "reason",
            "deadline_kind",
        ] {
            assert!(errors.get(field).is_some(), "{field}");
        }
    }
}
