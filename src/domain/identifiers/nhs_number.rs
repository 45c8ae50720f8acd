use std::fmt;
use std::str::FromStr;

use super::{all_digits, compact};

const ENTER: &str = "Enter the NHS number";
const FORMAT: &str = "Enter the NHS number in the correct format, like 943 476 5919";
const LENGTH: &str = "NHS number must be 10 numbers";
const CHECK: &str = "Enter a real NHS number – check it for typing mistakes";
const SAME_DIGIT: &str = "Enter a real NHS number – a number of one repeated digit is a placeholder, not an NHS number";

/// A 10-digit NHS number whose modulus-11 check digit is correct.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NhsNumber(String);

impl NhsNumber {
    /// Accepts "943 476 5919", "943-476-5919" or "9434765919".
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let digits = compact(input);
        if digits.is_empty() {
            return Err(ENTER);
        }
        if !all_digits(&digits) {
            return Err(FORMAT);
        }
        if digits.len() != 10 {
            return Err(LENGTH);
        }
        // 0000000000 and its like pass the check digit but are placeholders typed to get
        // past a form; no one is issued one.
        if digits.bytes().all(|b| b == digits.as_bytes()[0]) {
            return Err(SAME_DIGIT);
        }
        let values: Vec<u32> = digits.bytes().map(|b| u32::from(b - b'0')).collect();
        match check_digit(&values[..9]) {
            Some(expected) if expected == values[9] => Ok(NhsNumber(digits)),
            _ => Err(CHECK),
        }
    }

    /// The number whose first nine digits are `first_nine`, with its check digit added; `None`
    /// when the input is not nine digits or no check digit can make it valid. For making
    /// numbers (synthetic test data), never for reading one someone typed.
    pub fn with_check_digit(first_nine: &str) -> Option<Self> {
        if first_nine.len() != 9 || !all_digits(first_nine) {
            return None;
        }
        let values: Vec<u32> = first_nine.bytes().map(|b| u32::from(b - b'0')).collect();
        check_digit(&values)
            .map(|check| format!("{first_nine}{check}"))
            .and_then(|digits| NhsNumber::parse(&digits).ok())
    }

    /// The 10 digits with no spaces: the form to store and match on.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The 3-3-4 form people read aloud and expect to see on screen.
    pub fn formatted(&self) -> String {
        format!("{} {} {}", &self.0[..3], &self.0[3..6], &self.0[6..])
    }
}

/// The modulus-11 check digit for the first nine digits, or `None` when no check digit can
/// make the number valid (the remainder calls for 10).
fn check_digit(first_nine: &[u32]) -> Option<u32> {
    let sum: u32 = first_nine.iter().zip((2..=10).rev()).map(|(d, w)| d * w).sum();
    match 11 - sum % 11 {
        11 => Some(0),
        10 => None,
        digit => Some(digit),
    }
}

impl fmt::Display for NhsNumber {
    /// The storage form; use [`NhsNumber::formatted`] on screens.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for NhsNumber {
    type Err = &'static str;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        NhsNumber::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn with_check_digit_makes_numbers_that_parse() {
        assert_eq!(
            NhsNumber::with_check_digit("943476591").map(|n| n.as_str().to_string()),
            Some("9434765919".to_string())
        );
        assert_eq!(NhsNumber::with_check_digit("94347659"), None);
        assert_eq!(NhsNumber::with_check_digit("94347659x"), None);
        let mut made = 0;
        for serial in 0..1000 {
            if let Some(n) = NhsNumber::with_check_digit(&format!("999{serial:06}")) {
                assert_eq!(NhsNumber::parse(n.as_str()), Ok(n));
                made += 1;
            }
        }
        assert!(
            (880..=940).contains(&made),
            "about one in eleven has no check digit: {made}"
        );
    }

    #[test]
    fn accepts_the_domain_examples() {
        for (input, digits) in [
            ("9434765919", "9434765919"),
            ("943 476 5919", "9434765919"),
            ("9876543210", "9876543210"),
            (" 987-654-3210 ", "9876543210"),
        ] {
            let nhs = NhsNumber::parse(input).unwrap();
            assert_eq!(nhs.as_str(), digits);
        }
        assert_eq!(NhsNumber::parse("9434765919").unwrap().formatted(), "943 476 5919");
        assert_eq!("9876543210".parse::<NhsNumber>().unwrap().to_string(), "9876543210");
    }

    #[test]
    fn rejects_a_wrong_check_digit() {
        assert_eq!(NhsNumber::parse("9434765918"), Err(CHECK));
        assert_eq!(NhsNumber::parse("9876543211"), Err(CHECK));
    }

    #[test]
    fn rejects_numbers_whose_check_digit_would_be_ten() {
        for last in 0..=9 {
            assert_eq!(NhsNumber::parse(&format!("123456789{last}")), Err(CHECK));
        }
    }

    #[test]
    fn rejects_one_digit_repeated_though_its_check_digit_agrees() {
        for d in 0..=9 {
            let n = d.to_string().repeat(10);
            assert_eq!(NhsNumber::parse(&n), Err(SAME_DIGIT), "{n}");
        }
        assert_eq!(NhsNumber::with_check_digit("000000000"), None);
        assert!(NhsNumber::parse("000 000 0000").is_err());
    }

    #[test]
    fn rejects_the_wrong_length() {
        assert_eq!(NhsNumber::parse("943476591"), Err(LENGTH));
        assert_eq!(NhsNumber::parse("94347659190"), Err(LENGTH));
    }

    #[test]
    fn rejects_letters_and_other_symbols() {
        assert_eq!(NhsNumber::parse("943476591A"), Err(FORMAT));
        assert_eq!(NhsNumber::parse("943/476/5919"), Err(FORMAT));
        assert_eq!(NhsNumber::parse("９４３４７６５９１９"), Err(FORMAT));
    }

    #[test]
    fn asks_for_a_number_when_blank() {
        assert_eq!(NhsNumber::parse("   "), Err(ENTER));
    }

    /// Nine random digits plus their check digit, skipping prefixes that have none.
    fn valid_nhs_digits() -> impl Strategy<Value = Vec<u32>> {
        prop::collection::vec(0u32..10, 9).prop_filter_map("check digit would be 10", |mut d| {
            let check = check_digit(&d)?;
            d.push(check);
            Some(d)
        })
    }

    fn to_text(digits: &[u32]) -> String {
        digits.iter().map(|d| d.to_string()).collect()
    }

    proptest! {
        #[test]
        fn valid_numbers_parse_and_round_trip(digits in valid_nhs_digits()) {
            let text = to_text(&digits);
            let nhs = NhsNumber::parse(&text).unwrap();
            prop_assert_eq!(nhs.as_str(), text.as_str());
            prop_assert_eq!(NhsNumber::parse(&nhs.formatted()), Ok(nhs.clone()));
            prop_assert_eq!(NhsNumber::parse(nhs.as_str()), Ok(nhs));
        }

        #[test]
        fn changing_any_one_digit_is_caught(
            digits in valid_nhs_digits(),
            position in 0usize..10,
            shift in 1u32..10,
        ) {
            let mut changed = digits.clone();
            changed[position] = (changed[position] + shift) % 10;
            prop_assert!(NhsNumber::parse(&to_text(&changed)).is_err());
        }

        #[test]
        fn never_panics_on_any_text(input in ".*") {
            let _ = NhsNumber::parse(&input);
        }

        #[test]
        fn never_panics_on_digit_like_text(input in "[0-9 \\-a-z]{0,14}") {
            let _ = NhsNumber::parse(&input);
        }
    }
}
