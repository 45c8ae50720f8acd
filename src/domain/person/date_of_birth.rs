//! The GOV.UK date input pattern for a date of birth typed as day, month and year boxes.

use chrono::NaiveDate;

pub use crate::domain::date_input::FieldError;
use crate::domain::date_input::{self, DateRule, When};

/// Fields `dob-day`, `dob-month`, `dob-year`, and `dob` for the whole date.
const DATE_OF_BIRTH: DateRule = DateRule {
    name: "Date of birth",
    prefix: "dob",
    enter: "Enter date of birth",
    when: When::Past,
    earliest: None,
    most_years_ago: Some(120),
    most_years_ahead: None,
};

/// Checks the three boxes and returns the date, or the first problem to show. `today` is
/// passed in so the rule is testable and follows the service's clock. A date of birth must
/// be before today, and no more than 120 years before it.
pub fn parse_date_of_birth(day: &str, month: &str, year: &str, today: NaiveDate) -> Result<NaiveDate, FieldError> {
    date_input::parse(day, month, year, &DATE_OF_BIRTH, today)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::date_input::testing::{err, shown};

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn parse(d: &str, m: &str, y: &str) -> Result<NaiveDate, (String, String)> {
        shown(parse_date_of_birth(d, m, y, date(2026, 5, 20)))
    }

    #[test]
    fn from_120_years_ago_to_yesterday() {
        assert_eq!(parse("20", "5", "1906"), Ok(date(1906, 5, 20)));
        assert_eq!(parse("19", "May", "2026"), Ok(date(2026, 5, 19)));
        let too_early = "Date of birth must be the same as or after 20 May 1906";
        assert_eq!(parse("19", "5", "1906"), err("dob", too_early));
        assert_eq!(parse("31", "12", "1899"), err("dob-year", too_early));
        assert_eq!(parse("1", "1", "0001"), err("dob-year", too_early));
        assert_eq!(
            parse("20", "5", "2026"),
            err("dob", "Date of birth must be in the past")
        );
        assert_eq!(parse("1", "1", "2030"), err("dob", "Date of birth must be in the past"));
    }

    #[test]
    fn is_required_and_names_its_boxes() {
        assert_eq!(parse("", "", ""), err("dob", "Enter date of birth"));
        assert_eq!(
            parse("", "1", "1990"),
            err("dob-day", "Date of birth must include a day")
        );
        assert_eq!(
            parse("31", "4", "1990"),
            err("dob", "Date of birth must be a real date")
        );
        assert_eq!(parse("1", "1", "90"), err("dob-year", "Year must include 4 numbers"));
    }
}
