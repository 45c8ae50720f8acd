//! The clinical timeline: every event and judgement on an episode, append-only. A correction
//! is a new entry pointing at the one it corrects; nothing is edited or deleted.

use diesel::prelude::*;

use crate::clock::Millis;
use crate::db::DbConnection;
use crate::db::schema::{timeline_entries, users};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Status,
    Note,
    Contact,
    Judgement,
    Correction,
    Handover,
}

impl Kind {
    pub const WRITTEN: [Kind; 3] = [Kind::Note, Kind::Contact, Kind::Judgement];

    pub fn code(self) -> &'static str {
        match self {
            Kind::Status => "status",
            Kind::Note => "note",
            Kind::Contact => "contact",
            Kind::Judgement => "judgement",
            Kind::Correction => "correction",
            Kind::Handover => "handover",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Status => "Status change",
            Kind::Note => "Note",
            Kind::Contact => "Contact",
            Kind::Judgement => "Clinical judgement",
            Kind::Correction => "Correction",
            Kind::Handover => "Handover",
        }
    }

    pub fn parse(code: &str) -> Option<Kind> {
        [
            Kind::Status,
            Kind::Note,
            Kind::Contact,
            Kind::Judgement,
            Kind::Correction,
            Kind::Handover,
        ]
        .into_iter()
        .find(|k| k.code() == code)
    }
}

#[derive(Queryable, Debug, Clone)]
pub struct Entry {
    pub id: String,
    pub at: Millis,
    pub kind: String,
    pub body: String,
    pub corrects_id: Option<String>,
    pub author: String,
}

pub fn add(
    conn: &mut DbConnection,
    now: Millis,
    episode_id: &str,
    author_id: &str,
    kind: Kind,
    body: &str,
    corrects: Option<&str>,
) -> QueryResult<String> {
    let id = crate::domain::new_id();
    diesel::insert_into(timeline_entries::table)
        .values((
            timeline_entries::id.eq(&id),
            timeline_entries::episode_id.eq(episode_id),
            timeline_entries::at.eq(now),
            timeline_entries::author_id.eq(author_id),
            timeline_entries::kind.eq(kind.code()),
            timeline_entries::body.eq(body),
            timeline_entries::corrects_id.eq(corrects),
        ))
        .execute(conn)?;
    Ok(id)
}

/// Newest first, with the author's name (one query).
pub fn for_episode(conn: &mut DbConnection, episode_id: &str) -> QueryResult<Vec<Entry>> {
    timeline_entries::table
        .inner_join(users::table.on(users::id.eq(timeline_entries::author_id)))
        .filter(timeline_entries::episode_id.eq(episode_id))
        .select((
            timeline_entries::id,
            timeline_entries::at,
            timeline_entries::kind,
            timeline_entries::body,
            timeline_entries::corrects_id,
            users::display_name,
        ))
        .order((timeline_entries::at.desc(), timeline_entries::id.desc()))
        .load(conn)
}
