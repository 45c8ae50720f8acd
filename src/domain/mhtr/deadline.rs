//! When the suitability report must reach probation. Pre-sentence reports are given on the
//! day ("stand down"), within 5 working days, or up to 15 for complex cases (docs/domain.md §7.4),
//! so the MHTR assessment has to fit the same window.
//!
//! **Reading of "N working days".** The count runs forward from the referral date (or, after
//! an adjournment, the adjournment date). That date is day 0 and never counts, even when it
//! is a working day. Each following Monday to Friday counts one, and the report is due on
//! the day the count reaches N: referred on Monday 2 November 2026 with 5 working days, it is
//! due on Monday 9 November; referred on a Friday, the next Friday; referred on a Saturday or
//! Sunday, the Friday after. When the next hearing is known and comes sooner, the hearing
//! date is the deadline instead ([`report_due_by`]).
//!
//! **Bank holidays are out of scope**: they count as working days, so a deadline that spans
//! one shows a day early, which errs on the safe side.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate, Weekday};

use self::DeadlineKind as K;
use crate::domain::codes::CodeList;

/// How long the court has given for the report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DeadlineKind {
    /// Stand down: the report is needed on the hearing day itself.
    SameDay,
    FiveWorkingDays,
    /// Complex cases.
    FifteenWorkingDays,
}

impl DeadlineKind {
    pub const ALL: [DeadlineKind; 3] = [K::SameDay, K::FiveWorkingDays, K::FifteenWorkingDays];

    /// The value stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            K::SameDay => "same-day",
            K::FiveWorkingDays => "five-working-days",
            K::FifteenWorkingDays => "fifteen-working-days",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            K::SameDay => "Same day (stand down)",
            K::FiveWorkingDays => "Within 5 working days",
            K::FifteenWorkingDays => "Within 15 working days (complex case)",
        }
    }

    /// Working days allowed after the referral or adjournment date; 0 for the same day.
    pub fn working_days(self) -> u32 {
        match self {
            K::SameDay => 0,
            K::FiveWorkingDays => 5,
            K::FifteenWorkingDays => 15,
        }
    }
}

/// [`DeadlineKind`] as a code list, in the same order as [`DeadlineKind::ALL`].
pub const DEADLINE_KINDS: CodeList = &[
    ("same-day", "Same day (stand down)"),
    ("five-working-days", "Within 5 working days"),
    ("fifteen-working-days", "Within 15 working days (complex case)"),
];

impl fmt::Display for DeadlineKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for DeadlineKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        K::ALL
            .into_iter()
            .find(|kind| kind.code() == s.trim())
            .ok_or_else(|| format!("unknown report deadline `{s}`"))
    }
}

/// Monday to Friday. Bank holidays are not known here (see the module notes).
pub fn is_working_day(date: NaiveDate) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The day `days` working days after `from`, counting forward; `from` itself never counts.
/// Zero days gives `from` unchanged. Stops at the last date chrono can represent.
pub fn add_working_days(from: NaiveDate, days: u32) -> NaiveDate {
    let mut at = from;
    let mut left = days;
    while left > 0 {
        let Some(next) = at.succ_opt() else { break };
        at = next;
        if is_working_day(at) {
            left -= 1;
        }
    }
    at
}

/// The date the suitability report must reach probation. For [`DeadlineKind::SameDay`],
/// `date` is the hearing day and the report is due that day, whatever day of the week it is.
/// Otherwise `date` is the referral (or adjournment) date and the report is due the given
/// number of working days later, read as described in the module notes.
pub fn report_due(kind: DeadlineKind, date: NaiveDate) -> NaiveDate {
    add_working_days(date, kind.working_days())
}

/// The deadline with the next hearing taken into account: the hearing date is the deadline
/// whenever it comes before [`report_due`] (a same-day stand-down is due at the hearing).
/// Without a hearing date this is [`report_due`] from `referred_on`.
pub fn report_due_by(kind: DeadlineKind, referred_on: NaiveDate, next_hearing: Option<NaiveDate>) -> NaiveDate {
    match (kind, next_hearing) {
        (K::SameDay, Some(hearing)) => hearing,
        (_, Some(hearing)) => report_due(kind, referred_on).min(hearing),
        (_, None) => report_due(kind, referred_on),
    }
}

/// An adjournment sets a new hearing date and restarts the report clock from the day of the
/// adjournment with the same rule: a same-day report is now due on the new hearing day; a
/// working-day report is due that many working days after `adjourned_on`, or at the new
/// hearing if that is sooner. The caller refuses a new hearing date in the past.
pub fn adjourn(kind: DeadlineKind, adjourned_on: NaiveDate, new_hearing: NaiveDate) -> NaiveDate {
    report_due_by(kind, adjourned_on, Some(new_hearing))
}

/// The time left before `due`, in calendar days, in the words the intake queue shows.
pub fn countdown(due: NaiveDate, today: NaiveDate) -> String {
    match (due - today).num_days() {
        -1 => "Overdue by 1 day".to_string(),
        days if days < 0 => format!("Overdue by {} days", -days),
        0 => "Due today".to_string(),
        1 => "Due tomorrow".to_string(),
        days => format!("Due in {days} days"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    // November 2026: Monday 2nd, Friday 6th, Saturday 7th, Sunday 8th.
    const MON: (i32, u32, u32) = (2026, 11, 2);

    fn nov(d: u32) -> NaiveDate {
        date(MON.0, MON.1, d)
    }

    #[test]
    fn same_day_is_the_hearing_day_even_at_a_weekend() {
        assert_eq!(report_due(K::SameDay, nov(2)), nov(2));
        assert_eq!(report_due(K::SameDay, nov(7)), nov(7));
    }

    #[test]
    fn five_working_days_count_forward_and_skip_weekends() {
        assert_eq!(report_due(K::FiveWorkingDays, nov(2)), nov(9), "Monday → Monday");
        assert_eq!(report_due(K::FiveWorkingDays, nov(4)), nov(11), "Wednesday → Wednesday");
        assert_eq!(report_due(K::FiveWorkingDays, nov(6)), nov(13), "Friday → Friday");
        assert_eq!(report_due(K::FiveWorkingDays, nov(7)), nov(13), "Saturday → Friday");
        assert_eq!(report_due(K::FiveWorkingDays, nov(8)), nov(13), "Sunday → Friday");
    }

    #[test]
    fn fifteen_working_days_are_three_weeks_from_a_weekday() {
        assert_eq!(report_due(K::FifteenWorkingDays, nov(2)), nov(23));
        assert_eq!(report_due(K::FifteenWorkingDays, nov(6)), nov(27));
        assert_eq!(report_due(K::FifteenWorkingDays, nov(8)), nov(27));
    }

    #[test]
    fn deadlines_cross_months_and_years() {
        assert_eq!(report_due(K::FiveWorkingDays, nov(27)), date(2026, 12, 4));
        // Christmas and Boxing Day count: bank holidays are out of scope.
        assert_eq!(report_due(K::FiveWorkingDays, date(2026, 12, 24)), date(2026, 12, 31));
        assert_eq!(report_due(K::FifteenWorkingDays, date(2026, 12, 24)), date(2027, 1, 14));
    }

    #[test]
    fn add_working_days_handles_zero_one_and_the_end_of_time() {
        assert_eq!(add_working_days(nov(7), 0), nov(7));
        assert_eq!(add_working_days(nov(6), 1), nov(9));
        assert_eq!(add_working_days(nov(2), 1), nov(3));
        assert_eq!(add_working_days(NaiveDate::MAX, 5), NaiveDate::MAX);
    }

    #[test]
    fn a_sooner_hearing_is_the_deadline() {
        assert_eq!(report_due_by(K::FiveWorkingDays, nov(2), None), nov(9));
        assert_eq!(report_due_by(K::FiveWorkingDays, nov(2), Some(nov(5))), nov(5));
        assert_eq!(report_due_by(K::FiveWorkingDays, nov(2), Some(nov(20))), nov(9));
        assert_eq!(report_due_by(K::SameDay, nov(2), Some(nov(2))), nov(2));
        assert_eq!(report_due_by(K::SameDay, nov(2), None), nov(2));
    }

    #[test]
    fn an_adjournment_restarts_the_clock_from_the_adjournment() {
        // Referred Monday 2nd for 5 working days: due Monday 9th. On the 9th the court
        // adjourns to Monday 30th: due 5 working days after the 9th, Monday 16th.
        let first = report_due(K::FiveWorkingDays, nov(2));
        assert_eq!(first, nov(9));
        assert_eq!(adjourn(K::FiveWorkingDays, first, nov(30)), nov(16));
        // Adjourned for only two days: the new hearing is the deadline.
        assert_eq!(adjourn(K::FiveWorkingDays, nov(9), nov(11)), nov(11));
        // A stand-down the court could not wait for: due at the new hearing.
        assert_eq!(adjourn(K::SameDay, nov(2), nov(12)), nov(12));
        // Changed to a complex case at the adjournment.
        assert_eq!(adjourn(K::FifteenWorkingDays, nov(2), date(2026, 12, 14)), nov(23));
    }

    #[test]
    fn countdown_is_in_words() {
        let today = nov(10);
        assert_eq!(countdown(nov(10), today), "Due today");
        assert_eq!(countdown(nov(11), today), "Due tomorrow");
        assert_eq!(countdown(nov(13), today), "Due in 3 days");
        assert_eq!(countdown(nov(9), today), "Overdue by 1 day");
        assert_eq!(countdown(nov(6), today), "Overdue by 4 days");
        assert_eq!(countdown(date(2026, 12, 10), today), "Due in 30 days");
    }

    #[test]
    fn kinds_round_trip_and_match_their_code_list() {
        assert_eq!(DEADLINE_KINDS.len(), K::ALL.len());
        for (kind, (code, label)) in K::ALL.into_iter().zip(DEADLINE_KINDS) {
            assert_eq!((kind.code(), kind.label()), (*code, *label));
            assert_eq!(code.parse::<DeadlineKind>(), Ok(kind));
            assert_eq!(kind.to_string(), *code);
        }
        assert!("5".parse::<DeadlineKind>().is_err());
        assert_eq!(K::ALL.map(K::working_days), [0, 5, 15]);
    }

    fn any_date() -> impl Strategy<Value = NaiveDate> {
        // From 1 January 2000 to about 2081, counted in days from 1 January of year 1.
        (730_120i32..760_000).prop_map(|d| NaiveDate::from_num_days_from_ce_opt(d).unwrap())
    }

    fn any_kind() -> impl Strategy<Value = DeadlineKind> {
        prop::sample::select(K::ALL.to_vec())
    }

    proptest! {
        #[test]
        fn exactly_n_working_days_lie_after_the_start_up_to_the_due_date(from in any_date(), n in 0u32..60) {
            let due = add_working_days(from, n);
            let counted = from.iter_days().skip(1).take_while(|d| *d <= due).filter(|d| is_working_day(*d)).count();
            prop_assert_eq!(counted, n as usize);
            if n > 0 {
                prop_assert!(is_working_day(due));
                prop_assert!(due > from);
                // At most two weekend days per five working days, plus a starting weekend.
                prop_assert!((due - from).num_days() <= i64::from(n) + 2 * i64::from(n.div_ceil(5)) + 2);
            }
        }

        #[test]
        fn working_days_add_up(from in any_date(), a in 0u32..30, b in 0u32..30) {
            let step = add_working_days(add_working_days(from, a), b);
            prop_assert_eq!(step, add_working_days(from, a + b));
        }

        #[test]
        fn a_later_referral_never_has_an_earlier_deadline(from in any_date(), gap in 0i64..20, kind in any_kind()) {
            let later = from + chrono::Duration::days(gap);
            prop_assert!(report_due(kind, later) >= report_due(kind, from));
            prop_assert!(report_due(kind, from) >= from);
        }

        #[test]
        fn an_adjourned_deadline_is_never_after_the_new_hearing(
            on in any_date(), ahead in 0i64..60, kind in any_kind()
        ) {
            let hearing = on + chrono::Duration::days(ahead);
            let due = adjourn(kind, on, hearing);
            prop_assert!(due <= hearing);
            prop_assert!(due >= on);
            let want = if kind == K::SameDay { hearing } else { report_due(kind, on).min(hearing) };
            prop_assert_eq!(due, want);
        }

        #[test]
        fn countdown_always_says_due_or_overdue(due in any_date(), today in any_date()) {
            let words = countdown(due, today);
            prop_assert_eq!(words.starts_with("Overdue by "), due < today);
            prop_assert!(words.starts_with("Due ") || words.starts_with("Overdue by "));
        }
    }
}
