//! Information governance: break-glass access to a record outside the team's relationship,
//! the information governance lead's review queue, and "who accessed this record".

pub mod access_log;
pub mod break_glass;
pub mod reviews;

use actix_web::web;

use crate::auth::CurrentUser;
use crate::views::nav::NavItem;

pub const NAV: &[NavItem] = &[NavItem {
    href: "/governance/access-reviews",
    label: "Access reviews",
    shown_to: |u: &CurrentUser| u.role.reviews_access(),
}];

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/people/{id}/break-glass", web::get().to(break_glass::form))
        .route("/people/{id}/break-glass", web::post().to(break_glass::start))
        .route("/governance/access-reviews", web::get().to(reviews::queue))
        .route("/governance/access-reviews/{id}", web::get().to(reviews::show))
        .route("/governance/access-reviews/{id}", web::post().to(reviews::review))
        .route("/governance/people/{id}/access", web::get().to(access_log::show));
}
