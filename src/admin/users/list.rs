//! The list of staff accounts, filtered by role and status; htmx swaps only the table.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::{Markup, html};
use serde::Deserialize;

use super::status_tag;
use crate::audit::{self, Event};
use crate::auth::accounts::{self, User};
use crate::domain::Role;
use crate::views::components;
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::html as respond;

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    role: String,
    #[serde(default)]
    status: String,
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

pub async fn list(ctx: Ctx, query: web::Query<ListQuery>) -> Result<HttpResponse, AppError> {
    let role = query.role.parse::<Role>().ok();
    let status = match query.status.as_str() {
        "active" => Some(false),
        "disabled" => Some(true),
        _ => None,
    };
    let (users, teams) = ctx
        .read(move |conn| {
            let users = accounts::list(conn, role, status)?;
            let ids: Vec<String> = users.iter().map(|u| u.id.clone()).collect();
            let teams = accounts::team_names_for(conn, &ids)?;
            Ok((users, teams))
        })
        .await?;
    ctx.audit(
        Event::allowed(audit::VIEW)
            .record("user-list", "-")
            .detail(format!("{} users listed", users.len())),
    )
    .await?;
    let table = users_table(&users, &teams);
    if ctx.htmx {
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
        form.app-filter method="get" action="/admin/users" data-hx-get="/admin/users" data-hx-target="#users-table" data-hx-swap="outerHTML" data-hx-push-url="true" data-hx-trigger="change, submit" {
            (components::select("role", "Role", &roles, &query.role, &Errors::default()))
            (components::select("status", "Status", &statuses, &query.status, &Errors::default()))
            button.app-button.app-button--secondary type="submit" { "Filter" }
        }
        (table)
    };
    Ok(ctx.render(StatusCode::OK, &ctx.page("Staff accounts"), body))
}
