//! The GOV.UK date input for the date a safeguarding concern was raised with the agency.

use chrono::NaiveDate;

use crate::domain::date_input::{self, DateRule, FieldError};

/// The whole date's field; the boxes are `raised-day`, `raised-month` and `raised-year`.
pub const WHOLE: &str = "raised";

/// A concern can be recorded on the day it is raised, but never before it is raised, so
/// today is allowed and tomorrow is not. A year before 2000 is a typing slip such as 1025
/// for 2025, caught before it reaches the record.
const DATE_RAISED: DateRule = DateRule::happened("Date raised", WHOLE, "Enter the date the concern was raised");

/// Checks the three boxes and returns the date, or the first problem to show. `today` is
/// passed in to follow the service's clock.
pub fn parse_date_raised(day: &str, month: &str, year: &str, today: NaiveDate) -> Result<NaiveDate, FieldError> {
    date_input::parse(day, month, year, &DATE_RAISED, today)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::date_input::testing::{err, shown};

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn parse(d: &str, m: &str, y: &str) -> Result<NaiveDate, (String, String)> {
        shown(parse_date_raised(d, m, y, date(2026, 5, 20)))
    }

    #[test]
    fn from_2000_to_today() {
        assert_eq!(parse("20", "5", "2026"), Ok(date(2026, 5, 20)));
        assert_eq!(parse("1", "Jan", "2000"), Ok(date(2000, 1, 1)));
        let too_early = "Date raised must be the same as or after 1 January 2000";
        assert_eq!(parse("1", "1", "1999"), err("raised-year", too_early));
        assert_eq!(
            parse("21", "5", "2026"),
            err(WHOLE, "Date raised must be today or in the past")
        );
    }

    #[test]
    fn is_required_and_names_its_boxes() {
        assert_eq!(parse("", "", ""), err(WHOLE, "Enter the date the concern was raised"));
        assert_eq!(
            parse("1", "", "2026"),
            err("raised-month", "Date raised must include a month")
        );
        assert_eq!(parse("31", "4", "2026"), err(WHOLE, "Date raised must be a real date"));
    }
}
