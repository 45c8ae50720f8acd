//! UK local time (GMT / BST) without a time-zone database: British Summer Time runs from
//! 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October.
//! Custody and court staff read and type local times; the database stores UTC.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

use crate::clock::Millis;

fn last_sunday(year: i32, month: u32) -> NaiveDate {
    let next_month = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    };
    let last_day = next_month
        .unwrap_or(NaiveDate::MIN)
        .pred_opt()
        .unwrap_or(NaiveDate::MIN);
    last_day - Duration::days(i64::from(last_day.weekday().num_days_from_sunday()))
}

fn bst_bounds(year: i32) -> (DateTime<Utc>, DateTime<Utc>) {
    let one_am = NaiveTime::from_hms_opt(1, 0, 0).unwrap_or(NaiveTime::MIN);
    (
        Utc.from_utc_datetime(&last_sunday(year, 3).and_time(one_am)),
        Utc.from_utc_datetime(&last_sunday(year, 10).and_time(one_am)),
    )
}

/// The offset from UTC in force at a UTC instant: one hour in summer, none in winter.
fn offset_at(utc: DateTime<Utc>) -> Duration {
    let (start, end) = bst_bounds(utc.year());
    if utc >= start && utc < end {
        Duration::hours(1)
    } else {
        Duration::zero()
    }
}

/// The local wall-clock time of a stored instant.
pub fn to_local(ms: Millis) -> NaiveDateTime {
    let utc = DateTime::from_timestamp_millis(ms).unwrap_or_default();
    (utc + offset_at(utc)).naive_utc()
}

/// The stored instant of a local wall-clock time. In the hour that repeats in October the
/// earlier (summer) reading is taken; a time in the hour skipped in March is read as winter.
pub fn from_local(local: NaiveDateTime) -> Millis {
    let as_summer = local - Duration::hours(1);
    let summer_utc = Utc.from_utc_datetime(&as_summer);
    if offset_at(summer_utc) == Duration::hours(1) {
        summer_utc.timestamp_millis()
    } else {
        Utc.from_utc_datetime(&local).timestamp_millis()
    }
}

/// Today's date where the service is.
pub fn local_date(ms: Millis) -> NaiveDate {
    to_local(ms).date()
}

/// Midnight at the start of the local day containing `ms`, as a stored instant.
pub fn start_of_local_day(ms: Millis) -> Millis {
    from_local(local_date(ms).and_time(NaiveTime::MIN))
}

/// "14:05" local.
pub fn hhmm(ms: Millis) -> String {
    // Written out rather than through a format string: the live list shows one per row.
    use chrono::Timelike;
    let t = to_local(ms);
    format!("{:02}:{:02}", t.hour(), t.minute())
}

/// "3 Dec 2026": how a date is shown; takes a `NaiveDate` or a stored `CalendarDate`.
pub fn day(date: impl Into<NaiveDate>) -> String {
    date.into().format("%-d %b %Y").to_string()
}

/// "3 Dec 2026", the local day of a moment.
pub fn local_day(ms: Millis) -> String {
    day(local_date(ms))
}

/// "22 Nov 2026 14:05" local.
pub fn date_time(ms: Millis) -> String {
    to_local(ms).format("%-d %b %Y %H:%M").to_string()
}

/// "22 Nov 2026 14:05:09" local: for the audit trail, where the second matters.
pub fn date_time_seconds(ms: Millis) -> String {
    to_local(ms).format("%-d %b %Y %H:%M:%S").to_string()
}

/// Reads `YYYY-MM-DDTHH:MM` (a datetime-local input) as local time.
pub fn parse_local_input(input: &str) -> Option<Millis> {
    NaiveDateTime::parse_from_str(input.trim(), "%Y-%m-%dT%H:%M")
        .ok()
        .map(from_local)
}

/// The value for a datetime-local input showing `ms`.
pub fn local_input_value(ms: Millis) -> String {
    to_local(ms).format("%Y-%m-%dT%H:%M").to_string()
}

/// An elapsed time in words: "1 h 20 min".
pub fn duration(ms: i64) -> String {
    let minutes = (ms.max(0) / 60_000) as u64;
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, m) => format!("{h} h {m} min"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> Millis {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M")
            .unwrap()
            .and_utc()
            .timestamp_millis()
    }

    #[test]
    fn winter_is_gmt_and_summer_is_bst() {
        assert_eq!(hhmm(utc("2026-01-15 10:00")), "10:00");
        assert_eq!(hhmm(utc("2026-07-15 10:00")), "11:00");
        assert_eq!(date_time(utc("2026-07-15 23:30")), "16 Jul 2026 00:30");
        assert_eq!(date_time_seconds(utc("2026-07-15 10:00")), "15 Jul 2026 11:00:00");
    }

    #[test]
    fn the_clocks_change_at_one_in_the_morning_utc() {
        // 2026: BST from 29 March to 25 October.
        assert_eq!(hhmm(utc("2026-03-29 00:59")), "00:59");
        assert_eq!(hhmm(utc("2026-03-29 01:00")), "02:00");
        assert_eq!(hhmm(utc("2026-10-25 00:59")), "01:59");
        assert_eq!(hhmm(utc("2026-10-25 01:00")), "01:00");
    }

    #[test]
    fn local_times_round_trip() {
        for s in [
            "2026-01-15 10:00",
            "2026-07-15 23:30",
            "2026-03-29 02:30",
            "2026-10-25 00:30",
        ] {
            let ms = utc(s);
            assert_eq!(from_local(to_local(ms)), ms, "{s}");
        }
        assert_eq!(parse_local_input("2026-07-15T11:00"), Some(utc("2026-07-15 10:00")));
        assert_eq!(parse_local_input("15/07/2026"), None);
        assert_eq!(start_of_local_day(utc("2026-07-15 10:00")), utc("2026-07-14 23:00"));
    }
}
