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
    /// PostgreSQL: one binary `COPY … FROM STDIN` per table, which took 28 s for 100,000
    /// people where multi-row INSERTs of up to 65,535 parameters took 38 s. SQLite: one
    /// single-row INSERT per row through a statement prepared once and reused (diesel caches
    /// it). SQLite runs in-process, so there are no round trips to save, and parsing a
    /// thousand-row VALUES list anew for every chunk cost more than it saved: 29 s against
    /// 40 s for 100,000 people with 1,000-row INSERTs (docs/decisions/0010).
    pub fn write(&mut self, conn: &mut DbConnection) -> QueryResult<usize> {
        fn put<T>(
            conn: &mut DbConnection,
            rows: &mut Vec<T>,
            one: impl Fn(&mut SqliteConnection, &T) -> QueryResult<usize>,
            all: impl Fn(&mut PgConnection, &[T]) -> QueryResult<usize>,
        ) -> QueryResult<usize> {
            let written = match conn {
                _ if rows.is_empty() => 0,
                DbConnection::Sqlite(c) => rows.iter().map(|row| one(c, row)).sum::<QueryResult<usize>>()?,
                DbConnection::Pg(c) => all(c, rows)?,
            };
            rows.clear();
            Ok(written)
        }
        macro_rules! table {
            ($field:ident, $table:path) => {
                put(
                    conn,
                    &mut self.$field,
                    |c, row| diesel::insert_into($table).values(row).execute(c),
                    |c, rows| diesel::copy_from($table).from_insertable(rows).execute(c),
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
