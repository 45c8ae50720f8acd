//! Teams: the groups whose records a practitioner may see.

use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use maud::{Markup, html};
use serde::Deserialize;

use crate::audit::{self, Event};
use crate::auth::CurrentUser;
use crate::auth::accounts::{self, Team};
use crate::db::schema::user_teams;
use crate::db::write_tx;
use crate::state::AppState;
use crate::views::components::{self, Field};
use crate::views::{Page, layout};
use crate::web::error::AppError;
use crate::web::form::Errors;
use crate::web::htmx::Htmx;
use crate::web::{form_status, html as respond};

#[derive(Deserialize, Default)]
pub struct TeamForm {
    #[serde(default)]
    name: String,
}

/// The table and the add form: the part htmx swaps after adding a team.
fn teams_section(
    user: &CurrentUser,
    teams: &[(Team, i64)],
    name: &str,
    errors: &Errors,
    added: Option<&str>,
) -> Markup {
    let rows: Vec<Vec<Markup>> = teams
        .iter()
        .map(|(t, n)| vec![html! { (t.name) }, html! { (n) }])
        .collect();
    html! {
        div #teams {
            (components::error_summary(errors))
            @if let Some(name) = added { (components::notification(&format!("Team added: {name}"), true)) }
            @if teams.is_empty() { p { "There are no teams yet." } }
            @else { (components::table(&format!("{} teams", teams.len()), &["Team", "Members"], &rows)) }
            h2.app-heading-m { "Add a team" }
            form method="post" action="/admin/teams" hx-post="/admin/teams" hx-target="#teams" hx-swap="outerHTML" novalidate {
                (components::csrf_field(&user.csrf_token))
                (components::input(Field::text("name", "Team name", name).hint("For example, Brent L&D or London Women's MHTR"), errors))
                button.app-button type="submit" { "Add team" }
            }
        }
    }
}

async fn teams_with_counts(state: &AppState) -> Result<Vec<(Team, i64)>, AppError> {
    state
        .db(|conn| {
            let teams = accounts::all_teams(conn)?;
            let counts: Vec<(String, i64)> = user_teams::table
                .group_by(user_teams::team_id)
                .select((user_teams::team_id, diesel::dsl::count_star()))
                .load(conn)?;
            Ok(teams
                .into_iter()
                .map(|t| {
                    let n = counts.iter().find(|(id, _)| id == &t.id).map_or(0, |(_, n)| *n);
                    (t, n)
                })
                .collect())
        })
        .await
}

fn respond_teams(state: &AppState, user: &CurrentUser, htmx: Htmx, section: Markup, errors: &Errors) -> HttpResponse {
    if htmx.0 {
        return respond(form_status(errors), section);
    }
    let body = html! { h1.app-heading-l { "Teams" } (section) };
    let page = Page::signed_in("Teams", user, state.demo).with_errors(!errors.is_empty());
    respond(form_status(errors), layout::render(&page, body))
}

pub async fn list(state: web::Data<AppState>, user: CurrentUser, htmx: Htmx) -> Result<HttpResponse, AppError> {
    let teams = teams_with_counts(&state).await?;
    let section = teams_section(&user, &teams, "", &Errors::default(), None);
    Ok(respond_teams(&state, &user, htmx, section, &Errors::default()))
}

pub async fn create(
    state: web::Data<AppState>,
    user: CurrentUser,
    htmx: Htmx,
    form: web::Form<TeamForm>,
) -> Result<HttpResponse, AppError> {
    let name = form.into_inner().name.trim().to_string();
    let mut errors = Errors::default();
    errors.check("name", accounts::team_problem(&name));
    if errors.is_empty() {
        let (now, actor, n) = (state.now(), user.actor(), name.clone());
        let created = state
            .db(move |conn| {
                write_tx(conn, |conn| -> Result<bool, AppError> {
                    if accounts::team_by_name(conn, &n)?.is_some() {
                        return Ok(false);
                    }
                    let id = accounts::create_team(conn, now, &n)?;
                    audit::record(
                        conn,
                        now,
                        &actor,
                        Event::allowed(audit::CREATE)
                            .record("team", &id)
                            .detail(format!("name={n}")),
                    )?;
                    Ok(true)
                })
            })
            .await?;
        if !created {
            errors.add("name", "A team with this name already exists");
        }
    }
    let teams = teams_with_counts(&state).await?;
    let (kept, added) = if errors.is_empty() {
        ("", Some(name.as_str()))
    } else {
        (name.as_str(), None)
    };
    let section = teams_section(&user, &teams, kept, &errors, added);
    if !htmx.0 && errors.is_empty() {
        // Without JavaScript: POST → 303 → GET.
        return Ok(crate::web::see_other("/admin/teams"));
    }
    Ok(respond_teams(&state, &user, htmx, section, &errors))
}
