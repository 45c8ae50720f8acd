//! Reporting periods: calendar months, quarters and years in Europe/London time, written
//! `2026-11`, `2026-Q4` and `2026` in links and files, so a clock change falls on the right day.

use chrono::{Datelike, NaiveDate};

use crate::clock::Millis;
use crate::domain::local_time::{from_local, local_date};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Period {
    Month(i32, u32),
    Quarter(i32, u32),
    Year(i32),
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl Period {
    /// The month, quarter and year an instant falls in.
    pub fn month_of(at: Millis) -> Period {
        let d = local_date(at);
        Period::Month(d.year(), d.month())
    }

    pub fn quarter_of(at: Millis) -> Period {
        let d = local_date(at);
        Period::Quarter(d.year(), d.month().div_ceil(3))
    }

    pub fn year_of(at: Millis) -> Period {
        Period::Year(local_date(at).year())
    }

    pub fn parse(text: &str) -> Option<Period> {
        let text = text.trim();
        let period = match text.split_once('-') {
            None => Period::Year(text.parse().ok()?),
            Some((y, q)) if q.starts_with('Q') => Period::Quarter(y.parse().ok()?, q[1..].parse().ok()?),
            Some((y, m)) if m.len() == 2 => Period::Month(y.parse().ok()?, m.parse().ok()?),
            _ => return None,
        };
        let valid = match period {
            Period::Month(y, m) => (1..=12).contains(&m) && (2000..=2100).contains(&y),
            Period::Quarter(y, q) => (1..=4).contains(&q) && (2000..=2100).contains(&y),
            Period::Year(y) => (2000..=2100).contains(&y) && text.len() == 4,
        };
        valid.then_some(period)
    }

    /// As written in links and files.
    pub fn code(self) -> String {
        match self {
            Period::Month(y, m) => format!("{y}-{m:02}"),
            Period::Quarter(y, q) => format!("{y}-Q{q}"),
            Period::Year(y) => y.to_string(),
        }
    }

    pub fn label(self) -> String {
        match self {
            Period::Month(y, m) => format!("{} {y}", MONTHS[m as usize - 1]),
            Period::Quarter(y, q) => {
                let first = (q - 1) * 3;
                format!("{} to {} {y}", MONTHS[first as usize], MONTHS[first as usize + 2])
            }
            Period::Year(y) => format!("January to December {y}"),
        }
    }

    fn first_day(self) -> NaiveDate {
        let (y, m) = match self {
            Period::Month(y, m) => (y, m),
            Period::Quarter(y, q) => (y, (q - 1) * 3 + 1),
            Period::Year(y) => (y, 1),
        };
        NaiveDate::from_ymd_opt(y, m, 1).expect("a valid period")
    }

    fn month_count(self) -> u32 {
        match self {
            Period::Month(..) => 1,
            Period::Quarter(..) => 3,
            Period::Year(_) => 12,
        }
    }

    /// Its months, in order.
    pub fn months(self) -> Vec<Period> {
        let first = self.first_day();
        (0..self.month_count())
            .map(|i| {
                let d = first + chrono::Months::new(i);
                Period::Month(d.year(), d.month())
            })
            .collect()
    }

    /// `[start, end)` as instants: local midnight at each end.
    pub fn bounds(self) -> (Millis, Millis) {
        let first = self.first_day();
        let next = first + chrono::Months::new(self.month_count());
        let midnight = |d: NaiveDate| from_local(d.and_hms_opt(0, 0, 0).expect("midnight"));
        (midnight(first), midnight(next))
    }

    /// The period of the same length just before this one.
    pub fn previous(self) -> Period {
        let d = self.first_day() - chrono::Months::new(self.month_count());
        match self {
            Period::Month(..) => Period::Month(d.year(), d.month()),
            Period::Quarter(..) => Period::Quarter(d.year(), d.month().div_ceil(3)),
            Period::Year(_) => Period::Year(d.year()),
        }
    }
}

/// The periods a filter offers, newest first: this month and the twelve before it, this
/// quarter and the four before it, this year and the two before it.
pub fn choices(now: Millis) -> Vec<Period> {
    let mut out = Vec::new();
    let mut p = Period::month_of(now);
    for _ in 0..13 {
        out.push(p);
        p = p.previous();
    }
    let mut p = Period::quarter_of(now);
    for _ in 0..5 {
        out.push(p);
        p = p.previous();
    }
    let mut p = Period::year_of(now);
    for _ in 0..3 {
        out.push(p);
        p = p.previous();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(y: i32, m: u32, d: u32, h: u32, mi: u32) -> Millis {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, mi, 0)
            .unwrap()
            .and_utc()
            .timestamp_millis()
    }

    #[test]
    fn an_instant_falls_in_its_london_calendar_month() {
        // 23:30 GMT on 31 March is 00:30 BST on 1 April.
        assert_eq!(Period::month_of(utc(2026, 3, 31, 23, 30)), Period::Month(2026, 4));
        assert_eq!(Period::month_of(utc(2026, 3, 31, 22, 59)), Period::Month(2026, 3));
        // 23:30 GMT on 31 October is still 31 October in London (winter time).
        assert_eq!(Period::month_of(utc(2026, 10, 31, 23, 30)), Period::Month(2026, 10));
    }

    #[test]
    fn codes_parse_back_and_nonsense_is_refused() {
        for p in [Period::Month(2026, 3), Period::Quarter(2026, 4), Period::Year(2025)] {
            assert_eq!(Period::parse(&p.code()), Some(p));
        }
        for bad in [
            "", "2026-13", "2026-00", "2026-Q5", "2026-Q0", "26", "2026-3", "1999", "abc", "2026-Qx",
        ] {
            assert_eq!(Period::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn bounds_are_london_midnights_across_the_clock_changes() {
        // April 2026 starts at 23:00 UTC on 31 March (BST) and ends at 23:00 UTC on 30 April.
        assert_eq!(
            Period::Month(2026, 4).bounds(),
            (utc(2026, 3, 31, 23, 0), utc(2026, 4, 30, 23, 0))
        );
        // November starts in winter time: midnight UTC.
        assert_eq!(Period::Month(2026, 11).bounds().0, utc(2026, 11, 1, 0, 0));
        let (start, end) = Period::Quarter(2026, 1).bounds();
        assert_eq!((start, end), (utc(2026, 1, 1, 0, 0), utc(2026, 3, 31, 23, 0)));
        assert_eq!(Period::month_of(utc(2026, 3, 31, 23, 30)), Period::Month(2026, 4));
        assert_eq!(Period::quarter_of(utc(2026, 3, 31, 23, 30)), Period::Quarter(2026, 2));
    }

    #[test]
    fn months_previous_and_labels() {
        assert_eq!(
            Period::Quarter(2026, 4).months(),
            [
                Period::Month(2026, 10),
                Period::Month(2026, 11),
                Period::Month(2026, 12)
            ]
        );
        assert_eq!(Period::Month(2026, 1).previous(), Period::Month(2025, 12));
        assert_eq!(Period::Quarter(2026, 1).previous(), Period::Quarter(2025, 4));
        assert_eq!(Period::Year(2026).previous(), Period::Year(2025));
        assert_eq!(Period::Quarter(2026, 4).label(), "October to December 2026");
        assert_eq!(Period::Month(2026, 2).label(), "February 2026");
        assert_eq!(Period::Year(2026).months().len(), 12);
    }

    #[test]
    fn choices_run_newest_first() {
        let now = utc(2026, 12, 2, 9, 0);
        let c = choices(now);
        assert_eq!(c[0], Period::Month(2026, 12));
        assert_eq!(c[12], Period::Month(2025, 12));
        assert_eq!(c[13], Period::Quarter(2026, 4));
        assert_eq!(c[18], Period::Year(2026));
        assert!(c.iter().all(|p| p.bounds().0 <= now), "every period offered has begun");
    }
}
