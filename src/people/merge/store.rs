//! Merging a duplicate person into the record kept, and undoing it. Every row that hangs on
//! the duplicate moves to the kept record and is listed, so an undo puts back exactly what
//! moved; identifiers the kept record lacked move too. The duplicate itself is kept, marked
//! merged, so its old address redirects and its audit trail still names it.

use diesel::prelude::*;

use crate::clock::Millis;
use crate::db::schema::{
    access_overrides, episodes, mhtr_cases, mhtr_referrals, people, person_alerts, person_merge_moves, person_merges,
    reports, share_consents, shares, users,
};
use crate::db::{DbConnection, one_of};
use crate::records::Person;

/// What moves with a person, as the confirmation page counts it and the moves table names it.
pub const MOVED: [(&str, &str, &str); 8] = [
    ("episodes", "contact", "contacts"),
    ("mhtr_referrals", "MHTR referral", "MHTR referrals"),
    ("mhtr_cases", "MHTR case", "MHTR cases"),
    ("reports", "report", "reports"),
    ("person_alerts", "alert", "alerts"),
    ("access_overrides", "access record", "access records"),
    ("share_consents", "consent to share", "consents to share"),
    ("shares", "record of sharing", "records of sharing"),
];

/// Runs `$body` with `$t` bound to each table that holds a person's rows, by its name.
macro_rules! for_table {
    ($name:expr, |$t:ident| $body:expr) => {
        match $name {
            "episodes" => {
                use episodes as $t;
                $body
            }
            "mhtr_referrals" => {
                use mhtr_referrals as $t;
                $body
            }
            "mhtr_cases" => {
                use mhtr_cases as $t;
                $body
            }
            "reports" => {
                use reports as $t;
                $body
            }
            "person_alerts" => {
                use person_alerts as $t;
                $body
            }
            "access_overrides" => {
                use access_overrides as $t;
                $body
            }
            "share_consents" => {
                use share_consents as $t;
                $body
            }
            "shares" => {
                use shares as $t;
                $body
            }
            other => unreachable!("no table {other}"),
        }
    };
}

/// The ids of a person's rows in each table that moves, in [`MOVED`]'s order.
pub fn rows_of(conn: &mut DbConnection, person_id: &str) -> QueryResult<Vec<Vec<String>>> {
    MOVED
        .iter()
        .map(|(table, _, _)| {
            for_table!(*table, |t| t::table
                .filter(t::person_id.eq(person_id))
                .select(t::id)
                .load::<String>(conn))
        })
        .collect()
}

/// Why two records cannot be merged, in words for the page.
pub fn conflict(kept: &Person, duplicate: &Person) -> Option<&'static str> {
    if kept.id == duplicate.id {
        return Some("Choose a different record: a record cannot be merged into itself");
    }
    if duplicate.merged_into.is_some() || kept.merged_into.is_some() {
        return Some("One of these records has already been merged");
    }
    let differ = |a: &Option<String>, b: &Option<String>| matches!((a, b), (Some(a), Some(b)) if a != b);
    if differ(&kept.nhs_number, &duplicate.nhs_number) {
        return Some("These records have different NHS numbers, so they are two people");
    }
    if differ(&kept.pnc_id, &duplicate.pnc_id) || differ(&kept.cro_number, &duplicate.cro_number) {
        return Some("These records have different police identifiers (PNC ID or CRO number), so they are two people");
    }
    None
}

/// The identifiers the kept record lacks and the duplicate has.
fn identifiers_to_move(kept: &Person, duplicate: &Person) -> Vec<&'static str> {
    let mut moved = Vec::new();
    if kept.nhs_number.is_none() && duplicate.nhs_number.is_some() {
        moved.push("nhs_number");
    }
    if kept.pnc_id.is_none() && duplicate.pnc_id.is_some() {
        moved.push("pnc_id");
    }
    if kept.cro_number.is_none() && duplicate.cro_number.is_some() {
        moved.push("cro_number");
    }
    moved
}

/// Moves one identifier column from one person to another; the giver is emptied first, as
/// an NHS number is unique.
fn move_identifier(conn: &mut DbConnection, column: &str, from: &str, to: &str, now: Millis) -> QueryResult<()> {
    let value: Option<String> = match column {
        "nhs_number" => people::table.find(from).select(people::nhs_number).first(conn)?,
        "pnc_id" => people::table.find(from).select(people::pnc_id).first(conn)?,
        _ => people::table.find(from).select(people::cro_number).first(conn)?,
    };
    let none: Option<String> = None;
    match column {
        "nhs_number" => {
            diesel::update(people::table.find(from))
                .set(people::nhs_number.eq(&none))
                .execute(conn)?;
            diesel::update(people::table.find(to))
                .set(people::nhs_number.eq(&value))
                .execute(conn)?;
        }
        "pnc_id" => {
            diesel::update(people::table.find(from))
                .set(people::pnc_id.eq(&none))
                .execute(conn)?;
            diesel::update(people::table.find(to))
                .set(people::pnc_id.eq(&value))
                .execute(conn)?;
        }
        _ => {
            diesel::update(people::table.find(from))
                .set(people::cro_number.eq(&none))
                .execute(conn)?;
            diesel::update(people::table.find(to))
                .set(people::cro_number.eq(&value))
                .execute(conn)?;
        }
    }
    diesel::update(people::table.filter(one_of(people::id, [from, to])))
        .set(people::updated_at.eq(now))
        .execute(conn)
        .map(|_| ())
}

/// Merges `duplicate` into `kept` (both already checked with [`conflict`]); returns the
/// merge's id and how many rows moved from each table, in [`MOVED`]'s order.
pub fn merge(
    conn: &mut DbConnection,
    now: Millis,
    (kept, duplicate): (&Person, &Person),
    user_id: &str,
    reason: &str,
) -> QueryResult<(String, Vec<usize>)> {
    let merge_id = crate::domain::new_id();
    let identifiers = identifiers_to_move(kept, duplicate);
    diesel::insert_into(person_merges::table)
        .values((
            person_merges::id.eq(&merge_id),
            person_merges::kept_id.eq(&kept.id),
            person_merges::merged_id.eq(&duplicate.id),
            person_merges::reason.eq(reason),
            person_merges::identifiers_moved.eq(identifiers.join(",")),
            person_merges::merged_by.eq(user_id),
            person_merges::merged_at.eq(now),
        ))
        .execute(conn)?;
    let rows = rows_of(conn, &duplicate.id)?;
    for ((table, _, _), ids) in MOVED.iter().zip(&rows) {
        if ids.is_empty() {
            continue;
        }
        for_table!(*table, |t| diesel::update(t::table.filter(one_of(t::id, ids)))
            .set(t::person_id.eq(&kept.id))
            .execute(conn))?;
        // One row at a time: a person has tens of rows, and a batch insert is not portable
        // across the two backends through one connection type.
        for id in ids {
            diesel::insert_into(person_merge_moves::table)
                .values((
                    person_merge_moves::merge_id.eq(&merge_id),
                    person_merge_moves::table_name.eq(*table),
                    person_merge_moves::row_id.eq(id),
                ))
                .execute(conn)?;
        }
    }
    for column in &identifiers {
        move_identifier(conn, column, &duplicate.id, &kept.id, now)?;
    }
    diesel::update(people::table.find(&duplicate.id))
        .set((people::merged_into.eq(Some(&kept.id)), people::updated_at.eq(now)))
        .execute(conn)?;
    Ok((merge_id, rows.iter().map(Vec::len).collect()))
}

/// A merge, as the pages list it.
#[derive(Queryable, Debug, Clone)]
pub struct Merge {
    pub id: String,
    pub kept_id: String,
    pub merged_id: String,
    pub reason: String,
    pub identifiers_moved: String,
    /// The name of who merged them.
    pub merged_by: String,
    pub merged_at: Millis,
    pub undone_at: Option<Millis>,
}

/// Merges with who made them, for the pages.
macro_rules! merges {
    () => {
        person_merges::table
            .inner_join(users::table.on(users::id.eq(person_merges::merged_by)))
            .select((
                person_merges::id,
                person_merges::kept_id,
                person_merges::merged_id,
                person_merges::reason,
                person_merges::identifiers_moved,
                users::display_name,
                person_merges::merged_at,
                person_merges::undone_at,
            ))
    };
}

pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<Merge>> {
    merges!().filter(person_merges::id.eq(id)).first(conn).optional()
}

/// The merges into this person not undone, newest first.
pub fn into(conn: &mut DbConnection, kept_id: &str) -> QueryResult<Vec<Merge>> {
    merges!()
        .filter(person_merges::kept_id.eq(kept_id))
        .filter(person_merges::undone_at.is_null())
        .order(person_merges::merged_at.desc())
        .load(conn)
}

/// The latest merges, for the administrators' page.
pub fn latest(conn: &mut DbConnection, limit: i64) -> QueryResult<Vec<Merge>> {
    merges!().order(person_merges::merged_at.desc()).limit(limit).load(conn)
}

/// Puts back exactly what the merge moved. `false` when it was already undone, or when a
/// later merge took the kept record elsewhere (undo that one first).
pub fn undo(conn: &mut DbConnection, now: Millis, m: &Merge, user_id: &str, reason: &str) -> QueryResult<bool> {
    let kept_merged: Option<String> = people::table.find(&m.kept_id).select(people::merged_into).first(conn)?;
    if kept_merged.is_some() {
        return Ok(false);
    }
    let claimed = diesel::update(
        person_merges::table
            .find(&m.id)
            .filter(person_merges::undone_at.is_null()),
    )
    .set((
        person_merges::undone_by.eq(user_id),
        person_merges::undone_at.eq(now),
        person_merges::undo_reason.eq(reason),
    ))
    .execute(conn)?;
    if claimed == 0 {
        return Ok(false);
    }
    for (table, _, _) in MOVED {
        let ids: Vec<String> = person_merge_moves::table
            .filter(person_merge_moves::merge_id.eq(&m.id))
            .filter(person_merge_moves::table_name.eq(table))
            .select(person_merge_moves::row_id)
            .load(conn)?;
        if ids.is_empty() {
            continue;
        }
        // Only rows still on the kept record: anything moved on since stays where it is.
        for_table!(table, |t| diesel::update(
            t::table.filter(one_of(t::id, &ids)).filter(t::person_id.eq(&m.kept_id))
        )
        .set(t::person_id.eq(&m.merged_id))
        .execute(conn))?;
    }
    for column in m.identifiers_moved.split(',').filter(|c| !c.is_empty()) {
        move_identifier(conn, column, &m.kept_id, &m.merged_id, now)?;
    }
    diesel::update(people::table.find(&m.merged_id))
        .set((people::merged_into.eq(None::<String>), people::updated_at.eq(now)))
        .execute(conn)?;
    Ok(true)
}
