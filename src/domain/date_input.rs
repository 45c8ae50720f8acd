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
/// `crate::views::form::Errors::add`.
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
    /// A date something happened: today or earlier; a year before 2000 is a typing slip.
    pub const fn happened(name: &'static str, prefix: &'static str, enter: &'static str) -> DateRule {
        DateRule {
            name,
            prefix,
            enter,
            when: When::TodayOrPast,
            earliest: NaiveDate::from_ymd_opt(2000, 1, 1),
            most_years_ago: None,
            most_years_ahead: None,
        }
    }

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
mod tests;
