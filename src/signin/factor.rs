//! `/account/second-factor`: a user's own second factor. Without one, the page sets one up
//! once the password is confirmed again (QR code and key, then a code to confirm it, then
//! ten recovery codes shown once; a code only the shown secret makes). With
//! one, it shows when it was set up and how many recovery codes are left, and — after the
//! factor is confirmed again (`web::reauth`) — sets up a different phone, makes new recovery
//! codes (the old ones stop working) or removes the factor where the role does not need it.

use actix_web::{HttpResponse, web};
use maud::html;
use serde::Deserialize;

use super::factor_views;
use crate::audit::{self, Actor, Event};
use crate::auth::{second_factor, totp};
use crate::domain::local_time;
use crate::views::components;
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::reauth::{self, Reauthenticated};
use crate::web::see_other;
use crate::web::state::AppState;

pub const PATH: &str = "/account/second-factor";
pub const NEW_PATH: &str = "/account/second-factor/new";
pub const REMOVE_PATH: &str = "/account/second-factor/remove";
pub const RECOVERY_PATH: &str = "/account/second-factor/recovery";

#[derive(Deserialize)]
pub struct ShowQuery {
    recovery_left: Option<usize>,
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

/// Checks a code against the candidate secret the user was shown; on success the candidate
/// becomes their factor (replacing any earlier one) with ten new recovery codes, returned
/// to be shown once. On failure, the errors and the secret to show again; nothing stored.
pub(crate) async fn confirm_candidate(
    state: &AppState,
    actor: &Actor,
    user_id: &str,
    typed: &str,
) -> Result<Result<Vec<String>, (Errors, Vec<u8>)>, AppError> {
    let (uid, now) = (user_id.to_string(), state.now());
    let secret = state
        .db(move |conn| {
            Ok(crate::db::write_tx(conn, |conn| {
                second_factor::candidate(conn, &uid, now)
            })?)
        })
        .await?;
    let mut errors = Errors::default();
    let step = totp::matching_step(&secret, typed, now, None);
    match step {
        _ if typed.trim().is_empty() => errors.add("code", "Enter the code your authenticator app shows"),
        None => errors.add(
            "code",
            "Enter the 6-digit code your app shows now for Liaison. If it keeps failing, check the time on your phone is set automatically",
        ),
        Some(_) => {}
    }
    let Some(step) = step.filter(|_| errors.is_empty()) else {
        return Ok(Err((errors, secret)));
    };
    let (shown, hashes) = web::block(second_factor::new_recovery_codes)
        .await?
        .map_err(AppError::Internal)?;
    let (uid, actor) = (user_id.to_string(), actor.clone());
    state
        .db(move |conn| {
            crate::db::write_tx(conn, |conn| -> Result<(), AppError> {
                second_factor::confirm(conn, &uid, &secret, step, &hashes, now)?;
                let event = Event::allowed(audit::SECOND_FACTOR)
                    .record("user", &uid)
                    .detail("second factor set up; 10 recovery codes made");
                Ok(audit::record(conn, now, &actor, event)?)
            })
        })
        .await?;
    Ok(Ok(shown))
}

async fn enrol_body(ctx: &Ctx, errors: &Errors, secret: Option<Vec<u8>>) -> Result<maud::Markup, AppError> {
    let secret = match secret {
        Some(s) => s,
        None => {
            let (uid, now) = (ctx.user.id.clone(), ctx.now());
            ctx.write(move |tx| Ok(second_factor::candidate(tx.conn, &uid, now)?))
                .await?
        }
    };
    Ok(factor_views::enrol_form(
        PATH,
        &ctx.user.csrf_token,
        &ctx.user.username,
        &secret,
        ctx.state.demo,
        errors,
    ))
}

fn required(ctx: &Ctx) -> bool {
    second_factor::required(ctx.user.role, &ctx.state.config, ctx.state.demo)
}

pub async fn show(ctx: Ctx, query: web::Query<ShowQuery>) -> Result<HttpResponse, AppError> {
    let uid = ctx.user.id.clone();
    let (enrolled_at, left) = ctx
        .read(move |conn| {
            Ok((
                second_factor::enrolled_at(conn, &uid)?,
                second_factor::unused_recovery(conn, &uid)?.len(),
            ))
        })
        .await?;
    let Some(enrolled_at) = enrolled_at else {
        // The secret is shown only after the password is confirmed again: someone with a
        // stolen session cannot set up a factor of their own and lock the user out.
        reauth::require(&ctx.user, &ctx.state, PATH, ctx.htmx)?;
        let form = enrol_body(&ctx, &Errors::default(), None).await?;
        let body = html! {
            h1.app-heading-l { "Set up a second factor" }
            @if required(&ctx) {
                p { "Your role needs a second factor: a 6-digit code from an authenticator app on your phone, asked for after your password." }
            } @else {
                p { "A second factor protects your account if your password is ever stolen: after your password, you enter a 6-digit code from an authenticator app on your phone." }
            }
            (form)
        };
        return Ok(ctx.form_page("Set up a second factor", &Errors::default(), body));
    };
    let body = html! {
        @if let Some(n) = query.recovery_left {
            (components::notification(&format!("You signed in with a recovery code. It cannot be used again; you have {n} left."), false))
        }
        h1.app-heading-l { "Your second factor" }
        (components::summary_list(&[
            ("Authenticator app", html! { "Set up " (local_time::date_time(enrolled_at)) }),
            ("Recovery codes left", html! { (left) " of " (second_factor::RECOVERY_CODES) }),
        ]))
        p { "Changing your second factor asks for a code from your app first." }
        p { a href=(NEW_PATH) { "Set up a different phone or app" } }
        form.app-inline-form method="post" action=(RECOVERY_PATH) {
            (components::csrf_field(&ctx.user.csrf_token))
            button.app-button.app-button--secondary type="submit" { "Make new recovery codes" }
        }
        @if required(&ctx) {
            p { "Your role needs a second factor, so it cannot be removed. If you lose your phone and your recovery codes, ask an administrator to reset it." }
        } @else {
            form.app-inline-form method="post" action=(REMOVE_PATH) {
                (components::csrf_field(&ctx.user.csrf_token))
                button.app-button.app-button--warning type="submit" { "Remove my second factor" }
            }
        }
    };
    Ok(ctx.form_page("Your second factor", &Errors::default(), body))
}

/// A different phone: the set-up steps again, after confirming the current factor.
pub async fn new_form(ctx: Ctx, _fresh: Reauthenticated) -> Result<HttpResponse, AppError> {
    let form = enrol_body(&ctx, &Errors::default(), None).await?;
    let body = html! {
        h1.app-heading-l { "Set up a different phone or app" }
        p { "Your old app's codes stop working when you confirm the new one." }
        (form)
    };
    Ok(ctx.form_page("Set up a different phone or app", &Errors::default(), body))
}

pub async fn enrol(ctx: Ctx, form: web::Form<CodeForm>) -> Result<HttpResponse, AppError> {
    let uid = ctx.user.id.clone();
    let has = ctx.read(move |conn| Ok(second_factor::has_factor(conn, &uid)?)).await?;
    if has {
        reauth::require(&ctx.user, &ctx.state, NEW_PATH, ctx.htmx)?;
    }
    match confirm_candidate(&ctx.state, &ctx.actor(), &ctx.user.id, &form.code).await? {
        Ok(codes) => {
            let body = html! {
                h1.app-heading-l { "Your second factor is set up" }
                p { "From now on, sign in with your password and a code from your app." }
                (factor_views::recovery_codes(&codes, PATH))
            };
            Ok(ctx.form_page("Your second factor is set up", &Errors::default(), body))
        }
        Err((errors, secret)) => {
            let form = enrol_body(&ctx, &errors, Some(secret)).await?;
            let body = html! {
                (components::error_summary(&errors))
                h1.app-heading-l { "Set up a second factor" }
                (form)
            };
            Ok(ctx.form_page("Set up a second factor", &errors, body))
        }
    }
}

/// New recovery codes; the old ones stop working.
pub async fn new_recovery(ctx: Ctx) -> Result<HttpResponse, AppError> {
    reauth::require(&ctx.user, &ctx.state, PATH, ctx.htmx)?;
    let uid = ctx.user.id.clone();
    if !ctx.read(move |conn| Ok(second_factor::has_factor(conn, &uid)?)).await? {
        return Ok(see_other(PATH));
    }
    let (shown, hashes) = web::block(second_factor::new_recovery_codes)
        .await?
        .map_err(AppError::Internal)?;
    let uid = ctx.user.id.clone();
    ctx.write(move |tx| {
        second_factor::replace_recovery_codes(tx.conn, &uid, &hashes, tx.now)?;
        tx.audit(
            Event::allowed(audit::SECOND_FACTOR)
                .record("user", &uid)
                .detail("new recovery codes made; the old ones no longer work"),
        )
    })
    .await?;
    let body = html! {
        h1.app-heading-l { "New recovery codes" }
        p { "Your old recovery codes no longer work." }
        (factor_views::recovery_codes(&shown, PATH))
    };
    Ok(ctx.form_page("New recovery codes", &Errors::default(), body))
}

pub async fn remove(ctx: Ctx) -> Result<HttpResponse, AppError> {
    reauth::require(&ctx.user, &ctx.state, PATH, ctx.htmx)?;
    if required(&ctx) {
        return Err(AppError::Refused(
            "Your role needs a second factor, so it cannot be removed".into(),
        ));
    }
    let uid = ctx.user.id.clone();
    ctx.write(move |tx| {
        if second_factor::remove(tx.conn, &uid)? {
            tx.audit(
                Event::allowed(audit::SECOND_FACTOR)
                    .record("user", &uid)
                    .detail("second factor removed by its user"),
            )?;
        }
        Ok(())
    })
    .await?;
    Ok(see_other(PATH))
}
