//! Staff accounts: list, create, edit, disable / enable, reset password.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::{Markup, html};
use serde::Deserialize;

use super::user_forms::{AccountForm, PasswordForm, account_fields};
use crate::audit::{self, Event};
use crate::auth::accounts::{self, NewUser, Team, User};
use crate::auth::current::require_admin;
use crate::auth::{CurrentUser, password, session};
use crate::clock::format_utc;
use crate::db::write_tx;
use crate::domain::{Role, password_policy};
use crate::state::AppState;
use crate::views::components::{self, Field, Tone};
use crate::views::{Page, layout};
use crate::web::error::AppError;
use crate::web::form::Errors;
use crate::web::htmx::Htmx;
use crate::web::{form_status, html as respond, see_other};

const RECORD: &str = "user";

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    role: String,
    #[serde(default)]
    status: String,
}

fn status_tag(u: &User) -> Markup {
    if u.disabled {
        components::tag("Disabled", Tone::Bad)
    } else {
        components::tag("Active", Tone::Good)
    }
}

fn users_table(users: &[User], teams: &[(String, String)]) -> Markup {
    let rows: Vec<Vec<Markup>> = users
        .iter()
        .map(|u| {
            let names: Vec<&str> = teams
                .iter()
                .filter(|(id, _)| id == &u.id)
                .map(|(_, n)| n.as_str())
                .collect();
            vec![
                html! { a href={ "/admin/users/" (u.id) } { (u.display_name) } },
                html! { (u.username) },
                html! { (u.role().map(Role::label).unwrap_or("Unknown")) },
                html! { (names.join(", ")) },
                status_tag(u),
            ]
        })
        .collect();
    html! {
        div #users-table {
            @if users.is_empty() { p { "No users match these filters." } }
            @else { (components::table(&format!("{} staff accounts", users.len()), &["Name", "Username", "Role", "Teams", "Status"], &rows)) }
        }
    }
}

pub async fn list(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<ListQuery>,
    htmx: Htmx,
) -> Result<HttpResponse, AppError> {
    require_admin(&state, &user, "user-list").await?;
    let role = query.role.parse::<Role>().ok();
    let status = match query.status.as_str() {
        "active" => Some(false),
        "disabled" => Some(true),
        _ => None,
    };
    let (now, actor) = (state.now(), user.actor());
    let (users, teams) = state
        .db(move |conn| {
            let users = accounts::list(conn, role, status)?;
            let ids: Vec<String> = users.iter().map(|u| u.id.clone()).collect();
            let teams = accounts::team_names_for(conn, &ids)?;
            audit::record(
                conn,
                now,
                &actor,
                Event::allowed(audit::VIEW)
                    .record("user-list", "-")
                    .detail(format!("{} users listed", users.len())),
            )?;
            Ok((users, teams))
        })
        .await?;
    let table = users_table(&users, &teams);
    if htmx.0 {
        return Ok(respond(StatusCode::OK, table));
    }
    let roles: Vec<(String, String)> = std::iter::once((String::new(), "Any role".into()))
        .chain(Role::ALL.iter().map(|r| (r.code().into(), r.label().into())))
        .collect();
    let statuses = [("", "Any status"), ("active", "Active"), ("disabled", "Disabled")]
        .map(|(a, b)| (a.to_string(), b.to_string()));
    let body = html! {
        h1.app-heading-l { "Staff accounts" }
        p { a.app-button href="/admin/users/new" { "Add a user" } }
        form.app-filter method="get" action="/admin/users" hx-get="/admin/users" hx-target="#users-table" hx-swap="outerHTML" hx-push-url="true" hx-trigger="change, submit" {
            (components::select("role", "Role", &roles, &query.role, &Errors::default()))
            (components::select("status", "Status", &statuses, &query.status, &Errors::default()))
            button.app-button.app-button--secondary type="submit" { "Filter" }
        }
        (table)
    };
    Ok(respond(
        StatusCode::OK,
        layout::render(&Page::signed_in("Staff accounts", &user, state.demo), body),
    ))
}

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
    require_admin(&state, &user, "user").await?;
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
    require_admin(&state, &user, "user").await?;
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

#[derive(Deserialize, Default)]
pub struct ShowQuery {
    done: Option<String>,
}

fn done_message(code: &str) -> Option<&'static str> {
    Some(match code {
        "created" => "User added",
        "updated" => "Changes saved",
        "disabled" => "Account disabled and signed out everywhere",
        "enabled" => "Account enabled",
        "password" => "Password changed and the user signed out everywhere",
        _ => return None,
    })
}

struct Detail {
    target: User,
    member_of: Vec<Team>,
    teams: Vec<Team>,
}

async fn load_detail(state: &AppState, user: &CurrentUser, id: String) -> Result<Detail, AppError> {
    let (now, actor) = (state.now(), user.actor());
    state
        .db(move |conn| {
            let target = accounts::find(conn, &id)?.ok_or(AppError::NotFound)?;
            audit::record(conn, now, &actor, Event::allowed(audit::VIEW).record(RECORD, &id))?;
            Ok(Detail {
                member_of: accounts::teams_of(conn, &id)?,
                teams: accounts::all_teams(conn)?,
                target,
            })
        })
        .await
}

fn detail_page(
    state: &AppState,
    user: &CurrentUser,
    d: &Detail,
    form: &AccountForm,
    errors: &Errors,
    done: Option<&str>,
) -> HttpResponse {
    let t = &d.target;
    let body = html! {
        (components::error_summary(errors))
        @if let Some(msg) = done { (components::notification(msg, true)) }
        h1.app-heading-l { (t.display_name) }
        (components::summary_list(&[
            ("Username", html! { (t.username) }),
            ("Status", status_tag(t)),
            ("Teams", html! { @for (i, team) in d.member_of.iter().enumerate() { @if i > 0 { ", " } (team.name) } }),
            ("Added", html! { (format_utc(t.created_at)) }),
            ("Last changed", html! { (format_utc(t.updated_at)) }),
        ]))
        h2.app-heading-m { "Change details" }
        form method="post" action={ "/admin/users/" (t.id) } novalidate {
            (components::csrf_field(&user.csrf_token))
            (account_fields(form, false, &d.teams, errors))
            button.app-button type="submit" { "Save changes" }
        }
        h2.app-heading-m { "Access" }
        ul.app-list {
            li { a href={ "/admin/users/" (t.id) "/password" } { "Set a new password" } }
            @if t.disabled {
                li { form method="post" action={ "/admin/users/" (t.id) "/enable" } {
                    (components::csrf_field(&user.csrf_token))
                    button.app-button.app-button--secondary type="submit" { "Enable account" }
                } }
            } @else if t.id != user.id {
                li { a href={ "/admin/users/" (t.id) "/disable" } { "Disable account" } }
            }
            li { a href={ "/admin/audit?record_type=user&record_id=" (t.id) } { "Who has viewed or changed this account" } }
        }
    };
    let page = Page::signed_in(&t.display_name, user, state.demo).with_errors(!errors.is_empty());
    respond(form_status(errors), layout::render(&page, body))
}

fn form_of(d: &Detail) -> AccountForm {
    AccountForm {
        username: d.target.username.clone(),
        display_name: d.target.display_name.clone(),
        role: d.target.role.clone(),
        teams: d.member_of.iter().map(|t| t.id.clone()).collect(),
        password: String::new(),
    }
}

pub async fn show(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<String>,
    query: web::Query<ShowQuery>,
) -> Result<HttpResponse, AppError> {
    require_admin(&state, &user, RECORD).await?;
    let d = load_detail(&state, &user, id.into_inner()).await?;
    let done = query.done.as_deref().and_then(done_message);
    Ok(detail_page(&state, &user, &d, &form_of(&d), &Errors::default(), done))
}

pub async fn update(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<String>,
    body: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    require_admin(&state, &user, RECORD).await?;
    let id = id.into_inner();
    let d = load_detail(&state, &user, id.clone()).await?;
    let form = AccountForm::from_pairs(body.into_inner());
    let (errors, role) = form.validate(false, &d.teams);
    let Some(role) = role.filter(|_| errors.is_empty()) else {
        return Ok(detail_page(&state, &user, &d, &form, &errors, None));
    };
    let before = form_of(&d);
    let team_name = |ids: &[String]| -> String {
        let names: Vec<&str> = d
            .teams
            .iter()
            .filter(|t| ids.contains(&t.id))
            .map(|t| t.name.as_str())
            .collect();
        names.join(", ")
    };
    let mut changes = Vec::new();
    if before.display_name != form.display_name.trim() {
        changes.push("full name changed".to_string());
    }
    if before.role != role.code() {
        changes.push(format!("role: {} -> {}", before.role, role));
    }
    let (old_teams, new_teams) = (team_name(&before.teams), team_name(&form.teams));
    if old_teams != new_teams {
        changes.push(format!("teams: [{old_teams}] -> [{new_teams}]"));
    }
    let (now, actor) = (state.now(), user.actor());
    state
        .db(move |conn| {
            write_tx(conn, |conn| -> Result<(), AppError> {
                accounts::update_profile(conn, now, &id, &form.display_name, role)?;
                accounts::set_teams(conn, &id, &form.teams)?;
                let detail = if changes.is_empty() {
                    "no changes".to_string()
                } else {
                    changes.join("; ")
                };
                audit::record(
                    conn,
                    now,
                    &actor,
                    Event::allowed(audit::UPDATE).record(RECORD, &id).detail(detail),
                )?;
                Ok(())
            })
        })
        .await?;
    Ok(see_other(&format!("/admin/users/{}?done=updated", d.target.id)))
}

pub async fn confirm_disable(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    require_admin(&state, &user, RECORD).await?;
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
    require_admin(state, user, RECORD).await?;
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
    require_admin(&state, &user, RECORD).await?;
    let d = load_detail(&state, &user, id.into_inner()).await?;
    Ok(password_page(&state, &user, &d.target, &Errors::default()))
}

pub async fn set_password(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<String>,
    form: web::Form<PasswordForm>,
) -> Result<HttpResponse, AppError> {
    require_admin(&state, &user, RECORD).await?;
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
