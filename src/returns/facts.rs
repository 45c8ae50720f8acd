//! One row per episode alerted in a period, with everything the measures, the dashboards and
//! the return need, read from `episode_facts` (decision 0021): rows kept in alert order, so a
//! period is one contiguous range with no joins. `build` keeps the rows: triggers queue every
//! episode a write touches, and [`refresh`] recomputes the queued ones before a read.

mod build;

pub use build::{FactsTask, pending, rebuild, refresh};

use std::sync::Arc;

use diesel::connection::DefaultLoadingMode;
use diesel::pg::PgRowByRowLoadingMode;
use diesel::prelude::*;

use crate::clock::Millis;
use crate::db::DbConnection;
use crate::db::schema::{episode_facts, episodes, people, sites};
use crate::domain::code::Codes;
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
#[diesel(table_name = episodes)]
pub struct EpisodePart {
    pub id: String,
    pub person_id: String,
    pub site_id: String,
    pub team_id: String,
    pub youth: bool,
    pub alert_at: Millis,
    pub referral_source: String,
    pub voluntary_attendance: bool,
    pub cj_stage: Option<String>,
    pub not_seen_reason: Option<String>,
    pub screening_started_at: Option<Millis>,
    pub screened_at: Option<Millis>,
    pub assessed_at: Option<Millis>,
    pub closed_at: Option<Millis>,
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = sites)]
pub struct SitePart {
    pub name: String,
    pub kind: String,
    pub target_minutes: i32,
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = people)]
pub struct PersonPart {
    pub nhs_number: Option<String>,
    pub date_of_birth: String,
    pub sex: Option<String>,
    pub gender_identity: Option<String>,
    pub ethnic_category: Option<String>,
}

/// One episode and what followed it.
#[derive(Debug, Clone)]
pub struct EpisodeFacts {
    pub episode: EpisodePart,
    /// The person's number among the loaded episodes: [`Fact::person`].
    pub person_key: u32,
    /// Shared by every episode at the site.
    pub site: Arc<SitePart>,
    pub person: PersonPart,
    /// Codes recorded at screening, comma-separated as stored; empty when not screened.
    pub vulnerabilities: String,
    pub referrals: u32,
    pub referrals_attended: u32,
    pub referrals_not_attended: u32,
    pub first_referral_at: Option<Millis>,
    /// Criminal justice scopes information went to, comma-separated.
    pub shared_with: String,
}

impl EpisodeFacts {
    pub fn point_of_contact(&self) -> &'static str {
        point_of_contact(&self.site.kind, self.episode.voluntary_attendance)
    }

    /// Age on the day of the alert, when the date of birth is known.
    pub fn age_at_alert(&self) -> Option<u32> {
        let dob: chrono::NaiveDate = self.person.date_of_birth.parse().ok()?;
        Some(age_on(dob, local_date(self.episode.alert_at)))
    }

    /// The episode as the measures see it, borrowed from these facts.
    pub fn fact(&self) -> Fact<'_> {
        let e = &self.episode;
        Fact {
            person: self.person_key,
            source: &e.referral_source,
            alert_at: e.alert_at,
            screening_started_at: e.screening_started_at,
            target_minutes: i64::from(self.site.target_minutes),
            assessed: e.assessed_at.is_some(),
            not_seen: e
                .not_seen_reason
                .as_deref()
                .filter(|_| e.screening_started_at.is_none()),
            vulnerabilities: Codes(&self.vulnerabilities),
            referrals: self.referrals,
            referrals_attended: self.referrals_attended,
            referrals_not_attended: self.referrals_not_attended,
            shared_with: Codes(&self.shared_with),
            point_of_contact: self.point_of_contact(),
        }
    }

    /// LD11's dimensions: the equality table's ethnic group, gender identity ("X", not known,
    /// when none is recorded) and age band on the day of the alert.
    pub fn ethnic_group(&self) -> &'static str {
        ethnic_group(self.person.ethnic_category.as_deref())
    }

    pub fn gender_identity(&self) -> &str {
        self.person.gender_identity.as_deref().unwrap_or("X")
    }

    pub fn age_band(&self) -> &'static str {
        self.age_at_alert().map_or("Not known", age_band)
    }
}

/// Brings the facts up to date with every confirmed write before a page reads them: a read
/// when nothing waits, which is the usual case.
pub async fn up_to_date(ctx: &crate::web::context::Ctx) -> Result<(), crate::web::error::AppError> {
    if ctx.read(|conn| Ok(pending(conn)?)).await? {
        ctx.state.db(|conn| Ok(refresh(conn)?)).await?;
    }
    Ok(())
}

/// The episodes of the selection, oldest alert first, from their facts (refreshed first by
/// the caller: [`refresh`]).
pub fn load(conn: &mut DbConnection, sel: &Selection) -> QueryResult<Vec<EpisodeFacts>> {
    let mut found = Vec::new();
    each(conn, sel, |facts| found.push(facts))?;
    found.sort_unstable_by(|a, b| (a.episode.alert_at, &a.episode.id).cmp(&(b.episode.alert_at, &b.episode.id)));
    Ok(found)
}

/// Hands each episode of the selection to `visit` as its row is read, in no particular order
/// (PostgreSQL would sort a year's rows on disk to order them), so a year across the service
/// is measured without holding its rows.
pub fn each(conn: &mut DbConnection, sel: &Selection, mut visit: impl FnMut(EpisodeFacts)) -> QueryResult<()> {
    if sel.teams.is_empty() {
        return Ok(());
    }
    let sites: foldhash::HashMap<String, Arc<SitePart>> = sites::table
        .select((sites::id, SitePart::as_select()))
        .load::<(String, SitePart)>(conn)?
        .into_iter()
        .map(|(id, site)| (id, Arc::new(site)))
        .collect();
    let mut people = PersonKeys::default();
    let mut each_row = |row: QueryResult<build::FactRow>| -> QueryResult<()> {
        let row = row?;
        if let Some(site) = sites.get(&row.site_id).cloned() {
            let key = people.key(&row.person_id);
            visit(row.into_facts(site, key));
        }
        Ok(())
    };
    // PostgreSQL sends the rows one by one, so its backend finds the next while this thread
    // counts the last (by default the client waits for the whole result first). The query is
    // written once, and built for each engine's own connection.
    macro_rules! selected {
        () => {{
            let mut query = episode_facts::table
                .filter(episode_facts::alert_at.ge(sel.from))
                .filter(episode_facts::alert_at.lt(sel.to))
                .filter(episode_facts::team_id.eq_any(&sel.teams))
                .select(build::FactRow::as_select())
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
    match conn {
        DbConnection::Sqlite(c) => selected!()
            .load_iter::<build::FactRow, DefaultLoadingMode>(c)?
            .try_for_each(&mut each_row),
        DbConnection::Pg(c) => selected!()
            .load_iter::<build::FactRow, PgRowByRowLoadingMode>(c)?
            .try_for_each(&mut each_row),
    }
}

/// Numbers people 0, 1, 2, … in the order they first appear: [`Fact::person`]. Ids are UUIDs,
/// kept as their 128 bits (a third of the memory of the text over a year's people); anything
/// else is kept as text.
#[derive(Default)]
struct PersonKeys {
    uuids: foldhash::HashMap<u128, u32>,
    other: foldhash::HashMap<String, u32>,
}

impl PersonKeys {
    fn key(&mut self, person_id: &str) -> u32 {
        let next = u32::try_from(self.uuids.len() + self.other.len()).unwrap_or(u32::MAX);
        if let Ok(uuid) = uuid::Uuid::try_parse(person_id) {
            return *self.uuids.entry(uuid.as_u128()).or_insert(next);
        }
        if let Some(key) = self.other.get(person_id) {
            return *key;
        }
        self.other.insert(person_id.to_string(), next);
        next
    }
}

#[cfg(test)]
mod tests {
    use super::PersonKeys;

    #[test]
    fn people_are_numbered_in_order_of_first_appearance_whatever_their_id() {
        let mut keys = PersonKeys::default();
        let ids = [
            "00000774-14e5-40e1-a633-6f9eaa367270",
            "legacy-17",
            "00000774-14e5-40e1-a633-6f9eaa367270",
            "0000266a-2b8b-459c-a74c-edd5cfa56d06",
            "legacy-17",
            "legacy-18",
        ];
        let found: Vec<u32> = ids.iter().map(|id| keys.key(id)).collect();
        assert_eq!(found, [0, 1, 0, 2, 1, 3]);
    }
}
