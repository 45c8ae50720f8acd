//! The quarterly L&D commissioner return (decision 0021). An analyst starts a draft for a
//! quarter, validates it against the checks before a return may leave (blocking errors and
//! warnings, with a field-by-field data-quality table), and locks it once nothing blocks.
//! Locking keeps the file's bytes, their SHA-256, the generator's version and row counts, so
//! the file downloaded later is the file that was locked. Figures are suppressed under the
//! configured small-number rule. The column mapping is `columns`, in one place.

mod actions;
pub mod checks;
pub mod columns;
pub mod facts;
mod pages;
pub mod store;
pub mod table;
pub mod view;

use crate::views::nav::NavItem;
use crate::web::routes::{Guard, Record, Routes};

/// The audit trail's record type.
pub const RECORD: &str = "data-return";

pub const NAV: &[NavItem] = &[NavItem {
    href: "/returns",
    label: "Returns",
    shown_to: |user| Guard::Returns.allows(user),
}];

#[rustfmt::skip]
pub fn routes(r: &mut Routes) {
    use Guard::Returns as G;
    r.get("/returns", G, Record::DataReturn, pages::index)
        .post("/returns", G, Record::DataReturn, pages::start)
        .get("/returns/{id}", G, Record::DataReturn, pages::show)
        .post("/returns/{id}/validate", G, Record::DataReturn, actions::validate)
        .post("/returns/{id}/lock", G, Record::DataReturn, actions::lock)
        .get("/returns/{id}/file.csv", G, Record::DataReturn, actions::download);
}
