//! Chasing unanswered referrals: automatically after a number of working days, or at once by
//! a practitioner. A chase is a reminder to the same addresses with fresh answer links.

use actix_web::{HttpResponse, web};
use diesel::prelude::*;

use super::{Kind, Referral, Status};
use crate::audit::{self, Actor, Event};
use crate::clock::Millis;
use crate::config::Config;
use crate::db::schema::referrals;
use crate::db::{DbConnection, write_tx};
use crate::domain::ids::ReferralId;
use crate::domain::working_days;
use crate::email::templates::Purpose;
use crate::records::timeline;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::see_other;

/// Automatic chases stop after this many; the referral stays on the awaiting list.
pub const MAX_AUTOMATIC_CHASES: i32 = 3;

/// Queues reminders for every referral sent or last chased more than the configured working
/// days ago and still unanswered. Runs in the outbox worker's pass.
pub fn queue_due(conn: &mut DbConnection, now: Millis, config: &Config) -> QueryResult<usize> {
    let threshold = working_days::before(now, config.chase_after_working_days);
    let due: Vec<Referral> = referrals::table
        .filter(referrals::kind.eq(Kind::Partner.code()))
        .filter(referrals::status.eq(Status::Sent.code()))
        .filter(referrals::chase_count.lt(MAX_AUTOMATIC_CHASES))
        .filter(
            referrals::last_chased_at.le(threshold).or(referrals::last_chased_at
                .is_null()
                .and(referrals::sent_at.le(threshold))),
        )
        .select(Referral::as_select())
        .limit(50)
        .load(conn)?;
    let system = Actor {
        username: Some("liaison (automatic chase)".into()),
        ..Actor::default()
    };
    for r in &due {
        write_tx(conn, |conn| chase(conn, now, config, r, &system, None))?;
    }
    Ok(due.len())
}

/// Queues due reminders on each pass of the outbox worker.
pub struct ChaseTask {
    pub config: std::sync::Arc<Config>,
}

impl crate::email::hooks::PeriodicTask for ChaseTask {
    fn name(&self) -> &'static str {
        "chase unanswered referrals"
    }

    fn run(&self, conn: &mut DbConnection, now: Millis) -> QueryResult<usize> {
        queue_due(conn, now, &self.config)
    }
}

/// Queues one reminder; `by` is the practitioner for a one-click chase.
fn chase(
    conn: &mut DbConnection,
    now: Millis,
    config: &Config,
    r: &Referral,
    actor: &Actor,
    by: Option<&str>,
) -> QueryResult<()> {
    let author = by.unwrap_or(&r.created_by);
    let Some(follow_up) = super::follow_up::FollowUp::load(conn, r, author)? else {
        return Ok(());
    };
    let sent = follow_up.queue(conn, now, config, r, Purpose::Chase)?;
    diesel::update(referrals::table.find(&r.id))
        .set((
            referrals::last_chased_at.eq(now),
            referrals::chase_count.eq(r.chase_count + 1),
            referrals::updated_at.eq(now),
        ))
        .execute(conn)?;
    let how = if by.is_some() { "Chased" } else { "Chased automatically" };
    r.on_timeline(
        conn,
        (now, author),
        timeline::Kind::Note,
        &format!("{how}: referral {}", r.reference),
    )?;
    audit::record(
        conn,
        now,
        actor,
        Event::allowed("email")
            .record("referral", &r.id)
            .detail(format!("chase; {sent} queued")),
    )
}

/// "Chase now" on the episode page.
pub async fn now(ctx: Ctx, id: web::Path<ReferralId>) -> Result<HttpResponse, AppError> {
    let (r, ep) = super::load_for(&ctx, id.into_inner()).await?;
    if r.status != Status::Sent {
        return Err(AppError::Refused(
            "Only a sent referral that has not been answered can be chased".into(),
        ));
    }
    let (actor, uid, config) = (ctx.actor(), ctx.user.id.clone(), ctx.state.config.clone());
    ctx.write(move |tx| Ok(chase(tx.conn, tx.now, &config, &r, &actor, Some(&uid))?))
        .await?;
    ctx.state.outbox.wake();
    Ok(see_other(&format!("/episodes/{}#referrals", ep.id)))
}
