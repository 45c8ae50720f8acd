//! Two records whose last contact ended over twenty years ago, so the records manager has
//! something to appraise: one adult, one seen at 17 (the children's rule gives the longer date,
//! and it too has passed).

use diesel::prelude::*;

use super::records::{DAY, Demo};
use crate::clock::Millis;
use crate::db::DbConnection;
use crate::db::schema::episodes;
use crate::domain::retention::Periods;
use crate::retention::store;

/// How long ago the contacts ended: just over 21 years.
const AGO: Millis = (21 * 365 + 30) * DAY;

pub fn seed(conn: &mut DbConnection, now: Millis, team_id: &str, site_id: &str, author: &str) -> QueryResult<()> {
    let mut d = Demo {
        conn,
        now,
        author: author.to_string(),
    };
    let ended = now - AGO;
    let mut ids = Vec::new();
    for (n, given, family, dob) in [
        (11, "Kit", "Demo-Kendall", (1961, 5, 9)),
        (12, "Lou", "Demo-Lowe", (1988, 2, 17)),
    ] {
        let person = d.person(n, given, family, dob)?;
        let contact = (
            "closed",
            90,
            false,
            false,
            false,
            false,
            "Cell 5",
            "Historic contact (synthetic): low mood, signposted to the GP",
            "Theft from a shop",
            Some("mental-health"),
        );
        let episode = d.episode(&person, site_id, team_id, contact, false)?;
        diesel::update(episodes::table.find(&episode))
            .set((
                episodes::alert_at.eq(ended - 2 * 60 * 60_000),
                episodes::created_at.eq(ended - 2 * 60 * 60_000),
                episodes::closed_at.eq(ended),
            ))
            .execute(d.conn)?;
        ids.push(person);
    }
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    store::recompute(d.conn, now, Periods::default(), &ids)?;
    Ok(())
}
