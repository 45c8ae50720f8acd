//! Identifiers that arrive from police, courts, prisons and the NHS, checked before we store
//! them so that a typing mistake cannot link the wrong person's records (docs/domain.md §4).
//!
//! Every `parse` forgives what people naturally type — surrounding whitespace, inner spaces
//! and hyphens, lower-case letters — and rejects anything whose check digit or letter fails.

mod cro_number;
mod nhs_number;
mod offender_numbers;
mod pnc_id;

pub use cro_number::CroNumber;
pub use nhs_number::NhsNumber;
pub use offender_numbers::{NomisNumber, ProbationCrn};
pub use pnc_id::PncId;

/// The check-letter alphabet shared by PNC IDs and CRO numbers (no I, O or S).
const CHECK_LETTERS: &[u8; 23] = b"ZABCDEFGHJKLMNPQRTUVWXY";

/// The check letter the police national systems expect for a number.
fn check_letter(number: u64) -> char {
    // `number % 23` is always a valid index into the 23-letter alphabet.
    char::from(CHECK_LETTERS[(number % 23) as usize])
}

/// Drops whitespace and hyphens and upper-cases, so "  x 123-456 " becomes "X123456".
fn compact(input: &str) -> String {
    input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        // ASCII only, so that e.g. a dotless ı cannot turn into a valid-looking I.
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// True for a non-empty run of ASCII digits.
fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// Splits off a final upper-case ASCII letter, as PNC IDs and CRO numbers end with one.
fn split_check_letter(s: &str) -> Option<(&str, char)> {
    let last = s.chars().last().filter(char::is_ascii_uppercase)?;
    Some((&s[..s.len() - 1], last))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_removes_spaces_and_hyphens_and_upper_cases() {
        assert_eq!(compact("  x 123-456\t"), "X123456");
        assert_eq!(compact(""), "");
        assert_eq!(compact("ı"), "ı");
    }

    #[test]
    fn split_check_letter_needs_a_final_upper_case_letter() {
        assert_eq!(split_check_letter("79/163001B"), Some(("79/163001", 'B')));
        assert_eq!(split_check_letter("79/1630011"), None);
        assert_eq!(split_check_letter("79/163001é"), None);
        assert_eq!(split_check_letter(""), None);
    }

    #[test]
    fn check_letter_wraps_around_the_alphabet() {
        assert_eq!(check_letter(0), 'Z');
        assert_eq!(check_letter(1), 'A');
        assert_eq!(check_letter(22), 'Y');
        assert_eq!(check_letter(23), 'Z');
    }
}
