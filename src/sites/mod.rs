//! Points of operation: custody suites and courts, each with its team, hours and target.

pub mod handlers;

use diesel::prelude::*;

use crate::clock::Millis;
use crate::db::schema::sites;
use crate::db::{DbConnection, one_of};
use crate::domain::ids::{SiteId, TeamId};
use crate::domain::site::SiteKind;
use crate::views::form::Errors;

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = sites)]
pub struct Site {
    pub id: SiteId,
    pub team_id: TeamId,
    pub name: String,
    #[diesel(deserialize_as = String)]
    pub kind: SiteKind,
    pub opens_at: Option<String>,
    pub closes_at: Option<String>,
    pub target_minutes: i32,
    pub active: bool,
    pub created_at: Millis,
    pub updated_at: Millis,
}

impl Site {
    pub fn kind_label(&self) -> &'static str {
        self.kind.label()
    }

    /// "24 hours" or "08:00 to 18:00".
    pub fn hours(&self) -> String {
        match (&self.opens_at, &self.closes_at) {
            (Some(o), Some(c)) => format!("{o} to {c}"),
            _ => "24 hours".into(),
        }
    }
}

pub fn find(conn: &mut DbConnection, id: &SiteId) -> QueryResult<Option<Site>> {
    sites::table.find(id).select(Site::as_select()).first(conn).optional()
}

/// Every site, or only active ones, sorted by name.
pub fn list(conn: &mut DbConnection, active_only: bool) -> QueryResult<Vec<Site>> {
    let mut q = sites::table.select(Site::as_select()).into_boxed();
    if active_only {
        q = q.filter(sites::active.eq(true));
    }
    q.order(sites::name.asc()).load(conn)
}

/// Active sites of the given teams: where a practitioner may sign on.
pub fn for_teams(conn: &mut DbConnection, team_ids: &[TeamId]) -> QueryResult<Vec<Site>> {
    sites::table
        .filter(one_of(sites::team_id, team_ids))
        .filter(sites::active.eq(true))
        .select(Site::as_select())
        .order(sites::name.asc())
        .load(conn)
}

/// The site form as submitted, kept as text so a rejected form shows what was typed.
#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct SiteForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub team_id: String,
    #[serde(default)]
    pub opens_at: String,
    #[serde(default)]
    pub closes_at: String,
    #[serde(default)]
    pub target_minutes: String,
    #[serde(default)]
    pub active: Option<String>,
}

/// A validated site form.
pub struct SiteValues {
    pub name: String,
    pub kind: SiteKind,
    pub team_id: TeamId,
    pub opens_at: Option<String>,
    pub closes_at: Option<String>,
    pub target_minutes: i32,
    pub active: bool,
}

fn valid_time(s: &str) -> bool {
    let Some((h, m)) = s.split_once(':') else { return false };
    h.len() == 2 && m.len() == 2 && h.parse::<u8>().is_ok_and(|h| h < 24) && m.parse::<u8>().is_ok_and(|m| m < 60)
}

impl SiteForm {
    pub fn of(site: &Site) -> SiteForm {
        SiteForm {
            name: site.name.clone(),
            kind: site.kind.code().to_string(),
            team_id: site.team_id.to_string(),
            opens_at: site.opens_at.clone().unwrap_or_default(),
            closes_at: site.closes_at.clone().unwrap_or_default(),
            target_minutes: site.target_minutes.to_string(),
            active: site.active.then(|| "yes".into()),
        }
    }

    pub fn validate(&self, team_ids: &[TeamId]) -> Result<SiteValues, Errors> {
        let mut errors = Errors::default();
        let name = self.name.trim();
        if name.is_empty() {
            errors.add("name", "Enter the site name");
        } else if name.chars().count() > 120 {
            errors.add("name", "Site name must be 120 characters or fewer");
        }
        let kind = SiteKind::ALL.iter().copied().find(|k| k.code() == self.kind);
        if kind.is_none() {
            errors.add("kind", "Select the kind of site");
        }
        if !team_ids.iter().any(|t| *t == self.team_id) {
            errors.add("team_id", "Select the team that covers this site");
        }
        let (opens, closes) = (self.opens_at.trim(), self.closes_at.trim());
        match (opens.is_empty(), closes.is_empty()) {
            (true, true) => {}
            (false, false) => {
                if !valid_time(opens) {
                    errors.add("opens_at", "Enter the opening time as hours and minutes, like 08:00");
                }
                if !valid_time(closes) {
                    errors.add("closes_at", "Enter the closing time as hours and minutes, like 18:00");
                }
            }
            (true, false) => errors.add(
                "opens_at",
                "Enter the opening time, or leave both times empty for 24 hours",
            ),
            (false, true) => errors.add(
                "closes_at",
                "Enter the closing time, or leave both times empty for 24 hours",
            ),
        }
        let target = self.target_minutes.trim().parse::<i32>();
        match target {
            Ok(t) if (1..=24 * 60).contains(&t) => {}
            Ok(_) => errors.add("target_minutes", "Response target must be between 1 and 1440 minutes"),
            Err(_) => errors.add(
                "target_minutes",
                "Enter the response target as a whole number of minutes, like 60",
            ),
        }
        let kind = match kind {
            Some(kind) if errors.is_empty() => kind,
            _ => return Err(errors),
        };
        let time = |s: &str| (!s.is_empty()).then(|| s.to_string());
        Ok(SiteValues {
            name: name.to_string(),
            kind,
            team_id: self.team_id.clone().into(),
            opens_at: time(opens),
            closes_at: time(closes),
            target_minutes: target.unwrap_or_default(),
            active: self.active.is_some(),
        })
    }
}

pub fn name_taken(conn: &mut DbConnection, name: &str, except_id: Option<&SiteId>) -> QueryResult<bool> {
    let mut q = sites::table.filter(sites::name.eq(name)).select(sites::id).into_boxed();
    if let Some(id) = except_id {
        q = q.filter(sites::id.ne(id.clone()));
    }
    Ok(q.first::<String>(conn).optional()?.is_some())
}

pub fn create(conn: &mut DbConnection, now: Millis, v: &SiteValues) -> QueryResult<SiteId> {
    let id = SiteId::generate();
    diesel::insert_into(sites::table)
        .values((
            sites::id.eq(&id),
            sites::team_id.eq(&v.team_id),
            sites::name.eq(&v.name),
            sites::kind.eq(v.kind.code()),
            sites::opens_at.eq(&v.opens_at),
            sites::closes_at.eq(&v.closes_at),
            sites::target_minutes.eq(v.target_minutes),
            sites::active.eq(v.active),
            sites::created_at.eq(now),
            sites::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(id)
}

pub fn update(conn: &mut DbConnection, now: Millis, id: &SiteId, v: &SiteValues) -> QueryResult<usize> {
    diesel::update(sites::table.find(id))
        .set((
            sites::team_id.eq(&v.team_id),
            sites::name.eq(&v.name),
            sites::kind.eq(v.kind.code()),
            sites::opens_at.eq(&v.opens_at),
            sites::closes_at.eq(&v.closes_at),
            sites::target_minutes.eq(v.target_minutes),
            sites::active.eq(v.active),
            sites::updated_at.eq(now),
        ))
        .execute(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> SiteForm {
        SiteForm {
            name: "Wembley Police Custody Suite".into(),
            kind: "custody-suite".into(),
            team_id: "t1".into(),
            opens_at: String::new(),
            closes_at: String::new(),
            target_minutes: "60".into(),
            active: Some("yes".into()),
        }
    }

    #[test]
    fn a_24_hour_site_is_valid() {
        let v = form().validate(&["t1".into()]).ok().unwrap();
        assert_eq!((v.opens_at, v.target_minutes, v.active), (None, 60, true));
        assert_eq!(v.kind, SiteKind::CustodySuite);
    }

    #[test]
    fn each_bad_field_is_named() {
        let bad = SiteForm {
            name: " ".into(),
            kind: "castle".into(),
            opens_at: "8am".into(),
            target_minutes: "soon".into(),
            ..form()
        };
        let errors = bad.validate(&["other".into()]).err().unwrap();
        for field in ["name", "kind", "team_id", "closes_at", "target_minutes"] {
            assert!(errors.get(field).is_some(), "{field}");
        }
        let half = SiteForm {
            opens_at: "08:00".into(),
            closes_at: "25:00".into(),
            ..form()
        };
        assert!(half.validate(&["t1".into()]).err().unwrap().get("closes_at").is_some());
    }
}
