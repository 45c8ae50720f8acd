//! Information governance: break-glass access to a record outside the team's relationship,
//! the information governance lead's review queue, and "who accessed this record".

pub mod access_log;
pub mod break_glass;
pub mod reviews;
pub mod share_reviews;

use crate::auth::CurrentUser;
use crate::views::nav::NavItem;
use crate::web::routes::{Guard, Record, Routes};

pub const NAV: &[NavItem] = &[NavItem {
    href: "/governance/access-reviews",
    label: "Access reviews",
    shown_to: |u: &CurrentUser| u.role.reviews_access(),
}];

#[rustfmt::skip]
pub fn routes(r: &mut Routes) {
    use Guard::{AccessLog, Clinical, IgLead};
    r.get("/people/{id}/break-glass", Clinical, Record::Person, break_glass::form)
        .post("/people/{id}/break-glass", Clinical, Record::Person, break_glass::start)
        .get("/governance/access-reviews", IgLead, Record::AccessReview, reviews::queue)
        .get("/governance/access-reviews/{id}", IgLead, Record::AccessReview, reviews::show)
        .post("/governance/access-reviews/{id}", IgLead, Record::AccessReview, reviews::review)
        .get("/governance/share-reviews/{id}", IgLead, Record::ShareReview, share_reviews::show)
        .post("/governance/share-reviews/{id}", IgLead, Record::ShareReview, share_reviews::save)
        .get("/governance/people/{id}/access", AccessLog, Record::AccessReview, access_log::show);
}
