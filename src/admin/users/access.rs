//! Access to a staff account: disabling and enabling it, and setting a new password. Each
//! ends the account's sessions where it takes access away.

use actix_web::{HttpResponse, web};
use maud::html;

use super::detail::load_detail;
use super::{RECORD, ask_first, hash_password};
use crate::admin::user_forms::PasswordForm;
use crate::audit::{self, Event};
use crate::auth::accounts::{self, User};
use crate::auth::session;
use crate::domain::password_policy;
use crate::views::components::{self, Field};
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::see_other;

pub async fn confirm_disable(ctx: Ctx, id: web::Path<String>) -> Result<HttpResponse, AppError> {
    let d = load_detail(&ctx, id.into_inner()).await?;
    let t = &d.target;
    let explained = html! {
        p { "They will be signed out everywhere at once and cannot sign in until the account is enabled again. Their records and the audit trail are kept." }
    };
    let question = format!("Disable {}'s account?", t.display_name);
    Ok(ask_first(
        &ctx,
        "Disable account",
        t,
        &question,
        explained,
        "disable",
        "Yes, disable account",
    ))
}

async fn set_disabled(ctx: &Ctx, id: String, disabled: bool) -> Result<HttpResponse, AppError> {
    // Not a role check (the route guard makes that): an administrator cannot lock themself out.
    if disabled && id == ctx.user.id {
        return Err(AppError::BadRequest("You cannot disable your own account."));
    }
    let target = id.clone();
    ctx.write(move |tx| {
        if accounts::set_disabled(tx.conn, tx.now, &target, disabled)? == 0 {
            return Err(AppError::NotFound);
        }
        let detail = if disabled {
            let ended = session::revoke_all_for_user(tx.conn, &target, tx.now)?;
            format!("disable {ended} sessions ended")
        } else {
            "enable".to_string()
        };
        tx.audit(Event::allowed(audit::UPDATE).record(RECORD, &target).detail(detail))
    })
    .await?;
    let done = if disabled { "disabled" } else { "enabled" };
    Ok(see_other(&format!("/admin/users/{id}?done={done}")))
}

pub async fn disable(ctx: Ctx, id: web::Path<String>) -> Result<HttpResponse, AppError> {
    set_disabled(&ctx, id.into_inner(), true).await
}

pub async fn enable(ctx: Ctx, id: web::Path<String>) -> Result<HttpResponse, AppError> {
    set_disabled(&ctx, id.into_inner(), false).await
}

fn password_page(ctx: &Ctx, target: &User, errors: &Errors) -> HttpResponse {
    let body = html! {
        (components::error_summary(errors))
        h1.app-heading-l { "Set a new password for " (target.display_name) }
        p { "They will be signed out everywhere. Tell them the new password in person." }
        form method="post" action={ "/admin/users/" (target.id) "/password" } novalidate {
            (components::csrf_field(&ctx.user.csrf_token))
            (components::input(Field::text("password", "New password", "").kind("password").hint("8 to 128 characters").autocomplete("new-password"), errors))
            button.app-button type="submit" { "Set password" }
        }
        p { a href={ "/admin/users/" (target.id) } { "Cancel" } }
    };
    ctx.form_page("Set a new password", errors, body)
}

pub async fn password_form(ctx: Ctx, id: web::Path<String>) -> Result<HttpResponse, AppError> {
    let d = load_detail(&ctx, id.into_inner()).await?;
    Ok(password_page(&ctx, &d.target, &Errors::default()))
}

pub async fn set_password(
    ctx: Ctx,
    id: web::Path<String>,
    form: web::Form<PasswordForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let mut errors = Errors::default();
    errors.check("password", password_policy::problem(&form.password));
    if !errors.is_empty() {
        let d = load_detail(&ctx, id).await?;
        return Ok(password_page(&ctx, &d.target, &errors));
    }
    let hash = hash_password(form.into_inner().password).await?;
    let target = id.clone();
    ctx.write(
        move |tx| match accounts::reset_password(tx.conn, tx.now, tx.actor, (&target, &hash))? {
            Some(_) => Ok(()),
            None => Err(AppError::NotFound),
        },
    )
    .await?;
    Ok(see_other(&format!("/admin/users/{id}?done=password")))
}
