//! Handover notes: written at sign-off, shown to the next practitioner on the list and the
//! episode's timeline.

use diesel::prelude::*;

use crate::clock::Millis;
use crate::db::DbConnection;
use crate::db::schema::handovers;
use crate::domain::ids::SiteId;
use crate::records::timeline::{self, Kind};

pub fn record(
    conn: &mut DbConnection,
    now: Millis,
    episode_id: &str,
    site_id: &SiteId,
    shift_id: &str,
    author_id: &str,
    note: &str,
) -> QueryResult<()> {
    diesel::insert_into(handovers::table)
        .values((
            handovers::id.eq(crate::domain::new_id()),
            handovers::episode_id.eq(episode_id),
            handovers::site_id.eq(site_id),
            handovers::shift_id.eq(Some(shift_id)),
            handovers::note.eq(note),
            handovers::written_by.eq(author_id),
            handovers::written_at.eq(now),
        ))
        .execute(conn)?;
    timeline::add(conn, now, episode_id, author_id, Kind::Handover, note, None).map(|_| ())
}
