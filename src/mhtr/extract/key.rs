//! The secret key behind the extract's pseudonyms: 32 random bytes made on first use and kept
//! in the `settings` table, so the same person gets the same pseudonym in every extract. It
//! never leaves the database; without it a pseudonym cannot be traced back to a record.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use diesel::prelude::*;

use crate::db::schema::settings;
use crate::db::{DbConnection, write_tx};

const NAME: &str = "mhtr-extract-pseudonym-key";

fn stored(conn: &mut DbConnection) -> QueryResult<Option<Vec<u8>>> {
    let hex: Option<String> = settings::table
        .find(NAME)
        .select(settings::value)
        .first(conn)
        .optional()?;
    Ok(hex.and_then(|h| decode(&h)))
}

fn decode(hex: &str) -> Option<Vec<u8>> {
    if hex.len() != 64 {
        return None;
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).ok())
        .collect()
}

/// The key, made and stored the first time it is needed. Two first exports at once both try
/// to store one; the loser's insert fails and it reads the winner's.
pub fn get_or_create(conn: &mut DbConnection) -> QueryResult<Vec<u8>> {
    if let Some(key) = stored(conn)? {
        return Ok(key);
    }
    let mut key = [0u8; 32];
    OsRng.fill_bytes(&mut key);
    let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
    let inserted = write_tx(conn, |conn| {
        if stored(conn)?.is_some() {
            return Ok(0);
        }
        diesel::insert_into(settings::table)
            .values((settings::name.eq(NAME), settings::value.eq(&hex)))
            .execute(conn)
    });
    match (inserted, stored(conn)?) {
        (_, Some(key)) => Ok(key),
        (Err(e), None) => Err(e),
        (Ok(_), None) => Err(diesel::result::Error::NotFound),
    }
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
