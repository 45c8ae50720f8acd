//! Keeping `episode_facts`: triggers on episodes, screenings, referrals, shares and people put
//! the id of every episode a write touches in `fact_changes`; [`refresh`] recomputes those rows
//! from the records, a batch at a time, before a dashboard or the return reads and on the
//! outbox worker's periodic pass. [`rebuild`] recomputes every row, a month at a time.

use diesel::prelude::*;
use std::collections::HashMap;

use crate::clock::Millis;
use crate::db::schema::{
    episode_facts, episodes, fact_changes, fact_people, month_tallies, people, referrals, screenings, shares,
    tallied_months,
};
use crate::db::{self, DbConnection, one_of};
use crate::domain::period::Period;
use crate::domain::referral::Status;
use crate::domain::sharing::Scope;

/// Episodes recomputed in one transaction.
const BATCH: i64 = 2_000;
/// Ids in one `IN (…)` list, under both engines' limits on bound parameters.
const CHUNK: usize = 5_000;

#[derive(Insertable, Debug, Clone)]
#[diesel(table_name = episode_facts)]
struct FactRow {
    episode_id: String,
    alert_at: Millis,
    person_id: String,
    site_id: String,
    team_id: String,
    youth: bool,
    referral_source: String,
    voluntary_attendance: bool,
    cj_stage: Option<String>,
    not_seen_reason: Option<String>,
    screening_started_at: Option<Millis>,
    screened_at: Option<Millis>,
    assessed_at: Option<Millis>,
    closed_at: Option<Millis>,
    nhs_number: Option<String>,
    date_of_birth: String,
    sex: Option<String>,
    gender_identity: Option<String>,
    ethnic_category: Option<String>,
    vulnerabilities: Option<String>,
    referrals: i32,
    referrals_attended: i32,
    referrals_not_attended: i32,
    first_referral_at: Option<Millis>,
    shared_with: String,
    person_number: i64,
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = episodes)]
struct EpisodePart {
    id: String,
    person_id: String,
    site_id: String,
    team_id: String,
    youth: bool,
    alert_at: Millis,
    referral_source: String,
    voluntary_attendance: bool,
    cj_stage: Option<String>,
    not_seen_reason: Option<String>,
    screening_started_at: Option<Millis>,
    screened_at: Option<Millis>,
    assessed_at: Option<Millis>,
    closed_at: Option<Millis>,
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = people)]
struct PersonPart {
    nhs_number: Option<String>,
    date_of_birth: String,
    sex: Option<String>,
    gender_identity: Option<String>,
    ethnic_category: Option<String>,
}

/// Which episodes to compute.
enum Which<'a> {
    Ids(&'a [String]),
    Alerted(Millis, Millis),
}

/// The facts of the episodes, from the records: the episodes with their person and screening,
/// then their referrals and shares in chunks. In key order (alert, then episode), so rows
/// inserted together lie on disk in the order a period reads them: PostgreSQL's heap keeps
/// insertion order, and a year read from rows inserted in id order visited a page a row.
fn compute(conn: &mut DbConnection, which: Which<'_>) -> QueryResult<Vec<FactRow>> {
    let query = episodes::table
        .inner_join(people::table)
        .left_join(screenings::table)
        .select((
            EpisodePart::as_select(),
            PersonPart::as_select(),
            screenings::vulnerabilities.nullable(),
        ))
        .into_boxed();
    let query = match which {
        Which::Ids(ids) => query.filter(one_of(episodes::id, ids)),
        Which::Alerted(from, to) => query
            .filter(episodes::alert_at.ge(from))
            .filter(episodes::alert_at.lt(to)),
    };
    let rows: Vec<(EpisodePart, PersonPart, Option<String>)> = query.load(conn)?;
    let ids: Vec<String> = rows.iter().map(|r| r.0.id.clone()).collect();
    let mut referred: HashMap<String, (i32, i32, i32, Option<Millis>)> = HashMap::new();
    let mut shared: HashMap<String, Vec<String>> = HashMap::new();
    for chunk in ids.chunks(CHUNK) {
        let found: Vec<(String, String, Millis)> = referrals::table
            .filter(one_of(referrals::episode_id, chunk))
            .select((referrals::episode_id, referrals::status, referrals::created_at))
            .load(conn)?;
        for (episode_id, status, created_at) in found {
            let entry = referred.entry(episode_id).or_default();
            entry.0 += 1;
            entry.1 += i32::from(status == Status::Attended.code());
            entry.2 += i32::from(status == Status::NotAttended.code());
            entry.3 = Some(entry.3.map_or(created_at, |at| at.min(created_at)));
        }
        let found: Vec<(String, String)> = shares::table
            .filter(one_of(shares::episode_id, chunk))
            .select((shares::episode_id, shares::scope))
            .load(conn)?;
        for (episode_id, scope) in found {
            if scope.parse::<Scope>().is_ok_and(Scope::criminal_justice) {
                shared.entry(episode_id).or_default().push(scope);
            }
        }
    }
    let mut people: Vec<&str> = rows.iter().map(|r| r.0.person_id.as_str()).collect();
    people.sort_unstable();
    people.dedup();
    let numbers = numbers(conn, &people)?;
    let mut facts: Vec<FactRow> = rows
        .into_iter()
        .map(|(e, p, vulnerabilities)| {
            let (referrals, attended, not_attended, first) = referred.remove(&e.id).unwrap_or_default();
            FactRow {
                person_number: numbers.get(&e.person_id).copied().unwrap_or_default(),
                shared_with: shared.remove(&e.id).unwrap_or_default().join(","),
                episode_id: e.id,
                alert_at: e.alert_at,
                person_id: e.person_id,
                site_id: e.site_id,
                team_id: e.team_id,
                youth: e.youth,
                referral_source: e.referral_source,
                voluntary_attendance: e.voluntary_attendance,
                cj_stage: e.cj_stage,
                not_seen_reason: e.not_seen_reason,
                screening_started_at: e.screening_started_at,
                screened_at: e.screened_at,
                assessed_at: e.assessed_at,
                closed_at: e.closed_at,
                nhs_number: p.nhs_number,
                date_of_birth: p.date_of_birth,
                sex: p.sex,
                gender_identity: p.gender_identity,
                ethnic_category: p.ethnic_category,
                vulnerabilities,
                referrals,
                referrals_attended: attended,
                referrals_not_attended: not_attended,
                first_referral_at: first,
            }
        })
        .collect();
    facts.sort_unstable_by(|a, b| (a.alert_at, &a.episode_id).cmp(&(b.alert_at, &b.episode_id)));
    Ok(facts)
}

/// Each person's number ([`crate::domain::measures::Fact::person`]), given the first time
/// their facts are computed and never changed, so tallies of different months can be merged.
fn numbers(conn: &mut DbConnection, people: &[&str]) -> QueryResult<HashMap<String, i64>> {
    let mut numbers = HashMap::with_capacity(people.len());
    for chunk in people.chunks(CHUNK) {
        let known = |conn: &mut DbConnection| {
            fact_people::table
                .filter(one_of(fact_people::person_id, chunk))
                .select((fact_people::person_id, fact_people::number))
                .load::<(String, i64)>(conn)
        };
        numbers.extend(known(conn)?);
        let new: Vec<_> = chunk
            .iter()
            .filter(|id| !numbers.contains_key(**id))
            .map(|id| fact_people::person_id.eq(*id))
            .collect();
        if new.is_empty() {
            continue;
        }
        match conn {
            DbConnection::Sqlite(c) => {
                for person in &new {
                    diesel::insert_or_ignore_into(fact_people::table)
                        .values(person)
                        .execute(c)?;
                }
            }
            DbConnection::Pg(c) => {
                diesel::insert_into(fact_people::table)
                    .values(&new)
                    .on_conflict_do_nothing()
                    .execute(c)?;
            }
        }
        numbers.extend(known(conn)?);
    }
    Ok(numbers)
}

/// Replaces the facts of these episodes (an episode gone leaves none).
fn replace(conn: &mut DbConnection, ids: &[String], rows: &[FactRow]) -> QueryResult<()> {
    for chunk in ids.chunks(CHUNK) {
        diesel::delete(episode_facts::table.filter(one_of(episode_facts::episode_id, chunk))).execute(conn)?;
    }
    insert(conn, rows)
}

/// SQLite: one prepared single-row insert a row (in-process, nothing to batch); PostgreSQL: a
/// thousand rows a statement.
fn insert(conn: &mut DbConnection, rows: &[FactRow]) -> QueryResult<()> {
    match conn {
        DbConnection::Sqlite(c) => {
            for row in rows {
                diesel::insert_into(episode_facts::table).values(row).execute(c)?;
            }
        }
        DbConnection::Pg(c) => {
            for chunk in rows.chunks(1_000) {
                diesel::insert_into(episode_facts::table).values(chunk).execute(c)?;
            }
        }
    }
    Ok(())
}

/// Whether any episode waits to have its facts recomputed.
pub fn pending(conn: &mut DbConnection) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        fact_changes::table.select(fact_changes::episode_id),
    ))
    .get_result(conn)
}

/// Recomputes one batch of queued episodes in one write transaction; the number done.
fn refresh_batch(conn: &mut DbConnection) -> QueryResult<usize> {
    db::write_tx(conn, |conn| {
        if let DbConnection::Pg(pg) = conn {
            // One refresher at a time: two would insert the same rows.
            diesel::sql_query("SELECT pg_advisory_xact_lock(2104)").execute(pg)?;
        }
        let ids: Vec<String> = fact_changes::table
            .select(fact_changes::episode_id)
            .order(fact_changes::episode_id)
            .limit(BATCH)
            .load(conn)?;
        if ids.is_empty() {
            return Ok(0);
        }
        let rows = compute(conn, Which::Ids(&ids))?;
        replace(conn, &ids, &rows)?;
        for chunk in ids.chunks(CHUNK) {
            diesel::delete(fact_changes::table.filter(one_of(fact_changes::episode_id, chunk))).execute(conn)?;
        }
        Ok(ids.len())
    })
}

/// Beyond this many queued episodes (after an upgrade, or a bulk load), rebuilding every row a
/// month at a time is faster than recomputing them by id: 2 million queued ids took 442 s by
/// id on SQLite, where a month at a time reads each month's episodes in one range.
const REBUILD_ABOVE: i64 = 100_000;

/// Recomputes every queued episode, so a read that follows sees every confirmed write.
pub fn refresh(conn: &mut DbConnection) -> QueryResult<usize> {
    let queued: i64 = fact_changes::table.count().get_result(conn)?;
    if queued > REBUILD_ABOVE {
        return rebuild(conn, |_| {});
    }
    let mut done = 0;
    while pending(conn)? {
        done += refresh_batch(conn)?;
    }
    Ok(done)
}

/// Recomputes every episode's facts, a calendar month at a time (for a generated database,
/// or on demand); `progress` hears each month.
pub fn rebuild(conn: &mut DbConnection, mut progress: impl FnMut(&str)) -> QueryResult<usize> {
    let first: Option<Millis> = episodes::table
        .select(diesel::dsl::min(episodes::alert_at))
        .first(conn)?;
    let last: Option<Millis> = episodes::table
        .select(diesel::dsl::max(episodes::alert_at))
        .first(conn)?;
    db::write_tx(conn, |conn| {
        match conn {
            // A new empty file, not dead rows: the rebuilt rows then lie in the order written.
            DbConnection::Pg(pg) => diesel::sql_query("TRUNCATE episode_facts").execute(pg)?,
            DbConnection::Sqlite(_) => diesel::delete(episode_facts::table).execute(conn)?,
        };
        // Tallied again from the new rows (`months::fill`).
        diesel::delete(tallied_months::table).execute(conn)?;
        diesel::delete(month_tallies::table).execute(conn)?;
        diesel::delete(fact_changes::table).execute(conn)
    })?;
    let (Some(first), Some(last)) = (first, last) else {
        return Ok(0);
    };
    let (mut month, end) = (Period::month_of(first), Period::month_of(last));
    let mut done = 0;
    while month <= end {
        let (from, to) = month.bounds();
        done += db::write_tx(conn, |conn| {
            let rows = compute(conn, Which::Alerted(from, to))?;
            insert(conn, &rows)?;
            Ok::<_, diesel::result::Error>(rows.len())
        })?;
        progress(&month.code());
        month = Period::month_of(to);
    }
    // Every row is new: the planner's statistics must say so, or PostgreSQL reads a year's
    // range as if it held a few thousand rows.
    diesel::sql_query("ANALYZE episode_facts").execute(conn)?;
    Ok(done)
}

/// The outbox worker's pass: one batch of queued episodes when any wait, or else the months
/// over that are not tallied.
pub struct FactsTask;

impl crate::email::hooks::PeriodicTask for FactsTask {
    fn name(&self) -> &'static str {
        "refresh the dashboards' facts"
    }

    fn run(&self, conn: &mut DbConnection, now: Millis) -> QueryResult<usize> {
        if pending(conn)? {
            return refresh_batch(conn);
        }
        super::months::fill(conn, now)
    }
}
