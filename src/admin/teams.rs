//! Teams: the groups whose records a practitioner may see.

use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use maud::{Markup, html};
use serde::Deserialize;

use crate::audit::{self, Event};
use crate::auth::accounts::{self, Team};
use crate::db::schema::user_teams;
use crate::domain::TeamKind;
use crate::domain::ids::TeamId;
use crate::domain::words::count;
use crate::views::components::{self, Field};
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::{form_status, html as respond};

#[derive(Deserialize, Default)]
pub struct TeamForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
}

#[derive(Deserialize, Default)]
pub struct KindForm {
    #[serde(default)]
    kind: String,
}

fn kind_options() -> Vec<(&'static str, &'static str)> {
    TeamKind::ALL.iter().map(|k| (k.code(), k.label())).collect()
}

/// The kind chosen in a form, or the message for its field.
fn chosen_kind(code: &str, errors: &mut Errors) -> Option<TeamKind> {
    let kind = code.parse().ok();
    if kind.is_none() {
        errors.add("kind", "Select the kind of service the team provides");
    }
    kind
}

/// The table and the add form: the part htmx swaps after adding a team.
fn teams_section(
    csrf_token: &str,
    teams: &[(Team, i64)],
    (form, errors): (&TeamForm, &Errors),
    added: Option<&str>,
) -> Markup {
    let rows: Vec<Vec<Markup>> = teams
        .iter()
        .map(|(t, n)| {
            vec![
                html! { (t.name) },
                html! { (t.kind.label()) br; a href={ "/admin/teams/" (t.id) "/kind" } { "Change" span.app-visually-hidden { " the kind of " (t.name) } } },
                html! { (n) },
            ]
        })
        .collect();
    html! {
        div #teams {
            (components::error_summary(errors))
            @if let Some(name) = added { (components::notification(&format!("Team added: {name}"), true)) }
            @if teams.is_empty() { p { "There are no teams yet." } }
            @else { (components::table(&count(teams.len() as i64, "team", "teams"), &["Team", "Kind of service", "Members"], &rows)) }
            h2.app-heading-m { "Add a team" }
            form method="post" action="/admin/teams" data-hx-post="/admin/teams" data-hx-target="#teams" data-hx-swap="outerHTML" novalidate {
                (components::csrf_field(csrf_token))
                (components::input(Field::text("name", "Team name", &form.name).hint("For example, Brent L&D or London Women's MHTR"), errors))
                (components::radios("kind", "Kind of service", &kind_options(), &form.kind, errors))
                button.app-button type="submit" { "Add team" }
            }
        }
    }
}

async fn teams_with_counts(ctx: &Ctx) -> Result<Vec<(Team, i64)>, AppError> {
    ctx.read(|conn| {
        let teams = accounts::all_teams(conn)?;
        let counts: Vec<(TeamId, i64)> = user_teams::table
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

/// The section alone for htmx, otherwise the whole page.
fn respond_teams(ctx: &Ctx, section: Markup, errors: &Errors) -> HttpResponse {
    if ctx.htmx {
        return respond(form_status(errors), section);
    }
    ctx.form_page("Teams", errors, html! { h1.app-heading-l { "Teams" } (section) })
}

pub async fn list(ctx: Ctx) -> Result<HttpResponse, AppError> {
    let teams = teams_with_counts(&ctx).await?;
    let no_errors = Errors::default();
    let section = teams_section(&ctx.user.csrf_token, &teams, (&TeamForm::default(), &no_errors), None);
    Ok(respond_teams(&ctx, section, &no_errors))
}

pub async fn create(ctx: Ctx, form: web::Form<TeamForm>) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let name = form.name.trim().to_string();
    let mut errors = Errors::default();
    errors.check("name", accounts::team_problem(&name));
    let kind = chosen_kind(&form.kind, &mut errors);
    if let Some(kind) = kind.filter(|_| errors.is_empty()) {
        let n = name.clone();
        let created = ctx
            .write(move |tx| {
                if accounts::team_by_name(tx.conn, &n)?.is_some() {
                    return Ok(false);
                }
                let id = accounts::create_team(tx.conn, tx.now, &n, kind)?;
                tx.audit(
                    Event::allowed(audit::CREATE)
                        .record("team", &id)
                        .detail(format!("name={n} kind={kind}")),
                )?;
                Ok(true)
            })
            .await?;
        if !created {
            errors.add("name", "A team with this name already exists");
        }
    }
    if !ctx.htmx && errors.is_empty() {
        // Without JavaScript: POST → 303 → GET.
        return Ok(crate::web::see_other("/admin/teams"));
    }
    let teams = teams_with_counts(&ctx).await?;
    let (kept, added) = if errors.is_empty() {
        (TeamForm::default(), Some(name.as_str()))
    } else {
        (form, None)
    };
    let section = teams_section(&ctx.user.csrf_token, &teams, (&kept, &errors), added);
    Ok(respond_teams(&ctx, section, &errors))
}

fn kind_page(ctx: &Ctx, team: &Team, chosen: &str, errors: &Errors) -> HttpResponse {
    let title = format!("Kind of service: {}", team.name);
    let body = html! {
        (components::error_summary(errors))
        span.app-caption { (team.name) }
        h1.app-heading-l { "Change the kind of service" }
        p { "The kind decides which pathway the team works: its members see the MHTR intake and cases only when it is a Women's MHTR team. Changing it changes what its members can reach, and is recorded." }
        form method="post" action={ "/admin/teams/" (team.id) "/kind" } novalidate {
            (components::csrf_field(&ctx.user.csrf_token))
            (components::radios("kind", "Kind of service", &kind_options(), chosen, errors))
            button.app-button type="submit" { "Save kind" }
        }
        p { a href="/admin/teams" { "Back to teams" } }
    };
    ctx.form_page(&title, errors, body)
}

async fn find_team(ctx: &Ctx, id: TeamId) -> Result<Team, AppError> {
    ctx.read(move |conn| {
        let teams = accounts::all_teams(conn)?;
        teams.into_iter().find(|t| t.id == id).ok_or(AppError::NotFound)
    })
    .await
}

pub async fn kind_form(ctx: Ctx, id: web::Path<TeamId>) -> Result<HttpResponse, AppError> {
    let team = find_team(&ctx, id.into_inner()).await?;
    Ok(kind_page(&ctx, &team, team.kind.code(), &Errors::default()))
}

pub async fn set_kind(ctx: Ctx, id: web::Path<TeamId>, form: web::Form<KindForm>) -> Result<HttpResponse, AppError> {
    let team = find_team(&ctx, id.into_inner()).await?;
    let mut errors = Errors::default();
    let Some(kind) = chosen_kind(&form.kind, &mut errors) else {
        return Ok(kind_page(&ctx, &team, &form.kind, &errors));
    };
    let team_id = team.id.clone();
    ctx.write(move |tx| {
        let was = accounts::set_team_kind(tx.conn, &team_id, kind)?.ok_or(AppError::NotFound)?;
        let event = Event::allowed(audit::UPDATE)
            .record("team", &team_id)
            .detail(format!("kind {was} -> {kind}"));
        tx.audit(event)
    })
    .await?;
    Ok(crate::web::see_other("/admin/teams"))
}
