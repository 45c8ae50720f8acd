//! The demo's building blocks: test NHS numbers, and a writer of sites, people and episodes.

use chrono::NaiveDate;
use diesel::prelude::*;

use crate::clock::Millis;
use crate::db::DbConnection;
use crate::db::schema::{appropriate_adults, episodes, screenings, sites};
use crate::domain::codes::{SCREENING_OUTCOMES, VULNERABILITIES, default_cj_stage, label_of};
use crate::domain::measures::NONE_IDENTIFIED;
use crate::domain::site::SiteKind;
use crate::people::{self, PersonValues};
use crate::records::timeline::{self, Kind};
use crate::sites::SiteValues;

pub(super) const MINUTE: Millis = 60_000;
pub(super) const DAY: Millis = 24 * 60 * MINUTE;

/// A valid NHS number in the never-issued 999 range.
fn test_nhs_number(serial: u32) -> Option<String> {
    let digits: Vec<u32> = format!("999{serial:06}")
        .chars()
        .filter_map(|c| c.to_digit(10))
        .collect();
    let sum: u32 = digits.iter().zip((2..=10).rev()).map(|(d, w)| d * w).sum();
    match 11 - sum % 11 {
        10 => None,
        11 => Some(format!("999{serial:06}0")),
        check => Some(format!("999{serial:06}{check}")),
    }
}

pub(super) struct Demo<'a> {
    pub(super) conn: &'a mut DbConnection,
    pub(super) now: Millis,
    pub(super) author: String,
}

/// (status, minutes since alert, youth, urgent, risk to self, safeguarding, location, concern,
/// offence, vulnerabilities), written as the practitioner would record them. The
/// vulnerabilities are the codes a screening found, comma-separated; `None` where nobody
/// screened the person, and then a closed contact closed before anyone saw them.
pub(super) type Contact = (
    &'static str,
    i64,
    bool,
    bool,
    bool,
    bool,
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
);

impl Demo<'_> {
    pub(super) fn site(
        &mut self,
        team_id: &str,
        name: &str,
        kind: SiteKind,
        hours: Option<(&str, &str)>,
        target: i32,
    ) -> QueryResult<String> {
        let values = SiteValues {
            name: name.into(),
            kind,
            team_id: team_id.into(),
            opens_at: hours.map(|h| h.0.into()),
            closes_at: hours.map(|h| h.1.into()),
            target_minutes: target,
            active: true,
        };
        crate::sites::create(self.conn, self.now, &values).map(String::from)
    }

    pub(super) fn person(&mut self, n: u32, given: &str, family: &str, dob: (i32, u32, u32)) -> QueryResult<String> {
        let values = PersonValues {
            nhs_number: test_nhs_number(n * 7 + 11),
            pnc_id: None,
            cro_number: None,
            given_name: given.into(),
            family_name: family.into(),
            date_of_birth: NaiveDate::from_ymd_opt(dob.0, dob.1, dob.2).unwrap_or_default(),
            sex: None,
            gender_identity: None,
            ethnic_category: Some("Z".into()),
            preferred_language: Some("English".into()),
            interpreter_needed: false,
            gp_practice: Some("Demo Health Centre (synthetic)".into()),
        };
        people::create(self.conn, self.now, &self.author, &values)
    }

    pub(super) fn episode(
        &mut self,
        person: &str,
        site: &str,
        team: &str,
        c: Contact,
        allocated: bool,
    ) -> QueryResult<String> {
        let (status, minutes, youth, urgent, risk, safeguarding, location, concern, offence, found) = c;
        let alert = self.now - minutes * MINUTE;
        let reached = |s: &[&str]| s.contains(&status);
        let stamp = |cond: bool, at: Millis| cond.then_some(at);
        let unseen = status == "closed" && found.is_none();
        let screened = reached(&["screened", "awaiting-assessment", "in-assessment", "assessed", "closed"]) && !unseen;
        let (closure, not_seen) = match unseen {
            true => ("released-before-seen", Some("released-before-seen")),
            false => ("referred-on", None),
        };
        let kind: String = sites::table.find(site).select(sites::kind).first(self.conn)?;
        let id = crate::domain::new_id();
        diesel::insert_into(episodes::table)
            .values((
                episodes::id.eq(&id),
                episodes::person_id.eq(person),
                episodes::site_id.eq(site),
                episodes::team_id.eq(team),
                episodes::cj_stage.eq(default_cj_stage(&kind)),
                episodes::status.eq(status),
                episodes::youth.eq(youth),
                episodes::alert_at.eq(alert),
                episodes::reference.eq(Some(format!("DEMO/{}", &id[..6].to_uppercase()))),
                episodes::offence.eq(Some(offence)),
                episodes::referral_source.eq("E1"),
                episodes::concern.eq(concern),
                episodes::location.eq(Some(location)),
                episodes::allocated_to.eq(allocated.then_some(self.author.as_str())),
                episodes::urgent.eq(urgent),
                episodes::risk_to_self.eq(risk),
                episodes::safeguarding.eq(safeguarding),
                episodes::screening_started_at.eq(stamp(status != "waiting" && !unseen, alert + 20 * MINUTE)),
                episodes::screened_at.eq(stamp(screened, alert + 45 * MINUTE)),
                // Closed today whatever the hour the demo is made, so the list's "closed today"
                // link has something to show just after midnight too.
                episodes::closed_at.eq(stamp(
                    status == "closed",
                    (alert + 90 * MINUTE)
                        .max(crate::domain::local_time::start_of_local_day(self.now))
                        .min(self.now),
                )),
                episodes::closure_outcome.eq((status == "closed").then_some(closure)),
                episodes::not_seen_reason.eq(not_seen),
                episodes::created_by.eq(&self.author),
                episodes::created_at.eq(alert),
                episodes::updated_at.eq(alert),
            ))
            .execute(self.conn)?;
        timeline::add(
            self.conn,
            alert,
            &id,
            &self.author,
            Kind::Status,
            &format!("Identified: {concern}"),
            None,
        )?;
        if screened {
            let found = found.unwrap_or(NONE_IDENTIFIED);
            let labels: Vec<&str> = found.split(',').filter_map(|v| label_of(VULNERABILITIES, v)).collect();
            let outcome = if status == "screened" {
                "signposted"
            } else {
                "full-assessment-needed"
            };
            timeline::add(
                self.conn,
                alert + 45 * MINUTE,
                &id,
                &self.author,
                Kind::Status,
                // As the screening form writes it.
                &format!(
                    "Status changed from in screening to {}: {}. Consent: Given. Vulnerabilities: {}",
                    if status == "screened" {
                        "screened"
                    } else {
                        "awaiting assessment"
                    },
                    label_of(SCREENING_OUTCOMES, outcome).unwrap_or(outcome),
                    labels.join(", ")
                ),
                None,
            )?;
            diesel::insert_into(screenings::table)
                .values((
                    screenings::episode_id.eq(&id),
                    screenings::consent.eq("given"),
                    screenings::vulnerabilities.eq(found),
                    screenings::presenting_concerns.eq(concern),
                    screenings::outcome.eq(outcome),
                    screenings::completed_by.eq(&self.author),
                    screenings::completed_at.eq(alert + 45 * MINUTE),
                ))
                .execute(self.conn)?;
        }
        if youth {
            diesel::insert_into(appropriate_adults::table)
                .values((
                    appropriate_adults::episode_id.eq(&id),
                    appropriate_adults::name.eq("Demo Parent"),
                    appropriate_adults::relationship.eq("parent"),
                    appropriate_adults::phone.eq("07700 900000"),
                    appropriate_adults::present.eq(true),
                    appropriate_adults::recorded_by.eq(&self.author),
                    appropriate_adults::recorded_at.eq(alert + 10 * MINUTE),
                ))
                .execute(self.conn)?;
        }
        Ok(id)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn demo_nhs_numbers_are_valid_and_in_the_test_range() {
        for serial in 0..200 {
            if let Some(n) = super::test_nhs_number(serial) {
                assert!(n.starts_with("999"));
                assert!(crate::domain::identifiers::NhsNumber::parse(&n).is_ok(), "{n}");
            }
        }
    }
}
