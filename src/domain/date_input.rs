//! The GOV.UK date input pattern: a date typed as day, month and year boxes, checked and
//! turned into a [`NaiveDate`], with each problem named against the box it belongs to.
//!
//! Each form describes its date with a [`DateRule`]; the checks and the wording of the
//! messages are the same everywhere.

use std::fmt;

use std::ops::RangeInclusive;

use chrono::{Datelike, Months, NaiveDate};

/// The form field to highlight and the message to show beside it. Both are small `Copy`
/// values that become text through `Display` or `Into<String>`, e.g. for
/// `crate::web::form::Errors::add`.
pub type FieldError = (Field, Message);

/// Which side of today the date must fall on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// Strictly before today, e.g. a date of birth.
    Past,
    /// Today or earlier, e.g. when something was raised or checked.
    TodayOrPast,
    /// Today or later, e.g. a deadline.
    TodayOrFuture,
}

/// One date question on a form.
#[derive(Debug, Clone, Copy)]
pub struct DateRule {
    /// How messages name the date: "Date of birth" gives "Date of birth must be a real date".
    pub name: &'static str,
    /// The whole date's field id; the boxes are `{prefix}-day`, `{prefix}-month` and
    /// `{prefix}-year`.
    pub prefix: &'static str,
    /// The message when every box is blank and the date is required.
    pub enter: &'static str,
    pub when: When,
    /// The earliest date accepted, if any; catches typing slips such as 1025 for 2025.
    pub earliest: Option<NaiveDate>,
    /// The furthest back the date may be, in whole years before today, if limited: a date of
    /// birth is no more than 120 years ago.
    pub most_years_ago: Option<u32>,
    /// The furthest ahead the date may be, in whole years after today, if limited: a hearing
    /// is not listed years ahead, so 9999 or 2062 for 2026 is a typing slip.
    pub most_years_ahead: Option<u32>,
}

impl DateRule {
    /// The earliest date accepted on `today`: the fixed `earliest` or `most_years_ago`
    /// before today, whichever is later.
    pub fn earliest_on(&self, today: NaiveDate) -> Option<NaiveDate> {
        let back = self.most_years_ago.and_then(|years| years_before(today, years));
        match (self.earliest, back) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        }
    }

    /// The latest date accepted on `today`, when `most_years_ahead` limits it.
    pub fn latest_on(&self, today: NaiveDate) -> Option<NaiveDate> {
        self.most_years_ahead.and_then(|years| years_after(today, years))
    }
}

/// The same day `years` years before `date` (28 February for 29 February in a common year);
/// `None` if the calendar runs out.
pub fn years_before(date: NaiveDate, years: u32) -> Option<NaiveDate> {
    date.checked_sub_months(Months::new(years.checked_mul(12)?))
}

/// The same day `years` years after `date` (28 February for 29 February in a common year);
/// `None` if the calendar runs out.
pub fn years_after(date: NaiveDate, years: u32) -> Option<NaiveDate> {
    date.checked_add_months(Months::new(years.checked_mul(12)?))
}

/// The days from `back` years before `today` to `ahead` years after it, both included: the
/// window an event's date may sensibly fall in. The calendar's ends bound it.
pub fn window(today: NaiveDate, back: u32, ahead: u32) -> RangeInclusive<NaiveDate> {
    years_before(today, back).unwrap_or(NaiveDate::MIN)..=years_after(today, ahead).unwrap_or(NaiveDate::MAX)
}

/// The field id of the whole date (`dob`) or of one of its boxes (`dob-day`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    prefix: &'static str,
    /// "day", "month" or "year"; `None` for the whole date.
    part: Option<&'static str>,
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.part {
            None => f.write_str(self.prefix),
            Some(part) => write!(f, "{}-{part}", self.prefix),
        }
    }
}

impl From<Field> for String {
    fn from(field: Field) -> String {
        field.to_string()
    }
}

/// A GOV.UK error message about a date, naming it as its rule does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Message {
    name: &'static str,
    problem: Problem,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Problem {
    /// Every box blank: the rule's own wording.
    Enter(&'static str),
    /// Some boxes blank, e.g. "a day and month".
    Missing(&'static str),
    NotReal,
    FourDigitYear,
    TooEarly(NaiveDate),
    TooLate(NaiveDate),
    WrongSide(When),
}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self.name;
        match self.problem {
            Problem::Enter(text) => f.write_str(text),
            Problem::Missing(parts) => write!(f, "{name} must include {parts}"),
            Problem::NotReal => write!(f, "{name} must be a real date"),
            Problem::FourDigitYear => f.write_str("Year must include 4 numbers"),
            Problem::TooEarly(earliest) => {
                write!(
                    f,
                    "{name} must be the same as or after {}",
                    earliest.format("%-d %B %Y")
                )
            }
            Problem::TooLate(latest) => {
                write!(f, "{name} must be the same as or before {}", latest.format("%-d %B %Y"))
            }
            Problem::WrongSide(When::Past) => write!(f, "{name} must be in the past"),
            Problem::WrongSide(When::TodayOrPast) => write!(f, "{name} must be today or in the past"),
            Problem::WrongSide(When::TodayOrFuture) => write!(f, "{name} must be today or in the future"),
        }
    }
}

impl From<Message> for String {
    fn from(message: Message) -> String {
        message.to_string()
    }
}

const MONTH_NAMES: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Checks the three boxes of a required date and returns the date, or the first problem to
/// show. `today` is passed in so the rule is testable and follows the service's clock.
pub fn parse(day: &str, month: &str, year: &str, rule: &DateRule, today: NaiveDate) -> Result<NaiveDate, FieldError> {
    let (day, month, year) = (day.trim(), month.trim(), year.trim());
    let error = |part, problem| {
        let field = Field {
            prefix: rule.prefix,
            part,
        };
        (
            field,
            Message {
                name: rule.name,
                problem,
            },
        )
    };
    if let Some((part, parts)) = missing_parts(day.is_empty(), month.is_empty(), year.is_empty()) {
        return Err(match part {
            None => error(None, Problem::Enter(rule.enter)),
            Some(part) => error(Some(part), Problem::Missing(parts)),
        });
    }
    let day = small_number(day)
        .filter(|d| (1..=31).contains(d))
        .ok_or(error(Some("day"), Problem::NotReal))?;
    let month = month_number(month).ok_or(error(Some("month"), Problem::NotReal))?;
    if !year.bytes().all(|b| b.is_ascii_digit()) {
        return Err(error(Some("year"), Problem::NotReal));
    }
    if year.len() != 4 {
        return Err(error(Some("year"), Problem::FourDigitYear));
    }
    let year: i32 = year.parse().map_err(|_| error(Some("year"), Problem::NotReal))?;
    let date = NaiveDate::from_ymd_opt(year, month, day).ok_or(error(None, Problem::NotReal))?;
    if let Some(earliest) = rule.earliest_on(today).filter(|earliest| date < *earliest) {
        // An earlier year can only be wrong in the year box; otherwise point at the whole date.
        let part = (year < earliest.year()).then_some("year");
        return Err(error(part, Problem::TooEarly(earliest)));
    }
    if let Some(latest) = rule.latest_on(today).filter(|latest| date > *latest) {
        let part = (year > latest.year()).then_some("year");
        return Err(error(part, Problem::TooLate(latest)));
    }
    let wrong_side = match rule.when {
        When::Past => date >= today,
        When::TodayOrPast => date > today,
        When::TodayOrFuture => date < today,
    };
    if wrong_side {
        return Err(error(None, Problem::WrongSide(rule.when)));
    }
    Ok(date)
}

/// An optional date: all three boxes blank means no date was given; anything typed is
/// checked as by [`parse`].
pub fn parse_optional(
    day: &str,
    month: &str,
    year: &str,
    rule: &DateRule,
    today: NaiveDate,
) -> Result<Option<NaiveDate>, FieldError> {
    if [day, month, year].iter().all(|part| part.trim().is_empty()) {
        return Ok(None);
    }
    parse(day, month, year, rule, today).map(Some)
}

/// Which boxes were left blank: `None` if none were, otherwise the first blank box to point
/// at (`None` for all three, i.e. the whole date) and the end of the GOV.UK message.
fn missing_parts(no_day: bool, no_month: bool, no_year: bool) -> Option<(Option<&'static str>, &'static str)> {
    match (no_day, no_month, no_year) {
        (true, true, true) => Some((None, "")),
        (true, true, false) => Some((Some("day"), "a day and month")),
        (true, false, true) => Some((Some("day"), "a day and year")),
        (false, true, true) => Some((Some("month"), "a month and year")),
        (true, false, false) => Some((Some("day"), "a day")),
        (false, true, false) => Some((Some("month"), "a month")),
        (false, false, true) => Some((Some("year"), "a year")),
        (false, false, false) => None,
    }
}

/// One or two digits, e.g. "7" or "07".
fn small_number(text: &str) -> Option<u32> {
    if text.is_empty() || text.len() > 2 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// A month as a number ("3", "03") or a name of at least three letters ("mar", "March",
/// "sept"), since people often type months that way.
fn month_number(text: &str) -> Option<u32> {
    if let Some(n) = small_number(text) {
        return (1..=12).contains(&n).then_some(n);
    }
    let lower = text.to_lowercase();
    if lower.chars().count() < 3 {
        return None;
    }
    let index = MONTH_NAMES.iter().position(|name| name.starts_with(&lower))?;
    u32::try_from(index + 1).ok()
}

/// Helpers for tests of forms that use this module: errors as plain text, to compare with
/// the exact field ids and messages users see.
#[cfg(test)]
pub mod testing {
    use super::FieldError;

    pub fn shown<T>(result: Result<T, FieldError>) -> Result<T, (String, String)> {
        result.map_err(|(field, message)| (field.into(), message.into()))
    }

    pub fn err<T>(field: &str, message: &str) -> Result<T, (String, String)> {
        Err((field.to_string(), message.to_string()))
    }
}

#[cfg(test)]
mod tests {
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
}
