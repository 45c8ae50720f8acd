//! Following a referral after it is sent: the episode's referral list, the team's awaiting
//! list, and recording whether the person attended the first appointment.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use maud::{Markup, html};

use super::{Referral, Status};
use crate::audit::{self, Event};
use crate::clock::Millis;
use crate::db::DbConnection;
use crate::db::schema::{episodes, partner_organisations, partner_services, people, referrals};
use crate::domain::ids::{ReferralId, TeamId};
use crate::domain::local_time;
use crate::domain::words::count;
use crate::records::timeline;
use crate::views::components::{self, Tone};
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::see_other;

pub fn tone(status: Status) -> Tone {
    match status {
        Status::Accepted | Status::Attended => Tone::Good,
        Status::Failed | Status::Declined | Status::NotAttended => Tone::Bad,
        Status::MoreInformation | Status::Sent | Status::Queued => Tone::Warning,
        Status::Closed => Tone::Neutral,
    }
}

/// The two answers to "did the person attend", each the status it gives the referral.
const ATTENDANCE: [(Status, &str); 2] = [(Status::Attended, "Attended"), (Status::NotAttended, "Did not attend")];

/// Service names for referrals, in one query.
pub fn service_names(conn: &mut DbConnection, service_ids: &[String]) -> QueryResult<Vec<(String, String)>> {
    partner_services::table
        .inner_join(partner_organisations::table)
        .filter(partner_services::id.eq_any(service_ids))
        .select((
            partner_services::id,
            partner_organisations::name,
            partner_services::name,
        ))
        .load::<(String, String, String)>(conn)
        .map(|rows| {
            rows.into_iter()
                .map(|(id, org, name)| (id, format!("{org} – {name}")))
                .collect()
        })
}

/// What the referrals section of an episode page shows, read in a fixed number of queries.
pub struct EpisodeReferrals {
    /// Each referral with its service's name.
    pub list: Vec<(Referral, String)>,
    pub mhtr: Vec<MhtrReferralLine>,
    /// Why each failed referral's email was refused: (referral id, error).
    pub failures: Vec<(String, String)>,
    /// The conversations on them, oldest first.
    pub messages: Vec<super::reply::Message>,
}

impl EpisodeReferrals {
    pub fn load(conn: &mut DbConnection, episode_id: &str, person_id: &str) -> QueryResult<Self> {
        let referrals = super::for_episode(conn, episode_id)?;
        let ids: Vec<&str> = referrals.iter().map(|r| r.id.as_str()).collect();
        let failed: Vec<&str> = referrals
            .iter()
            .filter(|r| r.status == Status::Failed)
            .map(|r| r.id.as_str())
            .collect();
        let failures = if failed.is_empty() {
            Vec::new()
        } else {
            super::retry::failures(conn, &failed)?
        };
        let messages = if ids.is_empty() {
            Vec::new()
        } else {
            super::reply::for_referrals(conn, &ids)?
        };
        let service_ids: Vec<String> = referrals.iter().filter_map(|r| r.service_id.clone()).collect();
        let names = service_names(conn, &service_ids)?;
        let list = referrals
            .into_iter()
            .map(|r| {
                let name = r
                    .service_id
                    .as_ref()
                    .and_then(|s| names.iter().find(|(id, _)| id == s))
                    .map_or_else(String::new, |(_, n)| n.clone());
                (r, name)
            })
            .collect();
        Ok(Self {
            list,
            mhtr: mhtr_for_episode(conn, person_id, episode_id)?,
            failures,
            messages,
        })
    }
}

/// An MHTR referral made from an episode, as its referrals section lists it.
pub struct MhtrReferralLine {
    pub team: String,
    pub status: String,
    pub created_at: Millis,
    pub decline_reason: Option<String>,
}

/// The MHTR referrals made from this episode (read through the person's, which are few).
pub fn mhtr_for_episode(
    conn: &mut DbConnection,
    person_id: &str,
    episode_id: &str,
) -> QueryResult<Vec<MhtrReferralLine>> {
    use crate::db::schema::{mhtr_referrals, teams};
    Ok(mhtr_referrals::table
        .inner_join(teams::table.on(teams::id.eq(mhtr_referrals::team_id)))
        .filter(mhtr_referrals::person_id.eq(person_id))
        .filter(mhtr_referrals::episode_id.eq(episode_id))
        .order(mhtr_referrals::created_at.desc())
        .select((
            teams::name,
            mhtr_referrals::status,
            mhtr_referrals::created_at,
            mhtr_referrals::decline_reason,
        ))
        .load::<(String, String, Millis, Option<String>)>(conn)?
        .into_iter()
        .map(|(team, status, created_at, decline_reason)| MhtrReferralLine {
            team,
            status,
            created_at,
            decline_reason,
        })
        .collect())
}

fn mhtr_lines(lines: &[MhtrReferralLine]) -> Markup {
    html! {
        @for r in lines {
            div.app-card {
                h3.app-heading-s { "MHTR service – " (r.team) }
                p {
                    @match r.status.as_str() {
                        "new" => (components::tag("Waiting for the intake decision", Tone::Neutral)),
                        "accepted" => (components::tag("Accepted", Tone::Good)),
                        _ => (components::tag("Declined", Tone::Bad)),
                    }
                }
                (components::summary_list(&[
                    ("Referred", html! { (local_time::date_time(r.created_at)) }),
                    ("Reason declined", html! { (r.decline_reason.as_deref().unwrap_or("Not applicable")) }),
                ]))
            }
        }
    }
}

/// The referral's conversation with the service, and the way to answer a question.
fn conversation(r: &Referral, messages: &[super::reply::Message]) -> Markup {
    let mut own = messages.iter().filter(|m| m.referral_id == r.id.as_str()).peekable();
    // A question recorded before conversations were kept is still the referral's latest answer.
    let legacy = own.peek().is_none().then_some(r.answer_message.as_deref()).flatten();
    html! {
        @if own.peek().is_some() || legacy.is_some() {
            h4.app-heading-s { "Messages" }
            (super::reply::thread(own))
            @if let Some(question) = legacy { div.app-message { p.app-hint { "From the service" } p.app-message__body { (question) } } }
        }
        @if r.status == Status::MoreInformation {
            p { a.app-button.app-button--small href={ "/referrals/" (r.id) "/reply" } { "Answer their question" span.app-visually-hidden { ": " (r.reference) } } }
        }
    }
}

/// The referrals section of the episode page.
/// `mhtr_offered` is the MHTR offer rule's answer for this person: the button, or why not.
pub fn episode_section(
    episode_id: &str,
    open: bool,
    mhtr_offered: Result<(), &str>,
    referrals: &EpisodeReferrals,
    csrf: &str,
) -> Markup {
    let (list, mhtr, failures) = (&referrals.list, &referrals.mhtr, &referrals.failures);
    html! {
        h2.app-heading-m #referrals { "Referrals" }
        @if open {
            div.app-actions {
                a.app-button.app-button--secondary href={ "/episodes/" (episode_id) "/referrals/new" } { "Make a referral" }
                @if mhtr_offered.is_ok() {
                    a.app-button.app-button--secondary href={ "/episodes/" (episode_id) "/mhtr-referral" } { "Refer to the MHTR service" }
                }
            }
            @if let Err(why) = mhtr_offered { p.app-hint { (why) } }
        }
        @if list.is_empty() && mhtr.is_empty() { p { "No referrals yet." } }
        (mhtr_lines(mhtr))
        @for (r, service) in list {
            div.app-card {
                h3.app-heading-s { (service) " – " (r.reference) }
                p { (components::tag(r.status_label(), tone(r.status))) }
                (components::summary_list(&[
                    ("Made", html! { (local_time::date_time(r.created_at)) }),
                    ("Sent", html! { @if let Some(t) = r.sent_at { (local_time::date_time(t)) } @else { "Not yet" } }),
                    ("Answer", html! {
                        @if let Some(t) = r.answered_at { (local_time::date_time(t)) }
                        @if let Some(reason) = &r.answer_reason { br; "Reason: " (reason) }
                        @if r.answered_at.is_none() { "None yet" @if r.chase_count > 0 { " – chased " (count(r.chase_count, "time", "times")) } }
                    }),
                ]))
                (conversation(r, &referrals.messages))
                @if r.status == Status::Failed {
                    p { "The email could not be delivered. Check the address with the service, then send it again." }
                    @for (_, error) in failures.iter().filter(|(id, _)| *id == r.id.as_str()) {
                        p.app-hint { "The mail server said: " (error) }
                    }
                    form.app-inline-form method="post" action={ "/referrals/" (r.id) "/send-again" } {
                        (components::csrf_field(csrf))
                        button.app-button.app-button--small type="submit" { "Send again" span.app-visually-hidden { ": " (r.reference) } }
                    }
                }
                @if r.status == Status::Sent {
                    form.app-inline-form method="post" action={ "/referrals/" (r.id) "/chase" } {
                        (components::csrf_field(csrf))
                        button.app-button.app-button--small.app-button--secondary type="submit" { "Chase now" span.app-visually-hidden { ": " (r.reference) } }
                    }
                }
                @if r.status.closable() {
                    form.app-inline-form method="post" action={ "/referrals/" (r.id) "/close" } {
                        (components::csrf_field(csrf))
                        button.app-button.app-button--small.app-button--secondary type="submit" { "Close referral" span.app-visually-hidden { ": " (r.reference) } }
                    }
                }
                @if r.status == Status::Accepted {
                    form method="post" action={ "/referrals/" (r.id) "/attendance" } {
                        (components::csrf_field(csrf))
                        (components::radios(&format!("attended-{}", r.id), "Did the person attend the first appointment?", &ATTENDANCE.map(|(s, label)| (s.code(), label)), "", &crate::views::form::Errors::default()))
                        button.app-button.app-button--small type="submit" { "Record attendance" }
                    }
                }
            }
        }
    }
}

pub async fn attendance(
    ctx: Ctx,
    id: web::Path<ReferralId>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let (r, ep) = super::load_for(&ctx, id.clone()).await?;
    let field = format!("attended-{id}");
    let Some(outcome) = form
        .into_inner()
        .into_iter()
        .find(|(k, _)| k == &field)
        .and_then(|(_, v)| ATTENDANCE.iter().map(|(s, _)| *s).find(|s| s.code() == v))
    else {
        return Err(AppError::Refused("Select whether the person attended".into()));
    };
    let uid = ctx.user.id.clone();
    ctx.write(move |tx| {
        let changed = diesel::update(
            referrals::table
                .find(&r.id)
                .filter(referrals::status.eq(Status::Accepted.code())),
        )
        .set((referrals::status.eq(outcome.code()), referrals::updated_at.eq(tx.now)))
        .execute(tx.conn)?;
        if changed == 0 {
            return Err(AppError::Refused(
                "Attendance can only be recorded for an accepted referral".into(),
            ));
        }
        let text = if outcome == Status::Attended {
            "attended"
        } else {
            "did not attend"
        };
        r.on_timeline(
            tx.conn,
            (tx.now, &uid),
            timeline::Kind::Contact,
            &format!("Referral {}: the person {text} the first appointment", r.reference),
        )?;
        tx.audit(
            Event::allowed(audit::UPDATE)
                .record("referral", &r.id)
                .detail(format!("status -> {outcome}")),
        )
    })
    .await?;
    Ok(see_other(&format!("/episodes/{}#referrals", ep.id)))
}

/// Ends the tracking of a referral once nothing more will happen on it.
pub async fn close(ctx: Ctx, id: web::Path<ReferralId>) -> Result<HttpResponse, AppError> {
    let (r, ep) = super::load_for(&ctx, id.into_inner()).await?;
    let uid = ctx.user.id.clone();
    ctx.write(move |tx| {
        let changed = diesel::update(
            referrals::table
                .find(&r.id)
                .filter(referrals::status.ne(Status::Closed.code())),
        )
        .set((
            referrals::status.eq(Status::Closed.code()),
            referrals::updated_at.eq(tx.now),
        ))
        .execute(tx.conn)?;
        if changed == 0 {
            return Err(AppError::Refused("This referral is already closed".into()));
        }
        r.on_timeline(
            tx.conn,
            (tx.now, &uid),
            timeline::Kind::Note,
            &format!("Referral {} closed", r.reference),
        )?;
        tx.audit(
            Event::allowed(audit::UPDATE)
                .record("referral", &r.id)
                .detail(format!("{} -> closed", r.status)),
        )
    })
    .await?;
    Ok(see_other(&format!("/episodes/{}#referrals", ep.id)))
}

/// The team's referrals still waiting on a partner, oldest first, overdue ones flagged.
pub async fn awaiting(ctx: Ctx) -> Result<HttpResponse, AppError> {
    let team_ids: Vec<TeamId> = ctx.user.teams.iter().map(|t| t.id.clone()).collect();
    let overdue_before = crate::domain::working_days::before(ctx.now(), ctx.state.config.chase_after_working_days);
    let rows = ctx
        .read(move |conn| {
            // The awaiting referrals first (by their status index: the live working set), then
            // which of them are the team's: never a walk through the team's episode history.
            let awaiting: Vec<Referral> = referrals::table
                .filter(referrals::status.eq_any(Status::AWAITING.map(Status::code)))
                .select(Referral::as_select())
                .order(referrals::created_at.asc())
                .load(conn)?;
            if awaiting.is_empty() {
                return Ok((Vec::new(), Vec::new()));
            }
            let episode_ids: Vec<&str> = awaiting.iter().map(|r| r.episode_id.as_str()).collect();
            // By the episodes' ids alone, the team kept here: a team condition in the query
            // could lead the planner back to the team's history.
            let names_by_episode: HashMap<String, (String, String)> = episodes::table
                .inner_join(people::table)
                .filter(episodes::id.eq_any(&episode_ids))
                .select((episodes::id, episodes::team_id, people::family_name, people::given_name))
                .load::<(String, TeamId, String, String)>(conn)?
                .into_iter()
                .filter(|(_, team, ..)| team_ids.contains(team))
                .map(|(episode, _, family, given)| (episode, (family, given)))
                .collect();
            let rows: Vec<(Referral, String, String, String)> = awaiting
                .into_iter()
                .filter_map(|r| {
                    let (family, given) = names_by_episode.get(r.episode_id.as_str())?.clone();
                    let episode = r.episode_id.to_string();
                    Some((r, family, given, episode))
                })
                .collect();
            let ids: Vec<String> = rows.iter().filter_map(|(r, ..)| r.service_id.clone()).collect();
            let names = service_names(conn, &ids)?;
            Ok((rows, names))
        })
        .await?;
    ctx.audit(
        Event::allowed(audit::VIEW)
            .record("referral-list", "-")
            .detail(format!("{} awaiting", rows.0.len())),
    )
    .await?;
    let (rows, names) = rows;
    let table_rows: Vec<Vec<Markup>> = rows
        .iter()
        .map(|(r, family, given, episode)| {
            let service = r.service_id.as_ref().and_then(|s| names.iter().find(|(id, _)| id == s)).map_or("", |(_, n)| n.as_str());
            let overdue = r.status == Status::Sent && r.sent_at.is_some_and(|t| t <= overdue_before);
            vec![
                html! { a href={ "/episodes/" (episode) "#referrals" } { (family.to_uppercase()) ", " (given) } },
                html! { (service) br; span.app-hint { (r.reference) } },
                html! { (components::tag(r.status_label(), tone(r.status))) @if overdue { " " (components::tag("Overdue", Tone::Bad)) } },
                html! { @if let Some(t) = r.sent_at { (local_time::date_time(t)) } @else { "Not yet" } },
            ]
        })
        .collect();
    let body = html! {
        h1.app-heading-l { "Referrals awaiting an answer" }
        @if rows.is_empty() { p { "Nothing is waiting on a partner." } }
        @else { (components::table(&count(rows.len() as i64, "referral", "referrals"), &["Person", "Service", "Status", "Sent"], &table_rows)) }
    };
    Ok(ctx.render(StatusCode::OK, &ctx.page("Referrals awaiting an answer"), body))
}
