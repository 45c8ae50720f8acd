//! Adding a staff account.

use actix_web::{HttpResponse, web};
use maud::html;

use super::{RECORD, hash_password};
use crate::admin::user_forms::{AccountForm, account_fields};
use crate::audit::{self, Event};
use crate::auth::accounts::{self, NewUser, Team};
use crate::domain::ids::TeamId;
use crate::views::components;
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::see_other;

fn new_user_page(ctx: &Ctx, form: &AccountForm, teams: &[Team], errors: &Errors) -> HttpResponse {
    let body = html! {
        (components::error_summary(errors))
        h1.app-heading-l { "Add a user" }
        form method="post" action="/admin/users" novalidate {
            (components::csrf_field(&ctx.user.csrf_token))
            (account_fields(form, true, teams, errors))
            button.app-button type="submit" { "Add user" }
        }
    };
    ctx.form_page("Add a user", errors, body)
}

pub async fn new_form(ctx: Ctx) -> Result<HttpResponse, AppError> {
    let teams = ctx.read(|conn| Ok(accounts::all_teams(conn)?)).await?;
    Ok(new_user_page(&ctx, &AccountForm::default(), &teams, &Errors::default()))
}

pub async fn create(ctx: Ctx, body: web::Form<Vec<(String, String)>>) -> Result<HttpResponse, AppError> {
    let form = AccountForm::from_pairs(body.into_inner());
    let teams = ctx.read(|conn| Ok(accounts::all_teams(conn)?)).await?;
    let (mut errors, role) = form.validate(true, &teams);
    let Some(role) = role.filter(|_| errors.is_empty()) else {
        return Ok(new_user_page(&ctx, &form, &teams, &errors));
    };
    let hash = hash_password(form.password.clone()).await?;
    let f = form.clone();
    let created = ctx
        .write(move |tx| {
            if accounts::find_by_username(tx.conn, &f.username)?.is_some() {
                return Ok(None);
            }
            let new = NewUser {
                username: &f.username,
                display_name: &f.display_name,
                role,
                password_hash: &hash,
                team_ids: &f.teams.iter().map(|t| TeamId::from(t.as_str())).collect::<Vec<_>>(),
            };
            let id = accounts::create(tx.conn, tx.now, &new)?;
            let detail = format!(
                "username={}; role={}; teams={}",
                accounts::normalise_username(&f.username),
                role,
                f.teams.len()
            );
            tx.audit(Event::allowed(audit::CREATE).record(RECORD, &id).detail(detail))?;
            Ok(Some(id))
        })
        .await?;
    match created {
        Some(id) => Ok(see_other(&format!("/admin/users/{id}?done=created"))),
        None => {
            errors.add(
                "username",
                "A user with this username already exists. Choose another username",
            );
            Ok(new_user_page(&ctx, &form, &teams, &errors))
        }
    }
}
