//! Merging two records of the same person: a senior practitioner chooses the duplicate from
//! the people who match the record kept, says why, checks what will move, and confirms.
//! Within [`UNDO_DAYS`] any senior practitioner can undo it from the kept record;
//! an administrator can undo any merge. Both are audited against both people.

mod pages;
pub mod store;
mod undo;
pub use undo::section;

use crate::web::routes::{Guard, Record, Routes};

/// How long a senior practitioner can undo a merge from the person page.
pub const UNDO_DAYS: i64 = 30;

#[rustfmt::skip]
pub fn routes(r: &mut Routes) {
    use Guard::{Admin, Merges};
    const MERGE: &str = "/people/{id}/merge";
    const UNDO: &str = "/people/{id}/merges/{merge_id}/undo";
    r.get(MERGE, Merges, Record::Person, pages::choose)
        .post(MERGE, Merges, Record::Person, pages::check_or_merge)
        .get(UNDO, Merges, Record::Person, undo::undo_form)
        .post(UNDO, Merges, Record::Person, undo::undo)
        .get("/admin/merges", Admin, Record::PersonMerge, undo::admin_list)
        .get("/admin/merges/{id}", Admin, Record::PersonMerge, undo::admin_undo_form)
        .post("/admin/merges/{id}", Admin, Record::PersonMerge, undo::admin_undo);
}
