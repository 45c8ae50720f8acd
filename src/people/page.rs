//! The person page: identifiers, demographics, flags and every episode — the cross-episode
//! history. Visible to practitioners with a legitimate relationship with the person.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use maud::{Markup, html};

use super::Person;
use crate::audit::{self, Event};
use crate::auth::CurrentUser;
use crate::auth::current::require_clinical;
use crate::db::schema::sites;
use crate::domain::codes;
use crate::domain::local_time;
use crate::episodes::page::status_tag;
use crate::episodes::{self, Episode};
use crate::state::AppState;
use crate::views::components::{self, Tone};
use crate::views::{Page, layout};
use crate::web::error::AppError;
use crate::web::html as respond;

fn coded(list: &[(&str, &str)], value: &Option<String>) -> String {
    value
        .as_deref()
        .and_then(|v| codes::label_of(list, v))
        .unwrap_or("Not recorded")
        .to_string()
}

fn details(p: &Person) -> Markup {
    let or_not = |v: &Option<String>| v.clone().unwrap_or_else(|| "Not recorded".into());
    components::summary_list(&[
        ("Date of birth", html! { (p.dob_display()) }),
        (
            "NHS number",
            html! { (p.nhs_display().unwrap_or_else(|| "Not recorded".into())) },
        ),
        ("PNC ID", html! { (or_not(&p.pnc_id)) }),
        ("CRO number", html! { (or_not(&p.cro_number)) }),
        ("Sex", html! { (coded(codes::SEX, &p.sex)) }),
        (
            "Gender identity",
            html! { (coded(codes::GENDER_IDENTITY, &p.gender_identity)) },
        ),
        (
            "Ethnic category",
            html! { (coded(codes::ETHNIC_CATEGORIES, &p.ethnic_category)) },
        ),
        ("Preferred language", html! { (or_not(&p.preferred_language)) }),
        (
            "Interpreter needed",
            html! { (if p.interpreter_needed { "Yes" } else { "No" }) },
        ),
        ("GP practice", html! { (or_not(&p.gp_practice)) }),
    ])
}

fn history(episodes: &[(Episode, String)], team_ids: &[String]) -> Markup {
    let rows: Vec<Vec<Markup>> = episodes
        .iter()
        .map(|(e, site)| {
            let ours = team_ids.contains(&e.team_id);
            vec![
                html! { @if ours { a href={ "/episodes/" (e.id) } { (local_time::date_time(e.alert_at)) } } @else { (local_time::date_time(e.alert_at)) } },
                html! { "Liaison and Diversion – " (site) @if !ours { br; span.app-hint { "Another team's contact" } } },
                status_tag(e.status()),
                html! { (e.closure_outcome.as_deref().and_then(|o| codes::label_of(codes::CLOSURE_OUTCOMES, o)).unwrap_or("–")) },
            ]
        })
        .collect();
    html! {
        @if episodes.is_empty() { p { "No contacts recorded yet." } }
        @else { (components::table(&format!("{} contacts, newest first", episodes.len()), &["Alert", "Service and site", "Status", "Outcome"], &rows)) }
    }
}

pub async fn show(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    require_clinical(&state, &user, "person").await?;
    let (now, actor, uid, id) = (state.now(), user.actor(), user.id.clone(), id.into_inner());
    let team_ids: Vec<String> = user.teams.iter().map(|t| t.id.clone()).collect();
    let teams = team_ids.clone();
    let overdue_before = crate::referrals::chase::working_days_before(now, state.config.chase_after_working_days);
    let (person, history_rows, referral_overdue) = state
        .db(move |conn| {
            let person = super::find(conn, &id)?.ok_or(AppError::NotFound)?;
            if !super::related(conn, &person, &uid, &teams)?
                && !crate::mhtr::team_has_referral_for(conn, &teams, &person.id)?
            {
                audit::record(conn, now, &actor, Event::denied(audit::VIEW).record("person", &id))?;
                return Err(AppError::Forbidden);
            }
            let eps = episodes::for_person(conn, &id)?;
            let site_ids: Vec<&str> = eps.iter().map(|e| e.site_id.as_str()).collect();
            let names: Vec<(String, String)> = sites::table
                .filter(sites::id.eq_any(&site_ids))
                .select((sites::id, sites::name))
                .load(conn)?;
            let rows = eps
                .into_iter()
                .map(|e| {
                    let site = names
                        .iter()
                        .find(|(sid, _)| sid == &e.site_id)
                        .map_or(String::new(), |(_, n)| n.clone());
                    (e, site)
                })
                .collect::<Vec<_>>();
            audit::record(
                conn,
                now,
                &actor,
                Event::allowed(audit::VIEW).record("person", &id).detail("person page"),
            )?;
            let ids: Vec<&str> = rows.iter().map(|(e, _)| e.id.as_str()).collect();
            let overdue = !crate::referrals::overdue_episodes(conn, &ids, overdue_before)?.is_empty();
            Ok((person, rows, overdue))
        })
        .await?;
    let safeguarding = history_rows.iter().any(|(e, _)| e.safeguarding);
    let at_risk = history_rows.iter().any(|(e, _)| e.has_risk_flag());
    let body = html! {
        span.app-caption { "Person" }
        h1.app-heading-l { (person.list_name()) }
        p {
            @if safeguarding { (components::tag("Safeguarding concern recorded", Tone::Bad)) " " }
            @if at_risk { (components::tag("Risk recorded", Tone::Bad)) " " }
            @if referral_overdue { (components::tag("Referral overdue", Tone::Bad)) " " }
            @if history_rows.len() > 1 { (components::tag("Known to the service", Tone::Neutral)) }
        }
        p { a.app-button href={ "/episodes/new?person=" (person.id) } { "Record a new contact" } }
        h2.app-heading-m { "Details" }
        (details(&person))
        h2.app-heading-m { "Contacts with services" }
        (history(&history_rows, &team_ids))
    };
    Ok(respond(
        StatusCode::OK,
        layout::render(&Page::signed_in(&person.list_name(), &user, state.demo), body),
    ))
}
