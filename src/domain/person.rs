//! Facts about a person that need care to get right: date of birth, age at the time of a
//! contact, and forgiving name matching for finding existing records.

mod age;
mod date_of_birth;
mod name_key;
mod nicknames;

pub use age::{ADULT_AGE, age_on, is_youth};
pub use date_of_birth::{FieldError, parse_date_of_birth};
pub use name_key::name_key;
pub use nicknames::{given_name_keys, given_names_match};
