//! The one filter form every dashboard shares: period, team, site and adult or youth, sent by
//! plain GET so a view can be bookmarked and needs no client state. A value that names nothing
//! the user may see is refused at its field.

use maud::{Markup, html};
use serde::Deserialize;

use super::Fields;
use crate::auth::accounts::{self, Team};
use crate::db::DbConnection;
use crate::domain::Role;
use crate::domain::ids::{SiteId, TeamId};
use crate::domain::period::{self, Period};
use crate::returns::facts::Selection;
use crate::sites::{self, Site};
use crate::views::components;
use crate::views::form::Errors;
use crate::web::error::AppError;

#[derive(Debug, Default, Clone, Deserialize)]
pub struct FilterQuery {
    #[serde(default)]
    pub period: String,
    #[serde(default)]
    pub team: String,
    #[serde(default)]
    pub site: String,
    #[serde(default)]
    pub age: String,
}

/// Who a view counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Age {
    All,
    Adults,
    Youth,
}

const AGES: [(&str, &str); 3] = [
    ("", "Adults and young people"),
    ("adult", "Adults (18 and over)"),
    ("youth", "Young people (under 18)"),
];

/// The teams and sites this user's dashboards may show: an analyst sees every team, a
/// clinician their own.
pub struct Scope {
    pub teams: Vec<Team>,
    pub sites: Vec<Site>,
}

impl Scope {
    pub fn load(conn: &mut DbConnection, role: Role, own_teams: Vec<Team>) -> Result<Scope, AppError> {
        let teams = if role == Role::Analyst {
            accounts::all_teams(conn)?
        } else {
            own_teams
        };
        let ids: Vec<TeamId> = teams.iter().map(|t| t.id.clone()).collect();
        let sites = sites::list(conn, false)?
            .into_iter()
            .filter(|s| ids.contains(&s.team_id))
            .collect();
        Ok(Scope { teams, sites })
    }
}

/// The filters as chosen and checked.
#[derive(Debug, Clone)]
pub struct Filters {
    pub period: Period,
    pub team: Option<TeamId>,
    pub site: Option<SiteId>,
    pub age: Age,
    /// The query as sent, to show back in the form.
    pub query: FilterQuery,
}

impl Filters {
    /// Reads the query, defaulting the period to `default`; errors name the field.
    pub fn read(query: &FilterQuery, scope: &Scope, default: Period) -> (Filters, Errors) {
        let mut errors = Errors::default();
        let period = if query.period.is_empty() {
            default
        } else {
            Period::parse(&query.period).unwrap_or_else(|| {
                errors.add("period", "Select a period from the list");
                default
            })
        };
        let team = (!query.team.is_empty()).then(|| TeamId::from(query.team.as_str()));
        if team.as_ref().is_some_and(|t| !scope.teams.iter().any(|s| &s.id == t)) {
            errors.add("team", "Select one of your teams, or all teams");
        }
        let site = (!query.site.is_empty()).then(|| SiteId::from(query.site.as_str()));
        if site.as_ref().is_some_and(|id| !scope.sites.iter().any(|s| &s.id == id)) {
            errors.add("site", "Select a site of your teams, or all sites");
        }
        let age = match query.age.as_str() {
            "" => Age::All,
            "adult" => Age::Adults,
            "youth" => Age::Youth,
            _ => {
                errors.add("age", "Select adults, young people, or both");
                Age::All
            }
        };
        let filters = Filters {
            period,
            team,
            site,
            age,
            query: query.clone(),
        };
        (filters, errors)
    }

    /// The episodes these filters select, in the scope's teams.
    pub fn selection(&self, scope: &Scope) -> Selection {
        let (from, to) = self.period.bounds();
        let teams = match &self.team {
            Some(t) => vec![t.clone()],
            None => scope.teams.iter().map(|t| t.id.clone()).collect(),
        };
        Selection {
            from,
            to,
            teams,
            site: self.site.clone(),
            youth: match self.age {
                Age::All => None,
                Age::Adults => Some(false),
                Age::Youth => Some(true),
            },
        }
    }

    /// What the figures cover, in words: "November 2026, all sites, adults and young people".
    pub fn described(&self, scope: &Scope, fields: Fields) -> String {
        let site = self
            .site
            .as_ref()
            .and_then(|id| scope.sites.iter().find(|s| &s.id == id))
            .map_or("all sites".to_string(), |s| s.name.clone());
        let team = self
            .team
            .as_ref()
            .and_then(|id| scope.teams.iter().find(|t| &t.id == id))
            .map(|t| format!(", {}", t.name))
            .unwrap_or_default();
        let age = AGES
            .iter()
            .find(|(code, _)| *code == self.query.age)
            .map_or(AGES[0].1, |(_, l)| l);
        let when = if fields.period {
            self.period.label()
        } else {
            "Now".to_string()
        };
        let age = if fields.age {
            format!(", {}", age.to_lowercase())
        } else {
            String::new()
        };
        let site = if fields.site {
            format!(", {site}")
        } else {
            String::new()
        };
        format!("{when}{site}{team}{age}")
    }
}

/// The filter form, sent by GET to `action`.
pub fn form(
    action: &str,
    filters: &Filters,
    scope: &Scope,
    now: crate::clock::Millis,
    fields: Fields,
    errors: &Errors,
) -> Markup {
    let periods: Vec<(String, String)> = period::choices(now)
        .into_iter()
        .map(|p| (p.code(), p.label()))
        .collect();
    let mut teams = vec![(String::new(), "All teams".to_string())];
    teams.extend(scope.teams.iter().map(|t| (t.id.to_string(), t.name.clone())));
    let mut sites = vec![(String::new(), "All sites".to_string())];
    sites.extend(scope.sites.iter().map(|s| (s.id.to_string(), s.name.clone())));
    let ages: Vec<(String, String)> = AGES.iter().map(|(c, l)| (c.to_string(), l.to_string())).collect();
    let period = filters.period.code();
    html! {
        form.app-filters method="get" action=(action) {
            @if fields.period { (components::select("period", "Period", &periods, &period, errors)) }
            (components::select("team", "Team", &teams, &filters.query.team, errors))
            @if fields.site { (components::select("site", "Site", &sites, &filters.query.site, errors)) }
            @if fields.age { (components::select("age", "Age group", &ages, &filters.query.age, errors)) }
            button.app-button.app-button--secondary type="submit" { "Show figures" }
        }
    }
}
