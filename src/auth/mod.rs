//! Staff accounts, passwords, server-side sessions and the signed-in user. The session is
//! resolved per request by `web::session`; the sign-in pages are the `signin` feature.

pub mod accounts;
pub mod current;
pub mod on_shift;
pub mod password;
pub mod pending;
pub mod second_factor;
pub mod session;
pub mod totp;

pub use current::CurrentUser;
