//! Assessment sections in the database: one row per (episode, section).

use diesel::prelude::*;

use super::answers::Answers;
use crate::clock::Millis;
use crate::db::DbConnection;
use crate::db::schema::{assessment_sections, episodes, users};
use crate::domain::episode::EpisodeStatus;

/// A stored section with the name of who saved it last.
#[derive(Debug, Clone)]
pub struct SavedSection {
    pub section: String,
    pub answers: Answers,
    pub complete: bool,
    pub updated_by: String,
    pub updated_at: Millis,
}

type Row = (String, String, bool, String, Millis);

fn saved((section, content, complete, updated_by, updated_at): Row) -> SavedSection {
    SavedSection {
        answers: Answers::from_json(&content),
        section,
        complete,
        updated_by,
        updated_at,
    }
}

/// Every saved section of an episode (one query, with the authors' names).
pub fn for_episode(conn: &mut DbConnection, episode_id: &str) -> QueryResult<Vec<SavedSection>> {
    let rows: Vec<Row> = assessment_sections::table
        .inner_join(users::table.on(users::id.eq(assessment_sections::updated_by)))
        .filter(assessment_sections::episode_id.eq(episode_id))
        .select((
            assessment_sections::section,
            assessment_sections::content,
            assessment_sections::complete,
            users::display_name,
            assessment_sections::updated_at,
        ))
        .load(conn)?;
    Ok(rows.into_iter().map(saved).collect())
}

pub fn find(conn: &mut DbConnection, episode_id: &str, section: &str) -> QueryResult<Option<SavedSection>> {
    Ok(for_episode(conn, episode_id)?
        .into_iter()
        .find(|s| s.section == section))
}

/// Takes the episode's row lock if, and only if, it is in assessment; false otherwise. On
/// PostgreSQL this serialises concurrent saves of one episode (so the update-or-insert below
/// cannot race into a duplicate key) and stops a save landing after the assessment is
/// completed; SQLite's IMMEDIATE transaction already holds the write lock. The update
/// changes nothing: it exists for the lock and the status check in one statement.
pub fn lock_in_assessment(conn: &mut DbConnection, episode_id: &str) -> QueryResult<bool> {
    let locked = diesel::update(
        episodes::table
            .find(episode_id)
            .filter(episodes::status.eq(EpisodeStatus::InAssessment.code())),
    )
    .set(episodes::status.eq(episodes::status))
    .execute(conn)?;
    Ok(locked == 1)
}

/// Writes a section. There is no upsert that works over both backends through one
/// MultiConnection, so it updates and inserts when nothing was there; call it inside
/// `write_tx` after `lock_in_assessment`.
pub fn save(
    conn: &mut DbConnection,
    now: Millis,
    episode_id: &str,
    section: &str,
    answers: &Answers,
    complete: bool,
    user_id: &str,
) -> QueryResult<()> {
    let content = answers.to_json();
    let updated = diesel::update(assessment_sections::table.find((episode_id, section)))
        .set((
            assessment_sections::content.eq(&content),
            assessment_sections::complete.eq(complete),
            assessment_sections::updated_by.eq(user_id),
            assessment_sections::updated_at.eq(now),
        ))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(assessment_sections::table)
            .values((
                assessment_sections::episode_id.eq(episode_id),
                assessment_sections::section.eq(section),
                assessment_sections::content.eq(&content),
                assessment_sections::complete.eq(complete),
                assessment_sections::updated_by.eq(user_id),
                assessment_sections::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}
