//! Reaching an episode and its person through the access model.

use crate::access::{Intent, Subject};
use crate::auth::CurrentUser;
use crate::people::{self, Person};
use crate::state::AppState;
use crate::web::context::{Ctx, reach};
use crate::web::error::AppError;

use super::Episode;

pub const RECORD: &str = "episode";

/// Loads an episode and its person if the access model allows. `view` names what is being
/// viewed (e.g. "episode page") for the audit trail; `None` for handlers that change the
/// episode and audit the change themselves (a break-glass does not open those).
pub async fn load(
    state: &AppState,
    user: &CurrentUser,
    id: String,
    view: Option<&'static str>,
) -> Result<(Episode, Person), AppError> {
    let intent = view.map_or(Intent::Write(crate::audit::UPDATE), Intent::Read);
    reach(state, user, Subject::Episode(id.clone()), intent, move |conn, _| {
        let ep = super::find(conn, &id)?.ok_or(AppError::NotFound)?;
        let person = people::find(conn, &ep.person_id)?.ok_or(AppError::NotFound)?;
        Ok((ep, person))
    })
    .await
}

/// [`load`] for a handler's request context.
pub async fn open(ctx: &Ctx, id: String, view: Option<&'static str>) -> Result<(Episode, Person), AppError> {
    load(&ctx.state, &ctx.user, id, view).await
}
