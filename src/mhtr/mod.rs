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

pub use referral::{MhtrReferral, Status};
pub use teams::{is_mhtr_member, is_mhtr_team};

use crate::auth::CurrentUser;
use crate::domain::Role;
use crate::views::nav::NavItem;
use crate::web::routes::{Guard, Record, Routes};

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

#[rustfmt::skip]
pub fn routes(r: &mut Routes) {
    use Guard::{Clinical, MhtrTeam};
    r.get("/episodes/{id}/mhtr-referral", Clinical, Record::Episode, refer::show)
        .post("/episodes/{id}/mhtr-referral", Clinical, Record::Episode, refer::submit)
        .get("/mhtr/intake", MhtrTeam, Record::MhtrIntake, intake::list)
        .get("/mhtr/outreach", MhtrTeam, Record::MhtrOutreach, outreach::show_list)
        .get("/mhtr/outreach/new", MhtrTeam, Record::MhtrOutreach, outreach::new_form)
        .post("/mhtr/outreach/new", MhtrTeam, Record::MhtrOutreach, outreach::submit)
        .get("/mhtr/intake/{id}", Clinical, Record::MhtrReferral, decision::show)
        .post("/mhtr/intake/{id}", Clinical, Record::MhtrReferral, decision::decide)
        .get("/mhtr/cases/{id}", Clinical, Record::MhtrCase, case::show::show)
        .get("/mhtr/cases/{id}/eligibility", Clinical, Record::MhtrCase, case::eligibility::show)
        .post("/mhtr/cases/{id}/eligibility", Clinical, Record::MhtrCase, case::eligibility::submit);
    case::suitability::routes(r);
    case::report::routes(r);
    case::court::routes(r);
    case::treatment::routes(r);
    external::routes(r);
    extract::routes(r);
}
