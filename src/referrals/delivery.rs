//! A referral's status follows its email: registered with the outbox as a delivery
//! listener, so the outbox never writes referrals itself.

use diesel::prelude::*;

use crate::clock::Millis;
use crate::db::schema::referrals;
use crate::db::{DbConnection, one_of};
use crate::domain::ids::ReferralId;
use crate::domain::referral::Status;
use crate::email::hooks::{Delivery, DeliveryListener};

pub struct ReferralStatus;

impl DeliveryListener for ReferralStatus {
    fn settled(
        &self,
        conn: &mut DbConnection,
        now: Millis,
        referral_id: &ReferralId,
        delivery: Delivery,
    ) -> QueryResult<()> {
        let referral = referrals::table.find(referral_id);
        match delivery {
            Delivery::Sent => diesel::update(referral.filter(referrals::status.eq(Status::Queued.code())))
                .set((
                    referrals::status.eq(Status::Sent.code()),
                    referrals::sent_at.eq(now),
                    referrals::updated_at.eq(now),
                ))
                .execute(conn)?,
            Delivery::Failed => {
                diesel::update(referral.filter(one_of(referrals::status, [Status::Queued.code(), Status::Sent.code()])))
                    .set((
                        referrals::status.eq(Status::Failed.code()),
                        referrals::updated_at.eq(now),
                    ))
                    .execute(conn)?
            }
            Delivery::Requeued => diesel::update(referral.filter(referrals::status.eq(Status::Failed.code())))
                .set((
                    referrals::status.eq(Status::Queued.code()),
                    referrals::updated_at.eq(now),
                ))
                .execute(conn)?,
        };
        Ok(())
    }
}
