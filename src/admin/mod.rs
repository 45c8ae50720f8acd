//! Administration: staff accounts and teams.

pub mod teams;
mod user_forms;
pub mod users;
