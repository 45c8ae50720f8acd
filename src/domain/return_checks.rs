//! The checks run on a quarterly L&D commissioner return before it is locked
//! (RETURNS-AND-DASHBOARDS.md, "Validation before a return is locked"; decision 0021), and the
//! field-by-field data-quality table (LD12).
//!
//! Pure functions over one [`ReturnRecord`] per episode alerted in the quarter. Blocking
//! findings stop the return being locked until the records are corrected; warnings are shown
//! for someone to look at and may stand. Every finding says in plain English what is wrong and
//! where to put it right. No finding quotes an NHS number or a date of birth: the page that
//! shows them need not be an identifiable one.

mod blocking;
mod quality;
mod warnings;

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::clock::Millis;
use crate::domain::CalendarDate;
use crate::domain::codes::{CodeList, VULNERABILITIES, label_of};
use crate::domain::local_time::local_date;
use crate::domain::measures::NONE_IDENTIFIED;

pub use quality::{quality, quality_definitions};

/// One episode alerted in the return's quarter, with what the checks need from it and its
/// person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnRecord {
    pub episode_id: String,
    pub person_id: String,
    pub site_id: String,
    pub site_name: String,
    /// As stored: 10 digits, or `None`.
    pub nhs_number: Option<String>,
    /// `None` when unknown.
    pub date_of_birth: Option<CalendarDate>,
    /// Flagged as under 18 at alert.
    pub youth: bool,
    pub alert_at: Millis,
    pub screening_started_at: Option<Millis>,
    /// Screening completed.
    pub screened_at: Option<Millis>,
    pub assessed_at: Option<Millis>,
    /// The earliest onward referral made.
    pub first_referral_at: Option<Millis>,
    /// Discharge.
    pub closed_at: Option<Millis>,
    /// [`codes::REFERRAL_SOURCES`](crate::domain::codes::REFERRAL_SOURCES).
    pub source: String,
    /// [`codes::POINTS_OF_CONTACT`](crate::domain::codes::POINTS_OF_CONTACT).
    pub point_of_contact: String,
    /// [`codes::CJ_STAGES`](crate::domain::codes::CJ_STAGES).
    pub cj_stage: Option<String>,
    /// [`codes::NOT_SEEN_REASONS`](crate::domain::codes::NOT_SEEN_REASONS): set when the
    /// episode closed before screening started.
    pub not_seen_reason: Option<String>,
    /// [`codes::VULNERABILITIES`], or [`NONE_IDENTIFIED`]; empty when not screened.
    pub vulnerabilities: Vec<String>,
    /// [`codes::ETHNIC_CATEGORIES`](crate::domain::codes::ETHNIC_CATEGORIES): Z not stated,
    /// 99 not known.
    pub ethnic_category: Option<String>,
    /// [`codes::GENDER_IDENTITY`](crate::domain::codes::GENDER_IDENTITY): X not known, Z not
    /// stated.
    pub gender_identity: Option<String>,
    /// [`codes::SEX`](crate::domain::codes::SEX).
    pub sex: Option<String>,
}

/// One thing found wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// A short stable id for the check, such as `nhs-number`.
    pub check: &'static str,
    /// The field, as people call it.
    pub field: &'static str,
    /// The episode to correct; `None` for a finding about the return as a whole.
    pub episode_id: Option<String>,
    /// What is wrong and how to put it right.
    pub message: String,
}

/// One row of the data-quality table (LD12): how many records fall in each of NHS England's
/// MHSDS data-quality categories for one field. See [`quality_definitions`]; the five counts
/// add up to the records the field applies to ([`FieldQuality::total`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldQuality {
    pub field: &'static str,
    pub valid: usize,
    pub other: usize,
    pub default: usize,
    pub invalid: usize,
    pub missing: usize,
}

impl FieldQuality {
    /// The records the field applies to: every record, except for the not-seen reason (only
    /// episodes closed before screening) and vulnerabilities (only screened episodes).
    pub fn total(&self) -> usize {
        self.valid + self.other + self.default + self.invalid + self.missing
    }
}

/// What the checks found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validation {
    pub blocking: Vec<Finding>,
    pub warnings: Vec<Finding>,
    pub quality: Vec<FieldQuality>,
}

impl Validation {
    /// The return may be locked: nothing blocks it. Warnings do not.
    pub fn can_lock(&self) -> bool {
        self.blocking.is_empty()
    }
}

/// Runs every check on the quarter's records. `previous_month_alerts` holds each site's alerts
/// (by site id) in the month before the quarter, for the month-on-month warning on its first
/// month. `now` is when the checks run: no date may be after it.
pub fn validate(records: &[ReturnRecord], previous_month_alerts: &BTreeMap<String, usize>, now: Millis) -> Validation {
    Validation {
        blocking: blocking::blocking(records, now),
        warnings: warnings::warnings(records, previous_month_alerts, now),
        quality: quality(records),
    }
}

// The fields, as people call them: in findings and in the data-quality table.
const NHS_NUMBER: &str = "NHS number";
const DATE_OF_BIRTH: &str = "Date of birth";
const ETHNIC_CATEGORY: &str = "Ethnic category";
const GENDER_IDENTITY: &str = "Gender identity";
const STATED_GENDER: &str = "Stated gender (sex)";
const SOURCE: &str = "Source of referral";
const POINT_OF_CONTACT: &str = "Point of contact";
const CJ_STAGE: &str = "Criminal justice stage";
const NOT_SEEN_REASON: &str = "Not-seen reason";
const VULNERABILITY: &str = "Vulnerabilities";

/// The youngest and oldest ages at alert a record may have.
const AGE_RANGE: std::ops::RangeInclusive<u32> = 10..=110;

/// A code that is recorded: `None` for an absent, empty or blank value.
fn recorded(value: &str) -> Option<&str> {
    Some(value).filter(|v| !v.trim().is_empty())
}

/// [`recorded`] for an optional value.
fn recorded_opt(value: &Option<String>) -> Option<&str> {
    value.as_deref().and_then(recorded)
}

fn in_list(list: CodeList, code: &str) -> bool {
    label_of(list, code).is_some()
}

/// A code recorded at screening: a vulnerability in the list, or "none identified", which
/// is valid whether or not the list carries it.
fn known_vulnerability(code: &str) -> bool {
    code == NONE_IDENTIFIED || in_list(VULNERABILITIES, code)
}

/// The episode was screened: screening started.
fn screened(r: &ReturnRecord) -> bool {
    r.screening_started_at.is_some()
}

/// The episode closed before anyone screened the person.
fn closed_unseen(r: &ReturnRecord) -> bool {
    r.closed_at.is_some() && r.screening_started_at.is_none()
}

/// The alert's day in London: the day age is judged on.
fn alert_day(r: &ReturnRecord) -> NaiveDate {
    local_date(r.alert_at)
}

#[cfg(test)]
mod tests;
