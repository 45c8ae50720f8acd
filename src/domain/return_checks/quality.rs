//! The data-quality table (LD12): each field's records sorted into the categories NHS England's
//! MHSDS data-quality reports use — valid, other, default, invalid, missing.

use super::*;
use crate::domain::codes::{
    CJ_STAGES, ETHNIC_CATEGORIES, GENDER_IDENTITY as GENDER_IDENTITY_CODES, NOT_SEEN_REASONS, POINTS_OF_CONTACT,
    REFERRAL_SOURCES, SEX,
};
use crate::domain::identifiers::NhsNumber;
use crate::domain::person::age_on;

/// The five categories in words, in the order of the table's columns, for the page to show
/// beside it.
pub fn quality_definitions() -> &'static [(&'static str, &'static str)] {
    &[
        (
            "Valid",
            "A code from the field's list that gives an answer; an NHS number that passes its check digit; a \
             date of birth that makes the person 10 to 110 at the alert.",
        ),
        (
            "Other",
            "A code from the list meaning \"other\" or not on the national list: a local source of referral (the \
             three-letter codes, such as the Crown Prosecution Service), the point of contact \"community or \
             other\", the not-seen reason \"other\", gender identity 4 \"other (not listed)\".",
        ),
        (
            "Default",
            "A code from the list meaning the answer is not stated or not known: ethnic category Z or 99, gender \
             identity X or Z, stated gender X or Z.",
        ),
        (
            "Invalid",
            "Something is recorded but it is not in the field's list; an NHS number that fails its check digit; \
             a date of birth that makes the person younger than 10 or older than 110 at the alert.",
        ),
        (
            "Missing",
            "Nothing is recorded. The not-seen reason counts only episodes closed before screening started; \
             vulnerabilities count only episodes where screening started.",
        ),
    ]
}

/// Where one record falls for one field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Category {
    Valid,
    Other,
    Default,
    Invalid,
    Missing,
}

/// A field of the table and where a record falls for it; `None` when the field does not apply
/// to the record.
type Field = (&'static str, fn(&ReturnRecord) -> Option<Category>);

/// The table's rows, in order.
const FIELDS: &[Field] = &[
    (NHS_NUMBER, nhs_number),
    (DATE_OF_BIRTH, date_of_birth),
    (ETHNIC_CATEGORY, ethnic_category),
    (GENDER_IDENTITY, gender_identity),
    (STATED_GENDER, stated_gender),
    (SOURCE, source),
    (POINT_OF_CONTACT, point_of_contact),
    (CJ_STAGE, cj_stage),
    (NOT_SEEN_REASON, not_seen_reason),
    (VULNERABILITY, vulnerabilities),
];

/// The data-quality table for the records: one row per field, in [`FIELDS`] order.
pub fn quality(records: &[ReturnRecord]) -> Vec<FieldQuality> {
    FIELDS
        .iter()
        .map(|(field, categorise)| {
            let mut row = FieldQuality {
                field,
                valid: 0,
                other: 0,
                default: 0,
                invalid: 0,
                missing: 0,
            };
            for category in records.iter().filter_map(categorise) {
                *match category {
                    Category::Valid => &mut row.valid,
                    Category::Other => &mut row.other,
                    Category::Default => &mut row.default,
                    Category::Invalid => &mut row.invalid,
                    Category::Missing => &mut row.missing,
                } += 1;
            }
            row
        })
        .collect()
}

/// A code against its list: `other` and `default` name the list's codes in those categories.
fn code(list: CodeList, value: Option<&str>, other: &[&str], default: &[&str]) -> Category {
    match value {
        None => Category::Missing,
        Some(c) if !in_list(list, c) => Category::Invalid,
        Some(c) if other.contains(&c) => Category::Other,
        Some(c) if default.contains(&c) => Category::Default,
        Some(_) => Category::Valid,
    }
}

fn nhs_number(r: &ReturnRecord) -> Option<Category> {
    Some(match recorded_opt(&r.nhs_number) {
        None => Category::Missing,
        // The stored form has no spaces, though `parse` forgives them.
        Some(n) if NhsNumber::parse(n).is_ok_and(|p| p.as_str() == n) => Category::Valid,
        Some(_) => Category::Invalid,
    })
}

fn date_of_birth(r: &ReturnRecord) -> Option<Category> {
    let on = alert_day(r);
    Some(match r.date_of_birth.map(CalendarDate::date) {
        None => Category::Missing,
        Some(dob) if dob < on && AGE_RANGE.contains(&age_on(dob, on)) => Category::Valid,
        Some(_) => Category::Invalid,
    })
}

fn ethnic_category(r: &ReturnRecord) -> Option<Category> {
    Some(code(
        ETHNIC_CATEGORIES,
        recorded_opt(&r.ethnic_category),
        &[],
        &["Z", "99"],
    ))
}

fn gender_identity(r: &ReturnRecord) -> Option<Category> {
    Some(code(
        GENDER_IDENTITY_CODES,
        recorded_opt(&r.gender_identity),
        &["4"],
        &["X", "Z"],
    ))
}

fn stated_gender(r: &ReturnRecord) -> Option<Category> {
    Some(code(SEX, recorded_opt(&r.sex), &[], &["X", "Z"]))
}

/// National MHSDS codes are valid; the local three-letter codes are "other".
fn source(r: &ReturnRecord) -> Option<Category> {
    Some(match code(REFERRAL_SOURCES, recorded(&r.source), &[], &[]) {
        Category::Valid if r.source.len() == 3 => Category::Other,
        category => category,
    })
}

fn point_of_contact(r: &ReturnRecord) -> Option<Category> {
    Some(code(
        POINTS_OF_CONTACT,
        recorded(&r.point_of_contact),
        &["community-other"],
        &[],
    ))
}

fn cj_stage(r: &ReturnRecord) -> Option<Category> {
    Some(code(CJ_STAGES, recorded_opt(&r.cj_stage), &[], &[]))
}

/// Only episodes closed before screening started.
fn not_seen_reason(r: &ReturnRecord) -> Option<Category> {
    closed_unseen(r).then(|| code(NOT_SEEN_REASONS, recorded_opt(&r.not_seen_reason), &["other"], &[]))
}

/// Only episodes where screening started. Invalid when any code is; "none identified" is an
/// answer, so valid.
fn vulnerabilities(r: &ReturnRecord) -> Option<Category> {
    screened(r).then(|| {
        if r.vulnerabilities.iter().all(|v| recorded(v).is_none()) {
            Category::Missing
        } else if r.vulnerabilities.iter().all(|v| known_vulnerability(v)) {
            Category::Valid
        } else {
            Category::Invalid
        }
    })
}
