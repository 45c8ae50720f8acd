use super::*;
use crate::domain::measures::NONE_IDENTIFIED;
use crate::domain::period::Period;

/// The warnings of one check, with no alerts before the quarter.
fn warned(records: &[ReturnRecord], check: &str) -> Vec<Finding> {
    warned_at(records, &[], now(), check)
}

fn warned_at(records: &[ReturnRecord], previous: &[(&str, usize)], now: Millis, check: &str) -> Vec<Finding> {
    let previous = previous.iter().map(|(site, n)| (site.to_string(), *n)).collect();
    let v = validate(records, &previous, now);
    v.warnings.into_iter().filter(|f| f.check == check).collect()
}

/// `n` clean records, each for a different person.
fn many(n: usize) -> Vec<ReturnRecord> {
    (0..n).map(|i| clean(&format!("e{i}"))).collect()
}

#[test]
fn ethnicity_not_stated_warns_above_ten_per_cent() {
    let mut records = many(10);
    records[0].ethnic_category = text("Z");
    assert_eq!(warned(&records, "ethnicity-not-stated"), vec![], "exactly 10%");
    records.pop();
    let w = warned(&records, "ethnicity-not-stated");
    assert_eq!(w.len(), 1, "1 of 9");
    assert_eq!(w[0].episode_id, None);
    assert_eq!(
        w[0].message,
        "Ethnic category is not stated, not known or missing for 1 of 9 records (11%), more than 10%. \
         Ask people their ethnic category and record it on their records."
    );

    // Not stated, not known and missing all count; a code not in the list does not (it blocks).
    let mut records = many(20);
    records[0].ethnic_category = text("Z");
    records[1].ethnic_category = text("99");
    records[2].ethnic_category = text("W");
    assert_eq!(warned(&records, "ethnicity-not-stated"), vec![]);
    records[2].ethnic_category = None;
    assert_eq!(warned(&records, "ethnicity-not-stated").len(), 1, "3 of 20");
}

#[test]
fn nhs_number_missing_warns_above_five_per_cent() {
    let mut records = many(20);
    records[0].nhs_number = None;
    assert_eq!(warned(&records, "nhs-number-missing"), vec![], "exactly 5%");
    records.pop();
    let w = warned(&records, "nhs-number-missing");
    assert_eq!(w.len(), 1, "1 of 19");
    assert!(
        w[0].message
            .starts_with("No NHS number is recorded for 1 of 19 records (5%), more than 5%.")
    );
    assert!(check(&records).can_lock(), "a warning does not block");
}

#[test]
fn alerts_for_the_same_person_and_site_within_24_hours_warn_once_a_pair() {
    let first = clean_at("e1", at(2026, 5, 10, 22, 0));
    let then = |id: &str, after: Millis| ReturnRecord {
        person_id: first.person_id.clone(),
        ..clean_at(id, first.alert_at + after)
    };
    let close = |records: &[ReturnRecord]| warned(records, "close-alerts");
    let w = close(&[then("e2", 23 * HOUR + 59 * MINUTE), first.clone()]);
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].episode_id.as_deref(), Some("e2"));
    assert!(
        w[0].message
            .starts_with("Episode e1 was alerted 23 h 59 min earlier for the same person at Wembley custody suite."),
        "{}",
        w[0].message
    );
    assert_eq!(close(&[first.clone(), then("e2", DAY)]).len(), 1, "24 hours exactly");
    assert_eq!(close(&[first.clone(), then("e2", DAY + MINUTE)]), vec![], "24 h 01");

    let elsewhere = ReturnRecord {
        site_id: "harrow".into(),
        ..then("e2", HOUR)
    };
    let someone_else = clean_at("e3", first.alert_at + HOUR);
    assert_eq!(close(&[first.clone(), elsewhere, someone_else]), vec![]);

    let three = [first.clone(), then("e2", HOUR), then("e3", 2 * HOUR)];
    let named: Vec<Option<String>> = close(&three).into_iter().map(|f| f.episode_id).collect();
    assert_eq!(named, [text("e2"), text("e3"), text("e3")]);
    // An episode listed twice (which blocks) still makes one pair.
    assert_eq!(close(&[first.clone(), then("e2", HOUR), then("e2", HOUR)]).len(), 1);
}

/// `n` alerts at a site in a month, on different days and for different people.
fn alerts(site: &str, y: i32, m: u32, n: usize) -> Vec<ReturnRecord> {
    (0..n)
        .map(|i| ReturnRecord {
            site_id: site.into(),
            ..clean_at(
                &format!("{site}-{y}-{m}-{i}"),
                at(y, m, 1 + (i % 28) as u32, 10, i as u32 % 60),
            )
        })
        .collect()
}

fn month_on_month(records: &[ReturnRecord], previous: &[(&str, usize)]) -> Vec<String> {
    warned_at(records, previous, now(), "month-on-month")
        .into_iter()
        .map(|f| f.message)
        .collect()
}

#[test]
fn month_on_month_warns_above_thirty_per_cent() {
    let april = |n| alerts("wembley", 2026, 4, n);
    assert_eq!(
        month_on_month(&april(130), &[("wembley", 100)]),
        Vec::<String>::new(),
        "30%"
    );
    assert_eq!(
        month_on_month(&april(131), &[("wembley", 100)]),
        [
            "Alerts at Wembley custody suite rose from 100 in March 2026 to 131 in April 2026, a change of 31%, \
          more than 30%. Check that no alerts are missing or recorded twice; if the change is real, nothing \
          needs correcting."
        ]
    );
    assert_eq!(
        month_on_month(&april(70), &[("wembley", 100)]),
        Vec::<String>::new(),
        "-30%"
    );
    assert_eq!(month_on_month(&april(69), &[("wembley", 100)]).len(), 1, "-31%");
    assert_eq!(month_on_month(&april(13), &[("wembley", 10)]), Vec::<String>::new());
    assert_eq!(month_on_month(&april(14), &[("wembley", 10)]).len(), 1);

    // Within the quarter, each month against the one before.
    let mut records = april(100);
    records.extend(alerts("wembley", 2026, 5, 131));
    records.extend(alerts("wembley", 2026, 6, 91));
    let said = month_on_month(&records, &[("wembley", 100)]);
    assert_eq!(said.len(), 2);
    assert!(said[0].contains("rose from 100 in April 2026 to 131 in May 2026, a change of 31%"));
    assert!(said[1].contains("fell from 131 in May 2026 to 91 in June 2026, a change of 31%"));
}

#[test]
fn month_on_month_skips_a_month_with_no_alerts_before_it() {
    assert_eq!(
        month_on_month(&alerts("wembley", 2026, 4, 5), &[]),
        Vec::<String>::new()
    );
    // April 5, May none (a fall of 100%), June 5 (after a month of none: no comparison).
    let mut records = alerts("wembley", 2026, 4, 5);
    records.extend(alerts("wembley", 2026, 6, 5));
    let said = month_on_month(&records, &[("wembley", 5)]);
    assert_eq!(said.len(), 1);
    assert!(said[0].contains("fell from 5 in April 2026 to 0 in May 2026, a change of 100%"));
    // A site with alerts before the quarter and none in it.
    let said = month_on_month(&alerts("wembley", 2026, 4, 5), &[("wembley", 5), ("harrow", 8)]);
    assert_eq!(said.len(), 1);
    assert!(said[0].starts_with("Alerts at harrow fell from 8 in March 2026 to 0 in April 2026"));
}

#[test]
fn months_are_london_months_across_the_clock_change() {
    // 23:30 UTC on 31 March 2026 is 00:30 BST on 1 April.
    assert_eq!(Period::month_of(utc(2026, 3, 31, 23, 30)), Period::Month(2026, 4));
    assert_eq!(Period::month_of(utc(2026, 3, 31, 22, 59)), Period::Month(2026, 3));
    // The clocks went back on 25 October: 23:30 UTC on the 31st is 23:30 GMT, still October.
    assert_eq!(Period::month_of(utc(2026, 10, 31, 23, 30)), Period::Month(2026, 10));

    let mut april = alerts("wembley", 2026, 4, 9);
    april.push(clean_at("edge", utc(2026, 3, 31, 23, 30)));
    assert_eq!(month_on_month(&april, &[("wembley", 10)]), Vec::<String>::new());
    // An hour earlier the edge alert is March's: the quarter starts a month sooner.
    april.last_mut().unwrap().alert_at = utc(2026, 3, 31, 22, 59);
    let said = month_on_month(&april, &[("wembley", 10)]);
    assert_eq!(said.len(), 2);
    assert!(said[0].contains("fell from 10 in February 2026 to 1 in March 2026"));
    assert!(said[1].contains("rose from 1 in March 2026 to 9 in April 2026"));
}

#[test]
fn episodes_open_more_than_90_days_warn() {
    let open = |id: &str, now: Millis, open_for: Millis| {
        let r = ReturnRecord {
            closed_at: None,
            ..clean_at(id, now - open_for)
        };
        warned_at(&[r], &[], now, "open-over-90-days")
    };
    assert_eq!(open("e1", now(), 90 * DAY), vec![]);
    let w = open("e1", now(), 91 * DAY);
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].episode_id.as_deref(), Some("e1"));
    assert!(
        w[0].message
            .starts_with("The episode is still open 91 days after its alert, more than 90.")
    );
    assert_eq!(
        open("e1", now(), 90 * DAY + MINUTE).len(),
        1,
        "over 90 days by a minute"
    );
    // Closed, however long it took: no warning.
    let closed = clean_at("e2", now() - 200 * DAY);
    assert_eq!(warned(&[closed], "open-over-90-days"), vec![]);
}

#[test]
fn screened_with_nothing_recorded_warns() {
    let screened_blank = ReturnRecord {
        vulnerabilities: vec![],
        ..clean("e1")
    };
    let w = warned(std::slice::from_ref(&screened_blank), "no-vulnerability");
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].episode_id.as_deref(), Some("e1"));
    let none_found = ReturnRecord {
        vulnerabilities: vec![NONE_IDENTIFIED.into()],
        ..screened_blank.clone()
    };
    assert_eq!(warned(&[none_found], "no-vulnerability"), vec![]);
    let unseen = ReturnRecord {
        screening_started_at: None,
        screened_at: None,
        assessed_at: None,
        first_referral_at: None,
        not_seen_reason: text("declined"),
        ..screened_blank
    };
    assert_eq!(warned(&[unseen], "no-vulnerability"), vec![]);
}
