//! Reaching an episode and its person through the access model: the one loader every
//! feature that works on an episode uses.

use super::episode::{self, Episode};
use super::person::{self, Person};
use crate::access::{Intent, Subject};
use crate::auth::CurrentUser;
use crate::domain::ids::EpisodeId;
use crate::web::context::{Ctx, reach};
use crate::web::error::AppError;
use crate::web::state::AppState;

pub const RECORD: &str = "episode";

/// Loads an episode and its person if the access model allows. `view` names what is being
/// viewed (e.g. "episode page") for the audit trail; `None` for handlers that change the
/// episode and audit the change themselves (a break-glass does not open those).
pub async fn load(
    state: &AppState,
    user: &CurrentUser,
    id: EpisodeId,
    view: Option<&'static str>,
) -> Result<(Episode, Person), AppError> {
    let intent = view.map_or(Intent::Write(crate::audit::UPDATE), Intent::Read);
    reach(state, user, Subject::Episode(id.clone()), intent, move |conn, _| {
        let ep = episode::find(conn, &id)?.ok_or(AppError::NotFound)?;
        let person = person::find(conn, &ep.person_id)?.ok_or(AppError::NotFound)?;
        Ok((ep, person))
    })
    .await
}

/// [`load`] for a handler's request context.
pub async fn open(ctx: &Ctx, id: EpisodeId, view: Option<&'static str>) -> Result<(Episode, Person), AppError> {
    load(&ctx.state, &ctx.user, id, view).await
}
