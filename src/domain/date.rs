//! A calendar date: a day, with no time of day and no time zone – a date of birth, the day a
//! concern was raised, the day a session is planned for. Stored as `YYYY-MM-DD` text on both
//! databases. A stored value in any other form is an error, never a default: reading such a
//! row fails (and is logged) instead of quietly becoming another date or none.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;

/// The stored form, and the form `Display` gives.
const ISO: &str = "%Y-%m-%d";

/// A day in the calendar, stored and shown in extracts as `YYYY-MM-DD`.
///
/// Read from a `Text` column with `#[diesel(deserialize_as = String)]` (through
/// `TryFrom<String>`); a nullable column with `#[diesel(deserialize_as =
/// crate::db::NullableText<CalendarDate>)]`. Written with [`CalendarDate::iso`], or through
/// `serialize_as = String` in an `Insertable`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CalendarDate(NaiveDate);

/// A stored or given value that is not a date in the `YYYY-MM-DD` form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a YYYY-MM-DD date: `{value}`")]
pub struct InvalidDate {
    pub value: String,
}

impl CalendarDate {
    pub const fn new(date: NaiveDate) -> CalendarDate {
        CalendarDate(date)
    }

    /// The date, for arithmetic and comparisons with other dates.
    pub const fn date(self) -> NaiveDate {
        self.0
    }

    /// The stored form, `YYYY-MM-DD`: for writes and filters.
    pub fn iso(self) -> String {
        self.to_string()
    }

    /// Reads exactly the stored form: `2026-05-03`, not `2026-5-3`, ` 2026-05-03` or
    /// `03/05/2026`, so that what is read writes back and displays as it was stored.
    pub fn parse(s: &str) -> Result<CalendarDate, InvalidDate> {
        // Read by hand rather than through a format string: a year's dashboard reads one per
        // episode.
        let digits = |from: usize, to: usize| -> Option<u32> {
            let part = s.get(from..to)?;
            part.bytes().all(|b| b.is_ascii_digit()).then(|| part.parse().ok())?
        };
        let shaped = s.len() == 10 && s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-';
        shaped
            .then(|| NaiveDate::from_ymd_opt(i32::try_from(digits(0, 4)?).ok()?, digits(5, 7)?, digits(8, 10)?))
            .flatten()
            .map(CalendarDate)
            .ok_or_else(|| InvalidDate { value: s.to_string() })
    }
}

impl fmt::Display for CalendarDate {
    /// `YYYY-MM-DD`, as stored.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format(ISO))
    }
}

impl FromStr for CalendarDate {
    type Err = InvalidDate;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CalendarDate::parse(s)
    }
}

/// For diesel's `deserialize_as = String`: a stored value that is not a `YYYY-MM-DD` date
/// fails the row read, and is logged here as well, so that a read outside a request (the
/// outbox worker, the command line) is not silent either.
impl TryFrom<String> for CalendarDate {
    type Error = InvalidDate;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        CalendarDate::parse(&s).inspect_err(|e| tracing::error!(error = %e, "unreadable stored date"))
    }
}

impl From<NaiveDate> for CalendarDate {
    fn from(date: NaiveDate) -> Self {
        CalendarDate(date)
    }
}

impl From<CalendarDate> for NaiveDate {
    fn from(date: CalendarDate) -> Self {
        date.0
    }
}

/// The stored form, for diesel's `serialize_as = String`.
impl From<CalendarDate> for String {
    fn from(date: CalendarDate) -> Self {
        date.iso()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_stored_form_parses_and_round_trips() {
        let d = CalendarDate::try_from("2026-05-03".to_string()).unwrap();
        assert_eq!(d.date(), ymd(2026, 5, 3));
        assert_eq!(d.to_string(), "2026-05-03");
        assert_eq!(d.iso(), "2026-05-03");
        assert_eq!("2026-05-03".parse::<CalendarDate>(), Ok(d));
        for stored in ["1900-01-01", "2028-02-29", "9999-12-31", "0001-01-01"] {
            let d = CalendarDate::try_from(stored.to_string()).unwrap();
            assert_eq!(d.iso(), stored);
            assert_eq!(CalendarDate::try_from(d.iso()), Ok(d));
        }
        let from_naive = CalendarDate::from(ymd(2027, 3, 7));
        assert_eq!(from_naive.iso(), "2027-03-07");
        assert_eq!(NaiveDate::from(from_naive), ymd(2027, 3, 7));
        assert_eq!(String::from(from_naive), "2027-03-07");
    }

    #[test]
    fn anything_else_is_an_error_not_a_default() {
        for bad in [
            "2026-13-01",
            "",
            "31/12/2026",
            "2026-02-30",
            "2026-5-3",
            " 2026-05-03",
            "2026-05-03 ",
            "2026-05-03T00:00",
            "+2026-05-03",
            "20260503",
            "not a date",
        ] {
            let err = CalendarDate::try_from(bad.to_string()).unwrap_err();
            assert_eq!(err, InvalidDate { value: bad.into() }, "{bad:?}");
            assert!(bad.parse::<CalendarDate>().is_err(), "{bad:?}");
        }
        assert_eq!(
            CalendarDate::parse("31/12/2026").unwrap_err().to_string(),
            "not a YYYY-MM-DD date: `31/12/2026`"
        );
    }

    #[test]
    fn dates_order_and_compare_as_days() {
        let a = CalendarDate::from(ymd(2026, 1, 31));
        let b = CalendarDate::from(ymd(2026, 2, 1));
        assert!(a < b);
        assert_eq!(a.max(b), b);
        assert_eq!(a, CalendarDate::new(ymd(2026, 1, 31)));
    }

    #[test]
    fn the_error_reaches_diesel_as_a_row_error() {
        // `deserialize_as` needs the error to become diesel's boxed error with `?`.
        fn boxed(e: InvalidDate) -> Box<dyn std::error::Error + Send + Sync> {
            e.into()
        }
        assert_eq!(
            boxed(CalendarDate::parse("").unwrap_err()).to_string(),
            "not a YYYY-MM-DD date: ``"
        );
    }
}
