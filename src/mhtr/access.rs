//! Reaching MHTR referrals through the access model, and the intake's team check.

use crate::access::{Intent, Subject};
use crate::audit::Event;
use crate::domain::ids::{MhtrReferralId, TeamId};
use crate::records::Person;
use crate::web::context::Ctx;
use crate::web::error::AppError;

use super::referral::{self, MhtrReferral};
use super::teams;

/// The audit trail's record type for the intake list.
pub const INTAKE_RECORD: &str = "mhtr-intake";

/// The ids of the user's MHTR teams, or a refusal (audited as `action`, e.g. a view of
/// the intake list) for anyone outside every MHTR team. The routes' `MhtrTeam` guard has
/// already refused anyone outside the clinical roles.
pub async fn require_mhtr_member(ctx: &Ctx, action: &'static str) -> Result<Vec<TeamId>, AppError> {
    let team_ids: Vec<TeamId> = teams::of_user(&ctx.user).iter().map(|t| t.id.clone()).collect();
    if !team_ids.is_empty() {
        return Ok(team_ids);
    }
    ctx.audit(Event::denied(action).record(INTAKE_RECORD, "-")).await?;
    Err(AppError::Forbidden)
}

/// Converts the MHTR handlers' `(action, view)` pair into an intent: a view when `view`
/// names one, otherwise a change audited (when refused) as `action`.
pub fn intent((action, view): (&'static str, Option<&'static str>)) -> Intent {
    view.map_or(Intent::Write(action), Intent::Read)
}

/// Loads a referral and its person if the access model allows.
pub async fn load(
    ctx: &Ctx,
    id: MhtrReferralId,
    access: (&'static str, Option<&'static str>),
) -> Result<(MhtrReferral, Person), AppError> {
    ctx.reach(Subject::MhtrReferral(id.clone()), intent(access), move |conn, _| {
        let found = referral::find(conn, &id)?.ok_or(AppError::NotFound)?;
        let person = crate::records::person::find(conn, &found.person_id)?.ok_or(AppError::NotFound)?;
        Ok((found, person))
    })
    .await
}
