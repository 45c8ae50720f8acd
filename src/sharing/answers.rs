//! What consent changes do to what is waiting to go: a withdrawal stops unsent messages;
//! and a referral's consent answers are written into the episode's consent record.

use diesel::prelude::*;

use super::store::{NewConsent, current, insert};
use crate::clock::Millis;
use crate::db::schema::{outbox, partner_services, referrals, shares};
use crate::db::{DbConnection, one_of};
use crate::domain::sharing::{Answer, Basis, Capacity, Method, Scope};

/// Stops every message not yet sent that carries something shared on consent from this
/// episode under a scope not in `granted` (consent withdrawn, or no longer recorded): a
/// report's message, and a referral's (the referral is closed). Returns how many messages
/// were stopped; what was sent stays sent.
pub fn cancel_unsent(conn: &mut DbConnection, episode_id: &str, granted: &[&str]) -> QueryResult<usize> {
    use crate::email::outbox::Status;
    let carried: Vec<Option<String>> = shares::table
        .filter(shares::episode_id.eq(episode_id))
        .filter(shares::basis.eq(Basis::Consent.code()))
        .filter(shares::scope.ne_all(granted))
        .filter(shares::outbox_id.is_not_null())
        .select(shares::outbox_id)
        .load(conn)?;
    let ids: Vec<String> = carried.into_iter().flatten().collect();
    let given: Vec<(String, String)> = referrals::table
        .inner_join(partner_services::table.on(referrals::service_id.eq(partner_services::id.nullable())))
        .filter(referrals::episode_id.eq(episode_id))
        .filter(referrals::consent.eq("given"))
        .filter(referrals::status.eq(crate::domain::referral::Status::Queued.code()))
        .select((referrals::id, partner_services::service_type))
        .load(conn)?;
    let withdrawn_referrals: Vec<String> = given
        .into_iter()
        .filter(|(_, t)| !granted.contains(&Scope::for_service_type(t).code()))
        .map(|(id, _)| id)
        .collect();
    let pending = || outbox::table.filter(outbox::status.eq(Status::Pending.code()));
    let mut stopped = diesel::update(pending().filter(one_of(outbox::id, &ids)))
        .set(outbox::status.eq(Status::Cancelled.code()))
        .execute(conn)?;
    if !withdrawn_referrals.is_empty() {
        stopped += diesel::update(pending().filter(one_of(outbox::referral_id, &withdrawn_referrals)))
            .set(outbox::status.eq(Status::Cancelled.code()))
            .execute(conn)?;
        diesel::update(referrals::table.filter(one_of(referrals::id, &withdrawn_referrals)))
            .set((
                referrals::status.eq(crate::domain::referral::Status::Closed.code()),
                referrals::answer_reason.eq("Consent to share withdrawn before the referral was sent"),
            ))
            .execute(conn)?;
    }
    Ok(stopped)
}

/// Records one scope's answer given while making a referral to `recipient`, as a new version
/// of the episode's consent that copies the latest (or, with none, records it as verbal and
/// witnessed by the practitioner). Agreeing marks the scope agreed. Declining one recipient
/// of a scope otherwise agreed adds that to the scope's limits rather than withdrawing it;
/// otherwise the scope is marked refused. Nothing is written when the record already says so.
pub fn record_answer(
    conn: &mut DbConnection,
    now: Millis,
    (user_id, practitioner): (&str, &str),
    (episode_id, person_id): (&str, &str),
    (scope, answer, recipient): (Scope, Answer, &str),
    note: &str,
) -> QueryResult<()> {
    let latest = current(conn, episode_id)?;
    let (before, limits) = latest
        .as_ref()
        .and_then(|c| c.scopes.iter().find(|(s, _, _)| *s == scope))
        .map_or((Answer::NotAsked, None), |(_, a, l)| (*a, l.clone()));
    let declined = format!("Declined for {recipient}");
    let (after, limits) = match (before, answer) {
        (Answer::Granted, Answer::Refused) if limits.as_deref().is_some_and(|l| l.contains(&declined)) => return Ok(()),
        (Answer::Granted, Answer::Refused) => (
            Answer::Granted,
            Some(limits.map_or(declined.clone(), |l| format!("{l}; {declined}"))),
        ),
        (b, a) if b == a => return Ok(()),
        (_, a) => (a, None),
    };
    let scopes: Vec<(Scope, Answer, Option<String>)> = Scope::ALL
        .iter()
        .map(
            |s| match latest.as_ref().and_then(|c| c.scopes.iter().find(|(x, _, _)| x == s)) {
                _ if *s == scope => (*s, after, limits.clone()),
                Some((_, a, l)) => (*s, *a, l.clone()),
                None => (*s, Answer::NotAsked, None),
            },
        )
        .collect();
    let witness = format!("{practitioner}, with the referral");
    let new = NewConsent {
        episode_id,
        person_id,
        method: latest.as_ref().map_or(Method::VerbalWitnessed, |c| c.method),
        witness: latest.as_ref().map_or(Some(witness.as_str()), |c| c.witness.as_deref()),
        interpreter: latest.as_ref().is_some_and(|c| c.interpreter),
        easy_read: latest.as_ref().is_some_and(|c| c.easy_read),
        capacity: latest.as_ref().map_or(Capacity::NotInDoubt, |c| c.capacity),
        capacity_note: latest.as_ref().and_then(|c| c.capacity_note.as_deref()),
        guardian: latest.as_ref().and_then(|c| c.guardian.as_deref()),
        withdrawal: false,
        note: Some(note),
        scopes: &scopes,
    };
    insert(conn, now, user_id, &new).map(|_| ())
}
