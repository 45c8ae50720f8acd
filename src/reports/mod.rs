//! Reports to police, the CPS, a court or probation, for any subject: a report kind names its
//! sections and fields; a draft is edited, passes its quality checklist, is signed off, then
//! frozen; later changes are addenda with their own sign-off. Used by the MHTR suitability
//! report and the L&D reports on an episode.
//!
//! Version 1 is the signed-off report; each signed addendum makes the next version. The
//! database refuses changes to a final report or a signed addendum as well (triggers), so
//! the rules here are what the user is told, and the triggers what no path can get round.

mod answers;
pub mod checklist;
pub mod email;
mod full;
mod identifiers;
pub mod kinds;
pub mod links;
pub mod print;
mod sends;
mod sign_off;
pub mod view;

use diesel::prelude::*;

use crate::clock::Millis;
use crate::db::DbConnection;
use crate::db::schema::{report_addenda, report_includes, report_sections, report_waivers, reports, users};
use crate::domain::ids::{ReportId, TeamId};
use crate::web::error::AppError;
pub use answers::Answers;
pub use full::Full;
pub use identifiers::{About, Include, exclude, include, shown_identifiers};
pub use kinds::{Identifier, Kind, ReportKind, SectionKind};
pub use sends::{SendRow, record_send, sends};
pub use sign_off::{Waiver, add_addendum, latest_version, latest_versions, sign_off, sign_off_addendum};

crate::code_enum! {
    /// A draft is edited; a final report is signed off and frozen.
    pub enum Status ("report status") {
        Draft = "draft",
        Final = "final",
    }
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = reports)]
pub struct Report {
    pub id: ReportId,
    #[diesel(deserialize_as = String)]
    pub kind: Kind,
    pub subject_type: String,
    pub subject_id: String,
    pub person_id: String,
    pub team_id: TeamId,
    #[diesel(deserialize_as = String)]
    pub status: Status,
    pub created_by: String,
    pub created_at: Millis,
    pub updated_at: Millis,
    pub signed_off_by: Option<String>,
    pub signed_off_at: Option<Millis>,
}

impl Report {
    pub fn is_final(&self) -> bool {
        self.status == Status::Final
    }

    /// The kind's sections and title.
    pub fn kind(&self) -> &'static ReportKind {
        self.kind.spec()
    }

    pub fn title(&self) -> &'static str {
        self.kind().title
    }

    /// A short reference to quote in messages, from the report's id: no personal data.
    pub fn reference(&self) -> String {
        let short: String = self.id.chars().filter(char::is_ascii_alphanumeric).take(8).collect();
        format!("RPT-{}", short.to_uppercase())
    }
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = report_sections)]
pub struct Section {
    pub position: i32,
    pub code: String,
    pub title: String,
    pub body: String,
    /// JSON; read with [`Full::answers`].
    pub answers: String,
}

#[derive(Queryable, Debug, Clone)]
pub struct Addendum {
    pub id: String,
    pub body: String,
    pub created_at: Millis,
    pub version: Option<i32>,
    pub signed_off_at: Option<Millis>,
    pub author: String,
    /// Who signed it off, by display name.
    pub signed_off_by: Option<String>,
}

/// What a new report is about.
pub struct NewReport<'a> {
    pub kind: Kind,
    pub subject_type: &'a str,
    pub subject_id: &'a str,
    pub person_id: &'a str,
    pub team_id: &'a str,
}

/// The refusal for any change to a final report.
pub fn frozen() -> AppError {
    AppError::Refused(
        "This report has been signed off and is final, so it cannot be changed. Add an addendum instead".into(),
    )
}

/// The report about this subject, if one has been drafted.
pub fn for_subject(conn: &mut DbConnection, subject_type: &str, subject_id: &str) -> QueryResult<Option<Report>> {
    reports::table
        .filter(reports::subject_type.eq(subject_type))
        .filter(reports::subject_id.eq(subject_id))
        .order(reports::created_at.desc())
        .select(Report::as_select())
        .first(conn)
        .optional()
}

/// Every report about this subject, oldest first.
pub fn all_for_subject(conn: &mut DbConnection, subject_type: &str, subject_id: &str) -> QueryResult<Vec<Report>> {
    reports::table
        .filter(reports::subject_type.eq(subject_type))
        .filter(reports::subject_id.eq(subject_id))
        .order((reports::created_at.asc(), reports::id.asc()))
        .select(Report::as_select())
        .load(conn)
}

pub fn find(conn: &mut DbConnection, id: &ReportId) -> QueryResult<Option<Report>> {
    reports::table
        .find(id)
        .select(Report::as_select())
        .first(conn)
        .optional()
}

/// A section's first text and answers, drawn from what the subject records.
#[derive(Debug, Default)]
pub struct Prefill {
    pub body: String,
    pub answers: Answers,
}

impl From<Option<String>> for Prefill {
    fn from(body: Option<String>) -> Prefill {
        Prefill {
            body: body.unwrap_or_default(),
            answers: Answers::default(),
        }
    }
}

/// Drafts a report with every section of its kind, in order, each filled with what
/// `prefill` gives for its code. Returns the new report's id.
pub fn create_draft(
    conn: &mut DbConnection,
    now: Millis,
    author_id: &str,
    new: &NewReport<'_>,
    prefill: impl Fn(&str) -> Prefill,
) -> QueryResult<ReportId> {
    let id = ReportId::generate();
    diesel::insert_into(reports::table)
        .values((
            reports::id.eq(&id),
            reports::kind.eq(new.kind.code()),
            reports::subject_type.eq(new.subject_type),
            reports::subject_id.eq(new.subject_id),
            reports::person_id.eq(new.person_id),
            reports::team_id.eq(new.team_id),
            reports::status.eq(Status::Draft.code()),
            reports::created_by.eq(author_id),
            reports::created_at.eq(now),
            reports::updated_at.eq(now),
        ))
        .execute(conn)?;
    for (position, s) in (1..).zip(new.kind.spec().sections) {
        let first = prefill(s.code);
        diesel::insert_into(report_sections::table)
            .values((
                report_sections::report_id.eq(&id),
                report_sections::position.eq(position),
                report_sections::code.eq(s.code),
                report_sections::title.eq(s.title),
                report_sections::body.eq(first.body),
                report_sections::answers.eq(first.answers.to_json()),
            ))
            .execute(conn)?;
    }
    Ok(id)
}

/// Replaces one section's text and answers while the report is a draft.
pub fn update_section(
    conn: &mut DbConnection,
    now: Millis,
    report_id: &ReportId,
    code: &str,
    (body, answers): (&str, &Answers),
) -> Result<(), AppError> {
    let report = find(conn, report_id)?.ok_or(AppError::NotFound)?;
    if report.is_final() {
        return Err(frozen());
    }
    let changed = diesel::update(report_sections::table.find((report_id, code)))
        .set((
            report_sections::body.eq(body),
            report_sections::answers.eq(answers.to_json()),
        ))
        .execute(conn)?;
    if changed != 1 {
        return Err(AppError::NotFound);
    }
    diesel::update(reports::table.find(report_id))
        .set(reports::updated_at.eq(now))
        .execute(conn)?;
    Ok(())
}

fn display_name(conn: &mut DbConnection, user_id: Option<&str>) -> QueryResult<Option<String>> {
    let Some(id) = user_id else { return Ok(None) };
    users::table.find(id).select(users::display_name).first(conn).optional()
}

/// The setting naming who signs off a kind: `senior` or `author`.
pub fn signer_setting(kind: Kind) -> String {
    format!("report-signer/{}", kind.code())
}

/// Who may sign off this kind here: the administrator's choice, or the kind's default.
pub fn signer_for(conn: &mut DbConnection, kind: Kind) -> QueryResult<kinds::Signer> {
    let set = crate::settings::get(conn, &signer_setting(kind))?;
    Ok(set
        .and_then(|s| kinds::Signer::try_from(s).ok())
        .unwrap_or(kind.spec().signer))
}

/// The setting holding the letterhead printed reports carry, a line each.
pub const LETTERHEAD: &str = "report-letterhead";

/// The letterhead for a team's printed reports: the administrator's, or the team's name.
pub fn letterhead(conn: &mut DbConnection, team_id: &str) -> QueryResult<String> {
    if let Some(set) = crate::settings::get(conn, LETTERHEAD)?.filter(|l| !l.trim().is_empty()) {
        return Ok(set);
    }
    let team: String = crate::db::schema::teams::table
        .find(team_id)
        .select(crate::db::schema::teams::name)
        .first(conn)?;
    Ok(team)
}

/// The report with its sections, addenda and signers, for display or sending.
pub fn load(conn: &mut DbConnection, report_id: &ReportId) -> QueryResult<Option<Full>> {
    let Some(report) = find(conn, report_id)? else {
        return Ok(None);
    };
    let sections = report_sections::table
        .filter(report_sections::report_id.eq(report_id))
        .order(report_sections::position.asc())
        .select(Section::as_select())
        .load(conn)?;
    let (author, signer) = diesel::alias!(users as author, users as signer);
    let addenda = report_addenda::table
        .inner_join(author.on(author.field(users::id).eq(report_addenda::created_by)))
        .left_join(signer.on(report_addenda::signed_off_by.eq(signer.field(users::id).nullable())))
        .filter(report_addenda::report_id.eq(report_id))
        .order((report_addenda::created_at.asc(), report_addenda::id.asc()))
        .select((
            report_addenda::id,
            report_addenda::body,
            report_addenda::created_at,
            report_addenda::version,
            report_addenda::signed_off_at,
            author.field(users::display_name),
            signer.field(users::display_name).nullable(),
        ))
        .load::<Addendum>(conn)?;
    let signed_off_by = display_name(conn, report.signed_off_by.as_deref())?;
    let author = display_name(conn, Some(&report.created_by))?.unwrap_or_default();
    let version = latest_versions(conn, std::slice::from_ref(&report))?
        .get(&report.id)
        .copied();
    let includes = report_includes::table
        .inner_join(users::table.on(users::id.eq(report_includes::included_by)))
        .filter(report_includes::report_id.eq(report_id))
        .order(report_includes::included_at.asc())
        .select((report_includes::field, report_includes::reason, users::display_name))
        .load::<(String, String, String)>(conn)?
        .into_iter()
        .filter_map(|(field, reason, by)| {
            Some(Include {
                identifier: Identifier::try_from(field).ok()?,
                reason,
                by,
            })
        })
        .collect();
    let waivers = report_waivers::table
        .inner_join(users::table.on(users::id.eq(report_waivers::waived_by)))
        .filter(report_waivers::report_id.eq(report_id))
        .order(report_waivers::item.asc())
        .select((report_waivers::item, report_waivers::reason, users::display_name))
        .load::<(String, String, String)>(conn)?
        .into_iter()
        .map(|(item, reason, by)| Waiver { item, reason, by })
        .collect();
    Ok(Some(Full {
        report,
        sections,
        addenda,
        signed_off_by,
        author,
        version,
        includes,
        waivers,
    }))
}

#[cfg(test)]
mod tests {
    use super::Status;

    #[test]
    fn an_unknown_stored_status_is_an_error_not_a_draft() {
        for status in Status::ALL {
            assert_eq!(Status::try_from(status.code().to_string()), Ok(*status));
        }
        let err = Status::try_from("signed".to_string()).unwrap_err();
        assert_eq!(err.to_string(), "unknown report status `signed`");
        assert!(Status::try_from("Final".to_string()).is_err());
    }
}
