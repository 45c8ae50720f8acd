//! Who may work an MHTR referral: practitioners and senior practitioners of the MHTR team
//! that received it. Every refusal is audited; so is every view the caller asks to record.

use crate::audit::{self, Event};
use crate::auth::CurrentUser;
use crate::auth::current::require_clinical;
use crate::people::{self, Person};
use crate::state::AppState;
use crate::web::error::AppError;

use super::referral::{self, MhtrReferral, RECORD};
use super::teams;

/// The audit trail's record type for the intake list.
pub const INTAKE_RECORD: &str = "mhtr-intake";

/// The ids of the user's MHTR teams, or a refusal (audited as `action`, e.g. a view of
/// the intake list) for anyone outside the clinical roles or outside every MHTR team.
pub async fn require_mhtr_member(
    state: &AppState,
    user: &CurrentUser,
    action: &'static str,
) -> Result<Vec<String>, AppError> {
    require_clinical(state, user, INTAKE_RECORD).await?;
    let team_ids: Vec<String> = teams::of_user(user).iter().map(|t| t.id.clone()).collect();
    if !team_ids.is_empty() {
        return Ok(team_ids);
    }
    let (now, actor) = (state.now(), user.actor());
    state
        .db(move |conn| {
            let event = Event::denied(action).record(INTAKE_RECORD, "-");
            Ok(audit::record(conn, now, &actor, event)?)
        })
        .await?;
    Err(AppError::Forbidden)
}

/// Loads a referral and its person if the user is a clinician in the receiving team.
/// `action` is what a refusal is audited as; `view` names the view to record (e.g.
/// "intake decision page"), `None` for handlers whose change is audited itself.
pub async fn load(
    state: &AppState,
    user: &CurrentUser,
    id: String,
    (action, view): (&'static str, Option<&'static str>),
) -> Result<(MhtrReferral, Person), AppError> {
    require_clinical(state, user, RECORD).await?;
    let (now, actor) = (state.now(), user.actor());
    let team_ids: Vec<String> = user.teams.iter().map(|t| t.id.clone()).collect();
    state
        .db(move |conn| {
            let found = referral::find(conn, &id)?.ok_or(AppError::NotFound)?;
            if !team_ids.contains(&found.team_id) {
                audit::record(conn, now, &actor, Event::denied(action).record(RECORD, &id))?;
                return Err(AppError::Forbidden);
            }
            let person = people::find(conn, &found.person_id)?.ok_or(AppError::NotFound)?;
            if let Some(what) = view {
                let event = Event::allowed(audit::VIEW).record(RECORD, &id).detail(what);
                audit::record(conn, now, &actor, event)?;
            }
            Ok((found, person))
        })
        .await
}
