//! Single-use, expiring links to one version of a report, for a recipient whose address is
//! not secure: the email carries only the link; only the token's hash is stored, and the
//! first open uses it up.

use diesel::prelude::*;

use crate::auth::session::{random_token, token_id};
use crate::clock::Millis;
use crate::db::DbConnection;
use crate::db::schema::report_links;
use crate::domain::ids::ReportId;

/// How long a link works unless opened first.
pub const LINK_HOURS: i64 = 72;

/// Makes a link to `version` for `email`; returns the token to put in the address.
pub fn create(
    conn: &mut DbConnection,
    now: Millis,
    report_id: &ReportId,
    version: i32,
    email: &str,
) -> QueryResult<String> {
    let token = random_token();
    diesel::insert_into(report_links::table)
        .values((
            report_links::token_hash.eq(token_id(&token)),
            report_links::report_id.eq(report_id),
            report_links::version.eq(version),
            report_links::email.eq(email),
            report_links::expires_at.eq(now + LINK_HOURS * 3_600_000),
            report_links::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(token)
}

/// What a token opens.
#[derive(Debug, PartialEq, Eq)]
pub enum Opened {
    /// The link was good and is now used up.
    Version {
        report_id: ReportId,
        version: i32,
        email: String,
    },
    Used,
    Expired,
    Unknown,
}

impl Opened {
    /// What the audit trail says of a link that did not open.
    pub fn failure(&self) -> &'static str {
        match self {
            Opened::Version { .. } => "opened",
            Opened::Used => "used",
            Opened::Expired => "expired",
            Opened::Unknown => "unknown",
        }
    }
}

/// Opens a link, using it up: of two opens at once, one wins. Run in a write transaction.
pub fn open(conn: &mut DbConnection, now: Millis, token: &str) -> QueryResult<Opened> {
    let hash = token_id(token);
    let link: Option<(ReportId, i32, String, Millis, Option<Millis>)> = report_links::table
        .find(&hash)
        .select((
            report_links::report_id,
            report_links::version,
            report_links::email,
            report_links::expires_at,
            report_links::used_at,
        ))
        .first(conn)
        .optional()?;
    let Some((report_id, version, email, expires_at, used_at)) = link else {
        return Ok(Opened::Unknown);
    };
    if used_at.is_some() {
        return Ok(Opened::Used);
    }
    if expires_at <= now {
        return Ok(Opened::Expired);
    }
    let claimed = diesel::update(report_links::table.find(&hash).filter(report_links::used_at.is_null()))
        .set(report_links::used_at.eq(now))
        .execute(conn)?;
    Ok(if claimed == 1 {
        Opened::Version {
            report_id,
            version,
            email,
        }
    } else {
        Opened::Used
    })
}
