//! Hand-built episodes at given local times, for the measures, dashboards and return: each
//! field the figures read set directly, so a test states its data and its expected answers.

use chrono::NaiveDate;
use diesel::prelude::*;
use liaison::clock::Millis;
use liaison::db::schema::{episodes, people, screenings, sites};
use liaison::domain::local_time::from_local;

use crate::harness::TestApp;

/// A local (Europe/London) time.
pub fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> Millis {
    from_local(
        NaiveDate::from_ymd_opt(y, mo, d)
            .unwrap()
            .and_hms_opt(h, mi, 0)
            .unwrap(),
    )
}

/// An instant in UTC.
pub fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> Millis {
    NaiveDate::from_ymd_opt(y, mo, d)
        .unwrap()
        .and_hms_opt(h, mi, 0)
        .unwrap()
        .and_utc()
        .timestamp_millis()
}

#[derive(Clone, Default)]
pub struct Ep {
    pub alert: Millis,
    pub screened: Option<Millis>,
    pub assessed: bool,
    pub not_seen: Option<&'static str>,
    pub closed: Option<Millis>,
    pub youth: bool,
    pub vulnerabilities: &'static [&'static str],
    pub source: &'static str,
}

impl Ep {
    pub fn at(alert: Millis) -> Ep {
        Ep {
            alert,
            source: "E1",
            ..Ep::default()
        }
    }

    pub fn screened(self, at: Millis, vulnerabilities: &'static [&'static str]) -> Ep {
        Ep {
            screened: Some(at),
            vulnerabilities,
            ..self
        }
    }

    pub fn not_seen(self, reason: &'static str, closed: Millis) -> Ep {
        Ep {
            not_seen: Some(reason),
            closed: Some(closed),
            ..self
        }
    }
}

impl TestApp {
    /// Inserts the episode for `person` at `site`; with its screening when screened.
    pub fn add_hand_built(&self, person: &str, site: &str, by: &str, ep: &Ep) -> String {
        let mut conn = self.conn();
        let team: String = sites::table.find(site).select(sites::team_id).first(&mut conn).unwrap();
        let id = uuid::Uuid::new_v4().to_string();
        let screened = ep.screened.map(|at| at + 10 * 60_000);
        let assessed = ep.assessed.then(|| screened.unwrap() + 60 * 60_000);
        let status = match (ep.closed, assessed, screened) {
            (Some(_), ..) => "closed",
            (None, Some(_), _) => "assessed",
            (None, None, Some(_)) => "screened",
            _ => "waiting",
        };
        diesel::insert_into(episodes::table)
            .values((
                episodes::id.eq(&id),
                episodes::person_id.eq(person),
                episodes::site_id.eq(site),
                episodes::team_id.eq(team),
                episodes::status.eq(status),
                episodes::youth.eq(ep.youth),
                episodes::alert_at.eq(ep.alert),
                episodes::referral_source.eq(ep.source),
                episodes::concern.eq("Hand-built for the figures"),
                episodes::screening_started_at.eq(ep.screened),
                episodes::screened_at.eq(screened),
                episodes::assessment_started_at.eq(assessed),
                episodes::assessed_at.eq(assessed),
                episodes::closed_at.eq(ep.closed),
                episodes::closure_outcome.eq(ep.not_seen),
                episodes::not_seen_reason.eq(ep.not_seen),
                episodes::created_by.eq(by),
                episodes::created_at.eq(ep.alert),
                episodes::updated_at.eq(ep.alert),
            ))
            .execute(&mut conn)
            .unwrap();
        if let Some(at) = ep.screened {
            diesel::insert_into(screenings::table)
                .values((
                    screenings::episode_id.eq(&id),
                    screenings::consent.eq("given"),
                    screenings::vulnerabilities.eq(ep.vulnerabilities.join(",")),
                    screenings::presenting_concerns.eq("Hand-built"),
                    screenings::outcome.eq("no-further-action"),
                    screenings::completed_by.eq(by),
                    screenings::completed_at.eq(at + 10 * 60_000),
                ))
                .execute(&mut conn)
                .unwrap();
        }
        id
    }
}

impl TestApp {
    /// The id of the one person with this name.
    pub fn person_named(&self, given: &str, family: &str) -> String {
        people::table
            .filter(people::given_name.eq(given))
            .filter(people::family_name.eq(family))
            .select(people::id)
            .first(&mut self.conn())
            .unwrap()
    }

    pub fn nhs_number_of(&self, person: &str) -> String {
        people::table
            .find(person)
            .select(people::nhs_number.assume_not_null())
            .first(&mut self.conn())
            .unwrap()
    }
}
