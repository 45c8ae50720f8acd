//! Access to a staff account: disabling and enabling it, and setting a new password. Each
//! ends the account's sessions where it takes access away.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::html;

use super::RECORD;
use super::detail::load_detail;
use crate::admin::user_forms::PasswordForm;
use crate::audit::{self, Event};
use crate::auth::accounts::{self, User};
use crate::auth::{CurrentUser, password, session};
use crate::db::write_tx;
use crate::domain::password_policy;
use crate::views::components::{self, Field};
use crate::views::form::Errors;
use crate::views::{Page, layout};
use crate::web::error::AppError;
use crate::web::state::AppState;
use crate::web::{form_status, html as respond, see_other};

pub async fn confirm_disable(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let d = load_detail(&state, &user, id.into_inner()).await?;
    let t = &d.target;
    let body = html! {
        h1.app-heading-l { "Disable " (t.display_name) "'s account?" }
        p { "They will be signed out everywhere at once and cannot sign in until the account is enabled again. Their records and the audit trail are kept." }
        form method="post" action={ "/admin/users/" (t.id) "/disable" } {
            (components::csrf_field(&user.csrf_token))
            button.app-button.app-button--warning type="submit" { "Yes, disable account" }
        }
        p { a href={ "/admin/users/" (t.id) } { "No, go back" } }
    };
    Ok(respond(
        StatusCode::OK,
        layout::render(&Page::signed_in("Disable account", &user, state.demo), body),
    ))
}

async fn set_disabled(
    state: &AppState,
    user: &CurrentUser,
    id: String,
    disabled: bool,
) -> Result<HttpResponse, AppError> {
    if disabled && id == user.id {
        return Err(AppError::BadRequest("You cannot disable your own account."));
    }
    let (now, actor) = (state.now(), user.actor());
    let target = id.clone();
    state
        .db(move |conn| {
            write_tx(conn, |conn| -> Result<(), AppError> {
                if accounts::set_disabled(conn, now, &target, disabled)? == 0 {
                    return Err(AppError::NotFound);
                }
                let ended = if disabled {
                    session::revoke_all_for_user(conn, &target, now)?
                } else {
                    0
                };
                let (action, detail) = if disabled {
                    ("disable", format!("{ended} sessions ended"))
                } else {
                    ("enable", String::new())
                };
                audit::record(
                    conn,
                    now,
                    &actor,
                    Event::allowed(audit::UPDATE)
                        .record(RECORD, &target)
                        .detail(format!("{action} {detail}").trim().to_string()),
                )?;
                Ok(())
            })
        })
        .await?;
    Ok(see_other(&format!(
        "/admin/users/{id}?done={}",
        if disabled { "disabled" } else { "enabled" }
    )))
}

pub async fn disable(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    set_disabled(&state, &user, id.into_inner(), true).await
}

pub async fn enable(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    set_disabled(&state, &user, id.into_inner(), false).await
}

fn password_page(state: &AppState, user: &CurrentUser, target: &User, errors: &Errors) -> HttpResponse {
    let body = html! {
        (components::error_summary(errors))
        h1.app-heading-l { "Set a new password for " (target.display_name) }
        p { "They will be signed out everywhere. Tell them the new password in person." }
        form method="post" action={ "/admin/users/" (target.id) "/password" } novalidate {
            (components::csrf_field(&user.csrf_token))
            (components::input(Field::text("password", "New password", "").kind("password").hint("8 to 128 characters").autocomplete("new-password"), errors))
            button.app-button type="submit" { "Set password" }
        }
        p { a href={ "/admin/users/" (target.id) } { "Cancel" } }
    };
    let page = Page::signed_in("Set a new password", user, state.demo).with_errors(!errors.is_empty());
    respond(form_status(errors), layout::render(&page, body))
}

pub async fn password_form(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let d = load_detail(&state, &user, id.into_inner()).await?;
    Ok(password_page(&state, &user, &d.target, &Errors::default()))
}

pub async fn set_password(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<String>,
    form: web::Form<PasswordForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let mut errors = Errors::default();
    errors.check("password", password_policy::problem(&form.password));
    if !errors.is_empty() {
        let d = load_detail(&state, &user, id).await?;
        return Ok(password_page(&state, &user, &d.target, &errors));
    }
    let pw = form.into_inner().password;
    let hash = web::block(move || password::hash(&pw))
        .await?
        .map_err(AppError::Internal)?;
    let (now, actor, target) = (state.now(), user.actor(), id.clone());
    state
        .db(move |conn| {
            write_tx(conn, |conn| -> Result<(), AppError> {
                if accounts::set_password_hash(conn, now, &target, &hash)? == 0 {
                    return Err(AppError::NotFound);
                }
                let ended = session::revoke_all_for_user(conn, &target, now)?;
                audit::record(
                    conn,
                    now,
                    &actor,
                    Event::allowed(audit::UPDATE)
                        .record(RECORD, &target)
                        .detail(format!("password reset; {ended} sessions ended")),
                )?;
                Ok(())
            })
        })
        .await?;
    Ok(see_other(&format!("/admin/users/{id}?done=password")))
}
