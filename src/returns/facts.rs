//! One row per episode alerted in a period, with everything the measures, the dashboards and
//! the return need: four queries whatever the period's size (episodes with their site, person
//! and screening; then their referrals and their shares), each through the `(alert_at)` or
//! `(site_id, alert_at)` index, so a month at one site reads that month's rows and no more.

use std::collections::HashMap;

use diesel::prelude::*;

use crate::clock::Millis;
use crate::db::DbConnection;
use crate::db::schema::{episodes, people, referrals, screenings, shares, sites};
use crate::domain::codes::{ethnic_group, point_of_contact};
use crate::domain::ids::{SiteId, TeamId};
use crate::domain::local_time::local_date;
use crate::domain::measures::Fact;
use crate::domain::mhtr::age_band;
use crate::domain::person::age_on;
use crate::domain::referral::Status;
use crate::domain::sharing::Scope;

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

/// The episodes of the selection, oldest alert first.
pub fn load(conn: &mut DbConnection, sel: &Selection) -> QueryResult<Vec<EpisodeFacts>> {
    if sel.teams.is_empty() {
        return Ok(Vec::new());
    }
    let mut query = episodes::table
        .inner_join(sites::table)
        .inner_join(people::table)
        .left_join(screenings::table)
        .filter(episodes::alert_at.ge(sel.from))
        .filter(episodes::alert_at.lt(sel.to))
        .filter(episodes::team_id.eq_any(&sel.teams))
        .into_boxed();
    if let Some(site) = &sel.site {
        query = query.filter(episodes::site_id.eq(site.as_str().to_string()));
    }
    if let Some(youth) = sel.youth {
        query = query.filter(episodes::youth.eq(youth));
    }
    let rows: Vec<(EpisodePart, SitePart, PersonPart, Option<String>)> = query
        .order((episodes::alert_at.asc(), episodes::id.asc()))
        .select((
            EpisodePart::as_select(),
            SitePart::as_select(),
            PersonPart::as_select(),
            screenings::vulnerabilities.nullable(),
        ))
        .load(conn)?;

    let ids: Vec<String> = rows.iter().map(|r| r.0.id.clone()).collect();
    let mut referred: HashMap<String, (u32, u32, u32, Option<Millis>)> = HashMap::new();
    let mut shared: HashMap<String, Vec<String>> = HashMap::new();
    // In chunks, so no statement passes the engines' limits on bound parameters.
    for chunk in ids.chunks(CHUNK) {
        let found: Vec<(String, String, Millis)> = referrals::table
            .filter(referrals::episode_id.eq_any(chunk))
            .select((referrals::episode_id, referrals::status, referrals::created_at))
            .load(conn)?;
        for (episode_id, status, created_at) in found {
            let entry = referred.entry(episode_id).or_default();
            entry.0 += 1;
            entry.1 += u32::from(status == Status::Attended.code());
            entry.2 += u32::from(status == Status::NotAttended.code());
            entry.3 = Some(entry.3.map_or(created_at, |at| at.min(created_at)));
        }
        let found: Vec<(String, String)> = shares::table
            .filter(shares::episode_id.eq_any(chunk))
            .select((shares::episode_id, shares::scope))
            .load(conn)?;
        for (episode_id, scope) in found {
            if scope.parse::<Scope>().is_ok_and(Scope::criminal_justice) {
                shared.entry(episode_id).or_default().push(scope);
            }
        }
    }

    Ok(rows
        .into_iter()
        .map(|(episode, site, person, vulnerabilities)| {
            let (referrals, attended, not_attended, first) = referred.remove(&episode.id).unwrap_or_default();
            EpisodeFacts {
                vulnerabilities: vulnerabilities
                    .map(|v| v.split(',').filter(|c| !c.is_empty()).map(String::from).collect())
                    .unwrap_or_default(),
                referrals,
                referrals_attended: attended,
                referrals_not_attended: not_attended,
                first_referral_at: first,
                shared_with: shared.remove(&episode.id).unwrap_or_default(),
                episode,
                site,
                person,
            }
        })
        .collect())
}

const CHUNK: usize = 5_000;
