//! MHTR cases as stored: one per referral accepted into the pathway, moved along by the
//! domain's transition table, with every move timestamped in `mhtr_case_events`.

pub mod court;
pub mod eligibility;
pub mod report;
pub mod show;
pub mod suitability;
pub mod treatment;

use chrono::NaiveDate;
use diesel::prelude::*;
use maud::Markup;

use super::hearing;
use super::referral::MhtrReferral;
use crate::access::Subject;
use crate::audit::Event;
use crate::clock::Millis;
use crate::db::DbConnection;
use crate::db::schema::{mhtr_case_events, mhtr_cases, users};
use crate::domain::ids::{MhtrCaseId, MhtrReferralId, PersonId, TeamId};
use crate::domain::local_time;
use crate::domain::mhtr::{self, Action, DeadlineKind, MhtrStatus, report_due_by};
use crate::domain::new_id;
use crate::records::Person;
use crate::views::components::{self, Tone};
use crate::web::context::Ctx;
use crate::web::error::AppError;

/// The audit trail's record type for a case.
pub const RECORD: &str = "mhtr-case";

/// The [`REFERRAL_SOURCES`](crate::domain::mhtr::REFERRAL_SOURCES) code of an internal
/// referral from a court L&D team.
pub const SOURCE_COURT_LD: &str = "court-ld";

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = mhtr_cases)]
pub struct MhtrCase {
    pub id: MhtrCaseId,
    pub person_id: PersonId,
    pub team_id: TeamId,
    pub referral_id: Option<MhtrReferralId>,
    #[diesel(deserialize_as = String)]
    pub status: MhtrStatus,
    pub referral_source: String,
    pub court: Option<String>,
    /// `YYYY-MM-DD`.
    pub next_hearing: Option<String>,
    pub deadline_kind: String,
    /// `YYYY-MM-DD`.
    pub report_due: Option<String>,
    pub eligibility_outcome: Option<String>,
    /// The screen's reasons, one a line.
    pub eligibility_reasons: Option<String>,
    pub exit_reason: Option<String>,
    pub exit_note: Option<String>,
    pub accepted_at: Millis,
    pub eligibility_at: Option<Millis>,
    pub closed_at: Option<Millis>,
    pub created_by: String,
    pub created_at: Millis,
    pub updated_at: Millis,
    pub referral_reason: Option<String>,
    /// The referrer's details, for referrals from outside the app.
    pub referrer_name: Option<String>,
    pub referrer_organisation: Option<String>,
    pub referrer_email: Option<String>,
    pub referrer_phone: Option<String>,
    /// The proposed treatment: a `TREATMENT_TYPES` code, sessions, who treats.
    pub treatment_type: Option<String>,
    pub planned_sessions: Option<i32>,
    pub treating_team: Option<String>,
    pub negotiation_outcome: Option<String>,
}

impl MhtrCase {
    /// "MHTR-2026-7K2Q9M": what people quote on the phone and in emails instead of the id.
    pub fn reference(&self) -> String {
        crate::domain::mhtr::case_reference(&self.id, local_time::local_date(self.created_at))
    }

    pub fn status(&self) -> MhtrStatus {
        self.status
    }

    pub fn deadline_kind(&self) -> Option<DeadlineKind> {
        self.deadline_kind.parse().ok()
    }

    pub fn next_hearing_date(&self) -> Option<NaiveDate> {
        self.next_hearing.as_deref().and_then(hearing::from_stored)
    }

    pub fn report_due_date(&self) -> Option<NaiveDate> {
        self.report_due.as_deref().and_then(hearing::from_stored)
    }
}

/// The status in words; the colour only repeats it.
pub fn status_tag(status: MhtrStatus) -> Markup {
    let tone = match status {
        MhtrStatus::Completed => Tone::Good,
        MhtrStatus::Closed => Tone::Neutral,
        MhtrStatus::Referred | MhtrStatus::Eligibility => Tone::Warning,
        _ => Tone::Good,
    };
    components::tag(status.label(), tone)
}

/// One line of the case's transition log, with the author's name.
#[derive(Queryable, Debug, Clone)]
pub struct CaseEvent {
    pub at: Millis,
    pub author: String,
    pub from_status: String,
    pub to_status: String,
    pub note: Option<String>,
}

pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<MhtrCase>> {
    mhtr_cases::table
        .find(id)
        .select(MhtrCase::as_select())
        .first(conn)
        .optional()
}

/// Re-reads the case inside a write transaction, holding its row: on PostgreSQL this
/// serialises writers of one case, so a check made here still holds at commit; SQLite's
/// IMMEDIATE transaction already holds the write lock. The update changes nothing.
pub fn find_locked(conn: &mut DbConnection, id: &str) -> Result<MhtrCase, AppError> {
    diesel::update(mhtr_cases::table.find(id))
        .set(mhtr_cases::status.eq(mhtr_cases::status))
        .execute(conn)?;
    find(conn, id)?.ok_or(AppError::NotFound)
}

/// Refuses a change when the case is not at the stage the change belongs to.
pub type StageCheck = fn(&MhtrCase) -> Result<(), AppError>;

/// Records a change that belongs to one stage of the case without moving it: in a write
/// transaction, re-reads the case under its row lock, has `at_stage` refuse it if it has
/// moved on, runs `work`, and audits the change as `action` with the detail `work` returns.
pub async fn record_change<F>(
    ctx: &Ctx,
    case_id: &str,
    (action, at_stage): (&'static str, StageCheck),
    work: F,
) -> Result<(), AppError>
where
    F: FnOnce(&mut DbConnection, Millis, &MhtrCase) -> Result<String, AppError> + Send + 'static,
{
    let case_id = case_id.to_string();
    ctx.write(move |tx| {
        let fresh = find_locked(tx.conn, &case_id)?;
        at_stage(&fresh)?;
        let detail = work(tx.conn, tx.now, &fresh)?;
        tx.audit(Event::allowed(action).record(RECORD, &case_id).detail(detail))
    })
    .await
}

/// The case opened from this referral, if any.
pub fn for_referral(conn: &mut DbConnection, referral_id: &str) -> QueryResult<Option<MhtrCase>> {
    mhtr_cases::table
        .filter(mhtr_cases::referral_id.eq(referral_id))
        .select(MhtrCase::as_select())
        .first(conn)
        .optional()
}

/// The case's transitions, oldest first.
pub fn events(conn: &mut DbConnection, case_id: &str) -> QueryResult<Vec<CaseEvent>> {
    mhtr_case_events::table
        .inner_join(users::table.on(users::id.eq(mhtr_case_events::author_id)))
        .filter(mhtr_case_events::case_id.eq(case_id))
        .select((
            mhtr_case_events::at,
            users::display_name,
            mhtr_case_events::from_status,
            mhtr_case_events::to_status,
            mhtr_case_events::note,
        ))
        .order((mhtr_case_events::at.asc(), mhtr_case_events::id.asc()))
        .load(conn)
}

/// Opens a case from an accepted intake referral and moves it from referred to eligibility
/// screening. The report deadline counts from the day of the referral, or is the hearing
/// when that comes sooner. Returns the new case's id.
pub fn open_from_referral(
    conn: &mut DbConnection,
    now: Millis,
    author_id: &str,
    r: &MhtrReferral,
    (kind, court): (DeadlineKind, Option<&str>),
) -> Result<String, AppError> {
    let id = new_id();
    let hearing = r.hearing();
    let due = report_due_by(kind, local_time::local_date(r.created_at), hearing);
    diesel::insert_into(mhtr_cases::table)
        .values((
            mhtr_cases::id.eq(&id),
            mhtr_cases::person_id.eq(&r.person_id),
            mhtr_cases::team_id.eq(&r.team_id),
            mhtr_cases::referral_id.eq(&r.id),
            mhtr_cases::status.eq(MhtrStatus::Referred.code()),
            mhtr_cases::referral_source.eq(SOURCE_COURT_LD),
            mhtr_cases::court.eq(court),
            mhtr_cases::next_hearing.eq(hearing.map(hearing::to_stored)),
            mhtr_cases::deadline_kind.eq(kind.code()),
            mhtr_cases::report_due.eq(hearing::to_stored(due)),
            mhtr_cases::accepted_at.eq(now),
            mhtr_cases::created_by.eq(author_id),
            mhtr_cases::created_at.eq(now),
            mhtr_cases::updated_at.eq(now),
        ))
        .execute(conn)?;
    let case = find(conn, &id)?.ok_or(AppError::NotFound)?;
    apply(
        conn,
        now,
        author_id,
        &case,
        Action::Accept,
        Some("Referral accepted at intake"),
    )?;
    Ok(id)
}

/// Moves a case through the transition table, stamping the time of the stage it reaches and
/// writing the move to the case's event log. The update only lands if the case is still
/// where it was read, so two practitioners cannot both move it from the same place.
pub fn apply(
    conn: &mut DbConnection,
    now: Millis,
    author_id: &str,
    case: &MhtrCase,
    action: Action,
    note: Option<&str>,
) -> Result<MhtrStatus, AppError> {
    let from = case.status();
    let to = mhtr::transition(from, action).map_err(|e| AppError::Refused(e.message().to_string()))?;
    let target = mhtr_cases::table
        .filter(mhtr_cases::id.eq(&case.id))
        .filter(mhtr_cases::status.eq(from.code()));
    let changed = diesel::update(target)
        .set((mhtr_cases::status.eq(to.code()), mhtr_cases::updated_at.eq(now)))
        .execute(conn)?;
    if changed != 1 {
        return Err(AppError::Refused("Someone else has just changed this case".into()));
    }
    let target = mhtr_cases::table.find(&case.id);
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    match action {
        Action::Accept => diesel::update(target)
            .set(mhtr_cases::accepted_at.eq(now))
            .execute(conn)?,
        Action::ConfirmEligible => diesel::update(target)
            .set(mhtr_cases::eligibility_at.eq(now))
            .execute(conn)?,
        Action::Close(reason) => diesel::update(target)
            .set((
                mhtr_cases::closed_at.eq(now),
                mhtr_cases::exit_reason.eq(reason.code()),
                mhtr_cases::exit_note.eq(note),
            ))
            .execute(conn)?,
        _ => 0,
    };
    diesel::insert_into(mhtr_case_events::table)
        .values((
            mhtr_case_events::id.eq(new_id()),
            mhtr_case_events::case_id.eq(&case.id),
            mhtr_case_events::at.eq(now),
            mhtr_case_events::author_id.eq(author_id),
            mhtr_case_events::from_status.eq(from.code()),
            mhtr_case_events::to_status.eq(to.code()),
            mhtr_case_events::note.eq(note),
        ))
        .execute(conn)?;
    Ok(to)
}

/// Loads a case and its person if the access model allows. `action` is what a refusal of a
/// change is audited as; `view` names the view to record, `None` for handlers whose change
/// is audited itself.
pub async fn load(
    ctx: &Ctx,
    id: MhtrCaseId,
    access: (&'static str, Option<&'static str>),
) -> Result<(MhtrCase, Person), AppError> {
    let intent = super::access::intent(access);
    ctx.reach(Subject::MhtrCase(id.clone()), intent, move |conn, _| {
        let found = find(conn, &id)?.ok_or(AppError::NotFound)?;
        let person = crate::records::person::find(conn, &found.person_id)?.ok_or(AppError::NotFound)?;
        Ok((found, person))
    })
    .await
}

/// The case page's address.
pub fn path(id: &str) -> String {
    format!("/mhtr/cases/{id}")
}
