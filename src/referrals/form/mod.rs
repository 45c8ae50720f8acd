//! Making referrals from an episode: choose services, say why and what is shared, record
//! consent for each recipient, check the answers, send. A double submit creates nothing new.
//!
//! `input` reads and checks the answers, `pages` draws the three steps, `steps` serves them
//! and `send` makes the referrals.

mod input;
mod pages;
mod send;
mod steps;

use crate::domain::ids::EpisodeId;
use crate::domain::referral::YOUTH_ROUTES;
use crate::partners::{self, ServiceEntry};
use crate::records::access;
use crate::web::context::Ctx;
use crate::web::error::AppError;

pub use send::send;
pub use steps::{check, edit, new};

/// Services with youth routes first for under-18s, then by organisation and name.
fn ordered(mut services: Vec<ServiceEntry>, youth: bool) -> Vec<ServiceEntry> {
    services.sort_by_key(|s| {
        (
            !(youth && YOUTH_ROUTES.contains(&s.service_type.as_str())),
            s.organisation.clone(),
            s.name.clone(),
        )
    });
    services
}

/// What every step starts from: the episode, the person and the services in display order.
async fn load(
    ctx: &Ctx,
    id: EpisodeId,
) -> Result<(crate::records::Episode, crate::records::Person, Vec<ServiceEntry>), AppError> {
    let (ep, person) = access::open(ctx, id, Some("referral form")).await?;
    let services = ctx.read(|conn| Ok(partners::active_services(conn)?)).await?;
    let youth = ep.youth;
    Ok((ep, person, ordered(services, youth)))
}
