//! A batch of rows, written table by table, parents first, in the way that is fastest on
//! each backend.

use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::sqlite::SqliteConnection;

use super::rows::*;
use crate::db::DbConnection;
use crate::db::schema::{
    appropriate_adults, episodes, mhtr_case_events, mhtr_cases, mhtr_hearings, mhtr_orders, mhtr_referrals, people,
    referrals, safeguarding_concerns, screenings, timeline_entries,
};

/// Bound parameters PostgreSQL takes in one statement.
const PG_MAX_PARAMETERS: usize = 65_535;

/// The columns a row binds, to size multi-row INSERTs under [`PG_MAX_PARAMETERS`].
pub trait Columns {
    const COLUMNS: usize;
}

macro_rules! columns {
    ($($row:ident = $n:expr;)*) => {$(impl Columns for $row<'_> { const COLUMNS: usize = $n; })*};
}

columns! {
    Person = 18; Episode = 30; Screening = 7; AppropriateAdult = 7; TimelineEntry = 7;
    Referral = 22; Safeguarding = 9; MhtrReferral = 12; MhtrCase = 29; MhtrCaseEvent = 7;
    MhtrHearing = 8; MhtrOrder = 11;
}

/// Every row of one batch of people, written table by table (parents first).
#[derive(Default)]
pub struct Batch<'a> {
    pub people: Vec<Person<'a>>,
    pub episodes: Vec<Episode<'a>>,
    pub screenings: Vec<Screening<'a>>,
    pub adults: Vec<AppropriateAdult<'a>>,
    pub timeline: Vec<TimelineEntry<'a>>,
    pub referrals: Vec<Referral<'a>>,
    pub safeguarding: Vec<Safeguarding<'a>>,
    pub mhtr_referrals: Vec<MhtrReferral<'a>>,
    pub mhtr_cases: Vec<MhtrCase<'a>>,
    pub mhtr_events: Vec<MhtrCaseEvent<'a>>,
    pub mhtr_hearings: Vec<MhtrHearing<'a>>,
    pub mhtr_orders: Vec<MhtrOrder<'a>>,
}

impl Batch<'_> {
    /// Writes every row, parents before children, and empties the batch.
    ///
    /// PostgreSQL: multi-row INSERTs, as many rows as the parameter limit allows, one round
    /// trip each. SQLite: one single-row INSERT per row through a statement prepared once and
    /// reused (diesel caches it). SQLite runs in-process, so there are no round trips to save,
    /// and parsing a thousand-row VALUES list anew for every chunk cost more than it saved:
    /// 100,000 people loaded in 29 s this way against 40 s with 1,000-row INSERTs.
    pub fn write(&mut self, conn: &mut DbConnection) -> QueryResult<usize> {
        fn put<T: Columns>(
            conn: &mut DbConnection,
            rows: &mut Vec<T>,
            one: impl Fn(&mut SqliteConnection, &T) -> QueryResult<usize>,
            many: impl Fn(&mut PgConnection, &[T]) -> QueryResult<usize>,
        ) -> QueryResult<usize> {
            let mut written = 0;
            match conn {
                DbConnection::Sqlite(c) => {
                    for row in rows.iter() {
                        written += one(c, row)?;
                    }
                }
                DbConnection::Pg(c) => {
                    for chunk in rows.chunks(PG_MAX_PARAMETERS / T::COLUMNS) {
                        written += many(c, chunk)?;
                    }
                }
            }
            rows.clear();
            Ok(written)
        }
        macro_rules! table {
            ($field:ident, $table:path) => {
                put(
                    conn,
                    &mut self.$field,
                    |c, row| diesel::insert_into($table).values(row).execute(c),
                    |c, rows| diesel::insert_into($table).values(rows).execute(c),
                )?
            };
        }
        Ok(table!(people, people::table)
            + table!(episodes, episodes::table)
            + table!(screenings, screenings::table)
            + table!(adults, appropriate_adults::table)
            + table!(timeline, timeline_entries::table)
            + table!(referrals, referrals::table)
            + table!(safeguarding, safeguarding_concerns::table)
            + table!(mhtr_referrals, mhtr_referrals::table)
            + table!(mhtr_cases, mhtr_cases::table)
            + table!(mhtr_events, mhtr_case_events::table)
            + table!(mhtr_hearings, mhtr_hearings::table)
            + table!(mhtr_orders, mhtr_orders::table))
    }
}
