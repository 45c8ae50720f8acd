//! The blocking checks: one finding per record that fails a check, naming its episode, and one
//! per episode id that appears more than once.

use super::*;
use crate::domain::codes::{CJ_STAGES, ETHNIC_CATEGORIES, NOT_SEEN_REASONS, POINTS_OF_CONTACT, REFERRAL_SOURCES, SEX};
use crate::domain::identifiers::NhsNumber;
use crate::domain::local_time::date_time;
use crate::domain::person::{age_on, is_youth};
use crate::domain::words::and_list;

/// A check on one record: its id, its field, and what is wrong when it fails.
type RecordCheck = (&'static str, &'static str, fn(&ReturnRecord, Millis) -> Option<String>);

/// The checks, in the order their findings are listed for a record.
const RECORD_CHECKS: &[RecordCheck] = &[
    ("nhs-number", NHS_NUMBER, nhs_number),
    ("source", SOURCE, source),
    ("point-of-contact", POINT_OF_CONTACT, point_of_contact),
    ("cj-stage", CJ_STAGE, cj_stage),
    ("not-seen-reason", NOT_SEEN_REASON, not_seen_reason),
    ("vulnerabilities", VULNERABILITY, vulnerabilities),
    ("ethnic-category", ETHNIC_CATEGORY, ethnic_category),
    ("gender-identity", GENDER_IDENTITY, gender_identity),
    ("sex", STATED_GENDER, sex),
    ("date-order", "Episode dates", date_order),
    ("future-date", "Episode dates", future_dates),
    ("age", DATE_OF_BIRTH, age),
    ("youth-flag", "Under 18 flag", youth_flag),
];

pub(super) fn blocking(records: &[ReturnRecord], now: Millis) -> Vec<Finding> {
    let mut found = Vec::new();
    for r in records {
        for (check, field, run) in RECORD_CHECKS {
            if let Some(message) = run(r, now) {
                found.push(Finding {
                    check,
                    field,
                    episode_id: Some(r.episode_id.clone()),
                    message,
                });
            }
        }
    }
    found.extend(duplicate_episode_ids(records));
    found
}

/// When present, 10 digits passing the modulus 11 check ([`NhsNumber::parse`]), stored
/// without spaces.
fn nhs_number(r: &ReturnRecord, _: Millis) -> Option<String> {
    let number = recorded_opt(&r.nhs_number)?;
    let fix = "Correct it on the person's record.";
    if number.len() != 10 || !number.bytes().all(|b| b.is_ascii_digit()) {
        return Some(format!("The NHS number is not 10 digits. {fix}"));
    }
    if NhsNumber::parse(number).is_ok() {
        return None;
    }
    if number.bytes().all(|b| b == number.as_bytes()[0]) {
        Some(format!(
            "The NHS number is one digit repeated: a placeholder, not an NHS number. {fix}"
        ))
    } else {
        Some(format!("The NHS number does not pass its check digit. {fix}"))
    }
}

/// A recorded code that is not in its list.
fn unknown_code(list: CodeList, code: Option<&str>, what: &str, fix: &str) -> Option<String> {
    let code = code?;
    (!in_list(list, code)).then(|| format!("The {what} code `{code}` is not in the list. {fix}"))
}

fn source(r: &ReturnRecord, _: Millis) -> Option<String> {
    let fix = "Choose the source of referral again on the episode.";
    match recorded(&r.source) {
        None => Some(format!("No source of referral is recorded. {fix}")),
        code => unknown_code(REFERRAL_SOURCES, code, "source of referral", fix),
    }
}

fn point_of_contact(r: &ReturnRecord, _: Millis) -> Option<String> {
    let fix = "Set the point of contact again on the episode.";
    match recorded(&r.point_of_contact) {
        None => Some(format!("No point of contact is recorded. {fix}")),
        code => unknown_code(POINTS_OF_CONTACT, code, "point of contact", fix),
    }
}

fn cj_stage(r: &ReturnRecord, _: Millis) -> Option<String> {
    let fix = "Choose the criminal justice stage again on the episode.";
    unknown_code(CJ_STAGES, recorded_opt(&r.cj_stage), "criminal justice stage", fix)
}

fn not_seen_reason(r: &ReturnRecord, _: Millis) -> Option<String> {
    let fix = "Choose the reason the person was not seen again on the episode.";
    unknown_code(
        NOT_SEEN_REASONS,
        recorded_opt(&r.not_seen_reason),
        "not-seen reason",
        fix,
    )
}

fn ethnic_category(r: &ReturnRecord, _: Millis) -> Option<String> {
    let fix = "Choose the ethnic category again on the person's record.";
    unknown_code(
        ETHNIC_CATEGORIES,
        recorded_opt(&r.ethnic_category),
        "ethnic category",
        fix,
    )
}

fn gender_identity(r: &ReturnRecord, _: Millis) -> Option<String> {
    let fix = "Choose the gender identity again on the person's record.";
    unknown_code(
        crate::domain::codes::GENDER_IDENTITY,
        recorded_opt(&r.gender_identity),
        "gender identity",
        fix,
    )
}

fn sex(r: &ReturnRecord, _: Millis) -> Option<String> {
    let fix = "Choose the stated gender again on the person's record.";
    unknown_code(SEX, recorded_opt(&r.sex), "stated gender (sex)", fix)
}

/// Every code recorded at screening, blank ones included, is in the list.
fn vulnerabilities(r: &ReturnRecord, _: Millis) -> Option<String> {
    let unknown: Vec<String> = r
        .vulnerabilities
        .iter()
        .filter(|v| !known_vulnerability(v))
        .map(|v| format!("`{v}`"))
        .collect();
    let unknown: Vec<&str> = unknown.iter().map(String::as_str).collect();
    let fix = "Record the screening's vulnerabilities again from the list.";
    match unknown.as_slice() {
        [] => None,
        [one] => Some(format!("The vulnerability code {one} is not in the list. {fix}")),
        many => Some(format!(
            "The vulnerability codes {} are not in the list. {fix}",
            and_list(many)
        )),
    }
}

/// The episode's dates that are recorded, in the order the steps happen.
fn steps(r: &ReturnRecord) -> Vec<(&'static str, Millis)> {
    [
        ("the alert", Some(r.alert_at)),
        ("screening started", r.screening_started_at),
        ("screening completed", r.screened_at),
        ("the assessment", r.assessed_at),
        ("the first onward referral", r.first_referral_at),
        ("discharge", r.closed_at),
    ]
    .into_iter()
    .filter_map(|(step, at)| at.map(|at| (step, at)))
    .collect()
}

/// alert ≤ screening started ≤ screening completed ≤ assessment ≤ first referral ≤ discharge,
/// over the steps recorded (a missing step is skipped). Each step is compared with the latest
/// before it, so one wrong date is named once for each step it puts out of order.
fn date_order(r: &ReturnRecord, _: Millis) -> Option<String> {
    let mut latest: Option<(&str, Millis)> = None;
    let mut wrong = Vec::new();
    for (step, at) in steps(r) {
        match latest {
            Some((before, before_at)) if at < before_at => wrong.push(format!(
                "{step} ({}) is before {before} ({})",
                date_time(at),
                date_time(before_at)
            )),
            _ => latest = Some((step, at)),
        }
    }
    let wrong: Vec<&str> = wrong.iter().map(String::as_str).collect();
    (!wrong.is_empty()).then(|| {
        format!(
            "The dates are out of order: {}. Each step must be on or after the one before it: correct the dates on the episode.",
            and_list(&wrong)
        )
    })
}

/// No step is after the checks ran.
fn future_dates(r: &ReturnRecord, now: Millis) -> Option<String> {
    let future: Vec<String> = steps(r)
        .into_iter()
        .filter(|(_, at)| *at > now)
        .map(|(step, at)| format!("{step} ({})", date_time(at)))
        .collect();
    let future: Vec<&str> = future.iter().map(String::as_str).collect();
    match future.as_slice() {
        [] => None,
        [one] => Some(format!(
            "The date of {one} is in the future. Correct it on the episode."
        )),
        many => Some(format!(
            "The dates of {} are in the future. Correct them on the episode.",
            and_list(many)
        )),
    }
}

/// When the date of birth is known, the person's age on the alert's day in London is 10 to 110.
fn age(r: &ReturnRecord, _: Millis) -> Option<String> {
    let dob = r.date_of_birth?.date();
    let on = alert_day(r);
    let fix = "Check the date of birth on the person's record.";
    if dob >= on {
        return Some(format!("The date of birth is not before the alert. {fix}"));
    }
    let age = age_on(dob, on);
    (!AGE_RANGE.contains(&age)).then(|| {
        format!(
            "The date of birth makes the person {age} at the alert; a person in the return is {} to {}. {fix}",
            AGE_RANGE.start(),
            AGE_RANGE.end()
        )
    })
}

/// When the date of birth is known, the episode is flagged under 18 exactly when the person
/// was under 18 on the alert's day in London.
fn youth_flag(r: &ReturnRecord, _: Millis) -> Option<String> {
    let dob = r.date_of_birth?.date();
    let youth = is_youth(dob, alert_day(r));
    let fix = "Correct the date of birth on the person's record, or the under 18 flag on the episode.";
    match (r.youth, youth) {
        (true, false) => Some(format!(
            "The episode is flagged under 18, but the date of birth makes the person 18 or over at the alert. {fix}"
        )),
        (false, true) => Some(format!(
            "The episode is not flagged under 18, but the date of birth makes the person under 18 at the alert. {fix}"
        )),
        _ => None,
    }
}

/// One finding for each episode id that more than one record carries.
fn duplicate_episode_ids(records: &[ReturnRecord]) -> Vec<Finding> {
    let mut seen: foldhash::HashMap<&str, usize> = foldhash::HashMap::default();
    for r in records {
        *seen.entry(r.episode_id.as_str()).or_default() += 1;
    }
    let mut repeated: Vec<(&str, usize)> = seen.into_iter().filter(|(_, n)| *n > 1).collect();
    repeated.sort_unstable();
    repeated
        .into_iter()
        .map(|(id, n)| Finding {
            check: "duplicate-episode-id",
            field: "Episode",
            episode_id: Some(id.to_string()),
            message: format!(
                "This episode appears {n} times in the return. The return was built wrongly, not the episode: \
                 build it again, and tell the system administrator if the episode still appears more than once."
            ),
        })
        .collect()
}
