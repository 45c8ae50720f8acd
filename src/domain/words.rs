//! Counts in words that read as English: "1 referral", "2 referrals".

/// `n` with the noun that agrees with it.
pub fn count(n: impl Into<i64>, one: &str, many: &str) -> String {
    let n = n.into();
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::count;

    #[test]
    fn one_is_singular_and_every_other_number_plural() {
        assert_eq!(count(1, "time", "times"), "1 time");
        assert_eq!(count(0, "time", "times"), "0 times");
        assert_eq!(count(2_u32, "person", "people"), "2 people");
        assert_eq!(count(-1, "day", "days"), "-1 days");
    }
}
