//! Following a referral after it is sent: the episode's referral list, the team's awaiting
//! list, and recording whether the person attended the first appointment.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use maud::{Markup, html};

use super::{Referral, Status};
use crate::audit::{self, Event};
use crate::db::schema::{episodes, partner_organisations, partner_services, people, referrals};
use crate::db::{DbConnection, one_of};
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
pub(super) const ATTENDANCE: [(Status, &str); 2] =
    [(Status::Attended, "Attended"), (Status::NotAttended, "Did not attend")];

/// Service names for referrals, in one query.
pub fn service_names(conn: &mut DbConnection, service_ids: &[String]) -> QueryResult<Vec<(String, String)>> {
    partner_services::table
        .inner_join(partner_organisations::table)
        .filter(one_of(partner_services::id, service_ids))
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
                .filter(one_of(referrals::status, Status::AWAITING.map(Status::code)))
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
                .filter(one_of(episodes::id, &episode_ids))
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
