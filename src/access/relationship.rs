//! The legitimate relationship (docs/decisions/0008): a team has one with a person while it
//! has an open episode, MHTR case or MHTR referral addressed to it for them, and for
//! `relationship_days` after the last of those closes. Each check reads one person's few
//! rows through the person indexes, never a team's whole history.

use diesel::dsl::exists;
use diesel::prelude::*;

use crate::clock::Millis;
use crate::db::DbConnection;
use crate::db::schema::{episodes, mhtr_cases, mhtr_referrals};
use crate::domain::ids::TeamId;

/// Whether any of `teams` has a relationship with the person: a record of theirs that is
/// open, or closed at or after `since`. Each read is by the person alone (a person has a
/// handful of records) and the teams are checked here, so no plan can walk a team's history.
pub fn holds(conn: &mut DbConnection, person_id: &str, teams: &[TeamId], since: Millis) -> QueryResult<bool> {
    if teams.is_empty() {
        return Ok(false);
    }
    let carries = |(team, ended): &(TeamId, Option<Millis>)| teams.contains(team) && ended.is_none_or(|at| at >= since);
    let episodes: Vec<(TeamId, Option<Millis>)> = episodes::table
        .filter(episodes::person_id.eq(person_id))
        .select((episodes::team_id, episodes::closed_at))
        .load(conn)?;
    if episodes.iter().any(carries) {
        return Ok(true);
    }
    let cases: Vec<(TeamId, Option<Millis>)> = mhtr_cases::table
        .filter(mhtr_cases::person_id.eq(person_id))
        .select((mhtr_cases::team_id, mhtr_cases::closed_at))
        .load(conn)?;
    if cases.iter().any(carries) {
        return Ok(true);
    }
    let referrals: Vec<(TeamId, Option<Millis>)> = mhtr_referrals::table
        .filter(mhtr_referrals::person_id.eq(person_id))
        .select((mhtr_referrals::team_id, mhtr_referrals::decided_at))
        .load(conn)?;
    Ok(referrals.iter().any(carries))
}

/// Whether any team at all has ever recorded anything for the person.
pub fn known_to_any_team(conn: &mut DbConnection, person_id: &str) -> QueryResult<bool> {
    let episode = episodes::table.filter(episodes::person_id.eq(person_id));
    if diesel::select(exists(episode)).get_result(conn)? {
        return Ok(true);
    }
    let case = mhtr_cases::table.filter(mhtr_cases::person_id.eq(person_id));
    if diesel::select(exists(case)).get_result(conn)? {
        return Ok(true);
    }
    let referral = mhtr_referrals::table.filter(mhtr_referrals::person_id.eq(person_id));
    diesel::select(exists(referral)).get_result(conn)
}
