//! Adding a staff account.

use actix_web::{HttpResponse, web};
use maud::html;

use super::RECORD;
use crate::admin::user_forms::{AccountForm, account_fields};
use crate::audit::{self, Event};
use crate::auth::accounts::{self, NewUser, Team};
use crate::auth::{CurrentUser, password};
use crate::db::write_tx;
use crate::views::components;
use crate::views::form::Errors;
use crate::views::{Page, layout};
use crate::web::error::AppError;
use crate::web::state::AppState;
use crate::web::{form_status, html as respond, see_other};

fn new_user_page(
    state: &AppState,
    user: &CurrentUser,
    form: &AccountForm,
    teams: &[Team],
    errors: &Errors,
) -> HttpResponse {
    let body = html! {
        (components::error_summary(errors))
        h1.app-heading-l { "Add a user" }
        form method="post" action="/admin/users" novalidate {
            (components::csrf_field(&user.csrf_token))
            (account_fields(form, true, teams, errors))
            button.app-button type="submit" { "Add user" }
        }
    };
    let page = Page::signed_in("Add a user", user, state.demo).with_errors(!errors.is_empty());
    respond(form_status(errors), layout::render(&page, body))
}

pub async fn new_form(state: web::Data<AppState>, user: CurrentUser) -> Result<HttpResponse, AppError> {
    let teams = state.db(|conn| Ok(accounts::all_teams(conn)?)).await?;
    Ok(new_user_page(
        &state,
        &user,
        &AccountForm::default(),
        &teams,
        &Errors::default(),
    ))
}

pub async fn create(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let form = AccountForm::from_pairs(body.into_inner());
    let teams = state.db(|conn| Ok(accounts::all_teams(conn)?)).await?;
    let (mut errors, role) = form.validate(true, &teams);
    let hash = match (&role, errors.is_empty()) {
        (Some(_), true) => {
            let pw = form.password.clone();
            Some(
                web::block(move || password::hash(&pw))
                    .await?
                    .map_err(AppError::Internal)?,
            )
        }
        _ => None,
    };
    let (Some(role), Some(hash)) = (role, hash) else {
        return Ok(new_user_page(&state, &user, &form, &teams, &errors));
    };
    let (now, actor, f) = (state.now(), user.actor(), form.clone());
    let created = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                if accounts::find_by_username(conn, &f.username)?.is_some() {
                    return Ok(None);
                }
                let new = NewUser {
                    username: &f.username,
                    display_name: &f.display_name,
                    role,
                    password_hash: &hash,
                    team_ids: &f.teams,
                };
                let id = accounts::create(conn, now, &new)?;
                let detail = format!(
                    "username={}; role={}; teams={}",
                    accounts::normalise_username(&f.username),
                    role,
                    f.teams.len()
                );
                audit::record(
                    conn,
                    now,
                    &actor,
                    Event::allowed(audit::CREATE).record(RECORD, &id).detail(detail),
                )?;
                Ok(Some(id))
            })
        })
        .await?;
    match created {
        Some(id) => Ok(see_other(&format!("/admin/users/{id}?done=created"))),
        None => {
            errors.add(
                "username",
                "A user with this username already exists. Choose another username",
            );
            Ok(new_user_page(&state, &user, &form, &teams, &errors))
        }
    }
}
