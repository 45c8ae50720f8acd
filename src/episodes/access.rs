//! Who may see an episode: practitioners and senior practitioners of the team whose site it
//! is. Every refusal is audited; so is every view the caller asks to record.

use crate::audit::{self, Event};
use crate::auth::CurrentUser;
use crate::people::{self, Person};
use crate::state::AppState;
use crate::web::error::AppError;

use super::Episode;

pub const RECORD: &str = "episode";

/// Loads an episode and its person if the user may see them. `view` names what is being
/// viewed (e.g. "episode page") to record a view in the audit trail; `None` for handlers
/// whose change is audited itself.
pub async fn load(
    state: &AppState,
    user: &CurrentUser,
    id: String,
    view: Option<&'static str>,
) -> Result<(Episode, Person), AppError> {
    let (now, actor) = (state.now(), user.actor());
    let clinical = user.sees_records();
    let team_ids: Vec<String> = user.teams.iter().map(|t| t.id.clone()).collect();
    state
        .db(move |conn| {
            let ep = super::find(conn, &id)?.ok_or(AppError::NotFound)?;
            if !clinical || !team_ids.contains(&ep.team_id) {
                audit::record(conn, now, &actor, Event::denied(audit::VIEW).record(RECORD, &id))?;
                return Err(AppError::Forbidden);
            }
            let person = people::find(conn, &ep.person_id)?.ok_or(AppError::NotFound)?;
            if let Some(what) = view {
                audit::record(
                    conn,
                    now,
                    &actor,
                    Event::allowed(audit::VIEW).record(RECORD, &id).detail(what),
                )?;
            }
            Ok((ep, person))
        })
        .await
}
