//! `liaison generate`: a test database shaped like a real regional L&D service, for load
//! testing — people with valid NHS numbers from the never-issued 999 range, several years of
//! closed episodes at the demo sites with referrals, safeguarding concerns and MHTR cases in
//! plausible proportions, and a realistic day of open episodes at every site.
//!
//! Fast: rows are made in memory a thousand people at a time and written in transactions of
//! twenty thousand people ([`batch`]: multi-row INSERTs on PostgreSQL, one reused prepared
//! statement on SQLite), with the secondary indexes dropped during the load and built again
//! after it, and load-only settings ([`load`]). Deterministic: the same seed gives the same
//! people, ids and episodes ([`rng`]); times are relative to the moment of the run (`now`).
//! Never on a live system: [`guard`] refuses a database holding anything not synthetic.

mod batch;
mod course;
mod day;
mod details;
mod episode;
mod follow_up;
mod guard;
pub mod load;
mod mhtr;
pub mod names;
mod person;
pub mod rng;
mod rows;
mod shape;
mod summary;
pub mod texts;
mod world;

use std::io::Write;
use std::time::Instant;

use crate::clock::Millis;
use crate::db::{DbConnection, write_tx};
use crate::{demo, settings};
use batch::Batch;
use person::NhsNumbers;
pub use summary::Summary;
use world::World;

/// The setting that records a generated database, and with what.
pub const SETTING: &str = "generated";
/// Years of closed episodes before today.
const HISTORY_YEARS: i64 = 5;
/// People generated in one transaction (and one progress line).
const PEOPLE_PER_TRANSACTION: u64 = 20_000;
/// People whose rows are written together, in a few multi-row INSERTs per table.
const PEOPLE_PER_BATCH: u64 = 1_000;
const DAY: Millis = 24 * 60 * 60 * 1000;

/// Independent random streams, so each part of the data stays the same when another changes.
mod stream {
    pub const SHAPE: u64 = 1;
    pub const PERSON: u64 = 2;
    pub const NHS: u64 = 3;
}

/// What to generate.
#[derive(Clone, Debug)]
pub struct Plan {
    pub people: u64,
    pub episodes: u64,
    pub seed: u64,
    /// Generate even though the database holds records that are not synthetic.
    pub force: bool,
    /// The retention periods each person's review date is worked out with.
    pub retention: crate::domain::retention::Periods,
}

impl Plan {
    /// Why the numbers cannot be generated, if they cannot.
    pub fn problem(&self) -> Option<String> {
        if self.people == 0 {
            return Some("--people must be at least 1".into());
        }
        if self.people > 10_000_000 {
            return Some("--people must be at most 10,000,000".into());
        }
        if self.episodes < self.people {
            return Some("--episodes must be at least --people: everyone generated has a contact".into());
        }
        if self.episodes > self.people * shape::MAX_EPISODES {
            return Some(format!("--episodes must be at most {} per person", shape::MAX_EPISODES));
        }
        None
    }
}

/// Makes the rows: one person (and everything of theirs) at a time, into a batch.
pub(crate) struct Writer<'w> {
    world: &'w World,
    seed: u64,
    now: Millis,
    history_start: Millis,
    /// Local midnight: everything before it is history, today's contacts come from the shape.
    today_start: Millis,
    batch: Batch<'w>,
    nhs: NhsNumbers,
    /// Serials for episode and referral references, unique across the run.
    episode_serial: u64,
    referral_serial: u64,
    stats: Summary,
}

/// Generates `plan` into the database: refuses a non-synthetic database (unless forced) or
/// one already generated into, seeds the demo teams, sites and accounts if absent, writes,
/// then analyses the tables. Progress and the summary go to `out`.
pub fn run(conn: &mut DbConnection, plan: &Plan, now: Millis, out: &mut dyn Write) -> Result<Summary, String> {
    if let Some(problem) = plan.problem() {
        return Err(problem);
    }
    let db_err = |e: diesel::result::Error| format!("database error: {e}");
    guard::check(conn, plan.force)?;
    demo::seed(conn, now).map_err(|e| format!("cannot seed the demo teams and sites: {e}"))?;
    let world = World::load(conn).map_err(|_| "the demo L&D team's sites or accounts are missing".to_string())?;
    let shape = shape::shape(plan.seed, plan.people, plan.episodes, &world.sites);
    let started = Instant::now();
    let mut w = Writer {
        world: &world,
        seed: plan.seed,
        now,
        history_start: now - HISTORY_YEARS * 365 * DAY,
        today_start: crate::domain::local_time::start_of_local_day(now),
        batch: Batch::default(),
        nhs: NhsNumbers::new(plan.seed),
        episode_serial: 0,
        referral_serial: 0,
        stats: Summary::default(),
    };
    let _ = writeln!(
        out,
        "Generating {} people and {} episodes (seed {}): synthetic, NHS numbers in the never-issued 999 range.",
        plan.people, plan.episodes, plan.seed
    );
    load::tuned(conn, plan.people >= load::REBUILD_INDEXES_FROM, |conn| {
        let mut next = 0;
        while next < plan.people {
            let end = (next + PEOPLE_PER_TRANSACTION).min(plan.people);
            write_tx(conn, |conn| {
                for i in next..end {
                    w.person(i, shape.counts[i as usize], shape.today.get(&i).copied());
                    if (i + 1) % PEOPLE_PER_BATCH == 0 || i + 1 == end {
                        w.stats.rows += w.batch.write(conn)? as u64;
                    }
                }
                Ok::<(), diesel::result::Error>(())
            })?;
            next = end;
            w.stats.progress(out, plan, started.elapsed());
        }
        let _ = writeln!(out, "Building the indexes and analysing the tables…");
        Ok(())
    })
    .map_err(db_err)?;
    let _ = writeln!(
        out,
        "Working out each episode's facts for the dashboards, a month at a time…"
    );
    crate::returns::facts::rebuild(conn, |_| {}).map_err(db_err)?;
    let _ = writeln!(out, "Tallying each month already over…");
    crate::returns::facts::fill(conn, now).map_err(db_err)?;
    let _ = writeln!(out, "Working out each person's retention review date…");
    crate::retention::complete_todays_pass(conn, now, plan.retention).map_err(db_err)?;
    let record = format!(
        "seed={}; people={}; episodes={}; at={}",
        plan.seed,
        plan.people,
        plan.episodes,
        crate::domain::local_time::date_time_seconds(now)
    );
    settings::get_or_insert(conn, SETTING, || record).map_err(db_err)?;
    let mut summary = w.stats;
    summary.elapsed = started.elapsed();
    summary.today_per_site = world
        .sites
        .iter()
        .zip(&shape.open_per_site)
        .enumerate()
        .map(|(i, (s, open))| {
            (
                s.name.clone(),
                *open,
                summary.closed_today.get(&i).copied().unwrap_or(0),
            )
        })
        .collect();
    summary.print(out);
    Ok(summary)
}
