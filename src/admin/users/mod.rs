//! Staff accounts: list, create, edit, disable / enable, reset password.

mod access;
mod create;
mod detail;
mod list;
mod second_factor;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::{Markup, html};

use crate::auth::accounts::User;
use crate::auth::password;
use crate::views::components::{self, Tone};
use crate::web::context::Ctx;
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

/// The page that asks before a drastic change to an account: the question, what it does, a
/// warning button that posts to `/admin/users/{id}/{action}`, and the way back.
fn ask_first(
    ctx: &Ctx,
    title: &str,
    target: &User,
    question: &str,
    explained: Markup,
    action: &str,
    yes: &str,
) -> HttpResponse {
    let body = html! {
        h1.app-heading-l { (question) }
        (explained)
        form method="post" action={ "/admin/users/" (target.id) "/" (action) } {
            (components::csrf_field(&ctx.user.csrf_token))
            button.app-button.app-button--warning type="submit" { (yes) }
        }
        p { a href={ "/admin/users/" (target.id) } { "No, go back" } }
    };
    ctx.render(StatusCode::OK, &ctx.page(title), body)
}

/// Hashes a password on the blocking pool: hashing is slow on purpose.
async fn hash_password(password: String) -> Result<String, AppError> {
    web::block(move || password::hash(&password))
        .await?
        .map_err(AppError::Internal)
}
