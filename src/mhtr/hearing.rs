//! The sentencing hearing date: the deadline an MHTR assessment must meet, typed in the
//! GOV.UK date pattern and shown as a countdown on the intake list.

use chrono::NaiveDate;

use crate::domain::person::FieldError;

pub const WHOLE: &str = "hearing";
pub const DAY: &str = "hearing-day";
pub const MONTH: &str = "hearing-month";
pub const YEAR: &str = "hearing-year";

/// How the date is stored in `mhtr_referrals.hearing_date`.
const STORED: &str = "%Y-%m-%d";

const REAL_DATE: &str = "Sentencing hearing date must be a real date";
const FOUR_DIGIT_YEAR: &str = "Year must include 4 numbers";
const NOT_PAST: &str = "Sentencing hearing date must be today or in the future";

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

/// The optional hearing date: all three boxes empty means no date is set yet. A date
/// before `today` is refused, since a hearing that has happened cannot be a deadline.
pub fn parse(day: &str, month: &str, year: &str, today: NaiveDate) -> Result<Option<NaiveDate>, FieldError> {
    let (day, month, year) = (day.trim(), month.trim(), year.trim());
    if day.is_empty() && month.is_empty() && year.is_empty() {
        return Ok(None);
    }
    if let Some(missing) = missing_part(day.is_empty(), month.is_empty(), year.is_empty()) {
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
    if date < today {
        return Err((WHOLE, NOT_PAST));
    }
    Ok(Some(date))
}

/// The GOV.UK message when some, but not all, boxes were filled in.
fn missing_part(no_day: bool, no_month: bool, no_year: bool) -> Option<FieldError> {
    match (no_day, no_month, no_year) {
        (true, true, _) => Some((DAY, "Sentencing hearing date must include a day and month")),
        (true, false, true) => Some((DAY, "Sentencing hearing date must include a day and year")),
        (false, true, true) => Some((MONTH, "Sentencing hearing date must include a month and year")),
        (true, false, false) => Some((DAY, "Sentencing hearing date must include a day")),
        (false, true, false) => Some((MONTH, "Sentencing hearing date must include a month")),
        (false, false, true) => Some((YEAR, "Sentencing hearing date must include a year")),
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

/// A month as a number or as a name of at least three letters ("mar", "March"), since
/// people often type months that way.
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

pub fn to_stored(date: NaiveDate) -> String {
    date.format(STORED).to_string()
}

/// The stored date read back; `None` for a value this module did not write.
pub fn from_stored(stored: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(stored, STORED).ok()
}

/// "27 Mar 2027", or the stored text as it is if it is not a date.
pub fn display(stored: &str) -> String {
    from_stored(stored).map_or_else(|| stored.to_string(), |d| d.format("%-d %b %Y").to_string())
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

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn today() -> NaiveDate {
        date(2026, 11, 22)
    }

    #[test]
    fn no_boxes_filled_means_no_date() {
        assert_eq!(parse(" ", "", "", today()), Ok(None));
    }

    #[test]
    fn today_or_later_is_accepted_and_the_past_refused() {
        assert_eq!(parse("22", "11", "2026", today()), Ok(Some(today())));
        assert_eq!(parse("3", "Dec", "2026", today()), Ok(Some(date(2026, 12, 3))));
        assert_eq!(parse("21", "11", "2026", today()), Err((WHOLE, NOT_PAST)));
    }

    #[test]
    fn each_problem_points_at_its_box() {
        assert_eq!(parse("", "", "2026", today()).unwrap_err().0, DAY);
        assert_eq!(parse("1", "", "2027", today()).unwrap_err().0, MONTH);
        assert_eq!(parse("1", "2", "", today()).unwrap_err().0, YEAR);
        assert_eq!(parse("32", "1", "2027", today()), Err((DAY, REAL_DATE)));
        assert_eq!(parse("1", "13", "2027", today()), Err((MONTH, REAL_DATE)));
        assert_eq!(parse("1", "1", "27", today()), Err((YEAR, FOUR_DIGIT_YEAR)));
        assert_eq!(parse("30", "2", "2027", today()), Err((WHOLE, REAL_DATE)));
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
