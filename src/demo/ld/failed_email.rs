//! One demo referral whose email the partner's mail server refused, so a newcomer can see a
//! failure and send it again from the episode page.

use diesel::prelude::*;

use crate::clock::Millis;
use crate::db::schema::{episodes, outbox, referrals};
use crate::db::{DbConnection, one_of};
use crate::domain::referral::{Kind, Status};
use crate::email::outbox::Status as Delivery;

pub fn seed(conn: &mut DbConnection, now: Millis, author: &str) -> QueryResult<()> {
    // Someone screened or being assessed today: the stage at which a referral goes out.
    let Some(episode_id) = episodes::table
        .filter(episodes::closed_at.is_null())
        .filter(one_of(
            episodes::status,
            ["screened", "awaiting-assessment", "in-assessment", "assessed"],
        ))
        .order(episodes::alert_at.asc())
        .select(episodes::id)
        .first::<String>(conn)
        .optional()?
    else {
        return Ok(());
    };
    let already = referrals::table
        .filter(referrals::episode_id.eq(&episode_id))
        .count()
        .get_result::<i64>(conn)?;
    let Some(service) = crate::partners::active_services(conn)?
        .into_iter()
        .find(|s| s.service_type == "cmht" && !s.addresses.is_empty())
    else {
        return Ok(());
    };
    if already > 0 {
        return Ok(());
    }
    let (id, made) = (crate::domain::new_id(), now - 2 * 3_600_000);
    diesel::insert_into(referrals::table)
        .values((
            referrals::id.eq(&id),
            referrals::episode_id.eq(&episode_id),
            referrals::service_id.eq(Some(&service.id)),
            referrals::kind.eq(Kind::Partner.code()),
            referrals::reason.eq("Low mood since losing her job; asked for talking therapy"),
            referrals::urgency.eq("soon"),
            referrals::shared_information
                .eq("Low mood for three months; no thoughts of self-harm; happy to be contacted by phone"),
            referrals::consent.eq("given"),
            referrals::status.eq(Status::Failed.code()),
            referrals::submission_key.eq(crate::domain::new_id()),
            referrals::reference.eq("R-DEMO01"),
            referrals::created_by.eq(author),
            referrals::created_at.eq(made),
            referrals::updated_at.eq(made),
        ))
        .execute(conn)?;
    let message = crate::domain::new_id();
    diesel::insert_into(outbox::table)
        .values((
            outbox::id.eq(&message),
            outbox::message_id.eq(format!("{message}@liaison")),
            outbox::referral_id.eq(Some(&id)),
            outbox::recipient.eq(&service.addresses[0]),
            outbox::subject.eq("Referral from Brent L&D (demo)"),
            outbox::body_text.eq("A synthetic demo referral."),
            outbox::status.eq(Delivery::Failed.code()),
            outbox::attempts.eq(1),
            outbox::next_attempt_at.eq(made),
            outbox::locked_until.eq(0),
            outbox::last_error.eq("550 5.1.1 mailbox unavailable (demo: the address has changed)"),
            outbox::created_at.eq(made),
        ))
        .execute(conn)?;
    Ok(())
}
