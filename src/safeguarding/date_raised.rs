//! The GOV.UK date input for the date a safeguarding concern was raised with the agency.

use chrono::NaiveDate;

/// The form field to highlight (`raised-day`, `raised-month`, `raised-year`, or `raised` for
/// the whole date) and the message to show beside it.
pub type FieldError = (&'static str, &'static str);

pub const WHOLE: &str = "raised";
pub const DAY: &str = "raised-day";
pub const MONTH: &str = "raised-month";
pub const YEAR: &str = "raised-year";

const REAL_DATE: &str = "Date raised must be a real date";
const FOUR_DIGIT_YEAR: &str = "Year must include 4 numbers";
const NOT_BEFORE_2000: &str = "Date raised must be the same as or after 1 January 2000";
const NOT_IN_FUTURE: &str = "Date raised must be today or in the past";

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

/// Checks the three boxes and returns the date, or the first problem to show. A concern
/// can be recorded on the day it is raised, but never before it is raised, so today is
/// allowed and tomorrow is not. `today` is passed in to follow the service's clock.
pub fn parse_date_raised(day: &str, month: &str, year: &str, today: NaiveDate) -> Result<NaiveDate, FieldError> {
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
    // A typing slip such as 1025 for 2025, caught before it reaches the record.
    if year < 2000 {
        return Err((YEAR, NOT_BEFORE_2000));
    }
    if date > today {
        return Err((WHOLE, NOT_IN_FUTURE));
    }
    Ok(date)
}

/// The GOV.UK message for whichever boxes were left blank, pointing at the first of them.
fn missing_parts(no_day: bool, no_month: bool, no_year: bool) -> Option<FieldError> {
    match (no_day, no_month, no_year) {
        (true, true, true) => Some((WHOLE, "Enter the date the concern was raised")),
        (true, true, false) => Some((DAY, "Date raised must include a day and month")),
        (true, false, true) => Some((DAY, "Date raised must include a day and year")),
        (false, true, true) => Some((MONTH, "Date raised must include a month and year")),
        (true, false, false) => Some((DAY, "Date raised must include a day")),
        (false, true, false) => Some((MONTH, "Date raised must include a month")),
        (false, false, true) => Some((YEAR, "Date raised must include a year")),
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

/// A month as a number ("3", "03") or a name of at least three letters ("mar", "Sept").
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

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn parse(d: &str, m: &str, y: &str) -> Result<NaiveDate, FieldError> {
        parse_date_raised(d, m, y, date(2026, 5, 20))
    }

    #[test]
    fn accepts_today_and_past_dates() {
        assert_eq!(parse("20", "5", "2026"), Ok(date(2026, 5, 20)));
        assert_eq!(parse(" 03 ", "Mar", " 2025 "), Ok(date(2025, 3, 3)));
        assert_eq!(parse("29", "2", "2024"), Ok(date(2024, 2, 29)));
    }

    #[test]
    fn refuses_the_future() {
        assert_eq!(parse("21", "5", "2026"), Err((WHOLE, NOT_IN_FUTURE)));
    }

    #[test]
    fn names_the_missing_parts() {
        assert_eq!(parse("", "", ""), Err((WHOLE, "Enter the date the concern was raised")));
        assert_eq!(parse("1", "", "2026"), Err((MONTH, "Date raised must include a month")));
        assert_eq!(
            parse("", "", "2026"),
            Err((DAY, "Date raised must include a day and month"))
        );
    }

    #[test]
    fn refuses_dates_that_cannot_exist() {
        assert_eq!(parse("32", "1", "2026"), Err((DAY, REAL_DATE)));
        assert_eq!(parse("1", "13", "2026"), Err((MONTH, REAL_DATE)));
        assert_eq!(parse("31", "4", "2026"), Err((WHOLE, REAL_DATE)));
        assert_eq!(parse("1", "1", "26"), Err((YEAR, FOUR_DIGIT_YEAR)));
        assert_eq!(parse("1", "1", "1999"), Err((YEAR, NOT_BEFORE_2000)));
    }
}
