//! Staff accounts: list, create, edit, disable / enable, reset password.

mod access;
mod create;
mod detail;
mod list;
mod second_factor;

use actix_web::web;
use maud::Markup;

use crate::auth::accounts::User;
use crate::auth::password;
use crate::views::components::{self, Tone};
use crate::web::error::AppError;

pub use access::{confirm_disable, disable, enable, password_form, set_password};
pub use create::{create, new_form};
pub use detail::{show, update};
pub use list::list;
pub use second_factor::{confirm_reset_factor, reset_factor};

/// The audit record type of staff accounts.
const RECORD: &str = "user";

fn status_tag(u: &User) -> Markup {
    if u.disabled {
        components::tag("Disabled", Tone::Bad)
    } else {
        components::tag("Active", Tone::Good)
    }
}

/// Hashes a password on the blocking pool: hashing is slow on purpose.
async fn hash_password(password: String) -> Result<String, AppError> {
    web::block(move || password::hash(&password))
        .await?
        .map_err(AppError::Internal)
}
