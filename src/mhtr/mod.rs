//! The Women's MHTR service (docs/domain.md §7): referrals (internal from an L&D team, or entered
//! from outside), the team's intake, and the case from eligibility through the suitability
//! report and sentence to treatment and completion; the outreach log and the evaluation
//! extract.

pub mod access;
pub mod case;
pub mod decision;
pub mod external;
pub mod extract;
pub mod hearing;
pub mod intake;
pub mod outreach;
pub mod refer;
pub mod referral;
pub mod teams;

use actix_web::web;

pub use referral::{MhtrReferral, Status};
pub use teams::{is_mhtr_member, is_mhtr_team};

use crate::auth::CurrentUser;
use crate::domain::Role;
use crate::views::nav::NavItem;

pub const NAV: &[NavItem] = &[
    NavItem {
        href: "/mhtr/intake",
        label: "MHTR intake",
        shown_to: |u: &CurrentUser| u.sees_records() && is_mhtr_member(u),
    },
    NavItem {
        href: "/mhtr/outreach",
        label: "Outreach",
        shown_to: |u: &CurrentUser| u.sees_records() && is_mhtr_member(u),
    },
    NavItem {
        href: "/mhtr/extract",
        label: "Evaluation extract",
        shown_to: |u: &CurrentUser| is_mhtr_member(u) || u.role == Role::Analyst,
    },
];

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/episodes/{id}/mhtr-referral", web::get().to(refer::show))
        .route("/episodes/{id}/mhtr-referral", web::post().to(refer::submit))
        .route("/mhtr/intake", web::get().to(intake::list))
        .route("/mhtr/outreach", web::get().to(outreach::show_list))
        .route("/mhtr/outreach/new", web::get().to(outreach::new_form))
        .route("/mhtr/outreach/new", web::post().to(outreach::submit))
        .route("/mhtr/intake/{id}", web::get().to(decision::show))
        .route("/mhtr/intake/{id}", web::post().to(decision::decide))
        .route("/mhtr/cases/{id}", web::get().to(case::show::show))
        .route("/mhtr/cases/{id}/eligibility", web::get().to(case::eligibility::show))
        .route(
            "/mhtr/cases/{id}/eligibility",
            web::post().to(case::eligibility::submit),
        );
    case::suitability::routes(cfg);
    case::report::routes(cfg);
    case::court::routes(cfg);
    case::treatment::routes(cfg);
    external::routes(cfg);
    extract::routes(cfg);
}
