use std::fmt;
use std::str::FromStr;

use super::{all_digits, check_letter, compact, split_check_letter};

const ENTER: &str = "Enter the CRO number";
const FORMAT: &str = "Enter the CRO number in the correct format, like 265416/21G";
const CHECK: &str = "Enter a real CRO number – the last letter does not match the numbers";

const SERIAL_DIGITS: usize = 6;

/// A Criminal Records Office number with a correct check letter.
///
/// Two national forms exist: `NNNNNN/YYA` and the fingerprint-less `SFYY/NNNNNNA`. Both are
/// held canonically with the serial zero-padded to 6 digits.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CroNumber(String);

impl CroNumber {
    /// Accepts either form, with a 1–6 digit serial; the slash may be left out because the
    /// two-digit year sits in a fixed place in each form.
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let text = compact(input);
        if text.is_empty() {
            return Err(ENTER);
        }
        if !text.is_ascii() {
            return Err(FORMAT);
        }
        let (body, letter) = split_check_letter(&text).ok_or(FORMAT)?;
        let sf_form = body.strip_prefix("SF");
        let (yy, serial) = match sf_form {
            Some(rest) if rest.len() > 2 => {
                let (yy, serial) = rest.split_at(2);
                (yy, serial.strip_prefix('/').unwrap_or(serial))
            }
            Some(_) => return Err(FORMAT),
            None => match body.split_once('/') {
                Some((serial, yy)) => (yy, serial),
                None if body.len() > 2 => {
                    let (serial, yy) = body.split_at(body.len() - 2);
                    (yy, serial)
                }
                None => return Err(FORMAT),
            },
        };
        if yy.len() != 2 || !all_digits(yy) || !all_digits(serial) || serial.len() > SERIAL_DIGITS {
            return Err(FORMAT);
        }
        let serial = format!("{serial:0>SERIAL_DIGITS$}");
        let number: u64 = format!("{yy}{serial}").parse().map_err(|_| FORMAT)?;
        if check_letter(number) != letter {
            return Err(CHECK);
        }
        Ok(CroNumber(match sf_form {
            Some(_) => format!("SF{yy}/{serial}{letter}"),
            None => format!("{serial}/{yy}{letter}"),
        }))
    }

    /// `NNNNNN/YYA` or `SFYY/NNNNNNA`: the form to store and match on.
    pub fn canonical(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CroNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for CroNumber {
    type Err = &'static str;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CroNumber::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_the_domain_examples() {
        for input in ["265416/21G", "26541621G", " 265416 / 21g "] {
            assert_eq!(CroNumber::parse(input).unwrap().canonical(), "265416/21G", "{input}");
        }
        for input in ["SF05/482703J", "sf05/482703j", "SF05482703J"] {
            assert_eq!(CroNumber::parse(input).unwrap().canonical(), "SF05/482703J", "{input}");
        }
    }

    #[test]
    fn pads_short_serials() {
        // 21 followed by 000416 is 21000416; 21000416 mod 23 = 13, the letter N.
        assert_eq!(CroNumber::parse("416/21N").unwrap().canonical(), "000416/21N");
        assert_eq!(CroNumber::parse("416/21N"), CroNumber::parse("000416/21N"));
    }

    #[test]
    fn rejects_a_wrong_check_letter() {
        assert_eq!(CroNumber::parse("265416/21H"), Err(CHECK));
        assert_eq!(CroNumber::parse("SF05/482703K"), Err(CHECK));
    }

    #[test]
    fn rejects_malformed_numbers() {
        for input in [
            "265416/21",   // no check letter
            "2654161/21G", // serial too long
            "265416/213G", // 3-digit year
            "/21G",        // no serial
            "SF05/G",      // no serial
            "SF5/482703J", // 1-digit year
            "SFG",
            "G",
            "26A416/21G",
        ] {
            assert_eq!(CroNumber::parse(input), Err(FORMAT), "{input}");
        }
        assert_eq!(CroNumber::parse(""), Err(ENTER));
    }

    proptest! {
        #[test]
        fn valid_numbers_in_both_forms_parse(yy in 0u32..100, serial in 0u32..1_000_000) {
            let letter = check_letter(u64::from(yy) * 1_000_000 + u64::from(serial));
            let standard = CroNumber::parse(&format!("{serial}/{yy:02}{letter}")).unwrap();
            prop_assert_eq!(standard.canonical(), format!("{serial:06}/{yy:02}{letter}"));
            let sf = CroNumber::parse(&format!("sf{yy:02}/{serial}{letter}")).unwrap();
            prop_assert_eq!(sf.canonical(), format!("SF{yy:02}/{serial:06}{letter}"));
        }

        #[test]
        fn never_panics_on_any_text(input in ".*") {
            let _ = CroNumber::parse(&input);
        }

        #[test]
        fn never_panics_on_cro_like_text(input in "(SF|sf)?[0-9/ A-Z]{0,12}") {
            let _ = CroNumber::parse(&input);
        }
    }
}
