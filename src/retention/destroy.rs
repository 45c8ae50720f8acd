//! Destroying a person's record by a records manager's decision: every row about them, in
//! every table, in one transaction, leaving a permanent tombstone (what was destroyed, under
//! which rule, by whom, how many rows, and a hash of the list of rows removed).
//!
//! The rows are listed first, the tombstone written, then each table's rows deleted, children
//! before parents; a delete that removes other than the listed count (someone wrote to the
//! record meanwhile) undoes the lot. The append-only tables let a row go only once its person
//! is on the tombstone (the migrations' triggers), and on PostgreSQL the audit rows go through
//! an owner's function, since the server's role may not delete them; their hash-chain links
//! are kept so the chain still verifies across the gap.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use sha2::{Digest, Sha256};

use crate::clock::Millis;
use crate::db::DbConnection;
use crate::db::schema::{audit_events, destroyed_audit_links, destroyed_people, people, record_destructions};
use crate::domain::new_id;

const REFERRALS: &str = "SELECT r.id FROM referrals r JOIN episodes e ON e.id = r.episode_id WHERE e.person_id = $1";
const EPISODES: &str = "SELECT id FROM episodes WHERE person_id = $1";
const REPORTS: &str = "SELECT id FROM reports WHERE person_id = $1";
const CASES: &str = "SELECT id FROM mhtr_cases WHERE person_id = $1";
const OUTBOX: &str = "SELECT outbox_id FROM shares WHERE person_id = $1 \
     UNION SELECT s.outbox_id FROM report_sends s JOIN reports r ON r.id = s.report_id WHERE r.person_id = $1 \
     UNION SELECT c.outbox_id FROM mhtr_compliance_events c JOIN mhtr_cases m ON m.id = c.case_id WHERE m.person_id = $1";

/// One table's rows about the person: the table, the key that names a row, and which rows
/// (`$1` is the person's id; `{x}` is one of the sets above).
struct Step {
    table: &'static str,
    key: &'static str,
    rows: &'static str,
}

const fn step(table: &'static str, key: &'static str, rows: &'static str) -> Step {
    Step { table, key, rows }
}

/// Children before parents, so no foreign key is left pointing at a removed row.
const STEPS: &[Step] = &[
    step("referral_messages", "id", "referral_id IN ({referrals})"),
    step("answer_links", "token_hash", "referral_id IN ({referrals})"),
    step("report_links", "token_hash", "report_id IN ({reports})"),
    step("report_sends", "id", "report_id IN ({reports})"),
    step(
        "report_includes",
        "report_id || '/' || field",
        "report_id IN ({reports})",
    ),
    step("report_waivers", "report_id || '/' || item", "report_id IN ({reports})"),
    step("report_addenda", "id", "report_id IN ({reports})"),
    step(
        "report_sections",
        "report_id || '/' || code",
        "report_id IN ({reports})",
    ),
    step("reports", "id", "person_id = $1"),
    step("mhtr_review_requests", "id", "case_id IN ({cases})"),
    step("mhtr_case_events", "id", "case_id IN ({cases})"),
    step("mhtr_consents", "id", "case_id IN ({cases})"),
    step("mhtr_negotiation_contacts", "id", "case_id IN ({cases})"),
    step("mhtr_psychology_reviews", "id", "case_id IN ({cases})"),
    step("mhtr_hearings", "id", "case_id IN ({cases})"),
    step("mhtr_orders", "case_id", "case_id IN ({cases})"),
    step("mhtr_sessions", "id", "case_id IN ({cases})"),
    step("mhtr_measures", "id", "case_id IN ({cases})"),
    step("mhtr_centre_contacts", "id", "case_id IN ({cases})"),
    step("mhtr_compliance_events", "id", "case_id IN ({cases})"),
    step(
        "mhtr_assessment_sections",
        "case_id || '/' || section",
        "case_id IN ({cases})",
    ),
    step("mhtr_cases", "id", "person_id = $1"),
    step("mhtr_referrals", "id", "person_id = $1"),
    step("shares", "id", "person_id = $1"),
    step("outbox", "id", "id IN ({outbox}) OR referral_id IN ({referrals})"),
    step(
        "share_consent_scopes",
        "consent_id || '/' || scope",
        "consent_id IN (SELECT id FROM share_consents WHERE person_id = $1)",
    ),
    step("share_consents", "id", "person_id = $1"),
    step("referrals", "id", "id IN ({referrals})"),
    step("screenings", "episode_id", "episode_id IN ({episodes})"),
    step("appropriate_adults", "episode_id", "episode_id IN ({episodes})"),
    step(
        "assessment_sections",
        "episode_id || '/' || section",
        "episode_id IN ({episodes})",
    ),
    step("timeline_entries", "id", "episode_id IN ({episodes})"),
    step("handovers", "id", "episode_id IN ({episodes})"),
    step("safeguarding_concerns", "id", "episode_id IN ({episodes})"),
    step("access_overrides", "id", "person_id = $1 OR episode_id IN ({episodes})"),
    step("person_alerts", "id", "person_id = $1"),
    step("fact_changes", "episode_id", "episode_id IN ({episodes})"),
    step("episode_facts", "episode_id", "person_id = $1"),
    step("fact_people", "person_id", "person_id = $1"),
    step("episodes", "id", "person_id = $1"),
    step(
        "person_merge_moves",
        "merge_id || '/' || table_name || '/' || row_id",
        "merge_id IN (SELECT id FROM person_merges WHERE kept_id = $1 OR merged_id = $1)",
    ),
    step("person_merges", "id", "kept_id = $1 OR merged_id = $1"),
    step("retention_decisions", "id", "person_id = $1"),
    step("legal_holds", "id", "person_id = $1"),
    step("person_retention", "person_id", "person_id = $1"),
    step("audit_events", "CAST(id AS TEXT)", "person_id = $1"),
    step("people", "id", "id = $1"),
];

impl Step {
    /// The condition with its sets filled in, in the backend's placeholder form.
    fn condition(&self, conn: &DbConnection) -> String {
        let sql = self
            .rows
            .replace("{referrals}", REFERRALS)
            .replace("{episodes}", EPISODES)
            .replace("{reports}", REPORTS)
            .replace("{cases}", CASES)
            .replace("{outbox}", OUTBOX);
        match conn {
            DbConnection::Sqlite(_) => sql.replace("$1", "?1"),
            DbConnection::Pg(_) => sql,
        }
    }
}

#[derive(QueryableByName)]
struct Key {
    #[diesel(sql_type = Text)]
    key: String,
}

#[derive(QueryableByName)]
struct Removed {
    #[diesel(sql_type = BigInt)]
    removed: i64,
}

/// How many rows each table holds about these people, and the sorted list naming them.
pub struct Plan {
    pub counts: Vec<(&'static str, usize)>,
    pub listed: Vec<String>,
}

impl Plan {
    pub fn total(&self) -> usize {
        self.counts.iter().map(|(_, n)| n).sum()
    }

    /// SHA-256, in hex, of the sorted list of `table:key` lines.
    fn hash(&self) -> String {
        let mut h = Sha256::new();
        for line in &self.listed {
            h.update(line.as_bytes());
            h.update(b"\n");
        }
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// The person and the duplicates merged into them: destroyed together.
pub fn people_of(conn: &mut DbConnection, person_id: &str) -> QueryResult<Vec<String>> {
    let mut ids = vec![person_id.to_string()];
    ids.extend(
        people::table
            .filter(people::merged_into.eq(person_id))
            .select(people::id)
            .load::<String>(conn)?,
    );
    Ok(ids)
}

pub fn plan(conn: &mut DbConnection, person_ids: &[String]) -> QueryResult<Plan> {
    let mut counts = Vec::new();
    let mut listed = Vec::new();
    for s in STEPS {
        let sql = format!("SELECT {} AS key FROM {} WHERE {}", s.key, s.table, s.condition(conn));
        let mut n = 0;
        for id in person_ids {
            let keys: Vec<Key> = diesel::sql_query(&sql).bind::<Text, _>(id).load(conn)?;
            n += keys.len();
            listed.extend(keys.into_iter().map(|k| format!("{}:{}", s.table, k.key)));
        }
        if n > 0 {
            counts.push((s.table, n));
        }
    }
    listed.sort();
    Ok(Plan { counts, listed })
}

/// What the tombstone records besides the counts.
pub struct Tombstone<'a> {
    pub person_id: &'a str,
    pub class: &'a str,
    pub last_contact_on: Option<&'a str>,
    pub review_on: &'a str,
    pub reason: &'a str,
    pub approved_by: &'a str,
}

/// The record changed while it was being destroyed: nothing is removed.
#[derive(Debug, thiserror::Error)]
pub enum DestroyError {
    #[error("the record changed while it was being destroyed ({0}); nothing was removed")]
    Changed(&'static str),
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
}

/// Destroys the people's rows as planned; run inside one write transaction. Answers the
/// tombstone's id.
pub fn destroy(
    conn: &mut DbConnection,
    now: Millis,
    t: &Tombstone<'_>,
    ids: &[String],
) -> Result<String, DestroyError> {
    let plan = plan(conn, ids)?;
    let destruction = new_id();
    diesel::insert_into(record_destructions::table)
        .values((
            record_destructions::id.eq(&destruction),
            record_destructions::person_id.eq(t.person_id),
            record_destructions::class.eq(t.class),
            record_destructions::last_contact_on.eq(t.last_contact_on),
            record_destructions::review_on.eq(t.review_on),
            record_destructions::reason.eq(t.reason),
            record_destructions::approved_by.eq(t.approved_by),
            record_destructions::destroyed_at.eq(now),
            record_destructions::rows_removed.eq(i64::try_from(plan.total()).unwrap_or(i64::MAX)),
            record_destructions::list_hash.eq(plan.hash()),
        ))
        .execute(conn)?;
    for id in ids {
        diesel::insert_into(destroyed_people::table)
            .values((
                destroyed_people::person_id.eq(id),
                destroyed_people::destruction_id.eq(&destruction),
            ))
            .execute(conn)?;
        keep_chain_links(conn, id, &destruction)?;
    }
    for s in STEPS {
        let expected = plan.counts.iter().find(|(t, _)| *t == s.table).map_or(0, |(_, n)| *n);
        let mut removed = 0;
        for id in ids {
            removed += delete(conn, s, id)?;
        }
        if removed != expected {
            return Err(DestroyError::Changed(s.table));
        }
    }
    Ok(destruction)
}

fn delete(conn: &mut DbConnection, s: &Step, id: &str) -> QueryResult<usize> {
    if s.table == "audit_events"
        && let DbConnection::Pg(pg) = conn
    {
        let r: Removed = diesel::sql_query("SELECT destroy_audit_rows($1) AS removed")
            .bind::<Text, _>(id)
            .get_result(pg)?;
        return Ok(usize::try_from(r.removed).unwrap_or(0));
    }
    let sql = format!("DELETE FROM {} WHERE {}", s.table, s.condition(conn));
    diesel::sql_query(sql).bind::<Text, _>(id).execute(conn)
}

/// Copies the chain links of the person's audit rows before they go.
fn keep_chain_links(conn: &mut DbConnection, person_id: &str, destruction: &str) -> QueryResult<()> {
    let links: Vec<(i64, Option<String>, Option<String>)> = audit_events::table
        .filter(audit_events::person_id.eq(person_id))
        .select((audit_events::id, audit_events::prev_hash, audit_events::hash))
        .load(conn)?;
    for (audit_id, prev, hash) in links {
        // Rows from before the chain began have no link to keep.
        let (Some(prev), Some(hash)) = (prev, hash) else {
            continue;
        };
        diesel::insert_into(destroyed_audit_links::table)
            .values((
                destroyed_audit_links::audit_id.eq(audit_id),
                destroyed_audit_links::prev_hash.eq(prev),
                destroyed_audit_links::hash.eq(hash),
                destroyed_audit_links::destruction_id.eq(destruction),
            ))
            .execute(conn)?;
    }
    Ok(())
}
