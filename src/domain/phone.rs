//! Contact numbers as typed by staff.

/// `None` when acceptable: digits with optional spaces, hyphens, brackets and a leading +.
pub fn phone_problem(phone: &str) -> Option<&'static str> {
    let phone = phone.trim();
    if phone.is_empty() {
        return Some("Enter the contact number custody staff should ring");
    }
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    let allowed = phone
        .chars()
        .enumerate()
        .all(|(i, c)| c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')') || (c == '+' && i == 0));
    if !allowed || !(6..=15).contains(&digits) {
        return Some("Enter a phone number, like 020 7946 0000 or 07700 900 982");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::phone_problem;

    #[test]
    fn phone_numbers() {
        for ok in ["020 7946 0000", "07700 900982", "+44 (0)20 7946 0000", "4455"] {
            let expect_ok = ok != "4455";
            assert_eq!(phone_problem(ok).is_none(), expect_ok, "{ok}");
        }
        assert!(phone_problem("call me").is_some());
        assert!(phone_problem("").is_some());
    }
}
