//! Time-based one-time codes (RFC 6238 over RFC 4226's HOTP): 30-second steps from the Unix
//! epoch, HMAC-SHA-1, 6 digits, a 160-bit secret shown as Base32. The codes come from
//! `totp-rs`; what is Liaison's own is which steps are tried (±1) and that the step a code
//! matched is returned, so the caller can refuse any step at or before the last one accepted.

use argon2::password_hash::rand_core::{OsRng, RngCore};

use crate::clock::Millis;

/// Seconds in one time step.
pub const STEP_SECONDS: u64 = 30;
/// Digits in a code the authenticator app shows.
pub const DIGITS: u32 = 6;
/// Bytes of secret: 160 bits, as RFC 4226 recommends.
pub const SECRET_BYTES: usize = 20;
/// Steps either side of the current one whose codes are accepted (clock drift, typing time).
pub const SKEW: i64 = 1;
/// The issuer an authenticator app shows beside the account.
pub const ISSUER: &str = "Liaison";

/// A new random secret.
pub fn new_secret() -> Vec<u8> {
    let mut bytes = vec![0u8; SECRET_BYTES];
    OsRng.fill_bytes(&mut bytes);
    bytes
}

/// The secret as Base32 (RFC 4648, no padding), how it is stored and typed into an app.
pub fn encode(secret: &[u8]) -> String {
    base32::encode(base32::Alphabet::Rfc4648 { padding: false }, secret)
}

/// The secret from its Base32 form; `None` if it is not Base32.
pub fn decode(text: &str) -> Option<Vec<u8>> {
    base32::decode(base32::Alphabet::Rfc4648 { padding: false }, text)
}

/// The time step a moment falls in.
pub fn step_at(now: Millis) -> i64 {
    now.div_euclid(1000) / STEP_SECONDS as i64
}

/// The code of `digits` digits for one time step.
pub fn code_for_step(secret: &[u8], step: i64, digits: u32) -> String {
    let totp = totp_rs::TOTP::new_unchecked(
        totp_rs::Algorithm::SHA1,
        digits as usize,
        0,
        STEP_SECONDS,
        secret.to_vec(),
    );
    totp.generate(step.max(0) as u64 * STEP_SECONDS)
}

/// The app's code at a moment.
pub fn code_at(secret: &[u8], now: Millis) -> String {
    code_for_step(secret, step_at(now), DIGITS)
}

/// The step whose code `typed` is, among the current step and one either side, if it is
/// later than `after` (the last step accepted): a code is never accepted twice.
pub fn matching_step(secret: &[u8], typed: &str, now: Millis, after: Option<i64>) -> Option<i64> {
    let typed = normalise(typed);
    if typed.len() != DIGITS as usize {
        return None;
    }
    let current = step_at(now);
    (current - SKEW..=current + SKEW)
        .filter(|s| after.is_none_or(|a| *s > a))
        .find(|s| constant_time_eq(code_for_step(secret, *s, DIGITS).as_bytes(), typed.as_bytes()))
}

/// A code as typed, without the spaces and dashes people add.
pub fn normalise(typed: &str) -> String {
    typed.chars().filter(|c| !c.is_whitespace() && *c != '-').collect()
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The `otpauth://` URI an authenticator app reads from the QR code.
pub fn otpauth_uri(username: &str, secret: &[u8]) -> String {
    let account: String = username
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!(
        "otpauth://totp/{ISSUER}:{account}?secret={}&issuer={ISSUER}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}",
        encode(secret)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 Appendix B, SHA-1 rows: (Unix seconds, 8-digit code).
    const RFC_VECTORS: [(i64, &str); 6] = [
        (59, "94287082"),
        (1_111_111_109, "07081804"),
        (1_111_111_111, "14050471"),
        (1_234_567_890, "89005924"),
        (2_000_000_000, "69279037"),
        (20_000_000_000, "65353130"),
    ];
    const RFC_SECRET: &[u8] = b"12345678901234567890";

    #[test]
    fn the_rfc_6238_sha1_vectors_at_eight_digits() {
        for (secs, code) in RFC_VECTORS {
            let step = step_at(secs * 1000);
            assert_eq!(code_for_step(RFC_SECRET, step, 8), code, "at {secs}");
        }
    }

    #[test]
    fn the_app_code_is_the_last_six_digits_of_the_rfc_code() {
        for (secs, code) in RFC_VECTORS {
            assert_eq!(code_at(RFC_SECRET, secs * 1000), code[2..], "at {secs}");
        }
    }

    #[test]
    fn one_step_either_side_is_accepted_and_two_is_not() {
        let secret = new_secret();
        let now = 1_700_000_015_000;
        let step = step_at(now);
        for s in [step - 1, step, step + 1] {
            let code = code_for_step(&secret, s, DIGITS);
            assert_eq!(matching_step(&secret, &code, now, None), Some(s));
        }
        for s in [step - 2, step + 2] {
            let code = code_for_step(&secret, s, DIGITS);
            // A code of a far step can collide with a near one (one in a million): skip it.
            if (step - 1..=step + 1).all(|n| code_for_step(&secret, n, DIGITS) != code) {
                assert_eq!(matching_step(&secret, &code, now, None), None);
            }
        }
    }

    #[test]
    fn a_step_at_or_before_the_last_accepted_is_refused() {
        let secret = new_secret();
        let now = 1_700_000_015_000;
        let code = code_at(&secret, now);
        assert_eq!(matching_step(&secret, &code, now, Some(step_at(now))), None);
        assert_eq!(
            matching_step(&secret, &code, now, Some(step_at(now) - 1)),
            Some(step_at(now))
        );
    }

    #[test]
    fn secrets_are_160_bits_and_round_trip_through_base32() {
        let secret = new_secret();
        assert_eq!(secret.len(), 20);
        let text = encode(&secret);
        assert_eq!(text.len(), 32);
        assert_eq!(decode(&text), Some(secret.clone()));
        assert_ne!(new_secret(), secret);
        assert!(matching_step(&secret, "12 34", 0, None).is_none());
    }

    #[test]
    fn the_uri_names_the_issuer_and_account() {
        let uri = otpauth_uri("a.user", RFC_SECRET);
        assert_eq!(
            uri,
            "otpauth://totp/Liaison:a.user?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Liaison&algorithm=SHA1&digits=6&period=30"
        );
        assert!(otpauth_uri("a b", RFC_SECRET).contains("Liaison:a%20b?"));
    }
}
