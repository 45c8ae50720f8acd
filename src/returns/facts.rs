//! One row per episode alerted in a period, with everything the measures, the dashboards and
//! the return need, read from `episode_facts` (decision 0021): rows kept in alert order, so a
//! period is one contiguous range with no joins. `build` keeps the rows: triggers queue every
//! episode a write touches, and [`refresh`] recomputes the queued ones before a read.

mod build;
mod keys;
mod months;

pub use build::{FactsTask, pending, rebuild, refresh};
use keys::{Born, Key, Keys};
pub use months::{AGE, Counted, Dimensions, ETHNIC, GENDER, MonthTally, fill, measure, untallied};

use std::sync::Arc;
use std::sync::mpsc::SyncSender;

use diesel::connection::DefaultLoadingMode;
use diesel::pg::PgRowByRowLoadingMode;
use diesel::prelude::*;

use crate::clock::Millis;
use crate::db::DbConnection;
use crate::db::schema::{episode_facts, sites};
use crate::domain::CalendarDate;
use crate::domain::code::{Code, CodeSet};
use crate::domain::codes::{ethnic_group, point_of_contact};
use crate::domain::ids::{SiteId, TeamId};
use crate::domain::local_time::local_date;
use crate::domain::measures::Fact;
use crate::domain::mhtr::age_band;
use crate::domain::person::age_on;

/// Which episodes: alerted in `[from, to)`, in these teams, optionally one site and one age
/// group.
#[derive(Debug, Clone)]
pub struct Selection {
    pub from: Millis,
    pub to: Millis,
    pub teams: Vec<TeamId>,
    pub site: Option<SiteId>,
    /// `Some(true)`: youth only; `Some(false)`: adults only.
    pub youth: Option<bool>,
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = sites)]
pub struct SitePart {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub target_minutes: i32,
}

/// The columns the measures read: a dashboard reads no identifier (16 columns of 25, which
/// took a fifth off a year's view). Read without copying text: ids as numbers, codes as
/// places in their lists, the date of birth as a date.
#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = episode_facts)]
struct MeasuredRow {
    person_number: i64,
    site_id: Key,
    alert_at: Millis,
    referral_source: Code,
    voluntary_attendance: bool,
    not_seen_reason: Option<Code>,
    screening_started_at: Option<Millis>,
    assessed_at: Option<Millis>,
    date_of_birth: Born,
    gender_identity: Option<Code>,
    ethnic_category: Option<Code>,
    vulnerabilities: Option<CodeSet>,
    referrals: i32,
    referrals_attended: i32,
    referrals_not_attended: i32,
    shared_with: CodeSet,
}

/// One episode and what followed it, as the measures see it.
#[derive(Debug, Clone)]
pub struct EpisodeFacts {
    /// The person's lasting number: [`Fact::person`].
    pub person_key: u32,
    /// Shared by every episode at the site.
    pub site: Arc<SitePart>,
    pub alert_at: Millis,
    pub referral_source: Code,
    pub voluntary_attendance: bool,
    pub not_seen_reason: Option<Code>,
    pub screening_started_at: Option<Millis>,
    pub assessed_at: Option<Millis>,
    /// `None` when unknown or not a date.
    pub date_of_birth: Option<CalendarDate>,
    pub gender_identity: Option<Code>,
    pub ethnic_category: Option<Code>,
    /// Codes recorded at screening; none when not screened.
    pub vulnerabilities: CodeSet,
    pub referrals: u32,
    pub referrals_attended: u32,
    pub referrals_not_attended: u32,
    /// Criminal justice scopes information went to.
    pub shared_with: CodeSet,
}

/// What the return's checks read besides: the episode's identifiers and the fields of the
/// record that no measure counts.
#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = episode_facts)]
pub struct Identifiers {
    #[diesel(column_name = episode_id)]
    pub id: String,
    pub person_id: String,
    pub team_id: String,
    pub youth: bool,
    pub cj_stage: Option<String>,
    pub screened_at: Option<Millis>,
    pub closed_at: Option<Millis>,
    pub nhs_number: Option<String>,
    pub sex: Option<String>,
    pub first_referral_at: Option<Millis>,
}

/// An episode as the return reads it: its facts and its identifiers.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub facts: EpisodeFacts,
    pub record: Identifiers,
}

fn count(n: i32) -> u32 {
    u32::try_from(n).unwrap_or(0)
}

impl MeasuredRow {
    fn into_facts(self, site: Arc<SitePart>) -> EpisodeFacts {
        EpisodeFacts {
            person_key: u32::try_from(self.person_number).unwrap_or(u32::MAX),
            site,
            alert_at: self.alert_at,
            referral_source: self.referral_source,
            voluntary_attendance: self.voluntary_attendance,
            not_seen_reason: self.not_seen_reason,
            screening_started_at: self.screening_started_at,
            assessed_at: self.assessed_at,
            date_of_birth: self.date_of_birth.0,
            gender_identity: self.gender_identity,
            ethnic_category: self.ethnic_category,
            vulnerabilities: self.vulnerabilities.unwrap_or_default(),
            referrals: count(self.referrals),
            referrals_attended: count(self.referrals_attended),
            referrals_not_attended: count(self.referrals_not_attended),
            shared_with: self.shared_with,
        }
    }
}

impl EpisodeFacts {
    pub fn point_of_contact(&self) -> &'static str {
        point_of_contact(&self.site.kind, self.voluntary_attendance)
    }

    /// Age on the day of the alert, when the date of birth is known.
    pub fn age_at_alert(&self) -> Option<u32> {
        let dob = self.date_of_birth?;
        Some(age_on(dob.date(), local_date(self.alert_at)))
    }

    /// The episode as the measures see it, borrowed from these facts.
    pub fn fact(&self) -> Fact<'_> {
        Fact {
            person: self.person_key,
            source: self.referral_source.as_str(),
            alert_at: self.alert_at,
            screening_started_at: self.screening_started_at,
            target_minutes: i64::from(self.site.target_minutes),
            assessed: self.assessed_at.is_some(),
            not_seen: self
                .not_seen_reason
                .as_ref()
                .map(Code::as_str)
                .filter(|_| self.screening_started_at.is_none()),
            vulnerabilities: self.vulnerabilities.codes(),
            referrals: self.referrals,
            referrals_attended: self.referrals_attended,
            referrals_not_attended: self.referrals_not_attended,
            shared_with: self.shared_with.codes(),
            point_of_contact: self.point_of_contact(),
        }
    }

    /// LD11's dimensions: the equality table's ethnic group, gender identity ("X", not known,
    /// when none is recorded) and age band on the day of the alert.
    pub fn ethnic_group(&self) -> &'static str {
        ethnic_group(self.ethnic_category.as_ref().map(Code::as_str))
    }

    pub fn gender_identity(&self) -> &str {
        self.gender_identity.as_ref().map_or("X", Code::as_str)
    }

    pub fn age_band(&self) -> &'static str {
        self.age_at_alert().map_or("Not known", age_band)
    }
}

/// Brings the facts up to date with every confirmed write before a page reads them, and
/// tallies any month just over: two reads when nothing waits, which is the usual case.
pub async fn up_to_date(ctx: &crate::web::context::Ctx) -> Result<(), crate::web::error::AppError> {
    let now = ctx.now();
    let (changed, untallied) = ctx
        .read(move |conn| Ok((pending(conn)?, untallied(conn, now)?)))
        .await?;
    if changed {
        ctx.state.db(|conn| Ok(refresh(conn)?)).await?;
    }
    if changed || untallied {
        ctx.state.db(move |conn| Ok(fill(conn, now)?)).await?;
    }
    Ok(())
}

/// The facts of the episodes in `sel` (period, teams, site, age group) with `$select` for their
/// columns, as a boxed query for the connection it is loaded on: one query for either engine
/// and either row.
macro_rules! selected {
    ($sel:expr, $select:expr) => {{
        let sel: &Selection = $sel;
        let mut query = episode_facts::table
            .filter(episode_facts::alert_at.ge(sel.from))
            .filter(episode_facts::alert_at.lt(sel.to))
            .filter(episode_facts::team_id.eq_any(&sel.teams))
            .select($select)
            .into_boxed();
        if let Some(site) = &sel.site {
            query = query.filter(episode_facts::site_id.eq(site.as_str()));
        }
        if let Some(youth) = sel.youth {
            query = query.filter(episode_facts::youth.eq(youth));
        }
        query
    }};
}

/// Streams the rows of `$select` (of type `$row`) in the selection to `$each`, on either
/// engine. PostgreSQL sends them one by one, so its backend finds the next row while this
/// thread counts the last (by default the client waits for the whole result first).
macro_rules! stream {
    ($conn:expr, $sel:expr, $select:expr, $row:ty, $each:expr) => {
        match $conn {
            DbConnection::Sqlite(c) => selected!($sel, $select)
                .load_iter::<$row, DefaultLoadingMode>(c)?
                .try_for_each($each),
            DbConnection::Pg(c) => selected!($sel, $select)
                .load_iter::<$row, PgRowByRowLoadingMode>(c)?
                .try_for_each($each),
        }
    };
}

/// The episodes of the selection with their identifiers, oldest alert first, for the return
/// (facts refreshed first by the caller: [`refresh`]).
pub fn load(conn: &mut DbConnection, sel: &Selection) -> QueryResult<Vec<Recorded>> {
    if sel.teams.is_empty() {
        return Ok(Vec::new());
    }
    let keys = Keys::read(conn)?;
    let mut found = Vec::new();
    stream!(
        conn,
        sel,
        (MeasuredRow::as_select(), Identifiers::as_select()),
        (MeasuredRow, Identifiers),
        |row: QueryResult<(MeasuredRow, Identifiers)>| -> QueryResult<()> {
            let (row, record) = row?;
            if let Some(facts) = keys.facts(row) {
                found.push(Recorded { facts, record });
            }
            Ok(())
        }
    )?;
    found.sort_unstable_by(|a, b| (a.facts.alert_at, &a.record.id).cmp(&(b.facts.alert_at, &b.record.id)));
    Ok(found)
}

/// Hands each episode of the selection to `visit`, in no particular order (PostgreSQL would
/// sort a year's rows on disk to order them), so a year across the service is measured without
/// holding its rows. Reading the rows (the database, decoding, numbering people) takes about as
/// long as counting them, so a helper thread reads while this one counts, a batch at a time:
/// a long period uses both cores.
pub fn each(conn: &mut DbConnection, sel: &Selection, mut visit: impl FnMut(EpisodeFacts)) -> QueryResult<()> {
    if sel.teams.is_empty() {
        return Ok(());
    }
    std::thread::scope(|scope| {
        let (send, batches) = std::sync::mpsc::sync_channel(QUEUED_BATCHES);
        let reader = scope.spawn(move || read_batches(conn, sel, &send));
        for batch in batches {
            batch.into_iter().for_each(&mut visit);
        }
        reader.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// Facts in a batch handed from the reading thread to the counting one, and batches read
/// ahead: a few megabytes at most.
const BATCH: usize = 1_024;
const QUEUED_BATCHES: usize = 8;

fn read_batches(conn: &mut DbConnection, sel: &Selection, send: &SyncSender<Vec<EpisodeFacts>>) -> QueryResult<()> {
    let keys = Keys::read(conn)?;
    let mut batch = Vec::with_capacity(BATCH);
    stream!(
        conn,
        sel,
        MeasuredRow::as_select(),
        MeasuredRow,
        |row: QueryResult<MeasuredRow>| -> QueryResult<()> {
            if let Some(facts) = keys.facts(row?) {
                batch.push(facts);
            }
            if batch.len() < BATCH {
                return Ok(());
            }
            let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
            // Refused only when the counting side has gone (it panicked): stop reading.
            send.send(full).map_err(|_| diesel::result::Error::RollbackTransaction)
        }
    )?;
    // As above: nobody left to count the last batch.
    let _ = send.send(batch);
    Ok(())
}
