//! The main navigation. Features register their items in `app.rs`; the layout shows the
//! ones meant for the signed-in user, in the order registered.

use crate::auth::CurrentUser;

#[derive(Clone, Copy)]
pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    /// Whether this user sees the item.
    pub shown_to: fn(&CurrentUser) -> bool,
}

/// The links a user sees, as (href, label).
pub fn for_user(items: &[NavItem], user: &CurrentUser) -> Vec<(&'static str, &'static str)> {
    items
        .iter()
        .filter(|item| (item.shown_to)(user))
        .map(|item| (item.href, item.label))
        .collect()
}
