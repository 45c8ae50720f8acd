//! NCSC / NIST style password rules: length only, no composition rules, paste allowed,
//! and a refusal of passwords that are known to be common.

pub const MIN_LEN: usize = 8;
pub const MAX_LEN: usize = 128;

/// A short list of the most used passwords and the obvious local variants.
const COMMON: &[&str] = &[
    "password",
    "password1",
    "password12",
    "password123",
    "password1234",
    "passw0rd",
    "p@ssw0rd",
    "p@ssword",
    "12345678",
    "123456789",
    "1234567890",
    "0123456789",
    "87654321",
    "11111111",
    "00000000",
    "qwertyui",
    "qwertyuiop",
    "qwerty123",
    "1q2w3e4r",
    "1qaz2wsx",
    "abc12345",
    "abcd1234",
    "iloveyou",
    "sunshine",
    "football",
    "baseball",
    "princess",
    "letmein1",
    "welcome1",
    "welcome123",
    "trustno1",
    "superman",
    "starwars",
    "whatever",
    "monkey123",
    "dragon12",
    "changeme",
    "changeme1",
    "nhs12345",
    "nhspassword",
    "liaison1",
    "liaison123",
    "diversion",
    "custody1",
    "summer2026",
    "winter2026",
    "autumn2026",
    "spring2026",
];

/// `None` when acceptable, otherwise the message to show beside the field.
pub fn problem(password: &str) -> Option<&'static str> {
    let chars = password.chars().count();
    if chars < MIN_LEN {
        return Some("Password must be 8 characters or more");
    }
    if chars > MAX_LEN {
        return Some("Password must be 128 characters or fewer");
    }
    let lower = password.to_lowercase();
    if COMMON.contains(&lower.as_str()) || lower.chars().all(|c| c == lower.chars().next().unwrap_or(' ')) {
        return Some("Password is too common. Choose a longer phrase that is not used elsewhere");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::problem;

    #[test]
    fn length_is_the_rule() {
        assert!(problem("short").is_some());
        assert!(problem("correct horse battery staple").is_none());
        assert!(problem(&"x".repeat(129)).is_some());
        assert!(problem("ab😀cdefg").is_none(), "counted in characters, not bytes");
    }

    #[test]
    fn common_passwords_are_refused_whatever_their_case() {
        assert!(problem("Password123").is_some());
        assert!(problem("aaaaaaaaaa").is_some());
    }
}
