//! The person page: identifiers, demographics, flags and every episode — the cross-episode
//! history. Visible to practitioners with a legitimate relationship with the person.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use maud::{Markup, html};

use crate::access::{Basis, Intent, Subject};
use crate::db::schema::{episodes, sites, teams};
use crate::domain::codes;
use crate::domain::ids::{PersonId, TeamId};
use crate::domain::local_time;
use crate::records::Episode;
use crate::records::Person;
use crate::records::episode::status_tag;
use crate::views::components::{self, Tone};
use crate::web::context::Ctx;
use crate::web::error::AppError;

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

/// One contact on the person page: the episode, its site and its team.
pub struct Contact {
    pub episode: Episode,
    pub site: String,
    pub team: String,
}

/// The user's own teams' contacts link to the episode; other teams' appear as a summary
/// (team, site, dates, status, outcome) unless a break-glass opened the whole record.
fn history(contacts: &[Contact], team_ids: &[TeamId], all_open: bool) -> Markup {
    let rows: Vec<Vec<Markup>> = contacts
        .iter()
        .map(|c| {
            let e = &c.episode;
            let ours = team_ids.contains(&e.team_id);
            let linked = ours || all_open;
            vec![
                html! { @if linked { a href={ "/episodes/" (e.id) } { (local_time::date_time(e.alert_at)) } } @else { (local_time::date_time(e.alert_at)) } },
                html! { (c.team) " – " (c.site) @if !ours { br; span.app-hint { "Another team's contact" } } },
                status_tag(e.status()),
                html! { (e.closure_outcome.as_deref().and_then(|o| codes::label_of(codes::CLOSURE_OUTCOMES, o)).unwrap_or("–")) },
            ]
        })
        .collect();
    html! {
        @if contacts.is_empty() { p { "No contacts recorded yet." } }
        @else { (components::table(&format!("{} contacts, newest first", contacts.len()), &["Alert", "Team and site", "Status", "Outcome"], &rows)) }
    }
}

/// Every episode of the person with its site's and team's names, newest first: one query.
pub async fn show(ctx: Ctx, id: web::Path<PersonId>) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let overdue_before = crate::domain::working_days::before(ctx.now(), ctx.state.config.chase_after_working_days);
    // A duplicate merged into another record leads to the one kept.
    let lookup = id.clone();
    let merged_into = ctx
        .read(move |conn| Ok(crate::records::person::merged_into(conn, &lookup)?))
        .await?;
    if let Some(kept) = merged_into {
        return Ok(crate::web::see_other(&format!("/people/{kept}")));
    }
    let subject = Subject::Person(id.clone());
    let (person, history_rows, referral_overdue, alerts, merges, reports, basis) = ctx
        .reach(subject, Intent::Read("person page"), move |conn, grant| {
            let person = crate::records::person::find(conn, &id)?.ok_or(AppError::NotFound)?;
            let rows: Vec<Contact> = episodes::table
                .inner_join(sites::table)
                .inner_join(teams::table.on(teams::id.eq(episodes::team_id)))
                .filter(episodes::person_id.eq(&id))
                .order(episodes::alert_at.desc())
                .select((Episode::as_select(), sites::name, teams::name))
                .load::<(Episode, String, String)>(conn)?
                .into_iter()
                .map(|(episode, site, team)| Contact { episode, site, team })
                .collect();
            let ids: Vec<&str> = rows.iter().map(|c| c.episode.id.as_str()).collect();
            let overdue = !crate::referrals::overdue_episodes(conn, &ids, overdue_before)?.is_empty();
            let alerts = crate::records::alerts::current_for(conn, &[person.id.as_str()])?;
            let merges = super::merge::store::into(conn, &person.id)?;
            let reports = crate::justice::person_section(conn, &person.id)?;
            Ok((person, rows, overdue, alerts, merges, reports, grant.basis.clone()))
        })
        .await?;
    let all_open = matches!(basis, Basis::BreakGlass { .. });
    let today = local_time::local_date(ctx.now());
    let team_ids: Vec<TeamId> = ctx.user.teams.iter().map(|t| t.id.clone()).collect();
    let safeguarding = history_rows.iter().any(|c| c.episode.safeguarding);
    let at_risk = history_rows.iter().any(|c| c.episode.has_risk_flag());
    let body = html! {
        span.app-caption { "Person" }
        h1.app-heading-l { (person.list_name()) }
        @if !all_open {
            p {
                a href={ "/people/" (person.id) "/edit" } { "Change details" }
                @if ctx.user.role.merges_records() { " · " a href={ "/people/" (person.id) "/merge" } { "Merge a duplicate record into this one" } }
            }
        }
        p {
            (crate::records::alerts::tags(&alerts, today))
            @if safeguarding { (components::tag("Safeguarding concern", Tone::Bad)) " " }
            @if at_risk { (components::tag("Risk recorded", Tone::Bad)) " " }
            @if referral_overdue { (components::tag("Referral overdue", Tone::Bad)) " " }
            @if history_rows.len() > 1 { (components::tag("Known to the service", Tone::Neutral)) }
        }
        @if !all_open { p { a.app-button href={ "/episodes/new?person=" (person.id) } { "Record a new contact" } } }
        (super::alerts::section(person.id.as_str(), &alerts, today, !all_open))
        h2.app-heading-m { "Details" }
        (details(&person))
        h2.app-heading-m { "Contacts with services" }
        (history(&history_rows, &team_ids, all_open))
        (reports)
        (super::merge::section(&person.id, &merges, ctx.now(), ctx.user.role.merges_records() && !all_open))
    };
    Ok(ctx.render(StatusCode::OK, &ctx.page(&person.list_name()), body))
}
