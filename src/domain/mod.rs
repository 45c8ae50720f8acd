//! Pure types and rules: no I/O, no HTML.

pub mod code;
pub mod codes;
pub mod csv;
pub mod date;
pub mod date_input;
pub mod episode;
pub mod identifiers;
pub mod ids;
pub mod local_time;
pub mod measures;
pub mod mhtr;
pub mod password_policy;
pub mod period;
pub mod person;
pub mod phone;
pub mod referral;
pub mod retention;
pub mod return_checks;
pub mod role;
pub mod sharing;
pub mod site;
pub mod smtp_url;
pub mod suppression;
pub mod team;
pub mod vetting;
pub mod words;
pub mod working_days;

pub use date::CalendarDate;
pub use role::Role;
pub use team::TeamKind;

/// Bytes as lower-case hexadecimal: how digests and tokens are written.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A new record id: a random UUID made in Rust, stored as text on both databases.
pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}
