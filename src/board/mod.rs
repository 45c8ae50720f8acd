//! The live site list: everyone identified at a site and not yet closed (plus today's
//! closures), most urgent first, refreshed in place by htmx polling.

pub mod handlers;
mod view;

use std::collections::{HashMap, HashSet};

use diesel::prelude::*;

use crate::clock::Millis;
use crate::db::schema::{board_version, episodes, handovers, people, shifts, users};
use crate::db::{DbConnection, one_of};
use crate::domain::episode::EpisodeStatus;
use crate::domain::ids::SiteId;
use crate::records::Episode;
use crate::records::Person;
use crate::sites::Site;

/// One row of the list, with everything it shows loaded in a fixed number of queries.
pub struct Row {
    /// Where in the list's sites the episode is.
    pub site: usize,
    pub episode: Episode,
    pub person: Person,
    pub allocated: Option<String>,
    /// The practitioner it is allocated to has no shift open.
    pub allocated_off_duty: bool,
    /// Other episodes of the same person, at any site.
    pub earlier_contacts: i64,
    pub handover: Option<String>,
    /// A referral sent and unanswered past the chase interval.
    pub referral_overdue: bool,
    /// The person's current alerts (risk to staff, MAPPA, …).
    pub alerts: Vec<crate::records::alerts::Alert>,
}

#[derive(Debug, Default, Clone, serde::Deserialize, serde::Serialize)]
pub struct Filters {
    /// `None` (empty in the address) for every status.
    #[serde(default, with = "status_param")]
    pub status: Option<EpisodeStatus>,
    /// "mine", "unallocated" or empty for everyone.
    #[serde(default)]
    pub who: String,
    /// "yes" for under-18s only.
    #[serde(default)]
    pub youth: String,
}

impl Filters {
    /// The list of today's closures rather than of open episodes.
    pub fn showing_closed(&self) -> bool {
        self.status == Some(EpisodeStatus::Closed)
    }

    pub fn query_string(&self) -> String {
        serde_urlencoded::to_string(self).unwrap_or_default()
    }

    fn keeps(&self, row: &Row, user_id: &str) -> bool {
        let e = &row.episode;
        self.status.is_none_or(|s| e.status == s)
            && match self.who.as_str() {
                "mine" => e.allocated_to.as_deref() == Some(user_id),
                "unallocated" => e.allocated_to.is_none(),
                _ => true,
            }
            && (self.youth != "yes" || e.youth)
    }
}

/// The status filter in the address: empty for any status, otherwise an episode status's
/// code. Anything else is refused (400) as an address that cannot be read.
mod status_param {
    use serde::{Deserialize, Deserializer, Serializer, de};

    use crate::domain::episode::EpisodeStatus;

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<EpisodeStatus>, D::Error> {
        let code = String::deserialize(d)?;
        if code.is_empty() {
            return Ok(None);
        }
        EpisodeStatus::ALL
            .into_iter()
            .find(|s| s.code() == code)
            .map(Some)
            .ok_or_else(|| de::Error::custom("unknown episode status"))
    }

    pub fn serialize<S: Serializer>(status: &Option<EpisodeStatus>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(status.map_or("", EpisodeStatus::code))
    }
}

/// What needs doing next comes first: people waiting to be screened (over or nearest the
/// site's target first), then those being screened, then those screened and beyond; within
/// each, urgent or at risk before under-18s before everyone else, and the longest wait first.
/// The list says so in [`ORDER_EXPLAINED`].
fn triage_key(e: &Episode) -> (u8, u8, Millis) {
    let stage = match e.status {
        EpisodeStatus::Waiting => 0,
        EpisodeStatus::InScreening => 1,
        _ => 2,
    };
    let group = if e.urgent || e.has_risk_flag() || e.safeguarding {
        0
    } else if e.youth {
        1
    } else {
        2
    };
    // Every row waits against the same target, so the earliest alert is the nearest to it.
    (stage, group, e.alert_at)
}

pub const ORDER_EXPLAINED: &str = "Most urgent first: waiting to be screened, longest wait first, then being \
     screened, then screened or in assessment; in each, urgent or at risk first, then under 18.";

/// The version of everything the list shows, moved on by triggers in the transaction of each
/// change to it (migration `board_version`). Read it before the list: a change committed in
/// between then moves it on again, so a rendering is never kept under a version newer than
/// what it shows.
pub fn version(conn: &mut DbConnection) -> QueryResult<i64> {
    board_version::table.select(board_version::version).first(conn)
}

/// What the list shows: the open episodes at the site, or with the status filter "Closed" those
/// closed since the day began; and how many closed today, for the link to them.
pub struct Listed {
    pub rows: Vec<Row>,
    pub closed_today: i64,
}

/// The episodes the filters ask for at the sites, filtered and sorted: most urgent first, or
/// for today's closures the latest first. Only today's episodes are read, however long the
/// sites' history, through ranges of (site_id, closed_at).
pub fn load(
    conn: &mut DbConnection,
    sites: &[Site],
    day_start: Millis,
    overdue_before: Millis,
    filters: &Filters,
    user_id: &str,
) -> QueryResult<Listed> {
    let site_ids: Vec<&SiteId> = sites.iter().map(|s| &s.id).collect();
    let on_list = episodes::table
        .inner_join(people::table)
        .filter(one_of(episodes::site_id, &site_ids))
        .select((Episode::as_select(), Person::as_select()));
    let closed_since_day_start = || one_of(episodes::site_id, &site_ids).and(episodes::closed_at.ge(day_start));
    let found: Vec<(Episode, Person)> = if filters.showing_closed() {
        on_list.filter(closed_since_day_start()).load(conn)?
    } else {
        on_list.filter(episodes::closed_at.is_null()).load(conn)?
    };
    let closed_today = if filters.showing_closed() {
        found.len() as i64
    } else {
        episodes::table
            .filter(closed_since_day_start())
            .count()
            .get_result(conn)?
    };
    let person_ids: Vec<&str> = found.iter().map(|(_, p)| p.id.as_str()).collect();
    let episode_ids: Vec<&str> = found.iter().map(|(e, _)| e.id.as_str()).collect();
    let user_ids: Vec<&str> = found.iter().filter_map(|(e, _)| e.allocated_to.as_deref()).collect();

    let counts: HashMap<String, i64> = episodes::table
        .filter(one_of(episodes::person_id, &person_ids))
        .group_by(episodes::person_id)
        .select((episodes::person_id, diesel::dsl::count_star()))
        .load::<(String, i64)>(conn)?
        .into_iter()
        .collect();
    let names: HashMap<String, String> = users::table
        .filter(one_of(users::id, &user_ids))
        .select((users::id, users::display_name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    let on_duty: HashSet<String> = shifts::table
        .filter(one_of(shifts::user_id, &user_ids))
        .filter(shifts::ended_at.is_null())
        .select(shifts::user_id)
        .load::<String>(conn)?
        .into_iter()
        .collect();
    // Latest note per episode: read them ordered and keep the first seen.
    let mut notes: HashMap<String, String> = HashMap::new();
    for (episode_id, note) in handovers::table
        .filter(one_of(handovers::episode_id, &episode_ids))
        .order(handovers::written_at.desc())
        .select((handovers::episode_id, handovers::note))
        .load::<(String, String)>(conn)?
    {
        notes.entry(episode_id).or_insert(note);
    }

    let overdue: Vec<String> = crate::referrals::overdue_episodes(conn, &episode_ids, overdue_before)?;
    let mut alerts: HashMap<String, Vec<crate::records::alerts::Alert>> = HashMap::new();
    for alert in crate::records::alerts::current_for(conn, &person_ids)? {
        alerts.entry(alert.person_id.clone()).or_default().push(alert);
    }

    let mut rows: Vec<Row> = found
        .into_iter()
        .map(|(episode, person)| Row {
            site: sites.iter().position(|s| s.id == episode.site_id).unwrap_or(0),
            allocated: episode.allocated_to.as_ref().and_then(|u| names.get(u).cloned()),
            allocated_off_duty: episode.allocated_to.as_ref().is_some_and(|u| !on_duty.contains(u)),
            earlier_contacts: counts.get(person.id.as_str()).copied().unwrap_or(1) - 1,
            handover: notes.remove(episode.id.as_str()),
            referral_overdue: overdue.iter().any(|id| episode.id == *id),
            // A person on the list twice (two sites of a shift) shows their alerts on both rows.
            alerts: alerts.get(person.id.as_str()).cloned().unwrap_or_default(),
            episode,
            person,
        })
        .filter(|r| filters.keeps(r, user_id))
        .collect();
    if filters.showing_closed() {
        rows.sort_by_key(|r| std::cmp::Reverse(r.episode.closed_at));
    } else {
        rows.sort_by_key(|r| triage_key(&r.episode));
    }
    Ok(Listed { rows, closed_today })
}

#[cfg(test)]
mod tests {
    use super::Filters;
    use crate::domain::episode::EpisodeStatus;

    #[test]
    fn the_status_filter_is_an_episode_status_or_empty_and_nothing_else() {
        let any: Filters = serde_urlencoded::from_str("status=&who=mine").unwrap();
        assert_eq!(any.status, None);
        assert_eq!(any.query_string(), "status=&who=mine&youth=");
        let waiting: Filters = serde_urlencoded::from_str("status=in-screening").unwrap();
        assert_eq!(waiting.status, Some(EpisodeStatus::InScreening));
        assert_eq!(waiting.query_string(), "status=in-screening&who=&youth=");
        assert_eq!(Filters::default().query_string(), "status=&who=&youth=");
        for unknown in ["in_screening", "Waiting", " waiting"] {
            assert!(
                serde_urlencoded::from_str::<Filters>(&format!("status={unknown}")).is_err(),
                "{unknown}"
            );
        }
    }
}
