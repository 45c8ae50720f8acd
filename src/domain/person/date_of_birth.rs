//! The GOV.UK date input pattern for a date of birth typed as day, month and year boxes.

use chrono::NaiveDate;

/// The form field to highlight (`dob-day`, `dob-month`, `dob-year`, or `dob` for the whole
/// date) and the message to show beside it.
pub type FieldError = (&'static str, &'static str);

const WHOLE: &str = "dob";
const DAY: &str = "dob-day";
const MONTH: &str = "dob-month";
const YEAR: &str = "dob-year";

const REAL_DATE: &str = "Date of birth must be a real date";
const FOUR_DIGIT_YEAR: &str = "Year must include 4 numbers";
const NOT_BEFORE_1900: &str = "Date of birth must be the same as or after 1 January 1900";
const IN_THE_PAST: &str = "Date of birth must be in the past";

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

/// Checks the three boxes and returns the date, or the first problem to show. `today` is
/// passed in so the rule is testable and follows the service's clock. A date of birth must
/// be before today.
pub fn parse_date_of_birth(day: &str, month: &str, year: &str, today: NaiveDate) -> Result<NaiveDate, FieldError> {
    let (day, month, year) = (day.trim(), month.trim(), year.trim());
    if let Some(missing) = missing_parts(day.is_empty(), month.is_empty(), year.is_empty()) {
        return Err(missing);
    }
    let day = small_number(day)
        .filter(|d| (1..=31).contains(d))
        .ok_or((DAY, REAL_DATE))?;
    let month = month_number(month).ok_or((MONTH, REAL_DATE))?;
    if !year.bytes().all(|b| b.is_ascii_digit()) {
        return Err((YEAR, REAL_DATE));
    }
    if year.len() != 4 {
        return Err((YEAR, FOUR_DIGIT_YEAR));
    }
    let year: i32 = year.parse().map_err(|_| (YEAR, REAL_DATE))?;
    let date = NaiveDate::from_ymd_opt(year, month, day).ok_or((WHOLE, REAL_DATE))?;
    if year < 1900 {
        return Err((YEAR, NOT_BEFORE_1900));
    }
    if date >= today {
        return Err((WHOLE, IN_THE_PAST));
    }
    Ok(date)
}

/// The GOV.UK message for whichever boxes were left blank, pointing at the first of them.
fn missing_parts(no_day: bool, no_month: bool, no_year: bool) -> Option<FieldError> {
    match (no_day, no_month, no_year) {
        (true, true, true) => Some((WHOLE, "Enter date of birth")),
        (true, true, false) => Some((DAY, "Date of birth must include a day and month")),
        (true, false, true) => Some((DAY, "Date of birth must include a day and year")),
        (false, true, true) => Some((MONTH, "Date of birth must include a month and year")),
        (true, false, false) => Some((DAY, "Date of birth must include a day")),
        (false, true, false) => Some((MONTH, "Date of birth must include a month")),
        (false, false, true) => Some((YEAR, "Date of birth must include a year")),
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn today() -> NaiveDate {
        date(2026, 5, 20)
    }

    fn parse(d: &str, m: &str, y: &str) -> Result<NaiveDate, FieldError> {
        parse_date_of_birth(d, m, y, today())
    }

    #[test]
    fn accepts_real_past_dates() {
        assert_eq!(parse("15", "6", "1990"), Ok(date(1990, 6, 15)));
        assert_eq!(parse(" 05 ", " 09 ", " 2001 "), Ok(date(2001, 9, 5)));
        assert_eq!(parse("29", "2", "2004"), Ok(date(2004, 2, 29)));
        assert_eq!(parse("1", "1", "1900"), Ok(date(1900, 1, 1)));
        assert_eq!(parse("19", "5", "2026"), Ok(date(2026, 5, 19)));
    }

    #[test]
    fn accepts_month_names() {
        assert_eq!(parse("3", "Mar", "1985"), Ok(date(1985, 3, 3)));
        assert_eq!(parse("3", "september", "1985"), Ok(date(1985, 9, 3)));
        assert_eq!(parse("3", "Sept", "1985"), Ok(date(1985, 9, 3)));
        assert_eq!(parse("3", "ma", "1985"), Err((MONTH, REAL_DATE)));
        assert_eq!(parse("3", "smarch", "1985"), Err((MONTH, REAL_DATE)));
    }

    #[test]
    fn names_the_missing_parts() {
        assert_eq!(parse("", "", ""), Err(("dob", "Enter date of birth")));
        assert_eq!(parse(" ", "\t", ""), Err(("dob", "Enter date of birth")));
        assert_eq!(
            parse("1", "", "1990"),
            Err(("dob-month", "Date of birth must include a month"))
        );
        assert_eq!(
            parse("", "1", "1990"),
            Err(("dob-day", "Date of birth must include a day"))
        );
        assert_eq!(
            parse("1", "1", ""),
            Err(("dob-year", "Date of birth must include a year"))
        );
        assert_eq!(
            parse("", "", "1990"),
            Err(("dob-day", "Date of birth must include a day and month"))
        );
        assert_eq!(
            parse("", "1", ""),
            Err(("dob-day", "Date of birth must include a day and year"))
        );
        assert_eq!(
            parse("1", "", ""),
            Err(("dob-month", "Date of birth must include a month and year"))
        );
    }

    #[test]
    fn rejects_dates_that_cannot_exist() {
        assert_eq!(parse("32", "1", "1990"), Err(("dob-day", REAL_DATE)));
        assert_eq!(parse("0", "1", "1990"), Err(("dob-day", REAL_DATE)));
        assert_eq!(parse("x", "1", "1990"), Err(("dob-day", REAL_DATE)));
        assert_eq!(parse("-1", "1", "1990"), Err(("dob-day", REAL_DATE)));
        assert_eq!(parse("1", "13", "1990"), Err(("dob-month", REAL_DATE)));
        assert_eq!(parse("1", "0", "1990"), Err(("dob-month", REAL_DATE)));
        assert_eq!(parse("1", "1", "19x0"), Err(("dob-year", REAL_DATE)));
        assert_eq!(parse("31", "4", "1990"), Err(("dob", REAL_DATE)));
        assert_eq!(parse("29", "2", "2001"), Err(("dob", REAL_DATE)));
    }

    #[test]
    fn wants_a_four_digit_year() {
        assert_eq!(parse("1", "1", "90"), Err(("dob-year", FOUR_DIGIT_YEAR)));
        assert_eq!(parse("1", "1", "01990"), Err(("dob-year", FOUR_DIGIT_YEAR)));
    }

    #[test]
    fn rejects_dates_before_1900() {
        assert_eq!(parse("31", "12", "1899"), Err(("dob-year", NOT_BEFORE_1900)));
    }

    #[test]
    fn rejects_today_and_the_future() {
        assert_eq!(parse("20", "5", "2026"), Err(("dob", IN_THE_PAST)));
        assert_eq!(parse("1", "1", "2030"), Err(("dob", IN_THE_PAST)));
    }

    proptest! {
        #[test]
        fn any_real_past_date_round_trips(days_back in 1i64..40_000) {
            let dob = today() - chrono::Duration::days(days_back);
            prop_assume!(dob >= date(1900, 1, 1));
            let (d, m, y) = (dob.format("%d").to_string(), dob.format("%m").to_string(), dob.format("%Y").to_string());
            prop_assert_eq!(parse(&d, &m, &y), Ok(dob));
        }

        #[test]
        fn never_panics_on_any_text(d in ".{0,6}", m in ".{0,10}", y in ".{0,8}") {
            let _ = parse(&d, &m, &y);
        }
    }
}
