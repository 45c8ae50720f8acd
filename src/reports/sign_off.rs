//! Sign-off: a draft becomes final as version 1; each signed addendum makes the next version.

use diesel::prelude::*;

use super::{Status, find};
use crate::clock::Millis;
use crate::db::schema::{report_addenda, report_waivers, reports};
use crate::db::{DbConnection, one_of};
use crate::domain::ids::ReportId;
use crate::domain::new_id;
use crate::web::error::AppError;

/// A checklist item the signer waived, with the reason.
#[derive(Debug, Clone)]
pub struct Waiver {
    pub item: String,
    pub reason: String,
    /// Who waived it, by display name.
    pub by: String,
}

/// Signs off a draft: the report becomes final, version 1, with the checklist items the
/// signer waived as `(item, reason)`. Only lands on a report still in draft, so two people
/// signing off at once make one sign-off (run in a write transaction).
pub fn sign_off(
    conn: &mut DbConnection,
    now: Millis,
    report_id: &ReportId,
    signer_id: &str,
    waivers: &[(&str, &str)],
) -> Result<i32, AppError> {
    if find(conn, report_id)?.is_some_and(|r| r.is_final()) {
        return Err(AppError::Refused("This report has already been signed off".into()));
    }
    for (item, reason) in waivers {
        diesel::insert_into(report_waivers::table)
            .values((
                report_waivers::report_id.eq(report_id),
                report_waivers::item.eq(item),
                report_waivers::reason.eq(reason),
                report_waivers::waived_by.eq(signer_id),
                report_waivers::waived_at.eq(now),
            ))
            .execute(conn)?;
    }
    let target = reports::table
        .find(report_id)
        .filter(reports::status.eq(Status::Draft.code()));
    let changed = diesel::update(target)
        .set((
            reports::status.eq(Status::Final.code()),
            reports::signed_off_by.eq(signer_id),
            reports::signed_off_at.eq(now),
            reports::updated_at.eq(now),
        ))
        .execute(conn)?;
    match (changed, find(conn, report_id)?) {
        (1, _) => Ok(1),
        (_, Some(_)) => Err(AppError::Refused("This report has already been signed off".into())),
        (_, None) => Err(AppError::NotFound),
    }
}

/// Adds an unsigned addendum to a final report; returns its id.
pub fn add_addendum(
    conn: &mut DbConnection,
    now: Millis,
    report_id: &ReportId,
    author_id: &str,
    body: &str,
) -> Result<String, AppError> {
    let report = find(conn, report_id)?.ok_or(AppError::NotFound)?;
    if !report.is_final() {
        return Err(AppError::Refused(
            "The report is still a draft: change its sections instead of adding an addendum".into(),
        ));
    }
    let id = new_id();
    diesel::insert_into(report_addenda::table)
        .values((
            report_addenda::id.eq(&id),
            report_addenda::report_id.eq(report_id),
            report_addenda::body.eq(body),
            report_addenda::created_by.eq(author_id),
            report_addenda::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(id)
}

/// Signs off an addendum, which makes the next version. Run in a write transaction: the
/// version is the latest plus one, and the unique (report, version) pair refuses a race.
pub fn sign_off_addendum(
    conn: &mut DbConnection,
    now: Millis,
    report_id: &ReportId,
    addendum_id: &str,
    signer_id: &str,
) -> Result<i32, AppError> {
    let signed: Option<Option<Millis>> = report_addenda::table
        .filter(report_addenda::id.eq(addendum_id))
        .filter(report_addenda::report_id.eq(report_id))
        .select(report_addenda::signed_off_at)
        .first(conn)
        .optional()?;
    match signed {
        None => return Err(AppError::NotFound),
        Some(Some(_)) => return Err(AppError::Refused("This addendum has already been signed off".into())),
        Some(None) => {}
    }
    let version = latest_version(conn, report_id)?
        .ok_or_else(|| AppError::Refused("The report must be signed off before its addenda".into()))?
        + 1;
    diesel::update(report_addenda::table.find(addendum_id))
        .set((
            report_addenda::version.eq(version),
            report_addenda::signed_off_by.eq(signer_id),
            report_addenda::signed_off_at.eq(now),
        ))
        .execute(conn)?;
    Ok(version)
}

/// The latest signed-off version: 1 for the report, one more for each signed addendum;
/// `None` while the report is a draft.
pub fn latest_version(conn: &mut DbConnection, report_id: &ReportId) -> QueryResult<Option<i32>> {
    let Some(report) = find(conn, report_id)? else {
        return Ok(None);
    };
    if !report.is_final() {
        return Ok(None);
    }
    let addenda: Option<i32> = report_addenda::table
        .filter(report_addenda::report_id.eq(report_id))
        .select(diesel::dsl::max(report_addenda::version))
        .first(conn)?;
    Ok(Some(addenda.unwrap_or(1).max(1)))
}

/// The latest signed-off version of each final report in `found`, in two queries however
/// many: a final report without signed addenda is at version 1.
pub fn latest_versions(
    conn: &mut DbConnection,
    found: &[super::Report],
) -> QueryResult<std::collections::HashMap<ReportId, i32>> {
    let finals: Vec<&ReportId> = found.iter().filter(|r| r.is_final()).map(|r| &r.id).collect();
    if finals.is_empty() {
        return Ok(std::collections::HashMap::new());
    }
    let mut versions: std::collections::HashMap<ReportId, i32> = finals.iter().map(|id| ((*id).clone(), 1)).collect();
    let addenda: Vec<(ReportId, Option<i32>)> = report_addenda::table
        .filter(one_of(report_addenda::report_id, &finals))
        .group_by(report_addenda::report_id)
        .select((report_addenda::report_id, diesel::dsl::max(report_addenda::version)))
        .load(conn)?;
    for (id, v) in addenda {
        if let (Some(v), Some(slot)) = (v, versions.get_mut(&id)) {
            *slot = v.max(1);
        }
    }
    Ok(versions)
}
