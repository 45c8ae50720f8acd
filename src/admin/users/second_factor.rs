//! An administrator resets a user's second factor (a lost phone with no recovery codes
//! left): asked first, then the factor and recovery codes are removed, every session and
//! pending sign-in of the user ends, and the reset is audited. Where the deployment requires
//! a factor, the user sets up a new one at their next sign-in.

use actix_web::{HttpResponse, web};
use maud::html;

use super::ask_first;
use super::detail::load_detail;
use crate::auth::second_factor;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::see_other;

pub async fn confirm_reset_factor(ctx: Ctx, id: web::Path<String>) -> Result<HttpResponse, AppError> {
    let d = load_detail(&ctx, id.into_inner()).await?;
    let t = &d.target;
    let uid = t.id.clone();
    let has = ctx.read(move |conn| Ok(second_factor::has_factor(conn, &uid)?)).await?;
    let explained = html! {
        @if has {
            p { "Their authenticator app and recovery codes will stop working, and they will be signed out everywhere at once. If their role or this service requires a second factor, they set up a new one the next time they sign in." }
            p { "Check it is really them asking, in person or by calling them back on a number you already hold." }
        } @else {
            p { "They have no second factor set up. Resetting signs them out everywhere and changes nothing else." }
        }
    };
    let question = format!("Reset {}'s second factor?", t.display_name);
    Ok(ask_first(
        &ctx,
        "Reset second factor",
        t,
        &question,
        explained,
        "second-factor",
        "Yes, reset second factor",
    ))
}

pub async fn reset_factor(ctx: Ctx, id: web::Path<String>) -> Result<HttpResponse, AppError> {
    let d = load_detail(&ctx, id.into_inner()).await?;
    let target = d.target.id.clone();
    ctx.write(move |tx| Ok(second_factor::reset(tx.conn, tx.now, tx.actor, &target)?))
        .await?;
    Ok(see_other(&format!("/admin/users/{}?done=second-factor", d.target.id)))
}
