//! One staff account: its details page, and changing its name, role and teams.

use actix_web::{HttpResponse, web};
use maud::html;
use serde::Deserialize;

use super::{RECORD, status_tag};
use crate::admin::user_forms::{AccountForm, account_fields};
use crate::audit::{self, Event};
use crate::auth::accounts::{self, Team, User};
use crate::domain::ids::TeamId;
use crate::views::components;
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::see_other;

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
        "vetting" => "Vetting clearance recorded",
        "second-factor" => "Second factor reset and the user signed out everywhere",
        _ => return None,
    })
}

pub(super) struct Detail {
    pub(super) target: User,
    member_of: Vec<Team>,
    teams: Vec<Team>,
    clearance: Option<crate::vetting::Clearance>,
}

/// The account, its teams and every team; the view is audited.
pub(super) async fn load_detail(ctx: &Ctx, id: String) -> Result<Detail, AppError> {
    let detail = ctx
        .read(move |conn| {
            let target = accounts::find(conn, &id)?.ok_or(AppError::NotFound)?;
            Ok(Detail {
                member_of: accounts::teams_of(conn, &id)?,
                teams: accounts::all_teams(conn)?,
                clearance: crate::vetting::store::current(conn, &id)?,
                target,
            })
        })
        .await?;
    ctx.audit(Event::allowed(audit::VIEW).record(RECORD, &detail.target.id))
        .await?;
    Ok(detail)
}

fn detail_page(ctx: &Ctx, d: &Detail, form: &AccountForm, errors: &Errors, done: Option<&str>) -> HttpResponse {
    let t = &d.target;
    let body = html! {
        (components::error_summary(errors))
        @if let Some(msg) = done { (components::notification(msg, true)) }
        h1.app-heading-l { (t.display_name) }
        (components::summary_list(&[
            ("Username", html! { (t.username) }),
            ("Status", status_tag(t)),
            ("Police vetting", crate::vetting::pages::status(d.clearance.as_ref(), crate::domain::local_time::local_date(ctx.now()))),
            ("Teams", html! { @for (i, team) in d.member_of.iter().enumerate() { @if i > 0 { ", " } (team.name) } }),
            ("Added", html! { (crate::domain::local_time::date_time(t.created_at)) }),
            ("Last changed", html! { (crate::domain::local_time::date_time(t.updated_at)) }),
        ]))
        h2.app-heading-m { "Change details" }
        form method="post" action={ "/admin/users/" (t.id) } novalidate {
            (components::csrf_field(&ctx.user.csrf_token))
            (account_fields(form, false, &d.teams, errors))
            button.app-button type="submit" { "Save changes" }
        }
        h2.app-heading-m { "Access" }
        ul.app-list {
            li { a href={ "/admin/users/" (t.id) "/vetting" } { "Record a police vetting clearance" } }
            li { a href={ "/admin/users/" (t.id) "/password" } { "Set a new password" } }
            li { a href={ "/admin/users/" (t.id) "/second-factor" } { "Reset second factor" } }
            @if t.disabled {
                li { form method="post" action={ "/admin/users/" (t.id) "/enable" } {
                    (components::csrf_field(&ctx.user.csrf_token))
                    button.app-button.app-button--secondary type="submit" { "Enable account" }
                } }
            } @else if t.id != ctx.user.id {
                li { a href={ "/admin/users/" (t.id) "/disable" } { "Disable account" } }
            }
            li { a href={ "/admin/audit?record_type=user&record_id=" (t.id) } { "Who has viewed or changed this account" } }
        }
    };
    ctx.form_page(&t.display_name, errors, body)
}

fn form_of(d: &Detail) -> AccountForm {
    AccountForm {
        username: d.target.username.clone(),
        display_name: d.target.display_name.clone(),
        role: d.target.role.clone(),
        teams: d.member_of.iter().map(|t| t.id.to_string()).collect(),
        password: String::new(),
    }
}

pub async fn show(ctx: Ctx, id: web::Path<String>, query: web::Query<ShowQuery>) -> Result<HttpResponse, AppError> {
    let d = load_detail(&ctx, id.into_inner()).await?;
    let done = query.done.as_deref().and_then(done_message);
    Ok(detail_page(&ctx, &d, &form_of(&d), &Errors::default(), done))
}

pub async fn update(
    ctx: Ctx,
    id: web::Path<String>,
    body: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let d = load_detail(&ctx, id.clone()).await?;
    let form = AccountForm::from_pairs(body.into_inner());
    let (errors, role) = form.validate(false, &d.teams);
    let Some(role) = role.filter(|_| errors.is_empty()) else {
        return Ok(detail_page(&ctx, &d, &form, &errors, None));
    };
    let before = form_of(&d);
    let team_name = |ids: &[String]| -> String {
        let names: Vec<&str> = d
            .teams
            .iter()
            .filter(|t| ids.iter().any(|id| t.id == *id))
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
    let detail = if changes.is_empty() {
        "no changes".to_string()
    } else {
        changes.join("; ")
    };
    ctx.write(move |tx| {
        accounts::update_profile(tx.conn, tx.now, &id, &form.display_name, role)?;
        let team_ids: Vec<TeamId> = form.teams.iter().map(|t| TeamId::from(t.as_str())).collect();
        accounts::set_teams(tx.conn, &id, &team_ids)?;
        tx.audit(Event::allowed(audit::UPDATE).record(RECORD, &id).detail(detail))
    })
    .await?;
    Ok(see_other(&format!("/admin/users/{}?done=updated", d.target.id)))
}
