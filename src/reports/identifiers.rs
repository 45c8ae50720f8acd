//! The identifiers a report carries: its kind's allow-list (minimum necessary), plus any the
//! author included explicitly, each with a reason. Criminal justice kinds leave the NHS
//! number out by default.

use diesel::prelude::*;

use super::Full;
use super::kinds::Identifier;
use crate::clock::Millis;
use crate::db::DbConnection;
use crate::db::schema::report_includes;
use crate::domain::ids::ReportId;

/// An identifier included beyond the allow-list.
#[derive(Debug, Clone)]
pub struct Include {
    pub identifier: Identifier,
    pub reason: String,
    /// Who included it, by display name.
    pub by: String,
}

/// What the subject's record holds for each identifier, as the caller read it.
pub struct About {
    pub name: String,
    pub date_of_birth: String,
    pub case_reference: Option<String>,
    pub pnc_id: Option<String>,
    pub nhs_number: Option<String>,
    pub gp_practice: Option<String>,
}

impl About {
    fn value(&self, identifier: Identifier) -> Option<&str> {
        match identifier {
            Identifier::Name => Some(&self.name),
            Identifier::DateOfBirth => Some(&self.date_of_birth),
            Identifier::CaseReference => self.case_reference.as_deref(),
            Identifier::PncId => self.pnc_id.as_deref(),
            Identifier::NhsNumber => self.nhs_number.as_deref(),
            Identifier::GpPractice => self.gp_practice.as_deref(),
        }
    }
}

/// The identifiers the report shows, as (label, value), in a fixed order: those the kind
/// allows and those included, each only if recorded.
pub fn shown_identifiers(full: &Full, about: &About) -> Vec<(&'static str, String)> {
    let kind = full.report.kind();
    Identifier::ALL
        .iter()
        .filter(|i| kind.allows(**i) || full.includes.iter().any(|inc| inc.identifier == **i))
        .filter_map(|i| Some((i.label(), about.value(*i)?.to_string())))
        .collect()
}

/// Includes an identifier beyond the allow-list, with the author's reason (a draft only: the
/// database refuses it on a final report).
pub fn include(
    conn: &mut DbConnection,
    now: Millis,
    report_id: &ReportId,
    (identifier, reason): (Identifier, &str),
    by: &str,
) -> QueryResult<()> {
    exclude(conn, report_id, identifier)?;
    diesel::insert_into(report_includes::table)
        .values((
            report_includes::report_id.eq(report_id),
            report_includes::field.eq(identifier.code()),
            report_includes::reason.eq(reason),
            report_includes::included_by.eq(by),
            report_includes::included_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Takes an included identifier out again (a draft only).
pub fn exclude(conn: &mut DbConnection, report_id: &ReportId, identifier: Identifier) -> QueryResult<()> {
    diesel::delete(report_includes::table.find((report_id, identifier.code()))).execute(conn)?;
    Ok(())
}
