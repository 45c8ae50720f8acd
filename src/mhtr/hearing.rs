//! The sentencing hearing date: the deadline an MHTR assessment must meet, typed in the
//! GOV.UK date pattern and shown as a countdown on the intake list.

use chrono::NaiveDate;

use crate::domain::CalendarDate;
use crate::domain::date_input::{self, DateRule, FieldError, When};
use crate::domain::local_time;

/// The whole date's field; the boxes are `hearing-day`, `hearing-month` and `hearing-year`.
pub const WHOLE: &str = "hearing";

/// The furthest ahead a hearing may be listed, in years: courts list weeks or months
/// ahead, so a date beyond this is a typing slip (9999, or 2062 for 2026).
pub const HEARING_YEARS_AHEAD: u32 = 2;

/// A hearing that has happened cannot be a deadline, so today or later, and no more than
/// [`HEARING_YEARS_AHEAD`] years ahead.
const HEARING: DateRule = DateRule {
    name: "Sentencing hearing date",
    prefix: WHOLE,
    enter: "Enter the sentencing hearing date",
    when: When::TodayOrFuture,
    earliest: None,
    most_years_ago: None,
    most_years_ahead: Some(HEARING_YEARS_AHEAD),
};

/// The optional hearing date: all three boxes empty means no date is set yet. A date
/// before `today`, or more than [`HEARING_YEARS_AHEAD`] years after it, is refused.
pub fn parse(day: &str, month: &str, year: &str, today: NaiveDate) -> Result<Option<NaiveDate>, FieldError> {
    date_input::parse_optional(day, month, year, &HEARING, today)
}

/// The stored form of a date, `YYYY-MM-DD`.
pub fn to_stored(date: NaiveDate) -> String {
    CalendarDate::from(date).iso()
}

/// The stored date read back; `None` for a value that is not in the stored form.
pub fn from_stored(stored: &str) -> Option<NaiveDate> {
    CalendarDate::parse(stored).ok().map(CalendarDate::date)
}

/// "27 Mar 2027", or the stored text as it is if it is not a date.
pub fn display(stored: &str) -> String {
    from_stored(stored).map_or_else(|| stored.to_string(), local_time::day)
}

/// How long the MHTR team has before the hearing, in the words the intake list shows.
pub fn countdown(hearing: NaiveDate, today: NaiveDate) -> String {
    match (hearing - today).num_days() {
        days if days < 0 => "Hearing passed".into(),
        0 => "Hearing today".into(),
        1 => "1 day to hearing".into(),
        days => format!("{days} days to hearing"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::date_input::testing::{err, shown};

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn today() -> NaiveDate {
        date(2026, 11, 22)
    }

    #[test]
    fn no_boxes_filled_means_no_date() {
        assert_eq!(shown(parse(" ", "", "", today())), Ok(None));
    }

    #[test]
    fn today_or_later_is_accepted_and_the_past_refused() {
        assert_eq!(shown(parse("22", "11", "2026", today())), Ok(Some(today())));
        assert_eq!(shown(parse("3", "Dec", "2026", today())), Ok(Some(date(2026, 12, 3))));
        let passed = "Sentencing hearing date must be today or in the future";
        assert_eq!(shown(parse("21", "11", "2026", today())), err(WHOLE, passed));
        assert_eq!(shown(parse("1", "1", "1850", today())), err(WHOLE, passed));
    }

    #[test]
    fn a_hearing_is_at_most_two_years_ahead() {
        assert_eq!(shown(parse("22", "11", "2028", today())), Ok(Some(date(2028, 11, 22))));
        let too_late = "Sentencing hearing date must be the same as or before 22 November 2028";
        assert_eq!(shown(parse("23", "11", "2028", today())), err(WHOLE, too_late));
        assert_eq!(
            shown(parse("1", "1", "9999", today())),
            err(&format!("{WHOLE}-year"), too_late)
        );
    }

    #[test]
    fn each_problem_names_the_hearing_date() {
        let no_day = "Sentencing hearing date must include a day and month";
        assert_eq!(shown(parse("", "", "2026", today())), err("hearing-day", no_day));
        let not_real = "Sentencing hearing date must be a real date";
        assert_eq!(shown(parse("30", "2", "2027", today())), err(WHOLE, not_real));
    }

    #[test]
    fn the_countdown_is_in_words() {
        assert_eq!(countdown(date(2026, 11, 21), today()), "Hearing passed");
        assert_eq!(countdown(today(), today()), "Hearing today");
        assert_eq!(countdown(date(2026, 11, 23), today()), "1 day to hearing");
        assert_eq!(countdown(date(2026, 12, 2), today()), "10 days to hearing");
    }

    #[test]
    fn stored_dates_round_trip_and_display() {
        let d = date(2027, 3, 7);
        assert_eq!(from_stored(&to_stored(d)), Some(d));
        assert_eq!(display("2027-03-07"), "7 Mar 2027");
        assert_eq!(display("not a date"), "not a date");
    }
}
