//! Monthly tallies beside the facts (decision 0021): for each month already over, one tally a
//! site, team and age group, and one for each equality group, so a year is merged from a few
//! thousand tallies instead of measured from hundreds of thousands of facts. A change to any
//! fact of a month removes the month from `tallied_months` (a trigger on `episode_facts`), and
//! the month is read from its facts until [`fill`] tallies it again.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use diesel::prelude::*;

use super::keys::Keys;
use super::{EpisodeFacts, Selection, SitePart, each, load};
use crate::clock::Millis;
use crate::db::schema::{episode_facts, month_tallies, tallied_months, teams};
use crate::db::{self, DbConnection, one_of};
use crate::domain::ids::TeamId;
use crate::domain::measures::{Ld, Tally, decode_people, encode_people};
use crate::domain::period::Period;

/// The tallies a view merges: the whole of each site's month, or its equality groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dimensions {
    Whole,
    Equality,
}

const WHOLE: &str = "all";
pub const ETHNIC: &str = "ethnic";
pub const GENDER: &str = "gender";
pub const AGE: &str = "age";

impl Dimensions {
    fn names(self) -> &'static [&'static str] {
        match self {
            Dimensions::Whole => &[WHOLE],
            Dimensions::Equality => &[ETHNIC, GENDER, AGE],
        }
    }
}

/// A month's tally at one site, for one team and age group: the whole of it, or one group of
/// an equality dimension.
#[derive(Debug, Clone)]
pub struct MonthTally {
    pub month_from: Millis,
    pub site: Arc<SitePart>,
    /// [`ETHNIC`], [`GENDER`] or [`AGE`] and the group, for the equality tallies.
    pub dimension: String,
    pub group: String,
    pub tally: Tally,
    pub people: Vec<(u32, u8)>,
}

/// What a period is measured from: episodes of months not tallied (the current one among
/// them), and the tallies of the rest.
#[derive(Debug, Clone)]
pub enum Counted {
    Episode(EpisodeFacts),
    Month(MonthTally),
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = month_tallies)]
struct TallyRow {
    dimension: String,
    site_id: String,
    grp: String,
    tally: String,
    people: Vec<u8>,
}

/// Hands `visit` the selection's tallied months as tallies, and the episodes of the rest. A
/// month's tallies are read and handed over one month at a time, so a long period never holds
/// more than a month of them.
pub fn measure(
    conn: &mut DbConnection,
    sel: &Selection,
    now: Millis,
    dimensions: Dimensions,
    mut visit: impl FnMut(Counted),
) -> QueryResult<()> {
    if sel.teams.is_empty() {
        return Ok(());
    }
    // Tallies count every screening recorded: they hold for a cut-off after the latest.
    let tallied: Vec<(Millis, Millis)> = tallied_months::table
        .filter(tallied_months::month_from.ge(sel.from))
        .filter(tallied_months::month_to.le(sel.to))
        .filter(
            tallied_months::latest_screening
                .is_null()
                .or(tallied_months::latest_screening.le(now)),
        )
        .select((tallied_months::month_from, tallied_months::month_to))
        .order(tallied_months::month_from)
        .load(conn)?;
    if tallied.is_empty() {
        return each(conn, sel, |f| visit(Counted::Episode(f)));
    }
    let keys = Keys::read(conn)?;
    // Facts are read from `from` up to the next month merged from its tallies.
    let mut from = sel.from;
    for (month_from, month_to) in tallied {
        // A month with any tally unreadable (written by another version) is read from its facts.
        let Some(tallies) = read_month(conn, sel, dimensions, &keys, month_from)? else {
            continue;
        };
        if from < month_from {
            let gap = Selection {
                from,
                to: month_from,
                ..sel.clone()
            };
            each(conn, &gap, |f| visit(Counted::Episode(f)))?;
        }
        tallies.into_iter().for_each(|t| visit(Counted::Month(t)));
        from = month_to;
    }
    if from < sel.to {
        each(conn, &Selection { from, ..sel.clone() }, |f| visit(Counted::Episode(f)))?;
    }
    Ok(())
}

/// The selection's tallies of one tallied month, or `None` when one of them cannot be read.
fn read_month(
    conn: &mut DbConnection,
    sel: &Selection,
    dimensions: Dimensions,
    keys: &Keys,
    month_from: Millis,
) -> QueryResult<Option<Vec<MonthTally>>> {
    let mut query = month_tallies::table
        .filter(one_of(month_tallies::dimension, dimensions.names()))
        .filter(month_tallies::month_from.eq(month_from))
        .filter(one_of(month_tallies::team_id, &sel.teams))
        .select(TallyRow::as_select())
        .into_boxed();
    if let Some(site) = &sel.site {
        query = query.filter(month_tallies::site_id.eq(site.as_str()));
    }
    if let Some(youth) = sel.youth {
        query = query.filter(month_tallies::youth.eq(youth));
    }
    let mut tallies = Vec::new();
    for row in query.load::<TallyRow>(conn)? {
        let Some(site) = keys.site(&row.site_id) else { continue };
        let (Ok(tally), Some(people)) = (serde_json::from_str(&row.tally), decode_people(&row.people)) else {
            tracing::warn!(
                month = month_from,
                site = row.site_id,
                "a month's tally could not be read"
            );
            return Ok(None);
        };
        tallies.push(MonthTally {
            month_from,
            site,
            dimension: row.dimension,
            group: row.grp,
            tally,
            people,
        });
    }
    Ok(Some(tallies))
}

/// The months over, from the first alert to the one before `now`'s.
fn months_over(conn: &mut DbConnection, now: Millis) -> QueryResult<Vec<(Millis, Millis)>> {
    let first: Option<Millis> = episode_facts::table
        .select(diesel::dsl::min(episode_facts::alert_at))
        .first(conn)?;
    let Some(first) = first else { return Ok(Vec::new()) };
    let (mut month, current) = (Period::month_of(first), Period::month_of(now));
    let mut over = Vec::new();
    while month < current {
        over.push(month.bounds());
        month = Period::month_of(month.bounds().1);
    }
    Ok(over)
}

/// Whether a month already over waits to be tallied.
pub fn untallied(conn: &mut DbConnection, now: Millis) -> QueryResult<bool> {
    let over = months_over(conn, now)?;
    let Some(&(first, _)) = over.first() else {
        return Ok(false);
    };
    let tallied: i64 = tallied_months::table
        .filter(tallied_months::month_from.ge(first))
        .filter(tallied_months::month_to.le(Period::month_of(now).bounds().0))
        .count()
        .get_result(conn)?;
    Ok(usize::try_from(tallied).unwrap_or(0) < over.len())
}

/// Tallies every month already over that is not tallied; the number tallied.
pub fn fill(conn: &mut DbConnection, now: Millis) -> QueryResult<usize> {
    let tallied: HashSet<Millis> = tallied_months::table
        .select(tallied_months::month_from)
        .load::<Millis>(conn)?
        .into_iter()
        .collect();
    let mut done = 0;
    for (from, to) in months_over(conn, now)? {
        if !tallied.contains(&from) {
            tally_month(conn, from, to)?;
            done += 1;
        }
    }
    Ok(done)
}

type Key = (&'static str, String, String, bool, String);

/// Tallies one month from its facts, replacing any tallies it had.
fn tally_month(conn: &mut DbConnection, from: Millis, to: Millis) -> QueryResult<()> {
    db::write_tx(conn, |conn| {
        if let DbConnection::Pg(pg) = conn {
            // One refresher at a time, and no fact of the month changed while it is counted: a
            // change waits, then removes the month this marks tallied.
            diesel::sql_query("SELECT pg_advisory_xact_lock(2104)").execute(pg)?;
            diesel::sql_query("LOCK TABLE tallied_months IN SHARE ROW EXCLUSIVE MODE").execute(pg)?;
        }
        let every_dimension = [WHOLE, ETHNIC, GENDER, AGE];
        diesel::delete(
            month_tallies::table
                .filter(one_of(month_tallies::dimension, every_dimension))
                .filter(month_tallies::month_from.eq(from)),
        )
        .execute(conn)?;
        diesel::delete(tallied_months::table.filter(tallied_months::month_from.eq(from))).execute(conn)?;
        let teams: Vec<TeamId> = teams::table.select(teams::id).load(conn)?;
        let sel = Selection {
            from,
            to,
            teams,
            site: None,
            youth: None,
        };
        let mut tallies: HashMap<Key, Ld> = HashMap::new();
        let mut latest_screening = None;
        for found in load(conn, &sel)? {
            let (facts, record) = (&found.facts, &found.record);
            latest_screening = latest_screening.max(facts.screening_started_at);
            let fact = facts.fact();
            for (dimension, group) in [
                (WHOLE, ""),
                (ETHNIC, facts.ethnic_group()),
                (GENDER, facts.gender_identity()),
                (AGE, facts.age_band()),
            ] {
                let key = (
                    dimension,
                    facts.site.id.clone(),
                    record.team_id.clone(),
                    record.youth,
                    group.to_string(),
                );
                // Every screening recorded counts: [`measure`] reads a month only for a cut-off
                // after its latest.
                tallies.entry(key).or_insert_with(|| Ld::new(Millis::MAX)).add(&fact);
            }
        }
        for ((dimension, site_id, team_id, youth, grp), counted) in tallies {
            let (tally, people) = counted.into_tally();
            let tally =
                serde_json::to_string(&tally).map_err(|e| diesel::result::Error::SerializationError(e.into()))?;
            diesel::insert_into(month_tallies::table)
                .values((
                    month_tallies::dimension.eq(dimension),
                    month_tallies::month_from.eq(from),
                    month_tallies::site_id.eq(site_id),
                    month_tallies::team_id.eq(team_id),
                    month_tallies::youth.eq(youth),
                    month_tallies::grp.eq(grp),
                    month_tallies::tally.eq(tally),
                    month_tallies::people.eq(encode_people(&people)),
                ))
                .execute(conn)?;
        }
        diesel::insert_into(tallied_months::table)
            .values((
                tallied_months::month_from.eq(from),
                tallied_months::month_to.eq(to),
                tallied_months::latest_screening.eq(latest_screening),
            ))
            .execute(conn)?;
        Ok(())
    })
}
