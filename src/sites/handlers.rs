//! Administration of sites: list, add, edit.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::{Markup, html};

use super::{Site, SiteForm};
use crate::audit::{self, Event};
use crate::auth::accounts::{self, Team};
use crate::domain::codes;
use crate::domain::ids::{SiteId, TeamId};
use crate::domain::words::count;
use crate::views::components::{self, Field, Tone};
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::see_other;

const RECORD: &str = "site";

pub async fn list(ctx: Ctx) -> Result<HttpResponse, AppError> {
    let (sites, teams) = ctx
        .read(|conn| Ok((super::list(conn, false)?, accounts::all_teams(conn)?)))
        .await?;
    let team_name = |id: &str| {
        teams
            .iter()
            .find(|t| t.id == id)
            .map_or("", |t| t.name.as_str())
            .to_string()
    };
    let rows: Vec<Vec<Markup>> = sites
        .iter()
        .map(|s| {
            vec![
                html! { a href={ "/admin/sites/" (s.id) } { (s.name) } },
                html! { (s.kind_label()) },
                html! { (team_name(&s.team_id)) },
                html! { (s.hours()) },
                html! { (s.target_minutes) " minutes" },
                if s.active {
                    components::tag("Active", Tone::Good)
                } else {
                    components::tag("Closed", Tone::Neutral)
                },
            ]
        })
        .collect();
    let body = html! {
        h1.app-heading-l { "Sites" }
        p { a.app-button href="/admin/sites/new" { "Add a site" } }
        @if sites.is_empty() { p { "There are no sites yet." } }
        @else { (components::table(&count(sites.len() as i64, "site", "sites"), &["Site", "Kind", "Team", "Hours", "Screening target", "Status"], &rows)) }
    };
    Ok(ctx.render(StatusCode::OK, &ctx.page("Sites"), body))
}

fn site_fields(form: &SiteForm, teams: &[Team], errors: &Errors) -> Markup {
    let kinds: Vec<(String, String)> = std::iter::once((String::new(), "Select the kind of site".to_string()))
        .chain(codes::SITE_KINDS.iter().map(|(c, l)| (c.to_string(), l.to_string())))
        .collect();
    let team_options: Vec<(String, String)> = std::iter::once((String::new(), "Select a team".to_string()))
        .chain(teams.iter().map(|t| (t.id.to_string(), t.name.clone())))
        .collect();
    html! {
        (components::input(Field::text("name", "Site name", &form.name), errors))
        (components::select("kind", "Kind of site", &kinds, &form.kind, errors))
        (components::select("team_id", "Team", &team_options, &form.team_id, errors))
        (components::input(Field::text("opens_at", "Opens at", &form.opens_at).hint("24-hour clock, like 08:00. Leave both times empty if the site is covered 24 hours"), errors))
        (components::input(Field::text("closes_at", "Closes at", &form.closes_at).hint("Like 18:00"), errors))
        (components::input(Field::text("target_minutes", "Screening response target, in minutes", &form.target_minutes).hint("The local target from alert to screening, like 60").kind("text"), errors))
        (components::checkboxes("active", "Status", &[("yes".into(), "Site is in use".into())], &form.active.iter().cloned().collect::<Vec<_>>(), errors))
    }
}

fn form_page(ctx: &Ctx, site: Option<&Site>, form: &SiteForm, teams: &[Team], errors: &Errors) -> HttpResponse {
    let (title, action) = match site {
        Some(s) => (format!("Change {}", s.name), format!("/admin/sites/{}", s.id)),
        None => ("Add a site".to_string(), "/admin/sites".to_string()),
    };
    let body = html! {
        (components::error_summary(errors))
        h1.app-heading-l { (title) }
        form method="post" action=(action) novalidate {
            (components::csrf_field(&ctx.user.csrf_token))
            (site_fields(form, teams, errors))
            button.app-button type="submit" { "Save site" }
        }
        p { a href="/admin/sites" { "Back to sites" } }
    };
    ctx.form_page(&title, errors, body)
}

pub async fn new_form(ctx: Ctx) -> Result<HttpResponse, AppError> {
    let teams = ctx.read(|conn| Ok(accounts::all_teams(conn)?)).await?;
    let form = SiteForm {
        target_minutes: "60".into(),
        active: Some("yes".into()),
        ..SiteForm::default()
    };
    Ok(form_page(&ctx, None, &form, &teams, &Errors::default()))
}

pub async fn edit_form(ctx: Ctx, id: web::Path<SiteId>) -> Result<HttpResponse, AppError> {
    let (site, teams) = load(&ctx, Some(id.into_inner())).await?;
    let site = site.ok_or(AppError::NotFound)?;
    Ok(form_page(
        &ctx,
        Some(&site),
        &SiteForm::of(&site),
        &teams,
        &Errors::default(),
    ))
}

pub async fn create(ctx: Ctx, form: web::Form<SiteForm>) -> Result<HttpResponse, AppError> {
    save(&ctx, None, form.into_inner()).await
}

pub async fn update(ctx: Ctx, id: web::Path<SiteId>, form: web::Form<SiteForm>) -> Result<HttpResponse, AppError> {
    save(&ctx, Some(id.into_inner()), form.into_inner()).await
}

/// The site being changed (404 if the id is unknown) and every team.
async fn load(ctx: &Ctx, id: Option<SiteId>) -> Result<(Option<Site>, Vec<Team>), AppError> {
    ctx.read(move |conn| {
        let site = id
            .map(|id| super::find(conn, &id)?.ok_or(AppError::NotFound))
            .transpose()?;
        Ok((site, accounts::all_teams(conn)?))
    })
    .await
}

/// Adds (no id) or changes (an id) a site.
async fn save(ctx: &Ctx, id: Option<SiteId>, form: SiteForm) -> Result<HttpResponse, AppError> {
    let (site, teams) = load(ctx, id.clone()).await?;
    let team_ids: Vec<TeamId> = teams.iter().map(|t| t.id.clone()).collect();
    let values = match form.validate(&team_ids) {
        Ok(v) => v,
        Err(errors) => return Ok(form_page(ctx, site.as_ref(), &form, &teams, &errors)),
    };
    let saved = ctx
        .write(move |tx| {
            if super::name_taken(tx.conn, &values.name, id.as_ref())? {
                return Ok(false);
            }
            let (site_id, action) = match &id {
                Some(id) => {
                    super::update(tx.conn, tx.now, id, &values)?;
                    (id.clone(), audit::UPDATE)
                }
                None => (super::create(tx.conn, tx.now, &values)?, audit::CREATE),
            };
            let detail = format!(
                "name={}; kind={}; hours={}-{}; target={}min; active={}",
                values.name,
                values.kind,
                values.opens_at.as_deref().unwrap_or("24h"),
                values.closes_at.as_deref().unwrap_or(""),
                values.target_minutes,
                values.active
            );
            tx.audit(Event::allowed(action).record(RECORD, &site_id).detail(detail))?;
            Ok(true)
        })
        .await?;
    if saved {
        return Ok(see_other("/admin/sites"));
    }
    let mut errors = Errors::default();
    errors.add("name", "A site with this name already exists");
    Ok(form_page(ctx, site.as_ref(), &form, &teams, &errors))
}
