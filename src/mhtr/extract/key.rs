//! The secret key behind the extract's pseudonyms: 32 random bytes made on first use and kept
//! in the `settings` table, so the same person gets the same pseudonym in every extract. It
//! never leaves the database; without it a pseudonym cannot be traced back to a record.

use diesel::QueryResult;
use diesel::result::Error;

use crate::auth::session::random_token;
use crate::db::DbConnection;
use crate::settings;

const NAME: &str = "mhtr-extract-pseudonym-key";

fn decode(hex: &str) -> Option<Vec<u8>> {
    if hex.len() != 64 {
        return None;
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).ok())
        .collect()
}

/// The key, made (32 random bytes, as 64 hex digits) and stored the first time it is needed.
pub fn get_or_create(conn: &mut DbConnection) -> QueryResult<Vec<u8>> {
    let hex = settings::get_or_insert(conn, NAME, random_token)?;
    decode(&hex).ok_or_else(|| Error::DeserializationError("the stored pseudonym key is not 64 hex digits".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_64_hex_digits_read_as_a_key() {
        assert_eq!(decode(&"0a".repeat(32)), Some(vec![10; 32]));
        assert_eq!(decode("0a"), None);
        assert_eq!(decode(&"zz".repeat(32)), None);
    }
}
