//! Records for tests, inserted straight into the database so each test starts where it needs.

use chrono::NaiveDate;
use diesel::prelude::*;
use liaison::db::schema::{episodes, mhtr_cases, sites};
use liaison::domain::mhtr::MhtrStatus;
use liaison::people::{self, PersonValues};

use crate::harness::TestApp;

impl TestApp {
    pub fn team_id(&self, name: &str) -> String {
        let mut conn = self.conn();
        match liaison::auth::accounts::team_by_name(&mut conn, name).unwrap() {
            Some(t) => t.id.into(),
            None => liaison::auth::accounts::create_team(&mut conn, 0, name, crate::harness::kind_for(name))
                .unwrap()
                .into(),
        }
    }

    /// A 24-hour custody suite with a 60-minute screening target.
    pub fn add_site(&self, team: &str, name: &str) -> String {
        self.add_site_of_kind(team, name, "custody-suite")
    }

    /// A magistrates' court, where the team sees people before their hearing.
    pub fn add_court(&self, team: &str, name: &str) -> String {
        self.add_site_of_kind(team, name, "magistrates-court")
    }

    fn add_site_of_kind(&self, team: &str, name: &str, kind: &str) -> String {
        let team_id = self.team_id(team);
        let id = uuid::Uuid::new_v4().to_string();
        diesel::insert_into(sites::table)
            .values((
                sites::id.eq(&id),
                sites::team_id.eq(team_id),
                sites::name.eq(name),
                sites::kind.eq(kind),
                sites::target_minutes.eq(60),
                sites::active.eq(true),
                sites::created_at.eq(0),
                sites::updated_at.eq(0),
            ))
            .execute(&mut self.conn())
            .unwrap();
        id
    }

    /// Records a police vetting clearance for the user, granted `granted_days_ago` and
    /// expiring `expires_in_days` from today (negative: already expired); returns its id.
    pub fn add_clearance(&self, user_id: &str, granted_days_ago: i64, expires_in_days: i64) -> String {
        let today = liaison::domain::local_time::local_date(self.state.now());
        let date = |days: i64| liaison::domain::CalendarDate::new(today + chrono::Duration::days(days));
        let new = liaison::vetting::store::NewClearance {
            user_id,
            level: liaison::domain::vetting::VettingLevel::Nppv3,
            reference: "TEST-VETTING",
            granted_on: date(-granted_days_ago),
            expires_on: date(expires_in_days),
        };
        liaison::vetting::store::record(&mut self.conn(), self.state.now(), user_id, &new)
            .unwrap()
            .0
    }

    /// A current clearance, which signing on at a custody suite needs (decision 0019).
    pub fn vet(&self, user_id: &str) {
        self.add_clearance(user_id, 365, 3 * 365);
    }

    pub fn add_person(&self, given: &str, family: &str, dob: &str, created_by: &str) -> String {
        let values = PersonValues {
            nhs_number: None,
            pnc_id: None,
            cro_number: None,
            given_name: given.into(),
            family_name: family.into(),
            date_of_birth: NaiveDate::parse_from_str(dob, "%Y-%m-%d").unwrap(),
            sex: None,
            gender_identity: None,
            ethnic_category: None,
            preferred_language: None,
            interpreter_needed: false,
            gp_practice: None,
        };
        people::create(&mut self.conn(), self.state.now(), created_by, &values).unwrap()
    }

    /// An episode waiting at `site_id`, alerted `minutes_ago`; `youth` as given.
    pub fn add_episode(
        &self,
        person_id: &str,
        site_id: &str,
        created_by: &str,
        minutes_ago: i64,
        youth: bool,
    ) -> String {
        let mut conn = self.conn();
        let (team_id, kind): (String, String) = sites::table
            .find(site_id)
            .select((sites::team_id, sites::kind))
            .first(&mut conn)
            .unwrap();
        let id = uuid::Uuid::new_v4().to_string();
        let now = self.state.now();
        diesel::insert_into(episodes::table)
            .values((
                episodes::id.eq(&id),
                episodes::person_id.eq(person_id),
                episodes::site_id.eq(site_id),
                episodes::team_id.eq(team_id),
                episodes::cj_stage.eq(liaison::domain::codes::default_cj_stage(&kind)),
                episodes::status.eq("waiting"),
                episodes::youth.eq(youth),
                episodes::alert_at.eq(now - minutes_ago * 60_000),
                episodes::referral_source.eq("E1"),
                episodes::concern.eq("Low mood and thoughts of self-harm"),
                episodes::created_by.eq(created_by),
                episodes::created_at.eq(now),
                episodes::updated_at.eq(now),
            ))
            .execute(&mut conn)
            .unwrap();
        id
    }

    pub fn episode(&self, id: &str) -> liaison::records::Episode {
        liaison::records::episode::find(&mut self.conn(), id).unwrap().unwrap()
    }
}

impl TestApp {
    /// A partner service with the given addresses, straight into the directory.
    pub fn add_service(&self, organisation: &str, name: &str, service_type: &str, addresses: &[&str]) -> String {
        use liaison::db::schema::{partner_addresses, partner_organisations, partner_services};
        let mut conn = self.conn();
        let org = uuid::Uuid::new_v4().to_string();
        diesel::insert_into(partner_organisations::table)
            .values((
                partner_organisations::id.eq(&org),
                partner_organisations::name.eq(organisation),
                partner_organisations::created_at.eq(0),
                partner_organisations::updated_at.eq(0),
            ))
            .execute(&mut conn)
            .unwrap();
        let id = uuid::Uuid::new_v4().to_string();
        diesel::insert_into(partner_services::table)
            .values((
                partner_services::id.eq(&id),
                partner_services::organisation_id.eq(&org),
                partner_services::name.eq(name),
                partner_services::service_type.eq(service_type),
                partner_services::active.eq(true),
                partner_services::created_at.eq(0),
                partner_services::updated_at.eq(0),
            ))
            .execute(&mut conn)
            .unwrap();
        for a in addresses {
            diesel::insert_into(partner_addresses::table)
                .values((
                    partner_addresses::id.eq(uuid::Uuid::new_v4().to_string()),
                    partner_addresses::service_id.eq(&id),
                    partner_addresses::email.eq(*a),
                ))
                .execute(&mut conn)
                .unwrap();
        }
        id
    }

    /// One pass of the outbox worker, as the background thread would run it.
    pub fn outbox_pass(&self) -> usize {
        self.worker().run_once()
    }

    pub fn worker(&self) -> liaison::email::worker::Worker {
        liaison::email::worker::Worker {
            pool: self.state.pool.clone(),
            clock: self.state.clock.clone(),
            mailer: liaison::email::mailer::Mailer::from_config(&self.state.config).unwrap(),
            hooks: liaison::app::outbox_hooks(&self.state.config),
        }
    }
}

impl TestApp {
    /// An MHTR case of `team` for `person_id`, put straight at `status` (with a sentencing
    /// hearing and report due in 10 days, from court-based probation), so a test can start at
    /// the step it is about. Returns the case id.
    pub fn add_mhtr_case(&self, team: &str, person_id: &str, status: MhtrStatus, created_by: &str) -> String {
        let id = uuid::Uuid::new_v4().to_string();
        let now = self.state.now();
        let due = liaison::domain::local_time::local_date(now) + chrono::Duration::days(10);
        let due = due.format("%Y-%m-%d").to_string();
        diesel::insert_into(mhtr_cases::table)
            .values((
                mhtr_cases::id.eq(&id),
                mhtr_cases::person_id.eq(person_id),
                mhtr_cases::team_id.eq(self.team_id(team)),
                mhtr_cases::status.eq(status.code()),
                mhtr_cases::referral_source.eq("court-probation"),
                mhtr_cases::court.eq("Highbury Corner Magistrates' Court"),
                mhtr_cases::next_hearing.eq(&due),
                mhtr_cases::deadline_kind.eq("fifteen-working-days"),
                mhtr_cases::report_due.eq(&due),
                mhtr_cases::accepted_at.eq(now),
                mhtr_cases::created_by.eq(created_by),
                mhtr_cases::created_at.eq(now),
                mhtr_cases::updated_at.eq(now),
            ))
            .execute(&mut self.conn())
            .unwrap();
        id
    }

    /// The case as stored now.
    pub fn mhtr_case(&self, id: &str) -> liaison::mhtr::case::MhtrCase {
        liaison::mhtr::case::find(&mut self.conn(), id)
            .unwrap()
            .expect("case exists")
    }
}
