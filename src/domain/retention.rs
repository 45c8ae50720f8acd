//! How long a person's record is kept: the NHS Records Management Code of Practice's rules
//! for mental health records, and for children and young people, applied to a person's dates.
//! The result is the day the record is due for appraisal — never a day it is destroyed:
//! destruction waits for a records manager's decision.

use chrono::{Datelike, Months, NaiveDate};

crate::code_enum! {
    /// Which of the Code's rules sets the record's minimum retention.
    pub enum RetentionClass ("retention class") {
        /// Mental health records: years after the last contact ends, or after death if sooner.
        MentalHealth = "mental-health",
        /// Under 18 at the last contact: the longer of the children's rule and the mental
        /// health rule.
        ChildMentalHealth = "child-mental-health",
    }
}

impl RetentionClass {
    pub fn label(self) -> &'static str {
        match self {
            RetentionClass::MentalHealth => "Mental health",
            RetentionClass::ChildMentalHealth => "Child or young person (mental health)",
        }
    }
}

/// The periods the deploying trust's records manager confirms (the Code's by default).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Periods {
    /// Mental health: kept this many years after the last contact ends…
    pub years_after_contact: u32,
    /// …or this many years after death, if that comes sooner.
    pub years_after_death: u32,
}

impl Default for Periods {
    fn default() -> Self {
        Periods {
            years_after_contact: 20,
            years_after_death: 10,
        }
    }
}

/// The children's rule (fixed by the Code): until the 25th birthday, or the 26th if 17 when
/// treatment ended; 8 years after death.
const CHILD_UNTIL_AGE: u32 = 25;
const CHILD_YEARS_AFTER_DEATH: u32 = 8;

/// What the rules give for one person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    pub class: RetentionClass,
    pub review_on: NaiveDate,
}

fn add_years(date: NaiveDate, years: u32) -> NaiveDate {
    // 29 February plus a number of years that lands on no leap day gives 28 February.
    date.checked_add_months(Months::new(years * 12))
        .unwrap_or(NaiveDate::MAX)
}

/// Whole years of age on `on`.
pub fn age_on(born: NaiveDate, on: NaiveDate) -> u32 {
    let mut age = on.year() - born.year();
    if (on.month(), on.day()) < (born.month(), born.day()) {
        age -= 1;
    }
    u32::try_from(age).unwrap_or(0)
}

/// The review date for a record whose last contact ended on `last_contact` (the person is no
/// longer in the service's care), for someone born on `born` who died on `died`, if recorded.
pub fn review_date(born: NaiveDate, last_contact: NaiveDate, died: Option<NaiveDate>, periods: Periods) -> Retention {
    let after_contact = add_years(last_contact, periods.years_after_contact);
    let mental_health = match died {
        Some(d) => after_contact.min(add_years(d, periods.years_after_death)),
        None => after_contact,
    };
    let age_at_end = age_on(born, last_contact);
    if age_at_end >= 18 {
        return Retention {
            class: RetentionClass::MentalHealth,
            review_on: mental_health,
        };
    }
    let until_age = if age_at_end == 17 {
        CHILD_UNTIL_AGE + 1
    } else {
        CHILD_UNTIL_AGE
    };
    let birthday = add_years(born, until_age);
    let children = match died {
        Some(d) => birthday.min(add_years(d, CHILD_YEARS_AFTER_DEATH)),
        None => birthday,
    };
    Retention {
        class: RetentionClass::ChildMentalHealth,
        review_on: mental_health.max(children),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn rule(born: &str, last: &str, died: Option<&str>) -> Retention {
        review_date(d(born), d(last), died.map(d), Periods::default())
    }

    #[test]
    fn an_adult_record_is_kept_twenty_years_after_the_last_contact() {
        let r = rule("1980-05-01", "2026-03-10", None);
        assert_eq!(
            r,
            Retention {
                class: RetentionClass::MentalHealth,
                review_on: d("2046-03-10")
            }
        );
    }

    #[test]
    fn death_shortens_it_to_ten_years_after_death_only_when_sooner() {
        assert_eq!(
            rule("1950-01-01", "2026-03-10", Some("2027-01-01")).review_on,
            d("2037-01-01")
        );
        // Died long after the last contact: twenty years after the contact still comes first.
        assert_eq!(
            rule("1950-01-01", "2000-03-10", Some("2019-01-01")).review_on,
            d("2020-03-10")
        );
    }

    #[test]
    fn eighteen_on_the_day_of_the_last_contact_is_an_adult() {
        assert_eq!(
            rule("2008-03-10", "2026-03-10", None).class,
            RetentionClass::MentalHealth
        );
        assert_eq!(
            rule("2008-03-11", "2026-03-10", None).class,
            RetentionClass::ChildMentalHealth
        );
    }

    #[test]
    fn a_child_record_takes_the_longer_of_the_two_rules() {
        // 17 at the end: the children's rule runs to the 26th birthday (2035), the mental
        // health rule to 2046; the longer wins.
        let r = rule("2009-01-01", "2026-06-01", None);
        assert_eq!(
            r,
            Retention {
                class: RetentionClass::ChildMentalHealth,
                review_on: d("2046-06-01")
            }
        );
        // Died at 18, a year after the last contact at 17: ten years after death (2037) is
        // longer than the 26th birthday (2035) and eight years after death (2035).
        assert_eq!(
            rule("2009-01-01", "2026-06-01", Some("2027-06-01")).review_on,
            d("2037-06-01")
        );
    }

    #[test]
    fn the_childrens_rule_wins_when_the_trust_shortens_the_mental_health_period() {
        let short = Periods {
            years_after_contact: 5,
            years_after_death: 10,
        };
        // 17 at the end: 26th birthday (2035-01-01) beats five years after contact (2031).
        let at_17 = review_date(d("2009-01-01"), d("2026-06-01"), None, short);
        assert_eq!(at_17.review_on, d("2035-01-01"));
        // 16 at the end: the 25th birthday.
        let at_16 = review_date(d("2010-01-01"), d("2026-06-01"), None, short);
        assert_eq!(at_16.review_on, d("2035-01-01"));
        // Died: eight years after death if sooner than the birthday.
        let died = review_date(
            d("2010-01-01"),
            d("2026-06-01"),
            Some("2026-07-01".parse().unwrap()),
            short,
        );
        assert_eq!(died.review_on, d("2034-07-01"));
    }

    #[test]
    fn a_leap_day_lands_on_the_last_of_february() {
        assert_eq!(rule("1980-05-01", "2024-02-29", None).review_on, d("2044-02-29"));
        let short = Periods {
            years_after_contact: 1,
            years_after_death: 10,
        };
        assert_eq!(
            review_date(d("1980-05-01"), d("2024-02-29"), None, short).review_on,
            d("2025-02-28")
        );
    }
}
