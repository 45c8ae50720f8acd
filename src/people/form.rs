//! The person form and its validation.

use chrono::NaiveDate;
use maud::{Markup, html};
use serde::Deserialize;

use super::PersonValues;
use crate::domain::codes;
use crate::domain::identifiers::{CroNumber, NhsNumber, PncId};
use crate::domain::person::parse_date_of_birth;
use crate::views::components::{self, Field};
use crate::views::form::Errors;

/// As typed, so a rejected form shows what was entered.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct PersonForm {
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
    pub pnc_id: String,
    #[serde(default)]
    pub cro_number: String,
    #[serde(default)]
    pub sex: String,
    #[serde(default)]
    pub gender_identity: String,
    #[serde(default)]
    pub ethnic_category: String,
    #[serde(default)]
    pub preferred_language: String,
    #[serde(default)]
    pub interpreter_needed: Option<String>,
    #[serde(default)]
    pub gp_practice: String,
    /// "yes" once the practitioner has seen who already has this name and date of birth and
    /// still adds a new person.
    #[serde(default)]
    pub confirm_new: String,
}

fn optional(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

fn coded(
    list: &[(&str, &str)],
    value: &str,
    field: &'static str,
    message: &str,
    errors: &mut Errors,
) -> Option<String> {
    let v = optional(value)?;
    if codes::label_of(list, &v).is_none() {
        errors.add(field, message);
        return None;
    }
    Some(v)
}

fn text_limit(value: &str, field: &'static str, label: &str, max: usize, errors: &mut Errors) {
    if value.trim().chars().count() > max {
        errors.add(field, format!("{label} must be {max} characters or fewer"));
    }
}

impl PersonForm {
    /// The form filled with what is recorded, to change it.
    pub fn from_person(p: &crate::records::Person) -> PersonForm {
        let dob = p.dob();
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        PersonForm {
            given_name: p.given_name.clone(),
            family_name: p.family_name.clone(),
            dob_day: dob.format("%-d").to_string(),
            dob_month: dob.format("%-m").to_string(),
            dob_year: dob.format("%Y").to_string(),
            nhs_number: p.nhs_display().unwrap_or_default(),
            pnc_id: text(&p.pnc_id),
            cro_number: text(&p.cro_number),
            sex: text(&p.sex),
            gender_identity: text(&p.gender_identity),
            ethnic_category: text(&p.ethnic_category),
            preferred_language: text(&p.preferred_language),
            interpreter_needed: p.interpreter_needed.then(|| "yes".to_string()),
            gp_practice: text(&p.gp_practice),
            confirm_new: String::new(),
        }
    }

    pub fn validate(&self, today: NaiveDate) -> Result<PersonValues, Errors> {
        let mut errors = Errors::default();
        if self.given_name.trim().is_empty() {
            errors.add("given_name", "Enter the person's first name");
        }
        text_limit(&self.given_name, "given_name", "First name", 100, &mut errors);
        if self.family_name.trim().is_empty() {
            errors.add("family_name", "Enter the person's last name");
        }
        text_limit(&self.family_name, "family_name", "Last name", 100, &mut errors);
        let dob = match parse_date_of_birth(&self.dob_day, &self.dob_month, &self.dob_year, today) {
            Ok(d) => Some(d),
            Err((field, message)) => {
                errors.add(field, message);
                None
            }
        };
        let nhs = optional(&self.nhs_number).and_then(|n| match NhsNumber::parse(&n) {
            Ok(n) => Some(n.as_str().to_string()),
            Err(m) => {
                errors.add("nhs_number", m);
                None
            }
        });
        let pnc = optional(&self.pnc_id).and_then(|p| match PncId::parse(&p) {
            Ok(p) => Some(p.canonical().to_string()),
            Err(m) => {
                errors.add("pnc_id", m);
                None
            }
        });
        let cro = optional(&self.cro_number).and_then(|c| match CroNumber::parse(&c) {
            Ok(c) => Some(c.canonical().to_string()),
            Err(m) => {
                errors.add("cro_number", m);
                None
            }
        });
        let sex = coded(codes::SEX, &self.sex, "sex", "Select sex from the list", &mut errors);
        let gender = coded(
            codes::GENDER_IDENTITY,
            &self.gender_identity,
            "gender_identity",
            "Select gender identity from the list",
            &mut errors,
        );
        let ethnic = coded(
            codes::ETHNIC_CATEGORIES,
            &self.ethnic_category,
            "ethnic_category",
            "Select ethnic category from the list",
            &mut errors,
        );
        text_limit(
            &self.preferred_language,
            "preferred_language",
            "Preferred language",
            60,
            &mut errors,
        );
        text_limit(&self.gp_practice, "gp_practice", "GP practice", 200, &mut errors);
        match dob {
            Some(date_of_birth) if errors.is_empty() => Ok(PersonValues {
                nhs_number: nhs,
                pnc_id: pnc,
                cro_number: cro,
                given_name: self.given_name.trim().to_string(),
                family_name: self.family_name.trim().to_string(),
                date_of_birth,
                sex,
                gender_identity: gender,
                ethnic_category: ethnic,
                preferred_language: optional(&self.preferred_language),
                interpreter_needed: self.interpreter_needed.is_some(),
                gp_practice: optional(&self.gp_practice),
            }),
            _ => Err(errors),
        }
    }
}

/// The fields of the person form.
pub fn fields(form: &PersonForm, errors: &Errors) -> Markup {
    html! {
        (components::input(Field::text("given_name", "First name", &form.given_name).autocomplete("off"), errors))
        (components::input(Field::text("family_name", "Last name", &form.family_name).autocomplete("off"), errors))
        (components::date_input("dob", "Date of birth", Some("For example, 27 3 1990"), [&form.dob_day, &form.dob_month, &form.dob_year], errors))
        (components::input(Field::text("nhs_number", "NHS number (optional)", &form.nhs_number).hint("10 digits, like 943 476 5919"), errors))
        (components::input(Field::text("pnc_id", "PNC ID (optional)", &form.pnc_id).hint("Like 2002/0073319Z"), errors))
        (components::input(Field::text("cro_number", "CRO number (optional)", &form.cro_number).hint("Like 265416/21G"), errors))
        (components::select("sex", "Sex (optional)", &components::code_options("Not recorded", codes::SEX), &form.sex, errors))
        (components::select("gender_identity", "Gender identity (optional)", &components::code_options("Not recorded", codes::GENDER_IDENTITY), &form.gender_identity, errors))
        (components::select("ethnic_category", "Ethnic category (optional)", &components::code_options("Not recorded", codes::ETHNIC_CATEGORIES), &form.ethnic_category, errors))
        (components::input(Field::text("preferred_language", "Preferred language (optional)", &form.preferred_language), errors))
        (components::checkboxes("interpreter_needed", "Interpreter", &[("yes".into(), "An interpreter is needed".into())], &form.interpreter_needed.iter().cloned().collect::<Vec<_>>(), errors))
        (components::input(Field::text("gp_practice", "GP practice (optional)", &form.gp_practice), errors))
    }
}
