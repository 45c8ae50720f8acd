//! Probation and prison numbers: fixed shapes with no check character, so the shape is all we
//! can check.

use std::fmt;
use std::str::FromStr;

use super::compact;

const CRN_ENTER: &str = "Enter the probation case reference number (CRN)";
const CRN_FORMAT: &str = "Enter the CRN in the correct format, like X123456";
const NOMIS_ENTER: &str = "Enter the prison number";
const NOMIS_FORMAT: &str = "Enter the prison number in the correct format, like A1234BC";

/// A probation case reference number (nDelius CRN): one letter and 6 digits.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ProbationCrn(String);

impl ProbationCrn {
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let text = compact(input);
        if text.is_empty() {
            return Err(CRN_ENTER);
        }
        if matches_shape(&text, "A999999") {
            Ok(ProbationCrn(text))
        } else {
            Err(CRN_FORMAT)
        }
    }

    /// Upper-case, no spaces: the form to store and match on.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A prison (NOMIS) number: letter, 4 digits, 2 letters.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NomisNumber(String);

impl NomisNumber {
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let text = compact(input);
        if text.is_empty() {
            return Err(NOMIS_ENTER);
        }
        if matches_shape(&text, "A9999AA") {
            Ok(NomisNumber(text))
        } else {
            Err(NOMIS_FORMAT)
        }
    }

    /// Upper-case, no spaces: the form to store and match on.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Whether `text` fits `shape`, where `A` stands for an upper-case ASCII letter and `9` for
/// an ASCII digit.
fn matches_shape(text: &str, shape: &str) -> bool {
    text.len() == shape.len()
        && text.bytes().zip(shape.bytes()).all(|(t, s)| match s {
            b'A' => t.is_ascii_uppercase(),
            b'9' => t.is_ascii_digit(),
            _ => false,
        })
}

macro_rules! string_identifier_traits {
    ($name:ident) => {
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl FromStr for $name {
            type Err = &'static str;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $name::parse(s)
            }
        }
    };
}

string_identifier_traits!(ProbationCrn);
string_identifier_traits!(NomisNumber);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_crns_in_any_case() {
        for input in ["X123456", "x123456", " X 123 456 ", "x-123456"] {
            assert_eq!(ProbationCrn::parse(input).unwrap().as_str(), "X123456", "{input}");
        }
    }

    #[test]
    fn rejects_malformed_crns() {
        for input in ["X12345", "X1234567", "1234567", "XX12345", "X12345A", "É123456"] {
            assert_eq!(ProbationCrn::parse(input), Err(CRN_FORMAT), "{input}");
        }
        assert_eq!(ProbationCrn::parse(""), Err(CRN_ENTER));
    }

    #[test]
    fn accepts_prison_numbers_in_any_case() {
        for input in ["A1234BC", "a1234bc", " A 1234 BC "] {
            assert_eq!(NomisNumber::parse(input).unwrap().as_str(), "A1234BC", "{input}");
        }
        assert_eq!("a1234bc".parse::<NomisNumber>().unwrap().to_string(), "A1234BC");
    }

    #[test]
    fn rejects_malformed_prison_numbers() {
        for input in ["A1234B", "A1234BCD", "11234BC", "A12345C", "AB234BC"] {
            assert_eq!(NomisNumber::parse(input), Err(NOMIS_FORMAT), "{input}");
        }
        assert_eq!(NomisNumber::parse("  "), Err(NOMIS_ENTER));
    }

    proptest! {
        #[test]
        fn well_shaped_numbers_round_trip(crn in "[a-zA-Z][0-9]{6}", nomis in "[a-zA-Z][0-9]{4}[a-zA-Z]{2}") {
            let parsed_crn = ProbationCrn::parse(&crn).unwrap();
            let parsed_nomis = NomisNumber::parse(&nomis).unwrap();
            prop_assert_eq!(parsed_crn.as_str(), crn.to_uppercase());
            prop_assert_eq!(parsed_nomis.as_str(), nomis.to_uppercase());
        }

        #[test]
        fn never_panics_on_any_text(input in ".*") {
            let _ = ProbationCrn::parse(&input);
            let _ = NomisNumber::parse(&input);
        }
    }
}
