//! An L&D episode: one contact from identification to closure.

use diesel::prelude::*;

use super::timeline;
use crate::clock::Millis;
use crate::db::schema::episodes;
use crate::db::{DbConnection, one_of};
use crate::domain::episode::{self, Action, EpisodeStatus};
use crate::domain::ids::{EpisodeId, PersonId, SiteId, TeamId};
use crate::views::components::{self, Tone};
use crate::web::error::AppError;
use maud::Markup;

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = episodes)]
pub struct Episode {
    pub id: EpisodeId,
    pub person_id: PersonId,
    pub site_id: SiteId,
    pub team_id: TeamId,
    #[diesel(deserialize_as = String)]
    pub status: EpisodeStatus,
    pub youth: bool,
    pub alert_at: Millis,
    pub reference: Option<String>,
    pub offence: Option<String>,
    pub arrest_or_listing_at: Option<Millis>,
    pub referral_source: String,
    pub concern: String,
    pub voluntary_attendance: bool,
    pub location: Option<String>,
    pub allocated_to: Option<String>,
    pub urgent: bool,
    pub risk_to_self: bool,
    pub risk_to_others: bool,
    pub risk_from_others: bool,
    pub safeguarding: bool,
    pub screening_started_at: Option<Millis>,
    pub screened_at: Option<Millis>,
    pub assessment_started_at: Option<Millis>,
    pub assessed_at: Option<Millis>,
    pub closed_at: Option<Millis>,
    pub closure_outcome: Option<String>,
    pub closure_note: Option<String>,
    pub created_by: String,
    pub created_at: Millis,
    pub updated_at: Millis,
    /// From `codes::CJ_STAGES`: where the person was in the criminal justice process.
    pub cj_stage: Option<String>,
    /// From `codes::NOT_SEEN_REASONS`, only on an episode closed before screening started.
    pub not_seen_reason: Option<String>,
}

impl Episode {
    pub fn status(&self) -> EpisodeStatus {
        self.status
    }

    pub fn has_risk_flag(&self) -> bool {
        self.risk_to_self || self.risk_to_others || self.risk_from_others
    }
}

pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<Episode>> {
    episodes::table
        .find(id)
        .select(Episode::as_select())
        .first(conn)
        .optional()
}

/// Every episode of a person, newest first: the cross-episode history.
pub fn for_person(conn: &mut DbConnection, person_id: &str) -> QueryResult<Vec<Episode>> {
    episodes::table
        .filter(episodes::person_id.eq(person_id))
        .select(Episode::as_select())
        .order(episodes::alert_at.desc())
        .load(conn)
}

pub fn allocate(conn: &mut DbConnection, now: Millis, id: &str, user_id: &str) -> QueryResult<usize> {
    diesel::update(episodes::table.find(id))
        .set((episodes::allocated_to.eq(Some(user_id)), episodes::updated_at.eq(now)))
        .execute(conn)
}

/// Takes every open episode off the practitioner (at sign-off), each with a timeline entry so
/// the next practitioner sees why it came back unallocated; answers how many.
pub fn release_allocations(conn: &mut DbConnection, now: Millis, user_id: &str, why: &str) -> QueryResult<usize> {
    let held: Vec<String> = episodes::table
        .filter(episodes::allocated_to.eq(user_id))
        .filter(episodes::closed_at.is_null())
        .select(episodes::id)
        .load(conn)?;
    if held.is_empty() {
        return Ok(0);
    }
    for id in &held {
        crate::records::timeline::add(
            conn,
            now,
            id,
            user_id,
            crate::records::timeline::Kind::Handover,
            why,
            None,
        )?;
    }
    diesel::update(episodes::table.filter(one_of(episodes::id, &held)))
        .set((episodes::allocated_to.eq(None::<String>), episodes::updated_at.eq(now)))
        .execute(conn)
}

/// Moves an episode through the transition table, stamping the time of the stage it reaches
/// (for time-to-screen and time-to-assessment) and writing the change on the timeline.
pub fn apply(
    conn: &mut DbConnection,
    now: Millis,
    author_id: &str,
    ep: &Episode,
    action: Action,
    note: Option<&str>,
) -> Result<EpisodeStatus, AppError> {
    let from = ep.status();
    let to = episode::transition(from, action).map_err(|e| AppError::Refused(e.message().to_string()))?;
    let target = episodes::table.find(&ep.id);
    diesel::update(target)
        .set((episodes::status.eq(to.code()), episodes::updated_at.eq(now)))
        .execute(conn)?;
    match action {
        Action::StartScreening => diesel::update(target)
            .set(episodes::screening_started_at.eq(now))
            .execute(conn)?,
        Action::CompleteScreening { .. } => diesel::update(target)
            .set(episodes::screened_at.eq(now))
            .execute(conn)?,
        Action::StartAssessment => diesel::update(target)
            .set(episodes::assessment_started_at.eq(now))
            .execute(conn)?,
        Action::CompleteAssessment => diesel::update(target)
            .set(episodes::assessed_at.eq(now))
            .execute(conn)?,
        Action::Close => diesel::update(target).set(episodes::closed_at.eq(now)).execute(conn)?,
        Action::Reopen { .. } => diesel::update(target)
            .set((
                episodes::closed_at.eq(None::<Millis>),
                episodes::closure_outcome.eq(None::<String>),
                episodes::closure_note.eq(None::<String>),
                episodes::not_seen_reason.eq(None::<String>),
            ))
            .execute(conn)?,
    };
    let mut body = format!(
        "Status changed from {} to {}",
        from.label().to_lowercase(),
        to.label().to_lowercase()
    );
    if let Some(n) = note.filter(|n| !n.trim().is_empty()) {
        body.push_str(": ");
        body.push_str(n.trim());
    }
    timeline::add(conn, now, &ep.id, author_id, timeline::Kind::Status, &body, None)?;
    Ok(to)
}

pub fn status_tag(status: EpisodeStatus) -> Markup {
    let tone = match status {
        EpisodeStatus::Waiting => Tone::Warning,
        EpisodeStatus::Closed => Tone::Neutral,
        EpisodeStatus::Assessed | EpisodeStatus::Screened => Tone::Good,
        _ => Tone::Neutral,
    };
    components::tag(status.label(), tone)
}
