//! Working days (Monday to Friday), counted in UK local time.

use chrono::{Datelike, Duration, Weekday};

use super::local_time;
use crate::clock::Millis;

/// The instant `days` working days (Monday to Friday) before `now`, at the same local time.
pub fn before(now: Millis, days: i64) -> Millis {
    let mut at = local_time::to_local(now);
    let mut left = days;
    while left > 0 {
        at -= Duration::days(1);
        if !matches!(at.weekday(), Weekday::Sat | Weekday::Sun) {
            left -= 1;
        }
    }
    local_time::from_local(at)
}

#[cfg(test)]
mod tests {
    use super::before;
    use chrono::NaiveDateTime;

    fn utc(s: &str) -> i64 {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M")
            .unwrap()
            .and_utc()
            .timestamp_millis()
    }

    #[test]
    fn weekends_do_not_count() {
        // Wednesday 2 December 2026, minus 3 working days: Friday 27 November.
        assert_eq!(before(utc("2026-12-02 10:00"), 3), utc("2026-11-27 10:00"));
        // Monday minus 1 working day: the Friday before.
        assert_eq!(before(utc("2026-11-30 10:00"), 1), utc("2026-11-27 10:00"));
    }
}
