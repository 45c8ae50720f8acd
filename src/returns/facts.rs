//! One row per episode alerted in a period, with everything the measures, the dashboards and
//! the return need, read from `episode_facts` (decision 0021): rows kept in alert order, so a
//! period is one contiguous range with no joins. `build` keeps the rows: triggers queue every
//! episode a write touches, and [`refresh`] recomputes the queued ones before a read.

mod build;

pub use build::{FactsTask, pending, rebuild, refresh};

use std::collections::HashMap;

use diesel::prelude::*;

use crate::clock::Millis;
use crate::db::DbConnection;
use crate::db::schema::{episode_facts, episodes, people, sites};
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
    pub site: SitePart,
    pub person: PersonPart,
    /// Codes recorded at screening; empty when not screened.
    pub vulnerabilities: Vec<String>,
    pub referrals: u32,
    pub referrals_attended: u32,
    pub referrals_not_attended: u32,
    pub first_referral_at: Option<Millis>,
    /// Criminal justice scopes information went to.
    pub shared_with: Vec<String>,
}

impl EpisodeFacts {
    pub fn point_of_contact(&self) -> &'static str {
        point_of_contact(&self.site.kind, self.episode.voluntary_attendance)
    }

    /// Age on the day of the alert, when the date of birth is known.
    pub fn age_at_alert(&self) -> Option<u32> {
        let dob = chrono::NaiveDate::parse_from_str(&self.person.date_of_birth, "%Y-%m-%d").ok()?;
        Some(age_on(dob, local_date(self.episode.alert_at)))
    }

    /// The episode as the measures see it.
    pub fn fact(&self) -> Fact {
        let e = &self.episode;
        Fact {
            person_id: e.person_id.clone(),
            source: e.referral_source.clone(),
            alert_at: e.alert_at,
            screening_started_at: e.screening_started_at,
            target_minutes: i64::from(self.site.target_minutes),
            assessed: e.assessed_at.is_some(),
            not_seen: e.not_seen_reason.clone().filter(|_| e.screening_started_at.is_none()),
            vulnerabilities: self.vulnerabilities.clone(),
            referrals: self.referrals,
            referrals_attended: self.referrals_attended,
            referrals_not_attended: self.referrals_not_attended,
            shared_with: self.shared_with.clone(),
            point_of_contact: self.point_of_contact().to_string(),
            ethnic_group: ethnic_group(self.person.ethnic_category.as_deref()).to_string(),
            gender_identity: self.person.gender_identity.clone().unwrap_or_else(|| "X".into()),
            age_band: self.age_at_alert().map_or("Not known", age_band).to_string(),
        }
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
    if sel.teams.is_empty() {
        return Ok(Vec::new());
    }
    let mut query = episode_facts::table
        .filter(episode_facts::alert_at.ge(sel.from))
        .filter(episode_facts::alert_at.lt(sel.to))
        .filter(episode_facts::team_id.eq_any(&sel.teams))
        .into_boxed();
    if let Some(site) = &sel.site {
        query = query.filter(episode_facts::site_id.eq(site.as_str().to_string()));
    }
    if let Some(youth) = sel.youth {
        query = query.filter(episode_facts::youth.eq(youth));
    }
    let rows: Vec<build::FactRow> = query
        .order(episode_facts::alert_at.asc())
        .select(build::FactRow::as_select())
        .load(conn)?;
    let sites: HashMap<String, SitePart> = sites::table
        .select((sites::id, SitePart::as_select()))
        .load::<(String, SitePart)>(conn)?
        .into_iter()
        .collect();
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            let site = sites.get(&row.site_id)?.clone();
            Some(row.into_facts(site))
        })
        .collect())
}
