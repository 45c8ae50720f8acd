//! Pure types and rules: no I/O, no HTML.

pub mod password_policy;
pub mod role;

pub use role::Role;
