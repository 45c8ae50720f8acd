use std::fmt;
use std::str::FromStr;

use super::{all_digits, check_letter, compact, split_check_letter};

const ENTER: &str = "Enter the PNC ID";
const FORMAT: &str = "Enter the PNC ID in the correct format, like 2002/0073319Z";
const CHECK: &str = "Enter a real PNC ID – the last letter does not match the numbers";

const SERIAL_DIGITS: usize = 7;

/// A Police National Computer ID with a correct check letter.
///
/// Held in the canonical `YY/NNNNNNNA` form, so "1979/0163001B" and "79/163001B" are equal.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PncId(String);

impl PncId {
    /// Accepts `YY/NNNNNNNA` or `YYYY/NNNNNNNA` with a 1–7 digit serial. The slash may be
    /// left out only when the serial has all 7 digits, since otherwise the year and serial
    /// could be split in more than one way.
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let text = compact(input);
        if text.is_empty() {
            return Err(ENTER);
        }
        if !text.is_ascii() {
            return Err(FORMAT);
        }
        let (body, letter) = split_check_letter(&text).ok_or(FORMAT)?;
        let (year, serial) = match body.split_once('/') {
            Some(parts) => parts,
            None if body.len() > SERIAL_DIGITS => body.split_at(body.len() - SERIAL_DIGITS),
            None => return Err(FORMAT),
        };
        let year_ok = all_digits(year)
            && (year.len() == 2 || (year.len() == 4 && (year.starts_with("19") || year.starts_with("20"))));
        if !year_ok || !all_digits(serial) || serial.len() > SERIAL_DIGITS {
            return Err(FORMAT);
        }
        let yy = &year[year.len() - 2..];
        let serial = format!("{serial:0>SERIAL_DIGITS$}");
        let number: u64 = format!("{yy}{serial}").parse().map_err(|_| FORMAT)?;
        if check_letter(number) != letter {
            return Err(CHECK);
        }
        Ok(PncId(format!("{yy}/{serial}{letter}")))
    }

    /// The ID for a two-digit year (0–99) and a serial (up to 9,999,999), with its check
    /// letter; `None` outside those bounds. For making IDs (synthetic test data).
    pub fn from_parts(year: u32, serial: u32) -> Option<Self> {
        if year > 99 || serial > 9_999_999 {
            return None;
        }
        let letter = check_letter(u64::from(year) * 10_000_000 + u64::from(serial));
        Some(PncId(format!("{year:02}/{serial:07}{letter}")))
    }

    /// `YY/NNNNNNNA`: the form to store and match on.
    pub fn canonical(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PncId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for PncId {
    type Err = &'static str;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PncId::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn from_parts_makes_ids_that_parse() {
        assert_eq!(
            PncId::from_parts(79, 163_001).map(|p| p.0),
            Some("79/0163001B".to_string())
        );
        assert_eq!(PncId::from_parts(100, 1), None);
        assert_eq!(PncId::from_parts(5, 10_000_000), None);
        for (year, serial) in [(0, 0), (2, 73_319), (99, 9_999_999), (24, 1_234_567)] {
            let id = PncId::from_parts(year, serial).unwrap();
            assert_eq!(PncId::parse(id.canonical()), Ok(id));
        }
    }

    #[test]
    fn accepts_the_domain_examples_in_every_form() {
        for input in [
            "1979/0163001B",
            "79/163001B",
            "79/0163001B",
            "790163001B",
            "19790163001B",
            " 1979 / 0163001b ",
        ] {
            assert_eq!(PncId::parse(input).unwrap().canonical(), "79/0163001B", "{input}");
        }
        for input in ["2002/0073319Z", "02/73319Z", "2002/73319z", "020073319Z"] {
            assert_eq!(PncId::parse(input).unwrap().canonical(), "02/0073319Z", "{input}");
        }
    }

    #[test]
    fn two_and_four_digit_years_are_the_same_id() {
        assert_eq!(PncId::parse("1979/0163001B"), PncId::parse("79/163001B"));
        assert_eq!("2002/0073319Z".parse::<PncId>().unwrap().to_string(), "02/0073319Z");
    }

    #[test]
    fn rejects_a_wrong_check_letter() {
        assert_eq!(PncId::parse("1979/0163001C"), Err(CHECK));
        assert_eq!(PncId::parse("2002/0073319A"), Err(CHECK));
    }

    #[test]
    fn rejects_malformed_ids() {
        for input in [
            "1979/0163001",   // no check letter
            "1979/01630011B", // serial too long
            "979/0163001B",   // 3-digit year
            "3079/0163001B",  // not a plausible century
            "1979/B",         // no serial
            "79163001B",      // no slash and a short serial: ambiguous
            "19A9/0163001B",  // letter in the year
            "1979//0163001B", // two slashes
            "B",
            "1979/0163001É",
        ] {
            assert_eq!(PncId::parse(input), Err(FORMAT), "{input}");
        }
        assert_eq!(PncId::parse(" "), Err(ENTER));
    }

    /// A year in 1900–2099, a serial and its check letter.
    fn valid_pnc() -> impl Strategy<Value = (u32, u32, char)> {
        (1900u32..2100, 0u32..10_000_000).prop_map(|(year, serial)| {
            let number = u64::from(year % 100) * 10_000_000 + u64::from(serial);
            (year, serial, check_letter(number))
        })
    }

    proptest! {
        #[test]
        fn every_written_form_parses_to_one_canonical_id((year, serial, letter) in valid_pnc()) {
            let yy = year % 100;
            let expected = format!("{yy:02}/{serial:07}{letter}");
            let forms = [
                format!("{year}/{serial}{letter}"),
                format!("{year}/{serial:07}{letter}"),
                format!("{yy:02}/{serial}{letter}"),
                format!("{yy:02}/{serial:07}{letter}"),
                format!("{year}{serial:07}{letter}"),
                format!("{yy:02}{serial:07}{letter}"),
                format!(" {yy:02} / {serial:07}{} ", letter.to_ascii_lowercase()),
            ];
            for form in forms {
                let id = PncId::parse(&form);
                prop_assert_eq!(id.as_ref().map(PncId::canonical), Ok(expected.as_str()), "{}", form);
            }
        }

        #[test]
        fn any_other_check_letter_is_rejected(
            (year, serial, letter) in valid_pnc(),
            wrong in prop::char::range('A', 'Z'),
        ) {
            prop_assume!(wrong != letter);
            prop_assert_eq!(PncId::parse(&format!("{year}/{serial:07}{wrong}")), Err(CHECK));
        }

        #[test]
        fn never_panics_on_any_text(input in ".*") {
            let _ = PncId::parse(&input);
        }

        #[test]
        fn never_panics_on_pnc_like_text(input in "[0-9/ A-Za-z]{0,16}") {
            let _ = PncId::parse(&input);
        }
    }
}
