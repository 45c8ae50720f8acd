//! Staff accounts, passwords, server-side sessions and sign-in.

pub mod accounts;
pub mod current;
pub mod handlers;
pub mod on_shift;
pub mod password;
pub mod session;

pub use current::CurrentUser;
