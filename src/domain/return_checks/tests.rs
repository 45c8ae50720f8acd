use chrono::NaiveDate;

use super::*;
use crate::domain::local_time::from_local;

mod quality;
mod warnings;

const MINUTE: Millis = 60_000;
const HOUR: Millis = 60 * MINUTE;
const DAY: Millis = 24 * HOUR;
/// A real NHS number (the Data Dictionary's example), and the same with its check digit wrong.
const NHS: &str = "9434765919";
const NHS_WRONG_CHECK: &str = "9434765918";

/// A local (Europe/London) time.
fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> Millis {
    from_local(ymd(y, mo, d).and_hms_opt(h, mi, 0).unwrap())
}

/// A UTC time.
fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> Millis {
    ymd(y, mo, d)
        .and_hms_opt(h, mi, 0)
        .unwrap()
        .and_utc()
        .timestamp_millis()
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn dob(y: i32, m: u32, d: u32) -> Option<CalendarDate> {
    Some(CalendarDate::new(ymd(y, m, d)))
}

fn text(s: &str) -> Option<String> {
    Some(s.to_string())
}

/// When the checks run: after the April–June 2026 quarter.
fn now() -> Millis {
    at(2026, 7, 1, 9, 0)
}

/// A record with nothing wrong, alerted at `alert`: screened, assessed, referred on and
/// discharged in order, for a person of their own.
fn clean_at(id: &str, alert: Millis) -> ReturnRecord {
    ReturnRecord {
        episode_id: id.into(),
        person_id: format!("person-{id}"),
        site_id: "wembley".into(),
        site_name: "Wembley custody suite".into(),
        nhs_number: text(NHS),
        date_of_birth: dob(1990, 6, 15),
        youth: false,
        alert_at: alert,
        screening_started_at: Some(alert + 40 * MINUTE),
        screened_at: Some(alert + 70 * MINUTE),
        assessed_at: Some(alert + DAY),
        first_referral_at: Some(alert + DAY + 2 * HOUR),
        closed_at: Some(alert + 8 * DAY),
        source: "E1".into(),
        point_of_contact: "police-custody".into(),
        cj_stage: text("pre-charge"),
        not_seen_reason: None,
        vulnerabilities: vec!["mental-health".into(), "alcohol-misuse".into()],
        ethnic_category: text("A"),
        gender_identity: text("1"),
        sex: text("M"),
    }
}

fn clean(id: &str) -> ReturnRecord {
    clean_at(id, at(2026, 4, 2, 10, 0))
}

/// A change made to a clean record.
type Change = fn(&mut ReturnRecord);

fn check(records: &[ReturnRecord]) -> Validation {
    validate(records, &BTreeMap::new(), now())
}

/// The blocking findings for one record, as (check, episode).
fn blocking_of(r: ReturnRecord) -> Vec<(&'static str, Option<String>)> {
    check(&[r])
        .blocking
        .into_iter()
        .map(|f| (f.check, f.episode_id))
        .collect()
}

fn blocked_by(check: &'static str, episode: &str) -> Vec<(&'static str, Option<String>)> {
    vec![(check, Some(episode.to_string()))]
}

#[test]
fn a_clean_record_passes_with_no_findings() {
    let v = check(&[clean("e1")]);
    assert_eq!(v.blocking, vec![]);
    assert_eq!(v.warnings, vec![]);
    assert!(v.can_lock());
    assert!(
        v.quality
            .iter()
            .all(|q| q.valid == 1 || (q.field == NOT_SEEN_REASON && q.total() == 0))
    );
}

#[test]
fn an_invalid_nhs_number_blocks_and_correcting_it_passes() {
    let wrong = ReturnRecord {
        nhs_number: text(NHS_WRONG_CHECK),
        ..clean("e1")
    };
    let v = check(std::slice::from_ref(&wrong));
    assert!(!v.can_lock());
    assert_eq!(v.blocking.len(), 1);
    let finding = &v.blocking[0];
    assert_eq!((finding.check, finding.field), ("nhs-number", "NHS number"));
    assert_eq!(finding.episode_id.as_deref(), Some("e1"));
    assert_eq!(
        finding.message,
        "The NHS number does not pass its check digit. Correct it on the person's record."
    );
    assert!(!finding.message.contains(NHS_WRONG_CHECK), "no NHS number in a finding");

    let corrected = ReturnRecord {
        nhs_number: text(NHS),
        ..wrong
    };
    assert!(check(&[corrected]).can_lock());
}

#[test]
fn an_nhs_number_must_be_ten_digits_as_stored() {
    for (stored, says) in [
        ("943476591", "is not 10 digits"),
        ("94347659190", "is not 10 digits"),
        ("943 476 5919", "is not 10 digits"),
        ("943476591A", "is not 10 digits"),
        ("0000000000", "is one digit repeated"),
        ("1234567890", "does not pass its check digit"),
    ] {
        let v = check(&[ReturnRecord {
            nhs_number: text(stored),
            ..clean("e1")
        }]);
        assert_eq!(v.blocking.len(), 1, "{stored}");
        assert!(
            v.blocking[0].message.contains(says),
            "{stored}: {}",
            v.blocking[0].message
        );
    }
    // Missing is not blocking (it is a warning over the whole return).
    for missing in [None, text(""), text("  ")] {
        assert!(
            check(&[ReturnRecord {
                nhs_number: missing,
                ..clean("e1")
            }])
            .can_lock()
        );
    }
}

#[test]
fn each_code_outside_its_list_blocks_naming_the_episode() {
    let cases: Vec<(&str, Change)> = vec![
        ("source", |r| r.source = "E9".into()),
        ("source", |r| r.source = String::new()),
        ("source", |r| r.source = "e1".into()),
        ("point-of-contact", |r| r.point_of_contact = "custody-suite".into()),
        ("point-of-contact", |r| r.point_of_contact = " ".into()),
        ("cj-stage", |r| r.cj_stage = text("charged")),
        ("not-seen-reason", |r| r.not_seen_reason = text("asleep")),
        ("vulnerabilities", |r| r.vulnerabilities.push("tired".into())),
        ("vulnerabilities", |r| r.vulnerabilities = vec!["Mental-Health".into()]),
        ("ethnic-category", |r| r.ethnic_category = text("W")),
        ("ethnic-category", |r| r.ethnic_category = text("a")),
        ("gender-identity", |r| r.gender_identity = text("M")),
        ("sex", |r| r.sex = text("Q")),
    ];
    for (expected, change) in cases {
        let mut r = clean("e7");
        change(&mut r);
        let v = check(&[r]);
        assert_eq!(v.blocking.len(), 1, "{expected}: {:?}", v.blocking);
        let finding = &v.blocking[0];
        assert_eq!(finding.check, expected);
        assert_eq!(finding.episode_id.as_deref(), Some("e7"));
        assert!(finding.message.ends_with('.'), "{}", finding.message);
    }
}

#[test]
fn codes_that_may_be_absent_pass_when_absent_and_every_listed_code_passes() {
    let absent = ReturnRecord {
        cj_stage: None,
        not_seen_reason: None,
        ethnic_category: None,
        gender_identity: None,
        sex: None,
        ..clean("e1")
    };
    assert_eq!(blocking_of(absent), vec![]);
    let none_found = ReturnRecord {
        vulnerabilities: vec![crate::domain::measures::NONE_IDENTIFIED.into()],
        ..clean("e1")
    };
    let v = check(&[none_found]);
    assert_eq!((v.blocking, v.warnings), (vec![], vec![]));
    let mut every = clean("e1");
    every.vulnerabilities = vec!["mental-health".into(), "alcohol-misuse".into(), "veteran".into()];
    for (source, point) in [
        ("E2", "magistrates-court"),
        ("CPS", "community-other"),
        ("P1", "youth-court"),
    ] {
        let r = ReturnRecord {
            source: source.into(),
            point_of_contact: point.into(),
            ethnic_category: text("99"),
            gender_identity: text("X"),
            sex: text("Z"),
            ..every.clone()
        };
        assert_eq!(blocking_of(r), vec![], "{source}");
    }
    let unseen = ReturnRecord {
        not_seen_reason: text("released-before-seen"),
        ..clean("e1")
    };
    assert_eq!(blocking_of(unseen), vec![]);
}

#[test]
fn dates_out_of_order_block_following_the_chain_and_skipping_missing_steps() {
    let alert = at(2026, 4, 2, 10, 0);
    let out_of_order: Vec<Change> = vec![
        |r| r.screening_started_at = Some(r.alert_at - MINUTE),
        |r| r.screened_at = Some(r.alert_at + 30 * MINUTE),
        |r| r.assessed_at = Some(r.alert_at + HOUR),
        // A referral before the assessment is out of order too: the chain is as given.
        |r| r.first_referral_at = Some(r.alert_at + 20 * HOUR),
        |r| r.closed_at = Some(r.alert_at + 25 * HOUR),
        // Steps missing between two dates still compare those two.
        |r| (r.screening_started_at, r.screened_at, r.assessed_at, r.closed_at) = (None, None, None, Some(r.alert_at)),
    ];
    for change in out_of_order {
        let mut r = clean_at("e3", alert);
        change(&mut r);
        assert_eq!(blocking_of(r), blocked_by("date-order", "e3"));
    }
    let in_order: Vec<Change> = vec![
        |r| r.screening_started_at = Some(r.alert_at),
        |r| (r.screened_at, r.assessed_at) = (None, None),
        |r| {
            (
                r.screening_started_at,
                r.screened_at,
                r.assessed_at,
                r.first_referral_at,
            ) = (None, None, None, None)
        },
        |r| r.closed_at = r.first_referral_at,
    ];
    for change in in_order {
        let mut r = clean_at("e3", alert);
        change(&mut r);
        assert_eq!(blocking_of(r), vec![]);
    }
    let mut r = clean_at("e3", alert);
    r.screening_started_at = Some(alert - HOUR);
    let v = check(&[r]);
    assert_eq!(
        v.blocking[0].message,
        "The dates are out of order: screening started (2 Apr 2026 09:00) is before the alert (2 Apr 2026 10:00). \
         Each step must be on or after the one before it: correct the dates on the episode."
    );
}

#[test]
fn no_date_may_be_after_the_checks_run() {
    let future: Vec<Change> = vec![
        |r| r.closed_at = Some(now() + MINUTE),
        |r| (r.first_referral_at, r.closed_at) = (Some(now() + DAY), None),
        |r| (r.assessed_at, r.first_referral_at, r.closed_at) = (Some(now() + 1), None, None),
    ];
    for change in future {
        let mut r = clean("e4");
        change(&mut r);
        assert_eq!(blocking_of(r), blocked_by("future-date", "e4"));
    }
    let mut alerted_tomorrow = clean_at("e4", now() + DAY);
    alerted_tomorrow.screening_started_at = None;
    (alerted_tomorrow.screened_at, alerted_tomorrow.assessed_at) = (None, None);
    (alerted_tomorrow.first_referral_at, alerted_tomorrow.closed_at) = (None, None);
    assert_eq!(blocking_of(alerted_tomorrow), blocked_by("future-date", "e4"));
    let closed_now = ReturnRecord {
        closed_at: Some(now()),
        ..clean("e4")
    };
    assert_eq!(blocking_of(closed_now), vec![]);
}

#[test]
fn age_at_alert_is_10_to_110() {
    // Alerted on 2 April 2026.
    let with_dob = |date: Option<CalendarDate>, youth: bool| ReturnRecord {
        date_of_birth: date,
        youth,
        ..clean("e5")
    };
    assert_eq!(blocking_of(with_dob(dob(2016, 4, 2), true)), vec![], "10 today");
    assert_eq!(
        blocking_of(with_dob(dob(2016, 4, 3), true)),
        blocked_by("age", "e5"),
        "9"
    );
    assert_eq!(blocking_of(with_dob(dob(1915, 4, 3), false)), vec![], "110");
    assert_eq!(
        blocking_of(with_dob(dob(1915, 4, 2), false)),
        blocked_by("age", "e5"),
        "111 today"
    );
    assert_eq!(blocking_of(with_dob(None, false)), vec![], "unknown");
    assert_eq!(blocking_of(with_dob(None, true)), vec![], "unknown");
    // A date of birth after the alert: age 0, and a youth.
    let v = check(&[with_dob(dob(2026, 5, 1), true)]);
    assert_eq!(v.blocking.len(), 1);
    assert_eq!(
        v.blocking[0].message,
        "The date of birth is not before the alert. Check the date of birth on the person's record."
    );
    let v = check(&[with_dob(dob(2016, 4, 3), true)]);
    assert_eq!(
        v.blocking[0].message,
        "The date of birth makes the person 9 at the alert; a person in the return is 10 to 110. \
         Check the date of birth on the person's record."
    );
}

#[test]
fn the_youth_flag_agrees_with_the_date_of_birth_on_the_18th_birthday() {
    let person = |alert: Millis, youth: bool| ReturnRecord {
        date_of_birth: dob(2008, 4, 2),
        youth,
        ..clean_at("e6", alert)
    };
    let birthday = at(2026, 4, 2, 10, 0);
    let day_before = at(2026, 4, 1, 23, 59);
    assert_eq!(blocking_of(person(birthday, false)), vec![]);
    assert_eq!(blocking_of(person(birthday, true)), blocked_by("youth-flag", "e6"));
    assert_eq!(blocking_of(person(day_before, true)), vec![]);
    assert_eq!(blocking_of(person(day_before, false)), blocked_by("youth-flag", "e6"));
    // 23:30 UTC on 1 April is 00:30 on the birthday in London (BST).
    assert_eq!(blocking_of(person(utc(2026, 4, 1, 23, 30), false)), vec![]);
    assert_eq!(
        blocking_of(person(utc(2026, 4, 1, 23, 30), true)),
        blocked_by("youth-flag", "e6")
    );
}

#[test]
fn an_episode_id_may_appear_once() {
    let records = [clean("e1"), clean("e2"), clean("e1"), clean("e1")];
    let v = check(&records);
    assert_eq!(v.blocking.len(), 1);
    assert_eq!(v.blocking[0].check, "duplicate-episode-id");
    assert_eq!(v.blocking[0].episode_id.as_deref(), Some("e1"));
    assert!(
        v.blocking[0]
            .message
            .starts_with("This episode appears 3 times in the return.")
    );
    assert!(check(&[clean("e1"), clean("e2")]).can_lock());
}

#[test]
fn one_record_reports_every_check_it_fails() {
    let r = ReturnRecord {
        nhs_number: text(NHS_WRONG_CHECK),
        source: "XX".into(),
        date_of_birth: dob(2020, 1, 1),
        screening_started_at: Some(at(2026, 4, 1, 9, 0)),
        ..clean("e9")
    };
    let checks: Vec<&str> = check(&[r]).blocking.iter().map(|f| f.check).collect();
    assert_eq!(checks, ["nhs-number", "source", "date-order", "age", "youth-flag"]);
}
