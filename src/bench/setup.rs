//! What the bench needs from the database, found by querying it: the busiest site and its
//! team, episodes to open, people with about 1, 10 and 50 episodes, someone to search for;
//! and the bench's own practitioner, on shift at that site.

use std::collections::{HashMap, HashSet};

use diesel::prelude::*;

use crate::access::{self, Intent, Subject, Viewer};
use crate::audit::{self, Actor, Event};
use crate::auth::{accounts, password, session};
use crate::clock::Millis;
use crate::db::schema::{episodes, people, shifts};
use crate::db::{DbConnection, one_of, write_tx};
use crate::domain::Role;
use crate::records::Person;
use crate::{shifts as shift, sites};

pub const USERNAME: &str = "bench.practitioner";
/// The people pages measured: someone with about this many episodes each.
pub const EPISODE_TARGETS: [i64; 3] = [1, 10, 50];

/// A person picked for a page: the count asked for and the count they have.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Picked {
    pub target: i64,
    pub person_id: String,
    pub episodes: i64,
}

#[derive(Clone, Debug)]
pub struct Search {
    pub nhs_number: Option<String>,
    pub given: String,
    pub family: String,
    pub misspelt_family: String,
    /// Day, month and year as typed into the form.
    pub dob: (String, String, String),
}

#[derive(Clone, Debug)]
pub struct Plan {
    pub people: i64,
    pub episodes: i64,
    pub open_episodes: i64,
    pub site_id: crate::domain::ids::SiteId,
    pub site_name: String,
    pub site_open: i64,
    pub team_name: String,
    pub password: String,
    pub shift_id: String,
    /// The episode whose page is measured, and the one notes are written to.
    pub episode_id: String,
    pub note_episode_id: String,
    pub picked: Vec<Picked>,
    pub search: Search,
    /// When the plan was made: the dashboards' periods count from it.
    pub now: Millis,
}

fn db_err(e: diesel::result::Error) -> String {
    format!("database error: {e}")
}

/// Reads what the bench needs and makes its practitioner, on shift at the busiest site.
pub fn prepare(conn: &mut DbConnection, now: Millis, relationship_days: i64) -> Result<Plan, String> {
    let people_n: i64 = people::table.count().get_result(conn).map_err(db_err)?;
    let episodes_n: i64 = episodes::table.count().get_result(conn).map_err(db_err)?;
    let open_by_site: Vec<(String, i64)> = episodes::table
        .filter(episodes::closed_at.is_null())
        .group_by(episodes::site_id)
        .select((episodes::site_id, diesel::dsl::count_star()))
        .load(conn)
        .map_err(db_err)?;
    let open_episodes = open_by_site.iter().map(|(_, n)| n).sum();
    let (site_id, site_open) = open_by_site
        .into_iter()
        .max_by_key(|(id, n)| (*n, std::cmp::Reverse(id.clone())))
        .ok_or("the database holds no open episode: seed it first (`liaison demo` or `liaison generate`)")?;
    let site = sites::find(conn, &site_id.into())
        .map_err(db_err)?
        .ok_or("site vanished")?;
    let team_name = accounts::all_teams(conn)
        .map_err(db_err)?
        .into_iter()
        .find(|t| t.id == site.team_id)
        .map(|t| t.name)
        .ok_or("the busiest site's team is missing")?;
    let open_here: Vec<String> = episodes::table
        .filter(episodes::site_id.eq(&site.id))
        .filter(episodes::team_id.eq(&site.team_id))
        .filter(episodes::closed_at.is_null())
        .order(episodes::created_at.asc())
        .select(episodes::id)
        .limit(2)
        .load(conn)
        .map_err(db_err)?;
    let episode_id = open_here
        .first()
        .cloned()
        .ok_or("no open episode of the site's own team")?;
    let note_episode_id = open_here.last().cloned().unwrap_or_else(|| episode_id.clone());

    let password = session::random_token();
    let hash = password::hash(&password)?;
    let team_ids = vec![site.team_id.clone()];
    let (user_id, shift_id) = write_tx(conn, |conn| {
        let user_id = match accounts::find_by_username(conn, USERNAME)? {
            Some(u) => {
                accounts::set_password_hash(conn, now, &u.id, &hash)?;
                accounts::set_disabled(conn, now, &u.id, false)?;
                accounts::set_teams(conn, &u.id, &team_ids)?;
                u.id
            }
            None => accounts::create(
                conn,
                now,
                &accounts::NewUser {
                    username: USERNAME,
                    display_name: "Bench Practitioner",
                    role: Role::Practitioner,
                    password_hash: &hash,
                    team_ids: &team_ids,
                },
            )?,
        };
        diesel::update(
            shifts::table
                .filter(shifts::user_id.eq(&user_id))
                .filter(shifts::ended_at.is_null()),
        )
        .set(shifts::ended_at.eq(now))
        .execute(conn)?;
        let shift_id = shift::start(conn, now, &user_id, "020 7946 0000", std::slice::from_ref(&site.id))?;
        let event = Event::allowed(audit::UPDATE)
            .record("user", &user_id)
            .detail(format!("bench account; team {team_name}; on shift at {}", site.name));
        audit::record(conn, now, &bench_actor(), event)?;
        Ok::<_, diesel::result::Error>((user_id, shift_id))
    })
    .map_err(db_err)?;

    let viewer = Viewer {
        user_id,
        role: Role::Practitioner,
        team_ids,
        now,
        relationship_ms: relationship_days * 24 * 60 * 60 * 1000,
    };
    let picked = pick_people(conn, &viewer)?;
    let search = search_target(conn, &picked)?;
    Ok(Plan {
        people: people_n,
        episodes: episodes_n,
        open_episodes,
        site_id: site.id,
        site_name: site.name,
        site_open,
        team_name,
        password,
        shift_id,
        episode_id,
        note_episode_id,
        picked,
        search,
        now,
    })
}

fn bench_actor() -> Actor {
    Actor {
        username: Some("bench".into()),
        role: Some("operator".into()),
        ..Default::default()
    }
}

/// Ends the bench practitioner's shift, so the site does not show them on duty afterwards.
pub fn finish(conn: &mut DbConnection, now: Millis, plan: &Plan) -> Result<(), String> {
    shift::end(conn, now, &plan.shift_id).map(|_| ()).map_err(db_err)
}

/// For each target, the person the bench's team may open whose episode count is nearest.
fn pick_people(conn: &mut DbConnection, viewer: &Viewer) -> Result<Vec<Picked>, String> {
    let since = viewer.now - viewer.relationship_ms;
    let known: HashSet<String> = episodes::table
        .filter(one_of(episodes::team_id, &viewer.team_ids))
        .filter(episodes::closed_at.is_null().or(episodes::closed_at.ge(since)))
        .select(episodes::person_id)
        .distinct()
        .load::<String>(conn)
        .map_err(db_err)?
        .into_iter()
        .collect();
    let counts: HashMap<String, i64> = episodes::table
        .group_by(episodes::person_id)
        .select((episodes::person_id, diesel::dsl::count_star()))
        .load::<(String, i64)>(conn)
        .map_err(db_err)?
        .into_iter()
        .filter(|(id, _)| known.contains(id))
        .collect();
    let mut candidates: Vec<(String, i64)> = counts.into_iter().collect();
    let mut picked = Vec::new();
    for target in EPISODE_TARGETS {
        candidates.sort_by(|a, b| ((a.1 - target).abs(), &a.0).cmp(&((b.1 - target).abs(), &b.0)));
        let mut found = None;
        for (id, n) in candidates.iter().take(50) {
            let subject = Subject::Person(id.as_str().into());
            if access::decide(conn, viewer, &subject, Intent::Read("bench"))
                .map_err(db_err)?
                .is_ok()
            {
                found = Some((id.clone(), *n));
                break;
            }
        }
        let (person_id, episodes) = found.ok_or("no person the bench's team may open")?;
        picked.push(Picked {
            target,
            person_id,
            episodes,
        });
    }
    Ok(picked)
}

/// Someone to look for: a picked person with an NHS number if there is one.
fn search_target(conn: &mut DbConnection, picked: &[Picked]) -> Result<Search, String> {
    let ids: Vec<&str> = picked.iter().map(|p| p.person_id.as_str()).collect();
    let mut found: Vec<Person> = people::table
        .filter(one_of(people::id, &ids))
        .select(Person::as_select())
        .load(conn)
        .map_err(db_err)?;
    found.sort_by_key(|p| p.nhs_number.is_none());
    let person = found.into_iter().next().ok_or("picked people vanished")?;
    let nhs_number = match person.nhs_number.clone() {
        Some(n) => Some(n),
        None => people::table
            .filter(people::nhs_number.is_not_null())
            .select(people::nhs_number)
            .first::<Option<String>>(conn)
            .optional()
            .map_err(db_err)?
            .flatten(),
    };
    let dob = person.dob();
    use chrono::Datelike;
    Ok(Search {
        nhs_number,
        misspelt_family: misspell(&person.family_name),
        given: person.given_name,
        family: person.family_name,
        dob: (dob.day().to_string(), dob.month().to_string(), dob.year().to_string()),
    })
}

/// One typing slip: two neighbouring letters swapped, or the last letter dropped.
pub fn misspell(name: &str) -> String {
    let mut chars: Vec<char> = name.chars().collect();
    let swap = (1..chars.len().saturating_sub(1))
        .find(|&i| chars[i].is_alphabetic() && chars[i + 1].is_alphabetic() && chars[i] != chars[i + 1]);
    match swap {
        Some(i) => chars.swap(i, i + 1),
        None if chars.len() >= 3 => {
            chars.pop();
        }
        None => chars.push('e'),
    }
    chars.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::misspell;

    #[test]
    fn a_misspelling_is_one_slip_away() {
        assert_eq!(misspell("Okafor"), "Oakfor");
        assert_eq!(misspell("Lee"), "Le");
        assert_eq!(misspell("Li"), "Lie");
    }
}
