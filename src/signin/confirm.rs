//! `/account/confirm`: the re-authentication step (`web::reauth`). A user with a second
//! factor enters a code from their app (or a recovery code); a user without one enters
//! their password (decision 0018). Failures count towards the sign-in throttle like any
//! other; success marks the session as freshly confirmed and returns to `next`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::html;
use serde::Deserialize;

use super::code::{self, Checked};
use super::{factor_views, throttle};
use crate::audit::{self, Event};
use crate::auth::{accounts, password, second_factor, session};
use crate::views::components::{self, Field};
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::reauth::{CONFIRM_PATH, safe_next};
use crate::web::see_other;

#[derive(Deserialize)]
pub struct ConfirmQuery {
    #[serde(default)]
    next: String,
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    next: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    password: String,
}

fn page(ctx: &Ctx, has_factor: bool, next: &str, errors: &Errors) -> HttpResponse {
    let minutes = ctx.state.config.reauth_minutes;
    let body = html! {
        (components::error_summary(errors))
        h1.app-heading-l { "Confirm it is you" }
        p { "What you are about to do needs you to confirm who you are. You will not be asked again for " (minutes) " minutes." }
        form method="post" action=(CONFIRM_PATH) novalidate {
            (components::csrf_field(&ctx.user.csrf_token))
            input type="hidden" name="next" value=(next);
            @if has_factor {
                (factor_views::code_field("Code from your authenticator app", "6 digits, or one of your recovery codes", errors))
            } @else {
                (components::input(Field::text("password", "Your password", "").kind("password").autocomplete("current-password").hint("You have no second factor set up, so your password confirms it is you."), errors))
            }
            button.app-button type="submit" { "Confirm" }
        }
        p { a href="/" { "Cancel" } }
    };
    ctx.form_page("Confirm it is you", errors, body)
}

async fn has_factor(ctx: &Ctx) -> Result<bool, AppError> {
    let uid = ctx.user.id.clone();
    ctx.read(move |conn| Ok(second_factor::has_factor(conn, &uid)?)).await
}

pub async fn show(ctx: Ctx, query: web::Query<ConfirmQuery>) -> Result<HttpResponse, AppError> {
    let next = safe_next(&query.next).unwrap_or("/").to_string();
    Ok(page(&ctx, has_factor(&ctx).await?, &next, &Errors::default()))
}

pub async fn confirm(ctx: Ctx, form: web::Form<ConfirmForm>) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let next = safe_next(&form.next).unwrap_or("/").to_string();
    let has = has_factor(&ctx).await?;
    let mut errors = Errors::default();
    let (field, typed) = if has {
        ("code", &form.code)
    } else {
        ("password", &form.password)
    };
    if typed.trim().is_empty() {
        errors.add(
            field,
            if has {
                "Enter the code your authenticator app shows"
            } else {
                "Enter your password"
            },
        );
        return Ok(page(&ctx, has, &next, &errors));
    }
    let how = if has {
        let checked = code::check(&ctx.state, ctx.actor(), &ctx.user.id, typed).await?;
        if let Some(message) = code::message(&checked) {
            errors.add("code", message);
            let mut res = page(&ctx, has, &next, &errors);
            if matches!(checked, Checked::Throttled(_)) {
                *res.status_mut() = StatusCode::TOO_MANY_REQUESTS;
            }
            return Ok(res);
        }
        match checked {
            Checked::Recovery { left } => format!("confirmed with a recovery code; {left} left"),
            _ => "confirmed with a code".to_string(),
        }
    } else {
        if let Some(message) = check_password(&ctx, typed.clone()).await? {
            errors.add("password", message);
            return Ok(page(&ctx, has, &next, &errors));
        }
        "confirmed with the password (no second factor)".to_string()
    };
    let (sid, uid) = (ctx.user.session_id.clone(), ctx.user.id.clone());
    ctx.write(move |tx| {
        session::mark_factor_checked(tx.conn, &sid, tx.now)?;
        tx.audit(Event::allowed(audit::SECOND_FACTOR).record("user", &uid).detail(how))
    })
    .await?;
    Ok(see_other(&next))
}

/// The password check for a user without a factor, throttled and audited as sign-in is.
async fn check_password(ctx: &Ctx, typed: String) -> Result<Option<String>, AppError> {
    let (cfg, now, actor) = (ctx.state.config.clone(), ctx.now(), ctx.actor());
    let (uid, name, addr) = (
        ctx.user.id.clone(),
        ctx.user.username.clone(),
        ctx.user.client_addr.clone(),
    );
    let (locked, stored) = ctx
        .read(move |conn| {
            let locked = throttle::locked_until(conn, (&name, Some(&uid)), &addr, now, &cfg)?;
            let user = accounts::find_by_username(conn, &name)?;
            Ok((locked, user.map(|u| u.password_hash)))
        })
        .await?;
    let stored = stored.unwrap_or_else(|| password::decoy_hash().to_string());
    let matches = web::block(move || password::verify(&typed, &stored)).await?;
    let deny = |detail| {
        Event::denied(audit::SIGN_IN)
            .record("user", &ctx.user.id)
            .detail(detail)
    };
    if let Some(until) = locked {
        ctx.state.journal.record(now, &actor, deny("throttled")).await?;
        let minutes = (until - now + 59_999) / 60_000;
        return Ok(Some(format!(
            "Too many failed attempts. Wait {} and try again",
            crate::domain::words::count(minutes, "minute", "minutes")
        )));
    }
    if !matches {
        ctx.state.journal.record(now, &actor, deny(throttle::WRONG)).await?;
        return Ok(Some("Enter your correct password".into()));
    }
    Ok(None)
}
