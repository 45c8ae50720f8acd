//! Counts and lists in words that read as English: "1 referral", "2 referrals", "A and B".

/// `n` with the noun that agrees with it.
pub fn count(n: impl Into<i64>, one: &str, many: &str) -> String {
    let n = n.into();
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Names joined as a sentence lists them: "A", "A and B", "A, B and C".
pub fn and_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::{and_list, count};

    #[test]
    fn lists_read_as_a_sentence() {
        assert_eq!(and_list(&[]), "");
        assert_eq!(and_list(&["Wembley"]), "Wembley");
        assert_eq!(and_list(&["Wembley", "Brent"]), "Wembley and Brent");
        assert_eq!(and_list(&["A", "B", "C"]), "A, B and C");
    }

    #[test]
    fn one_is_singular_and_every_other_number_plural() {
        assert_eq!(count(1, "time", "times"), "1 time");
        assert_eq!(count(0, "time", "times"), "0 times");
        assert_eq!(count(2_u32, "person", "people"), "2 people");
        assert_eq!(count(-1, "day", "days"), "-1 days");
    }
}
