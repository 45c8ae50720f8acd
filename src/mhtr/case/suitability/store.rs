//! This part's rows: assessment sections, consents, contacts with secondary care and the
//! consultant clinical psychologist's reviews.

use diesel::prelude::*;

use crate::clock::Millis;
use crate::db::DbConnection;
use crate::db::schema::{
    mhtr_assessment_sections, mhtr_consents, mhtr_negotiation_contacts, mhtr_psychology_reviews, partner_organisations,
    partner_services, user_teams, users,
};
use crate::domain::codes::AssessmentSection;
use crate::domain::ids::TeamId;
use crate::domain::mhtr::ASSESSMENT_SECTIONS;
use crate::domain::new_id;
use crate::domain::{CalendarDate, Role};
use crate::episodes::assessment::{Answers, SectionState};

/// A saved section with the name of who saved it last.
#[derive(Debug, Clone)]
pub struct SavedSection {
    pub section: String,
    pub answers: Answers,
    pub complete: bool,
    pub updated_by: String,
    pub updated_at: Millis,
}

impl SavedSection {
    pub fn state(saved: Option<&SavedSection>) -> SectionState {
        match saved {
            None => SectionState::NotStarted,
            Some(s) if s.complete => SectionState::Completed,
            Some(_) => SectionState::InProgress,
        }
    }
}

pub fn sections(conn: &mut DbConnection, case_id: &str) -> QueryResult<Vec<SavedSection>> {
    let rows: Vec<(String, String, bool, String, Millis)> = mhtr_assessment_sections::table
        .inner_join(users::table.on(users::id.eq(mhtr_assessment_sections::updated_by)))
        .filter(mhtr_assessment_sections::case_id.eq(case_id))
        .select((
            mhtr_assessment_sections::section,
            mhtr_assessment_sections::content,
            mhtr_assessment_sections::complete,
            users::display_name,
            mhtr_assessment_sections::updated_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(section, content, complete, updated_by, updated_at)| SavedSection {
            answers: Answers::from_json(&content),
            section,
            complete,
            updated_by,
            updated_at,
        })
        .collect())
}

/// Every section in form order with its state.
pub fn progress(saved: &[SavedSection]) -> Vec<(&'static AssessmentSection, SectionState)> {
    ASSESSMENT_SECTIONS
        .iter()
        .map(|section| {
            let row = saved.iter().find(|s| s.section == section.code);
            (section, SavedSection::state(row))
        })
        .collect()
}

/// Writes a section: there is no upsert that works over both backends through one
/// MultiConnection, so it updates, and inserts when nothing was there. Call it inside
/// `write_tx` after taking the case's row.
pub fn save_section(
    conn: &mut DbConnection,
    now: Millis,
    (case_id, section): (&str, &str),
    answers: &Answers,
    complete: bool,
    user_id: &str,
) -> QueryResult<()> {
    let content = answers.to_json();
    let updated = diesel::update(mhtr_assessment_sections::table.find((case_id, section)))
        .set((
            mhtr_assessment_sections::content.eq(&content),
            mhtr_assessment_sections::complete.eq(complete),
            mhtr_assessment_sections::updated_by.eq(user_id),
            mhtr_assessment_sections::updated_at.eq(now),
        ))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(mhtr_assessment_sections::table)
            .values((
                mhtr_assessment_sections::case_id.eq(case_id),
                mhtr_assessment_sections::section.eq(section),
                mhtr_assessment_sections::content.eq(&content),
                mhtr_assessment_sections::complete.eq(complete),
                mhtr_assessment_sections::updated_by.eq(user_id),
                mhtr_assessment_sections::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// A consent decision as recorded, with the recorder's name.
#[derive(Queryable, Debug, Clone)]
pub struct Consent {
    pub decision: String,
    #[diesel(deserialize_as = String)]
    pub decided_on: CalendarDate,
    pub capacity_note: String,
    pub witness: String,
    pub recorded_by: String,
}

/// The case's consent decisions, newest first: the first is the current position.
pub fn consents(conn: &mut DbConnection, case_id: &str) -> QueryResult<Vec<Consent>> {
    mhtr_consents::table
        .inner_join(users::table.on(users::id.eq(mhtr_consents::recorded_by)))
        .filter(mhtr_consents::case_id.eq(case_id))
        .select((
            mhtr_consents::decision,
            mhtr_consents::decided_on,
            mhtr_consents::capacity_note,
            mhtr_consents::witness,
            users::display_name,
        ))
        .order((mhtr_consents::recorded_at.desc(), mhtr_consents::id.desc()))
        .load(conn)
}

pub struct NewConsent<'a> {
    pub decision: &'a str,
    pub decided_on: CalendarDate,
    pub capacity_note: &'a str,
    pub witness: &'a str,
}

pub fn insert_consent(
    conn: &mut DbConnection,
    now: Millis,
    (case_id, user_id): (&str, &str),
    c: &NewConsent<'_>,
) -> QueryResult<()> {
    diesel::insert_into(mhtr_consents::table)
        .values((
            mhtr_consents::id.eq(new_id()),
            mhtr_consents::case_id.eq(case_id),
            mhtr_consents::decision.eq(c.decision),
            mhtr_consents::decided_on.eq(c.decided_on.iso()),
            mhtr_consents::capacity_note.eq(c.capacity_note),
            mhtr_consents::witness.eq(c.witness),
            mhtr_consents::recorded_by.eq(user_id),
            mhtr_consents::recorded_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// A contact with a secondary care team, naming the team as the directory does.
#[derive(Queryable, Debug, Clone)]
pub struct Contact {
    pub organisation: String,
    pub service: String,
    pub clinician: String,
    #[diesel(deserialize_as = String)]
    pub contacted_on: CalendarDate,
    pub method: String,
    pub agreed: String,
    pub recorded_by: String,
}

/// The case's contacts, newest first.
pub fn contacts(conn: &mut DbConnection, case_id: &str) -> QueryResult<Vec<Contact>> {
    mhtr_negotiation_contacts::table
        .inner_join(partner_services::table.inner_join(partner_organisations::table))
        .inner_join(users::table.on(users::id.eq(mhtr_negotiation_contacts::recorded_by)))
        .filter(mhtr_negotiation_contacts::case_id.eq(case_id))
        .select((
            partner_organisations::name,
            partner_services::name,
            mhtr_negotiation_contacts::clinician,
            mhtr_negotiation_contacts::contacted_on,
            mhtr_negotiation_contacts::method,
            mhtr_negotiation_contacts::agreed,
            users::display_name,
        ))
        .order((
            mhtr_negotiation_contacts::contacted_on.desc(),
            mhtr_negotiation_contacts::recorded_at.desc(),
        ))
        .load(conn)
}

pub struct NewContact<'a> {
    pub service_id: &'a str,
    pub clinician: &'a str,
    pub contacted_on: CalendarDate,
    pub method: &'a str,
    pub agreed: &'a str,
}

pub fn insert_contact(
    conn: &mut DbConnection,
    now: Millis,
    (case_id, user_id): (&str, &str),
    c: &NewContact<'_>,
) -> QueryResult<()> {
    diesel::insert_into(mhtr_negotiation_contacts::table)
        .values((
            mhtr_negotiation_contacts::id.eq(new_id()),
            mhtr_negotiation_contacts::case_id.eq(case_id),
            mhtr_negotiation_contacts::service_id.eq(c.service_id),
            mhtr_negotiation_contacts::clinician.eq(c.clinician),
            mhtr_negotiation_contacts::contacted_on.eq(c.contacted_on.iso()),
            mhtr_negotiation_contacts::method.eq(c.method),
            mhtr_negotiation_contacts::agreed.eq(c.agreed),
            mhtr_negotiation_contacts::recorded_by.eq(user_id),
            mhtr_negotiation_contacts::recorded_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// A review by the consultant clinical psychologist, with the reviewer's name.
#[derive(Queryable, Debug, Clone)]
pub struct Review {
    pub reviewer: String,
    pub recorded_by: String,
    #[diesel(deserialize_as = String)]
    pub reviewed_on: CalendarDate,
    pub decision: String,
    pub notes: Option<String>,
}

/// The case's reviews, newest first: the first is the one that counts.
pub fn reviews(conn: &mut DbConnection, case_id: &str) -> QueryResult<Vec<Review>> {
    let (reviewer, recorder) = diesel::alias!(users as reviewer, users as recorder);
    mhtr_psychology_reviews::table
        .inner_join(reviewer.on(reviewer.field(users::id).eq(mhtr_psychology_reviews::reviewer_id)))
        .inner_join(recorder.on(recorder.field(users::id).eq(mhtr_psychology_reviews::recorded_by)))
        .filter(mhtr_psychology_reviews::case_id.eq(case_id))
        .select((
            reviewer.field(users::display_name),
            recorder.field(users::display_name),
            mhtr_psychology_reviews::reviewed_on,
            mhtr_psychology_reviews::decision,
            mhtr_psychology_reviews::notes,
        ))
        .order((
            mhtr_psychology_reviews::reviewed_on.desc(),
            mhtr_psychology_reviews::recorded_at.desc(),
        ))
        .load(conn)
}

pub struct NewReview<'a> {
    pub reviewer_id: &'a str,
    pub reviewed_on: CalendarDate,
    pub decision: &'a str,
    pub notes: Option<&'a str>,
}

pub fn insert_review(
    conn: &mut DbConnection,
    now: Millis,
    (case_id, user_id): (&str, &str),
    r: &NewReview<'_>,
) -> QueryResult<()> {
    diesel::insert_into(mhtr_psychology_reviews::table)
        .values((
            mhtr_psychology_reviews::id.eq(new_id()),
            mhtr_psychology_reviews::case_id.eq(case_id),
            mhtr_psychology_reviews::reviewer_id.eq(r.reviewer_id),
            mhtr_psychology_reviews::reviewed_on.eq(r.reviewed_on.iso()),
            mhtr_psychology_reviews::decision.eq(r.decision),
            mhtr_psychology_reviews::notes.eq(r.notes),
            mhtr_psychology_reviews::recorded_by.eq(user_id),
            mhtr_psychology_reviews::recorded_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// The team's consultant clinical psychologists who can still sign in, as (id, name) by name.
pub fn psychologists(conn: &mut DbConnection, team_id: &TeamId) -> QueryResult<Vec<(String, String)>> {
    user_teams::table
        .inner_join(users::table)
        .filter(user_teams::team_id.eq(team_id))
        .filter(users::role.eq(Role::ConsultantPsychologist.code()))
        .filter(users::disabled.eq(false))
        .select((users::id, users::display_name))
        .order(users::display_name.asc())
        .load(conn)
}

/// A practitioner's note that the psychologist's review is awaited.
#[derive(Queryable, Debug)]
pub struct ReviewRequest {
    pub requested_by: String,
    pub requested_at: Millis,
    pub note: Option<String>,
}

/// The case's requests for a review, newest first.
pub fn review_requests(conn: &mut DbConnection, case_id: &str) -> QueryResult<Vec<ReviewRequest>> {
    use crate::db::schema::mhtr_review_requests as requests;
    requests::table
        .inner_join(users::table.on(users::id.eq(requests::requested_by)))
        .filter(requests::case_id.eq(case_id))
        .order(requests::requested_at.desc())
        .select((users::display_name, requests::requested_at, requests::note))
        .load(conn)
}

pub fn insert_review_request(
    conn: &mut DbConnection,
    now: Millis,
    (case_id, user_id): (&str, &str),
    note: Option<&str>,
) -> QueryResult<()> {
    use crate::db::schema::mhtr_review_requests as requests;
    diesel::insert_into(requests::table)
        .values((
            requests::id.eq(new_id()),
            requests::case_id.eq(case_id),
            requests::requested_by.eq(user_id),
            requests::requested_at.eq(now),
            requests::note.eq(note),
        ))
        .execute(conn)
        .map(|_| ())
}
