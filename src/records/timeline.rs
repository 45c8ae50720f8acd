//! The clinical timeline: every event and judgement on an episode, append-only. A correction
//! is a new entry pointing at the one it corrects; nothing is edited or deleted.

use diesel::prelude::*;

use crate::clock::Millis;
use crate::db::DbConnection;
use crate::db::schema::{timeline_entries, users};

crate::code_enum! {
    /// What an entry records.
    pub enum Kind ("timeline entry kind") {
        Status = "status",
        Note = "note",
        Contact = "contact",
        Judgement = "judgement",
        Correction = "correction",
        Handover = "handover",
    }
}

impl Kind {
    /// The kinds a practitioner writes through the timeline form.
    pub const WRITTEN: [Kind; 3] = [Kind::Note, Kind::Contact, Kind::Judgement];

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
}

#[derive(Queryable, Debug, Clone)]
pub struct Entry {
    pub id: String,
    pub at: Millis,
    #[diesel(deserialize_as = String)]
    pub kind: Kind,
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

#[cfg(test)]
mod tests {
    use super::Kind;

    #[test]
    fn an_unknown_stored_kind_is_an_error_not_an_entry() {
        for kind in Kind::ALL {
            assert_eq!(Kind::try_from(kind.code().to_string()), Ok(*kind));
        }
        let err = Kind::try_from("entry".to_string()).unwrap_err();
        assert_eq!(err.to_string(), "unknown timeline entry kind `entry`");
        assert!(Kind::try_from("Note".to_string()).is_err());
        assert!(Kind::WRITTEN.iter().all(|k| Kind::ALL.contains(k)));
    }
}
