use super::testing::{err, shown};
use super::*;
use proptest::prelude::*;

const REAL_DATE: &str = "Date of test must be a real date";
const FOUR_DIGIT_YEAR: &str = "Year must include 4 numbers";

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn today() -> NaiveDate {
    date(2026, 5, 20)
}

fn rule(when: When, earliest: Option<NaiveDate>) -> DateRule {
    DateRule {
        name: "Date of test",
        prefix: "test",
        enter: "Enter the date of the test",
        when,
        earliest,
        most_years_ago: None,
        most_years_ahead: None,
    }
}

fn within(when: When, most_years_ago: Option<u32>, most_years_ahead: Option<u32>) -> DateRule {
    DateRule {
        most_years_ago,
        most_years_ahead,
        ..rule(when, None)
    }
}

/// A past date no earlier than 1900, like a date of birth.
fn check(d: &str, m: &str, y: &str) -> Result<NaiveDate, (String, String)> {
    check_with(&rule(When::Past, Some(date(1900, 1, 1))), d, m, y)
}

fn check_with(rule: &DateRule, d: &str, m: &str, y: &str) -> Result<NaiveDate, (String, String)> {
    shown(parse(d, m, y, rule, today()))
}

#[test]
fn accepts_real_dates_with_spaces_and_leading_zeros() {
    assert_eq!(check("15", "6", "1990"), Ok(date(1990, 6, 15)));
    assert_eq!(check(" 05 ", " 09 ", " 2001 "), Ok(date(2001, 9, 5)));
    assert_eq!(check("29", "2", "2004"), Ok(date(2004, 2, 29)));
}

#[test]
fn accepts_month_names() {
    assert_eq!(check("3", "Mar", "1985"), Ok(date(1985, 3, 3)));
    assert_eq!(check("3", "september", "1985"), Ok(date(1985, 9, 3)));
    assert_eq!(check("3", "Sept", "1985"), Ok(date(1985, 9, 3)));
    assert_eq!(check("3", "ma", "1985"), err("test-month", REAL_DATE));
    assert_eq!(check("3", "smarch", "1985"), err("test-month", REAL_DATE));
}

#[test]
fn names_the_missing_parts() {
    assert_eq!(check("", "", ""), err("test", "Enter the date of the test"));
    assert_eq!(check(" ", "\t", ""), err("test", "Enter the date of the test"));
    assert_eq!(
        check("1", "", "1990"),
        err("test-month", "Date of test must include a month")
    );
    assert_eq!(
        check("", "1", "1990"),
        err("test-day", "Date of test must include a day")
    );
    assert_eq!(
        check("1", "1", ""),
        err("test-year", "Date of test must include a year")
    );
    assert_eq!(
        check("", "", "1990"),
        err("test-day", "Date of test must include a day and month")
    );
    assert_eq!(
        check("", "1", ""),
        err("test-day", "Date of test must include a day and year")
    );
    assert_eq!(
        check("1", "", ""),
        err("test-month", "Date of test must include a month and year")
    );
}

#[test]
fn rejects_dates_that_cannot_exist() {
    assert_eq!(check("32", "1", "1990"), err("test-day", REAL_DATE));
    assert_eq!(check("0", "1", "1990"), err("test-day", REAL_DATE));
    assert_eq!(check("x", "1", "1990"), err("test-day", REAL_DATE));
    assert_eq!(check("-1", "1", "1990"), err("test-day", REAL_DATE));
    assert_eq!(check("1", "13", "1990"), err("test-month", REAL_DATE));
    assert_eq!(check("1", "0", "1990"), err("test-month", REAL_DATE));
    assert_eq!(check("1", "1", "19x0"), err("test-year", REAL_DATE));
    assert_eq!(check("31", "4", "1990"), err("test", REAL_DATE));
    assert_eq!(check("29", "2", "2001"), err("test", REAL_DATE));
}

#[test]
fn wants_a_four_digit_year() {
    assert_eq!(check("1", "1", "90"), err("test-year", FOUR_DIGIT_YEAR));
    assert_eq!(check("1", "1", "01990"), err("test-year", FOUR_DIGIT_YEAR));
}

#[test]
fn the_earliest_date_is_allowed_and_anything_before_it_refused() {
    let before = "Date of test must be the same as or after 1 January 1900";
    assert_eq!(check("1", "1", "1900"), Ok(date(1900, 1, 1)));
    assert_eq!(check("31", "12", "1899"), err("test-year", before));
    let mid_year = rule(When::Past, Some(date(2000, 6, 1)));
    let before = "Date of test must be the same as or after 1 June 2000";
    assert_eq!(check_with(&mid_year, "31", "5", "2000"), err("test", before));
    assert_eq!(check_with(&mid_year, "31", "5", "1999"), err("test-year", before));
}

#[test]
fn each_side_of_today() {
    let past = rule(When::Past, None);
    assert_eq!(check_with(&past, "19", "5", "2026"), Ok(date(2026, 5, 19)));
    assert_eq!(
        check_with(&past, "20", "5", "2026"),
        err("test", "Date of test must be in the past")
    );
    let up_to_today = rule(When::TodayOrPast, None);
    assert_eq!(check_with(&up_to_today, "20", "5", "2026"), Ok(today()));
    let not_future = "Date of test must be today or in the past";
    assert_eq!(check_with(&up_to_today, "21", "5", "2026"), err("test", not_future));
    let from_today = rule(When::TodayOrFuture, None);
    assert_eq!(check_with(&from_today, "20", "5", "2026"), Ok(today()));
    let not_past = "Date of test must be today or in the future";
    assert_eq!(check_with(&from_today, "19", "5", "2026"), err("test", not_past));
}

#[test]
fn years_back_from_today_set_the_earliest_date() {
    let dob = within(When::Past, Some(120), None);
    let before = "Date of test must be the same as or after 20 May 1906";
    assert_eq!(check_with(&dob, "20", "5", "1906"), Ok(date(1906, 5, 20)));
    assert_eq!(check_with(&dob, "19", "5", "1906"), err("test", before));
    assert_eq!(check_with(&dob, "1", "1", "1850"), err("test-year", before));
    // The later of a fixed earliest date and the years back wins.
    let both = DateRule {
        earliest: Some(date(2000, 1, 1)),
        ..within(When::TodayOrPast, Some(120), None)
    };
    assert_eq!(both.earliest_on(today()), Some(date(2000, 1, 1)));
    let both = DateRule {
        earliest: Some(date(1800, 1, 1)),
        ..within(When::TodayOrPast, Some(120), None)
    };
    assert_eq!(both.earliest_on(today()), Some(date(1906, 5, 20)));
    assert_eq!(rule(When::Past, None).earliest_on(today()), None);
}

#[test]
fn years_ahead_of_today_set_the_latest_date() {
    let hearing = within(When::TodayOrFuture, None, Some(2));
    let after = "Date of test must be the same as or before 20 May 2028";
    assert_eq!(check_with(&hearing, "20", "5", "2028"), Ok(date(2028, 5, 20)));
    assert_eq!(check_with(&hearing, "21", "5", "2028"), err("test", after));
    assert_eq!(check_with(&hearing, "1", "1", "9999"), err("test-year", after));
    assert_eq!(check_with(&hearing, "20", "5", "2026"), Ok(today()));
    assert_eq!(
        check_with(&hearing, "19", "5", "2026"),
        err("test", "Date of test must be today or in the future")
    );
    assert_eq!(rule(When::TodayOrFuture, None).latest_on(today()), None);
}

#[test]
fn years_are_counted_on_the_calendar() {
    let leap_day = date(2028, 2, 29);
    assert_eq!(years_after(leap_day, 1), Some(date(2029, 2, 28)));
    assert_eq!(years_before(leap_day, 4), Some(date(2024, 2, 29)));
    assert_eq!(years_after(NaiveDate::MAX, 1), None);
    assert_eq!(years_before(today(), u32::MAX), None);
    assert_eq!(window(today(), 1, 2), date(2025, 5, 20)..=date(2028, 5, 20));
    assert!(window(NaiveDate::MAX, 1, 1).contains(&NaiveDate::MAX));
}

#[test]
fn an_optional_date_may_be_left_blank() {
    let rule = rule(When::TodayOrPast, None);
    assert_eq!(parse_optional(" ", "", "\t", &rule, today()), Ok(None));
    assert_eq!(
        parse_optional("1", "3", "2026", &rule, today()),
        Ok(Some(date(2026, 3, 1)))
    );
    assert_eq!(
        shown(parse_optional("", "", "2026", &rule, today())),
        err("test-day", "Date of test must include a day and month")
    );
}

proptest! {
    #[test]
    fn any_real_past_date_round_trips(days_back in 1i64..40_000) {
        let dob = today() - chrono::Duration::days(days_back);
        prop_assume!(dob >= date(1900, 1, 1));
        let (d, m, y) = (dob.format("%d").to_string(), dob.format("%m").to_string(), dob.format("%Y").to_string());
        prop_assert_eq!(check(&d, &m, &y), Ok(dob));
    }

    #[test]
    fn never_panics_on_any_text(d in ".{0,6}", m in ".{0,10}", y in ".{0,8}") {
        let _ = check(&d, &m, &y);
    }
}
