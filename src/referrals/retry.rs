//! A practitioner sends a failed referral email again from the episode page: the same message,
//! queued afresh through the outbox (so still sent once), with a timeline entry.

use actix_web::{HttpResponse, web};
use diesel::prelude::*;

use super::Status;
use crate::audit::Event;
use crate::db::schema::outbox;
use crate::db::{DbConnection, one_of};
use crate::domain::ids::ReferralId;
use crate::email::outbox as queue;
use crate::records::timeline;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::see_other;

/// Why each failed referral's email was refused, for the episode page: (referral id, error).
pub fn failures(conn: &mut DbConnection, referral_ids: &[&str]) -> QueryResult<Vec<(String, String)>> {
    outbox::table
        .filter(one_of(outbox::referral_id, referral_ids))
        .filter(outbox::status.eq(queue::Status::Failed.code()))
        .select((
            outbox::referral_id.assume_not_null(),
            outbox::last_error.assume_not_null(),
        ))
        .filter(outbox::last_error.is_not_null())
        .load(conn)
}

/// "Send again" on a failed referral.
pub async fn send_again(ctx: Ctx, id: web::Path<ReferralId>) -> Result<HttpResponse, AppError> {
    let (r, ep) = super::load_for(&ctx, id.into_inner()).await?;
    if r.status != Status::Failed {
        return Err(AppError::Refused(
            "Only a referral whose email could not be delivered can be sent again".into(),
        ));
    }
    let (uid, hooks) = (ctx.user.id.clone(), ctx.state.outbox_hooks.clone());
    ctx.write(move |tx| {
        let failed: Vec<String> = outbox::table
            .filter(outbox::referral_id.eq(&r.id))
            .filter(outbox::status.eq(queue::Status::Failed.code()))
            .select(outbox::id)
            .load(tx.conn)?;
        let mut queued = 0;
        for message in &failed {
            if queue::retry(tx.conn, tx.now, message, &hooks)? {
                queued += 1;
            }
        }
        if queued == 0 {
            return Err(AppError::Refused("There is no failed email to send again".into()));
        }
        r.on_timeline(
            tx.conn,
            (tx.now, &uid),
            timeline::Kind::Note,
            &format!("Email sent again: referral {}", r.reference),
        )?;
        tx.audit(
            Event::allowed("email")
                .record("referral", &r.id)
                .detail(format!("sent again; {queued} queued")),
        )
    })
    .await?;
    ctx.state.outbox.wake();
    Ok(see_other(&format!("/episodes/{}?done=sent-again#referrals", ep.id)))
}
