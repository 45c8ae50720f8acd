//! Administration: staff accounts, teams, the audit trail and the email outbox.

pub mod alert_kinds;
pub mod audit;
pub mod outbox;
pub mod reports;
pub mod teams;
mod user_forms;
pub mod users;

use crate::auth::CurrentUser;
use crate::views::nav::NavItem;

const fn admin(href: &'static str, label: &'static str) -> NavItem {
    NavItem {
        href,
        label,
        shown_to: |u: &CurrentUser| u.role.can_administer(),
    }
}

/// The administration pages, for administrators only.
pub const NAV: &[NavItem] = &[
    admin("/admin/sites", "Sites"),
    admin("/admin/partners", "Partner directory"),
    admin("/admin/outbox", "Email outbox"),
    admin("/admin/users", "Users"),
    admin("/admin/vetting", "Vetting"),
    admin("/admin/teams", "Teams"),
    admin("/admin/alert-kinds", "Alert kinds"),
    admin("/admin/reports", "Reports"),
    admin("/admin/merges", "Merged records"),
    admin("/admin/audit", "Audit trail"),
];
