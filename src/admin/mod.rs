//! Administration: staff accounts and teams.

pub mod teams;
pub mod users;
mod user_forms;
