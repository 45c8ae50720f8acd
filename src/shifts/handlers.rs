//! Signing on and off a shift.

use actix_web::{HttpResponse, web};
use maud::html;
use serde::Deserialize;

use crate::audit::{self, Event};
use crate::db::one_of;
use crate::domain::ids::{SiteId, TeamId};
use crate::domain::local_time::local_date;
use crate::domain::words::count;
use crate::views::components::{self, Field};
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::{form_status, see_other};
use crate::{sites, vetting};

/// The shift form; `sites` repeats, so it is read from the raw pairs.
#[derive(Default)]
struct ShiftForm {
    sites: Vec<String>,
    phone: String,
}

impl ShiftForm {
    fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let mut form = ShiftForm::default();
        for (k, v) in pairs {
            match k.as_str() {
                "sites" => form.sites.push(v),
                "phone" => form.phone = v,
                _ => {}
            }
        }
        form
    }
}

#[derive(Deserialize, Default)]
pub struct Done {
    done: Option<String>,
}

async fn page(ctx: &Ctx, form: &ShiftForm, errors: &Errors, done: Option<&str>) -> Result<HttpResponse, AppError> {
    let (uid, team_ids) = (
        ctx.user.id.clone(),
        ctx.user.teams.iter().map(|t| t.id.clone()).collect::<Vec<_>>(),
    );
    let (current, choices) = ctx
        .read(move |conn| Ok((super::current(conn, &uid)?, sites::for_teams(conn, &team_ids)?)))
        .await?;
    let body = html! {
        (components::error_summary(errors))
        @if let Some(msg) = done { (components::notification(msg, true)) }
        @if let Some((shift, sites)) = &current {
            h1.app-heading-l { "Your shift" }
            (components::summary_list(&[
                ("Sites", html! { @for (i, s) in sites.iter().enumerate() { @if i > 0 { ", " } (s.name) } }),
                ("Contact number", html! { (shift.contact_phone) }),
                ("On since", html! { (crate::domain::local_time::date_time(shift.started_at)) }),
            ]))
            p { a.app-button.app-button--secondary href="/shift/end" { "Hand over and sign off" } }
        } @else {
            h1.app-heading-l { "Sign on for a shift" }
            @if choices.is_empty() {
                p { "None of your teams has a site yet. Ask an administrator to add one." }
            } @else {
                form method="post" action="/shift" novalidate {
                    (components::csrf_field(&ctx.user.csrf_token))
                    (components::checkboxes("sites", "Where are you working this shift?", &choices.iter().map(|s| (s.id.to_string(), s.name.clone())).collect::<Vec<_>>(), &form.sites, errors))
                    (components::input(Field::text("phone", "Contact number for custody and court staff", &form.phone).kind("tel").autocomplete("tel").hint("The number to ring if you step out of the custody suite"), errors))
                    button.app-button type="submit" { "Sign on" }
                }
            }
        }
    };
    let page = ctx.page("Your shift").with_errors(!errors.is_empty());
    Ok(ctx.render(form_status(errors), &page, body))
}

pub async fn show(ctx: Ctx, query: web::Query<Done>) -> Result<HttpResponse, AppError> {
    let done = match query.done.as_deref() {
        Some("started") => Some("You are signed on"),
        Some("ended") => Some("You have signed off"),
        _ => None,
    };
    page(&ctx, &ShiftForm::default(), &Errors::default(), done).await
}

pub async fn start(ctx: Ctx, body: web::Form<Vec<(String, String)>>) -> Result<HttpResponse, AppError> {
    let form = ShiftForm::from_pairs(body.into_inner());
    let (team_ids, uid) = (
        ctx.user.teams.iter().map(|t| t.id.clone()).collect::<Vec<TeamId>>(),
        ctx.user.id.clone(),
    );
    let (allowed, clearance) = ctx
        .read(move |conn| Ok((sites::for_teams(conn, &team_ids)?, vetting::store::current(conn, &uid)?)))
        .await?;
    let mut errors = Errors::default();
    let chosen: Vec<&sites::Site> = allowed
        .iter()
        .filter(|a| form.sites.contains(&a.id.to_string()))
        .collect();
    if form.sites.is_empty() {
        errors.add("sites", "Select at least one site");
    } else if chosen.len() != form.sites.len() {
        errors.add("sites", "Select sites from the list");
    } else {
        // Police vetting is a condition of working in custody (decision 0019).
        let (today, at_courts) = (local_date(ctx.now()), ctx.state.config.vetting_required_at_courts);
        errors.check(
            "sites",
            vetting::sign_on_refusal(clearance.as_ref(), &chosen, today, at_courts).as_deref(),
        );
    }
    errors.check("phone", crate::domain::phone::phone_problem(&form.phone));
    if !errors.is_empty() {
        return page(&ctx, &form, &errors, None).await;
    }
    let uid = ctx.user.id.clone();
    let phone = form.phone.trim().to_string();
    let site_ids: Vec<SiteId> = form.sites.iter().map(|s| SiteId::from(s.as_str())).collect();
    ctx.write(move |tx| {
        // One open shift at a time: a second sign-on (double submit) changes nothing.
        if super::current(tx.conn, &uid)?.is_some() {
            return Ok(());
        }
        let id = super::start(tx.conn, tx.now, &uid, &phone, &site_ids)?;
        tx.audit(
            Event::allowed(audit::CREATE)
                .record("shift", &id)
                .detail(format!("{} sites", site_ids.len())),
        )
    })
    .await?;
    Ok(see_other(&format!("/sites/{}/list", form.sites[0])))
}

/// An open episode at one of the shift's sites, as the handover form lists it.
#[derive(diesel::Queryable)]
struct OpenEpisode {
    id: String,
    site_id: SiteId,
    family_name: String,
    given_name: String,
    status: String,
}

/// Open episodes at the shift's sites, oldest alert first.
fn handover_rows(conn: &mut crate::db::DbConnection, site_ids: &[SiteId]) -> diesel::QueryResult<Vec<OpenEpisode>> {
    use crate::db::schema::{episodes, people};
    use diesel::prelude::*;
    episodes::table
        .inner_join(people::table)
        .filter(one_of(episodes::site_id, site_ids))
        .filter(episodes::closed_at.is_null())
        .select((
            episodes::id,
            episodes::site_id,
            people::family_name,
            people::given_name,
            episodes::status,
        ))
        .order(episodes::alert_at.asc())
        .load(conn)
}

const NOTE_PREFIX: &str = "note-";

async fn handover_page(ctx: &Ctx, notes: &[(String, String)], errors: &Errors) -> Result<HttpResponse, AppError> {
    let uid = ctx.user.id.clone();
    let (current, rows) = ctx
        .read(move |conn| {
            let current = super::current(conn, &uid)?;
            let site_ids: Vec<SiteId> = current
                .iter()
                .flat_map(|(_, sites)| sites.iter().map(|s| s.id.clone()))
                .collect();
            Ok((current, handover_rows(conn, &site_ids)?))
        })
        .await?;
    if current.is_none() {
        return Ok(see_other("/shift"));
    }
    let body = html! {
        (components::error_summary(errors))
        h1.app-heading-l { "Hand over and sign off" }
        @if rows.is_empty() {
            p { "No one is open at your sites. You can sign off." }
        } @else {
            p { "Write a note for the next practitioner on anyone still open. Leave a box empty if there is nothing to add." }
        }
        p { "Signing off releases everyone allocated to you, so whoever is on duty next can pick them up." }
        form #handover method="post" action="/shift/end" novalidate {
            (components::csrf_field(&ctx.user.csrf_token))
            @for row in &rows {
                @let field = format!("{NOTE_PREFIX}{}", row.id);
                @let value = notes.iter().find(|(k, _)| k == &field).map_or("", |(_, v)| v.as_str());
                @let label = format!("{}, {} – {}", row.family_name.to_uppercase(), row.given_name, row.status.parse::<crate::domain::episode::EpisodeStatus>().map(|s| s.label()).unwrap_or("Open"));
                (components::textarea_named(&field, &label, value, errors))
            }
            button.app-button type="submit" { "Sign off" }
        }
    };
    let page = ctx.page("Hand over and sign off").with_errors(!errors.is_empty());
    Ok(ctx.render(form_status(errors), &page, body))
}

pub async fn handover_form(ctx: Ctx) -> Result<HttpResponse, AppError> {
    handover_page(&ctx, &[], &Errors::default()).await
}

/// Saves the handover notes, each on its episode's timeline, and ends the shift.
pub async fn end(ctx: Ctx, body: web::Form<Vec<(String, String)>>) -> Result<HttpResponse, AppError> {
    let notes: Vec<(String, String)> = body
        .into_inner()
        .into_iter()
        .filter(|(k, v)| k.starts_with(NOTE_PREFIX) && !v.trim().is_empty())
        .collect();
    let mut errors = Errors::default();
    if notes.iter().any(|(_, v)| v.trim().chars().count() > 1000) {
        errors.add("handover", "Each handover note must be 1000 characters or fewer");
    }
    if !errors.is_empty() {
        return handover_page(&ctx, &notes, &errors).await;
    }
    let uid = ctx.user.id.clone();
    ctx.write(move |tx| {
        let Some((shift, sites)) = super::current(tx.conn, &uid)? else {
            return Ok(());
        };
        let site_ids: Vec<SiteId> = sites.iter().map(|s| s.id.clone()).collect();
        let open = handover_rows(tx.conn, &site_ids)?;
        let mut written = 0;
        for (field, note) in &notes {
            let episode_id = &field[NOTE_PREFIX.len()..];
            // Only episodes open at this shift's sites take a note.
            let Some(ep) = open.iter().find(|e| e.id == episode_id) else {
                continue;
            };
            crate::handover::record(tx.conn, tx.now, episode_id, &ep.site_id, &shift.id, &uid, note.trim())?;
            written += 1;
        }
        super::end(tx.conn, tx.now, &shift.id)?;
        let released = crate::records::episode::release_allocations(
            tx.conn,
            tx.now,
            &uid,
            "Allocation released at sign-off: unallocated for whoever is on duty next.",
        )?;
        tx.audit(Event::allowed(audit::UPDATE).record("shift", &shift.id).detail(format!(
            "signed off; {}; {} released",
            count(written as i64, "handover note", "handover notes"),
            count(released as i64, "allocation", "allocations"),
        )))?;
        Ok(())
    })
    .await?;
    Ok(see_other("/shift?done=ended"))
}
