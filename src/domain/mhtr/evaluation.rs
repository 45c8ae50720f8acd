//! Helpers for the pilot's evaluation extract (issue 5, item 10): a stable keyed pseudonym
//! in place of direct identifiers, an age band in place of the date of birth, and CSV cells
//! that are safe to open in a spreadsheet.

use sha2::{Digest, Sha256};

/// HMAC-SHA256 (RFC 2104, with the SHA-256 test vectors of RFC 4231):
/// `H((K' ^ opad) || H((K' ^ ipad) || message))`, where `K'` is the key padded with zeros
/// to SHA-256's 64-byte block, after hashing it first if it is longer than a block.
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    const BLOCK: usize = 64;
    let mut block_key = [0u8; BLOCK];
    if key.len() > BLOCK {
        block_key[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block_key[..key.len()].copy_from_slice(key);
    }
    let padded = |pad: u8| block_key.map(|b| b ^ pad);
    let inner = Sha256::new()
        .chain_update(padded(0x36))
        .chain_update(message)
        .finalize();
    Sha256::new()
        .chain_update(padded(0x5c))
        .chain_update(inner)
        .finalize()
        .into()
}

/// A stable pseudonym for a person in the pseudonymised extract: "P-" and the first 12 hex
/// digits (48 bits) of HMAC-SHA256 of the person's id under the deployment's secret key.
/// The same id and key always give the same pseudonym, so a person can be followed across
/// extracts; without the key it cannot be traced back, or recomputed from a guessed id.
/// The id is used exactly as given, so pass the stored record id, not something typed.
pub fn pseudonym(key: &[u8], person_id: &str) -> String {
    let mac = hmac_sha256(key, person_id.as_bytes());
    let hex: String = mac[..6].iter().map(|b| format!("{b:02x}")).collect();
    format!("P-{hex}")
}

/// The age band reported instead of a date of birth. MHTRs are for adults, so anyone
/// younger shows as "Under 18" (a data error worth seeing, not hiding).
/// The bands [`age_band`] gives, youngest first.
pub const AGE_BANDS: [&str; 7] = ["Under 18", "18-24", "25-34", "35-44", "45-54", "55-64", "65+"];

pub fn age_band(age: u32) -> &'static str {
    match age {
        0..=17 => "Under 18",
        18..=24 => "18-24",
        25..=34 => "25-34",
        35..=44 => "35-44",
        45..=54 => "45-54",
        55..=64 => "55-64",
        _ => "65+",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::hex;
    use proptest::prelude::*;

    #[test]
    fn hmac_matches_the_rfc_4231_test_vectors() {
        assert_eq!(
            hex(&hmac_sha256(&[0x0b; 20], b"Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        );
        assert_eq!(
            hex(&hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        // A key longer than the block is hashed first (RFC 4231 test case 6).
        assert_eq!(
            hex(&hmac_sha256(
                &[0xaa; 131],
                b"Test Using Larger Than Block-Size Key - Hash Key First"
            )),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    #[test]
    fn hmac_handles_empty_and_exactly_block_sized_keys() {
        // Checked against Python's hmac module.
        assert_eq!(
            hex(&hmac_sha256(b"", b"")),
            "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad"
        );
        assert_eq!(
            hex(&hmac_sha256(&[b'k'; 64], b"person-1")),
            "7af42d5079c777eb670580b2eea96a2fe2e3a1e29c522677d4ba831ac49b3ef5"
        );
    }

    #[test]
    fn pseudonyms_are_stable_keyed_and_short() {
        let p = pseudonym(b"evaluation-key", "person-1");
        assert_eq!(p, "P-8e7b67268260");
        assert_eq!(pseudonym(b"evaluation-key", "person-1"), p);
        assert_ne!(pseudonym(b"another-key", "person-1"), p);
        assert_ne!(pseudonym(b"evaluation-key", "person-2"), p);
        assert_ne!(pseudonym(b"evaluation-key", "person-1 "), p, "ids are used exactly");
    }

    #[test]
    fn age_bands_have_the_right_boundaries() {
        let cases = [
            (0, "Under 18"),
            (17, "Under 18"),
            (18, "18-24"),
            (24, "18-24"),
            (25, "25-34"),
            (34, "25-34"),
            (35, "35-44"),
            (44, "35-44"),
            (45, "45-54"),
            (54, "45-54"),
            (55, "55-64"),
            (64, "55-64"),
            (65, "65+"),
            (103, "65+"),
            (u32::MAX, "65+"),
        ];
        for (age, band) in cases {
            assert_eq!(age_band(age), band, "age {age}");
            assert!(AGE_BANDS.contains(&band));
        }
    }

    proptest! {
        #[test]
        fn pseudonyms_always_have_the_same_shape(key in prop::collection::vec(any::<u8>(), 0..100), id in ".{0,40}") {
            let p = pseudonym(&key, &id);
            prop_assert_eq!(p.len(), 14);
            prop_assert!(p.starts_with("P-"));
            prop_assert!(p[2..].bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
            prop_assert_eq!(pseudonym(&key, &id), p);
        }
    }
}
