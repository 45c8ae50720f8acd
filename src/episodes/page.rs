//! The episode page: who, where, how long, what stage, what next, and the timeline.

use actix_web::{HttpResponse, web};
use maud::{Markup, html};

use super::timeline::{self, EntryForm};
use crate::auth::{CurrentUser, accounts};
use crate::domain::codes;
use crate::domain::episode::{ActionKind, EpisodeStatus, available_actions};
use crate::domain::ids::{EpisodeId, SiteId};
use crate::domain::local_time;
use crate::domain::person::age_on;
use crate::records::Person;
use crate::records::episode::status_tag;
use crate::records::{Episode, access};
use crate::sites;
use crate::views::components::{self, Tone};
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::form_status;

/// Flags in words: youth, urgency, risks, safeguarding.
pub fn flags(ep: &Episode) -> Markup {
    html! {
        @if ep.youth { (components::tag("Under 18", Tone::Warning)) " " }
        @if ep.urgent { (components::tag("Urgent", Tone::Bad)) " " }
        @if ep.risk_to_self { (components::tag("Risk to self", Tone::Bad)) " " }
        @if ep.risk_to_others { (components::tag("Risk to others", Tone::Bad)) " " }
        @if ep.risk_from_others { (components::tag("Risk from others", Tone::Bad)) " " }
        @if ep.safeguarding { (components::tag("Safeguarding", Tone::Bad)) " " }
    }
}

/// Who this is, at the top where a practitioner checks it before anything else.
fn identifiers(person: &Person) -> Markup {
    let not_recorded = || "Not recorded".to_string();
    html! {
        dl.app-identifiers {
            div { dt { "NHS number" } dd { (person.nhs_display().unwrap_or_else(not_recorded)) } }
            div { dt { "PNC ID" } dd { (person.pnc_id.clone().unwrap_or_else(not_recorded)) } }
            div { dt { "Date of birth" } dd { (person.dob_display()) } }
        }
    }
}

fn action_button(ep: &Episode, csrf: &str, action: &str, label: &str) -> Markup {
    html! {
        form.app-inline-form method="post" action={ "/episodes/" (ep.id) "/actions" } {
            (components::csrf_field(csrf))
            // Who this page shows holding the episode: a takeover is only ever of that person.
            input type="hidden" name="from" value=(ep.allocated_to.as_deref().unwrap_or(""));
            input type="hidden" name="action" value=(action);
            button.app-button type="submit" { (label) }
        }
    }
}

fn next_steps(ep: &Episode, user: &CurrentUser, allocated: Option<&str>) -> Markup {
    let csrf = &user.csrf_token;
    html! {
        div.app-actions {
            @if ep.status().is_open() && ep.allocated_to.as_deref() != Some(user.id.as_str()) {
                @match allocated {
                    Some(name) => (action_button(ep, csrf, "allocate", &format!("Take over from {name}"))),
                    None => (action_button(ep, csrf, "allocate", "Allocate to me")),
                }
            }
            @for kind in available_actions(ep.status()) {
                @match kind {
                    ActionKind::StartScreening => (action_button(ep, csrf, "start-screening", "Start screening")),
                    ActionKind::CompleteScreening => a.app-button href={ "/episodes/" (ep.id) "/screening" } { "Record screening" },
                    ActionKind::StartAssessment => (action_button(ep, csrf, "start-assessment", "Start full assessment")),
                    ActionKind::CompleteAssessment => a.app-button href={ "/episodes/" (ep.id) "/assessment" } { "Continue full assessment" },
                    ActionKind::Close => a.app-button.app-button--secondary href={ "/episodes/" (ep.id) "/close" } { "Close episode" },
                    ActionKind::Reopen => a.app-button.app-button--secondary href={ "/episodes/" (ep.id) "/reopen" } { "Reopen episode" },
                }
            }
        }
    }
}

fn summary(ep: &Episode, person: &Person, site: &sites::Site, allocated: Option<&str>, now: i64) -> Markup {
    let age = age_on(person.dob(), local_time::local_date(ep.alert_at));
    let waited = ep.screened_at.or(ep.closed_at).unwrap_or(now) - ep.alert_at;
    let over = waited > i64::from(site.target_minutes) * 60_000 && ep.screened_at.is_none();
    let label = |list, code: &Option<String>| match code {
        Some(c) => codes::label_of(list, c).unwrap_or(c).to_string(),
        None => "Not recorded".to_string(),
    };
    let mut rows = vec![
        ("Age at alert", html! { (age) }),
        ("Date of birth", html! { (person.dob_display()) }),
        ("Site", html! { (site.name) }),
        ("Location", html! { (ep.location.as_deref().unwrap_or("Not recorded")) }),
        (
            "Alert",
            html! {
                (local_time::date_time(ep.alert_at))
                @if ep.screened_at.is_none() && ep.closed_at.is_none() {
                    br; "Waiting " (local_time::duration(waited)) " – target " (site.target_minutes) " min"
                    @if over { " " (components::tag("Over target", Tone::Bad)) }
                }
            },
        ),
        (
            "Who raised it",
            html! { (codes::label_of(codes::REFERRAL_SOURCES, &ep.referral_source).unwrap_or(&ep.referral_source)) },
        ),
        (
            "Criminal justice stage",
            html! { (label(codes::CJ_STAGES, &ep.cj_stage)) },
        ),
        ("Concern", html! { (ep.concern) }),
        (
            "Custody or court reference",
            html! { (ep.reference.as_deref().unwrap_or("Not recorded")) },
        ),
        ("Offence", html! { (ep.offence.as_deref().unwrap_or("Not recorded")) }),
        (
            "Voluntary attendance",
            html! { (if ep.voluntary_attendance { "Yes" } else { "No" }) },
        ),
        ("Allocated to", html! { (allocated.unwrap_or("Unallocated")) }),
        (
            "Closure",
            html! {
                @if let Some(o) = &ep.closure_outcome {
                    (codes::label_of(codes::CLOSURE_OUTCOMES, o).unwrap_or(o))
                    @if let Some(n) = &ep.closure_note { " – " (n) }
                } @else { "Open" }
            },
        ),
    ];
    if ep.closed_at.is_some() && ep.not_seen_reason.is_some() {
        rows.push((
            "Why the person was not seen",
            html! { (label(codes::NOT_SEEN_REASONS, &ep.not_seen_reason)) },
        ));
    }
    components::summary_list(&rows)
}

/// Everything the episode page shows besides the episode and person, in a fixed number of
/// queries.
struct Extras {
    site: sites::Site,
    allocated: Option<String>,
    entries: Vec<crate::records::timeline::Entry>,
    screening: Option<super::screening::Screening>,
    adult: Option<super::screening::AppropriateAdult>,
    referrals: crate::referrals::on_episode::EpisodeReferrals,
    alerts: Vec<crate::records::alerts::Alert>,
    consent: Option<crate::sharing::store::Consent>,
    shares: Vec<crate::sharing::store::Share>,
    concerns: Vec<crate::safeguarding::Concern>,
    reports: maud::Markup,
}

fn load_extras(
    conn: &mut crate::db::DbConnection,
    (eid, person_id, open): (&str, &str, bool),
    site_id: &SiteId,
    allocated_id: Option<String>,
) -> Result<Extras, AppError> {
    let site = sites::find(conn, site_id)?.ok_or(AppError::NotFound)?;
    let allocated = match allocated_id {
        Some(uid) => accounts::find(conn, &uid)?.map(|u| u.display_name),
        None => None,
    };
    Ok(Extras {
        site,
        allocated,
        entries: crate::records::timeline::for_episode(conn, eid)?,
        screening: super::screening::find(conn, eid)?,
        adult: super::screening::find_appropriate_adult(conn, eid)?,
        referrals: crate::referrals::on_episode::EpisodeReferrals::load(conn, eid, person_id)?,
        alerts: crate::records::alerts::current_for(conn, &[person_id])?,
        consent: crate::sharing::store::current(conn, eid)?,
        shares: crate::sharing::store::for_episode(conn, eid)?,
        concerns: crate::safeguarding::for_episode(conn, eid)?,
        reports: crate::justice::episode_section(conn, eid, open)?,
    })
}

/// Renders the page; `entry` carries a rejected timeline entry and its errors (422).
pub async fn render(
    ctx: &Ctx,
    id: EpisodeId,
    entry: Option<(&EntryForm, &Errors)>,
    done: Option<&str>,
) -> Result<HttpResponse, AppError> {
    let (ep, person) = access::open(ctx, id, Some("episode page")).await?;
    let (site_id, allocated_id, eid, pid, open) = (
        ep.site_id.clone(),
        ep.allocated_to.clone(),
        ep.id.clone(),
        person.id.clone(),
        ep.status().is_open(),
    );
    let x = ctx
        .read(move |conn| load_extras(conn, (&eid, &pid, open), &site_id, allocated_id))
        .await?;
    let (site, allocated, entries, concerns) = (&x.site, x.allocated.as_deref(), &x.entries, &x.concerns);
    let screened = (&x.screening, &x.adult);
    let default_entry = (
        EntryForm {
            kind: "note".into(),
            ..EntryForm::default()
        },
        Errors::default(),
    );
    let (entry_form, entry_errors) = entry.unwrap_or((&default_entry.0, &default_entry.1));
    let body = html! {
        (components::error_summary(entry_errors))
        @if let Some(done) = done { (components::notification(done, true)) }
        span.app-caption { (site.name) }
        h1.app-heading-l { (person.list_name()) }
        (identifiers(&person))
        @if !x.alerts.is_empty() {
            p.app-alerts { "Alerts: " (crate::records::alerts::tags(&x.alerts, local_time::local_date(ctx.now()))) a href={ "/people/" (person.id) "#alerts" } { "Details" span.app-visually-hidden { " of the alerts" } } }
        }
        p { (status_tag(ep.status())) " " (flags(&ep)) }
        (next_steps(&ep, &ctx.user, allocated))
        (summary(&ep, &person, site, allocated, ctx.now()))
        @if let (Some(screening), adult) = (&screened.0, &screened.1) {
            h2.app-heading-m { "Screening" }
            (super::screening::summary(screening, adult.as_ref()))
        } @else if ep.youth {
            h2.app-heading-m { "Appropriate adult" }
            @if let Some(a) = &screened.1 { p { (a.describe()) } }
            @else { p { "None recorded yet. Under-18s must have an appropriate adult before screening is completed." } }
            @if ep.status().is_open() { p { a href={ "/episodes/" (ep.id) "/appropriate-adult" } { "Record or change the appropriate adult" } } }
        }
        @if matches!(ep.status(), EpisodeStatus::InAssessment | EpisodeStatus::Assessed) {
            p { a href={ "/episodes/" (ep.id) "/assessment" } { "Full assessment" } }
        }
        p { a href={ "/people/" (person.id) } { "All contacts with " (person.full_name()) } }
        (crate::safeguarding::episode_section(&ep.id, ep.safeguarding, concerns))
        (crate::sharing::episode_section(&ep.id, x.consent.as_ref(), &x.shares, ep.status().is_open()))
        (x.reports)
        (crate::referrals::on_episode::episode_section(&ep.id, ep.status().is_open(), person.mhtr_offered(ctx.now()), &x.referrals, &ctx.user.csrf_token))
        h2.app-heading-m #timeline { "Timeline" }
        (timeline::form(&ep.id, &ctx.user.csrf_token, entries, entry_form, entry_errors))
        (timeline::view(entries))
    };
    let title = format!("{} – episode", person.list_name());
    let page = ctx.page(&title).with_errors(!entry_errors.is_empty());
    Ok(ctx.render(form_status(entry_errors), &page, body))
}

#[derive(serde::Deserialize)]
pub struct Done {
    done: Option<String>,
}

/// What a journey that ends on this page confirms (the banner at the top).
fn confirmation(done: Option<&str>) -> Option<&'static str> {
    match done? {
        "referral-sent" => Some("Referral queued to send: its status below follows the email"),
        "mhtr-referred" => Some("Referred to the MHTR service: the MHTR team will make the intake decision"),
        "sent-again" => Some("The referral email is queued to send again"),
        "replied" => Some("Your answer is queued to send to the service, with a new link for them to answer"),
        _ => None,
    }
}

pub async fn show(ctx: Ctx, id: web::Path<EpisodeId>, query: web::Query<Done>) -> Result<HttpResponse, AppError> {
    render(&ctx, id.into_inner(), None, confirmation(query.done.as_deref())).await
}
