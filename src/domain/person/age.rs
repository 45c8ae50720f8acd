use chrono::{Datelike, NaiveDate};

/// Under this age a person in custody must have an appropriate adult (PACE Code C).
pub const ADULT_AGE: u32 = 18;

/// Age in whole years on a date. Someone born on 29 February has their birthday on
/// 1 March in other years, as in English law (Family Law Reform Act 1969, s.9 reading).
/// Returns 0 for dates on or before the date of birth.
pub fn age_on(dob: NaiveDate, on: NaiveDate) -> u32 {
    if on <= dob {
        return 0;
    }
    let years = on.year() - dob.year();
    let had_birthday = (on.month(), on.day()) >= (dob.month(), dob.day());
    let age = if had_birthday { years } else { years - 1 };
    u32::try_from(age).unwrap_or(0)
}

/// Under 18 on that date: age is judged at the time of the contact, not today.
pub fn is_youth(dob: NaiveDate, on: NaiveDate) -> bool {
    age_on(dob, on) < ADULT_AGE
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn counts_whole_years_and_respects_the_birthday() {
        let dob = date(1990, 6, 15);
        assert_eq!(age_on(dob, date(2020, 6, 14)), 29);
        assert_eq!(age_on(dob, date(2020, 6, 15)), 30);
        assert_eq!(age_on(dob, date(2020, 12, 31)), 30);
        assert_eq!(age_on(dob, date(1991, 6, 14)), 0);
        assert_eq!(age_on(dob, dob), 0);
        assert_eq!(age_on(dob, date(1980, 1, 1)), 0);
    }

    #[test]
    fn leap_day_birthdays_fall_on_1_march_in_other_years() {
        let dob = date(2004, 2, 29);
        assert_eq!(age_on(dob, date(2022, 2, 28)), 17);
        assert_eq!(age_on(dob, date(2022, 3, 1)), 18);
        assert_eq!(age_on(dob, date(2024, 2, 28)), 19);
        assert_eq!(age_on(dob, date(2024, 2, 29)), 20);
    }

    #[test]
    fn youth_means_under_18_on_the_contact_date() {
        let dob = date(2008, 3, 10);
        assert!(is_youth(dob, date(2026, 3, 9)));
        assert!(!is_youth(dob, date(2026, 3, 10)));
        assert!(is_youth(date(2008, 2, 29), date(2026, 2, 28)));
        assert!(!is_youth(date(2008, 2, 29), date(2026, 3, 1)));
    }

    fn any_date() -> impl Strategy<Value = NaiveDate> {
        (0i64..80_000).prop_map(|days| date(1900, 1, 1) + chrono::Duration::days(days))
    }

    proptest! {
        #[test]
        fn age_never_goes_down_as_time_passes(dob in any_date(), on in any_date(), later in 0i64..5_000) {
            let after = on + chrono::Duration::days(later);
            prop_assert!(age_on(dob, after) >= age_on(dob, on));
        }

        #[test]
        fn age_stays_close_to_elapsed_days(dob in any_date(), on in any_date()) {
            prop_assume!(on > dob);
            let days = (on - dob).num_days();
            let age = i64::from(age_on(dob, on));
            // A year is 365 or 366 days, so whole years lie between these bounds.
            prop_assert!(age * 365 <= days && days < (age + 1) * 366 + 1);
        }

        #[test]
        fn youth_agrees_with_age(dob in any_date(), on in any_date()) {
            prop_assert_eq!(is_youth(dob, on), age_on(dob, on) < 18);
        }
    }
}
