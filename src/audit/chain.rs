//! The audit trail's hash chain. Each row stores the hash of the row before it (`prev_hash`)
//! and its own `hash`, SHA-256 over that link and every field it records; so changing,
//! removing or inserting a row anywhere breaks a link that `verify` finds, even when done by
//! someone the database lets past its append-only triggers (the owner of the table).
//!
//! Rows are chained in id order. Writers take turns: on SQLite a write transaction already
//! holds the database's single write lock; on PostgreSQL a transaction-scoped advisory lock
//! is held from reading the last hash until commit, so ids and links follow the same order.

use diesel::dsl::max;
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use sha2::{Digest, Sha256};

use crate::clock::Millis;
use crate::db::DbConnection;
use crate::db::schema::{audit_events, destroyed_audit_links};
use crate::domain::hex;

/// The advisory lock key that orders audit writers on PostgreSQL ("LIAISONA" in ASCII).
const CHAIN_LOCK: i64 = 0x4c49_4149_534f_4e41;

/// What the first chained row links to.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The fields a hash covers, in a fixed order.
pub struct Content<'a> {
    pub at: Millis,
    pub user_id: Option<&'a str>,
    pub username: Option<&'a str>,
    pub role: Option<&'a str>,
    pub team: Option<&'a str>,
    pub action: &'a str,
    pub record_type: Option<&'a str>,
    pub record_id: Option<&'a str>,
    pub outcome: &'a str,
    pub detail: Option<&'a str>,
    pub client_addr: Option<&'a str>,
    pub person_id: Option<&'a str>,
    pub basis: Option<&'a str>,
}

impl Content<'_> {
    /// SHA-256, in hex, of the link and the fields, each field length-prefixed so no two
    /// different rows encode the same (an absent field differs from an empty one).
    pub fn hash(&self, prev_hash: &str) -> String {
        let mut h = Sha256::new();
        h.update(prev_hash.as_bytes());
        h.update(self.at.to_be_bytes());
        let fields = [
            self.user_id,
            self.username,
            self.role,
            self.team,
            Some(self.action),
            self.record_type,
            self.record_id,
            Some(self.outcome),
            self.detail,
            self.client_addr,
            self.person_id,
            self.basis,
        ];
        for field in fields {
            match field {
                None => h.update([0u8]),
                Some(text) => {
                    h.update([1u8]);
                    h.update((text.len() as u64).to_be_bytes());
                    h.update(text.as_bytes());
                }
            }
        }
        hex(&h.finalize())
    }
}

/// The hash the next row links to. Call inside the write transaction that inserts the row.
pub fn last_hash(conn: &mut DbConnection) -> QueryResult<String> {
    if let DbConnection::Pg(pg) = conn {
        diesel::sql_query("SELECT pg_advisory_xact_lock($1)")
            .bind::<BigInt, _>(CHAIN_LOCK)
            .execute(pg)?;
    }
    // max() rather than ORDER BY … DESC: both engines answer it from the key alone.
    let newest_row: Option<i64> = audit_events::table.select(max(audit_events::id)).first(conn)?;
    let newest_removed: Option<i64> = destroyed_audit_links::table
        .select(max(destroyed_audit_links::audit_id))
        .first(conn)?;
    // The newest row may have gone with a destroyed record; its kept link is the one to follow.
    let last = match (newest_row, newest_removed) {
        (Some(id), removed) if removed.is_none_or(|removed| id > removed) => audit_events::table
            .find(id)
            .select(audit_events::hash)
            .first::<Option<String>>(conn)?,
        (_, Some(removed)) => Some(
            destroyed_audit_links::table
                .find(removed)
                .select(destroyed_audit_links::hash)
                .first::<String>(conn)?,
        ),
        _ => None,
    };
    Ok(last.unwrap_or_else(|| GENESIS.to_string()))
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = audit_events)]
struct Stored {
    id: i64,
    at: Millis,
    user_id: Option<String>,
    username: Option<String>,
    role: Option<String>,
    team: Option<String>,
    action: String,
    record_type: Option<String>,
    record_id: Option<String>,
    outcome: String,
    detail: Option<String>,
    client_addr: Option<String>,
    person_id: Option<String>,
    basis: Option<String>,
    prev_hash: Option<String>,
    hash: Option<String>,
}

impl Stored {
    fn content(&self) -> Content<'_> {
        Content {
            at: self.at,
            user_id: self.user_id.as_deref(),
            username: self.username.as_deref(),
            role: self.role.as_deref(),
            team: self.team.as_deref(),
            action: &self.action,
            record_type: self.record_type.as_deref(),
            record_id: self.record_id.as_deref(),
            outcome: &self.outcome,
            detail: self.detail.as_deref(),
            client_addr: self.client_addr.as_deref(),
            person_id: self.person_id.as_deref(),
            basis: self.basis.as_deref(),
        }
    }
}

/// What `verify` found.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Every chained row links to the one before and matches its hash.
    Intact {
        /// Rows written before the chain began (no hashes), then rows checked.
        unchained: u64,
        checked: u64,
        /// Rows removed with a destroyed record, whose kept links bridge the gap.
        destroyed: u64,
        /// The last row's id and hash: kept somewhere else, they show later that no row has
        /// since been rewritten with the chain recomputed after it.
        head: Option<(i64, String)>,
    },
    /// The first row whose link or hash does not hold.
    Broken { id: i64, reason: &'static str },
}

/// Rows read per query while verifying: memory stays flat however long the trail.
const BATCH: i64 = 5_000;

/// A link in id order: a row still there, or the kept link of one removed with a record.
enum Link {
    Present(Box<Stored>),
    Destroyed { id: i64, prev_hash: String, hash: String },
}

impl Link {
    fn id(&self) -> i64 {
        match self {
            Link::Present(row) => row.id,
            Link::Destroyed { id, .. } => *id,
        }
    }
}

/// The next stretch of the chain after `after`: up to a batch of rows, with the removed rows'
/// links that fall among them (or after the last row, when none are left).
fn next_links(conn: &mut DbConnection, after: i64) -> QueryResult<Vec<Link>> {
    let rows: Vec<Stored> = audit_events::table
        .filter(audit_events::id.gt(after))
        .order(audit_events::id.asc())
        .limit(BATCH)
        .select(Stored::as_select())
        .load(conn)?;
    let upto = if rows.len() as i64 == BATCH {
        rows.last().map_or(i64::MAX, |r| r.id)
    } else {
        i64::MAX
    };
    let destroyed: Vec<(i64, String, String)> = destroyed_audit_links::table
        .filter(destroyed_audit_links::audit_id.gt(after))
        .filter(destroyed_audit_links::audit_id.le(upto))
        .order(destroyed_audit_links::audit_id.asc())
        .select((
            destroyed_audit_links::audit_id,
            destroyed_audit_links::prev_hash,
            destroyed_audit_links::hash,
        ))
        .load(conn)?;
    let mut links: Vec<Link> = rows.into_iter().map(|r| Link::Present(Box::new(r))).collect();
    links.extend(
        destroyed
            .into_iter()
            .map(|(id, prev_hash, hash)| Link::Destroyed { id, prev_hash, hash }),
    );
    links.sort_by_key(Link::id);
    Ok(links)
}

/// Walks the whole trail in id order, a batch at a time, and reports the first broken link.
pub fn verify(conn: &mut DbConnection) -> QueryResult<Verdict> {
    let mut after = i64::MIN;
    let (mut unchained, mut checked, mut destroyed) = (0u64, 0u64, 0u64);
    let mut previous: Option<(i64, String)> = None;
    loop {
        let links = next_links(conn, after)?;
        let Some(last) = links.last() else { break };
        after = last.id();
        for link in links {
            let expected_prev = previous.as_ref().map_or(GENESIS, |(_, h)| h.as_str()).to_string();
            let (id, hash) = match link {
                Link::Destroyed { id, prev_hash, hash } => {
                    if prev_hash != expected_prev {
                        return Ok(Verdict::Broken {
                            id,
                            reason: "a removed row's kept link does not fit",
                        });
                    }
                    destroyed += 1;
                    (id, hash)
                }
                Link::Present(row) => {
                    let (Some(prev_hash), Some(hash)) = (&row.prev_hash, &row.hash) else {
                        if previous.is_some() {
                            return Ok(Verdict::Broken {
                                id: row.id,
                                reason: "the row has no hash, after the chain began",
                            });
                        }
                        unchained += 1;
                        continue;
                    };
                    if *prev_hash != expected_prev {
                        return Ok(Verdict::Broken {
                            id: row.id,
                            reason: "the row does not link to the row before it",
                        });
                    }
                    if row.content().hash(prev_hash) != *hash {
                        return Ok(Verdict::Broken {
                            id: row.id,
                            reason: "the row's content does not match its hash",
                        });
                    }
                    checked += 1;
                    (row.id, hash.clone())
                }
            };
            previous = Some((id, hash));
        }
    }
    Ok(Verdict::Intact {
        unchained,
        checked,
        destroyed,
        head: previous,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content<'a>(detail: Option<&'a str>, basis: Option<&'a str>) -> Content<'a> {
        Content {
            at: 1_700_000_000_000,
            user_id: Some("u1"),
            username: Some("amy"),
            role: Some("practitioner"),
            team: None,
            action: "view",
            record_type: Some("person"),
            record_id: Some("p1"),
            outcome: "allowed",
            detail,
            client_addr: Some("127.0.0.1"),
            person_id: Some("p1"),
            basis,
        }
    }

    #[test]
    fn the_hash_depends_on_the_link_and_on_every_field() {
        let a = content(Some("x"), None).hash(GENESIS);
        assert_eq!(a.len(), 64);
        assert_eq!(a, content(Some("x"), None).hash(GENESIS));
        assert_ne!(a, content(Some("x"), None).hash(&a));
        assert_ne!(a, content(Some("y"), None).hash(GENESIS));
        // The same text moved to another field, or absent against empty, hashes differently.
        assert_ne!(
            content(Some("x"), None).hash(GENESIS),
            content(None, Some("x")).hash(GENESIS)
        );
        assert_ne!(content(None, None).hash(GENESIS), content(Some(""), None).hash(GENESIS));
    }
}
