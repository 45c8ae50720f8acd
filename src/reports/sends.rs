//! Each time a version of a report was sent, and the outbox message that carried it.

use diesel::prelude::*;

use crate::clock::Millis;
use crate::db::DbConnection;
use crate::db::schema::{report_sends, users};
use crate::domain::ids::ReportId;
use crate::domain::new_id;

#[derive(Queryable, Debug, Clone)]
pub struct SendRow {
    pub version: i32,
    pub recipient: String,
    pub sent_at: Millis,
    pub sent_by: String,
}

/// Records that a version went to `recipient` in the outbox message `outbox_id` (as
/// [`crate::email::outbox::enqueue`] returns it). Call in the same transaction as the enqueue.
pub fn record_send(
    conn: &mut DbConnection,
    now: Millis,
    report_id: &ReportId,
    (version, recipient): (i32, &str),
    outbox_id: &str,
    sent_by: &str,
) -> QueryResult<()> {
    diesel::insert_into(report_sends::table)
        .values((
            report_sends::id.eq(new_id()),
            report_sends::report_id.eq(report_id),
            report_sends::version.eq(version),
            report_sends::recipient.eq(recipient),
            report_sends::outbox_id.eq(outbox_id),
            report_sends::sent_by.eq(sent_by),
            report_sends::sent_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Every send of the report, newest first.
pub fn sends(conn: &mut DbConnection, report_id: &ReportId) -> QueryResult<Vec<SendRow>> {
    report_sends::table
        .inner_join(users::table.on(users::id.eq(report_sends::sent_by)))
        .filter(report_sends::report_id.eq(report_id))
        .order((report_sends::sent_at.desc(), report_sends::id.desc()))
        .select((
            report_sends::version,
            report_sends::recipient,
            report_sends::sent_at,
            users::display_name,
        ))
        .load(conn)
}
