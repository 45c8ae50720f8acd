//! Writing to a referral's partner again after the first message (a reminder or a reply):
//! the same addresses, each with a fresh single-use answer link, from whoever follows it up.

use diesel::prelude::*;

use super::{MailContext, Referral};
use crate::clock::Millis;
use crate::config::Config;
use crate::db::DbConnection;
use crate::db::schema::{teams, users};
use crate::email::templates::{self, Purpose};
use crate::partners::ServiceEntry;

/// Who a follow-up is from and about, read once for all the service's addresses.
pub struct FollowUp {
    service: ServiceEntry,
    team: String,
    practitioner: String,
    phone: String,
    name: String,
    date_of_birth: String,
    nhs_number: Option<String>,
}

impl FollowUp {
    /// `None` when the referral has no partner service any more (an MHTR referral, or a
    /// service removed from the directory).
    pub fn load(conn: &mut DbConnection, r: &Referral, author: &str) -> QueryResult<Option<Self>> {
        let Some(service_id) = &r.service_id else {
            return Ok(None);
        };
        let Some(service) = crate::partners::find_service(conn, service_id)? else {
            return Ok(None);
        };
        let Some(ep) = crate::records::episode::find(conn, &r.episode_id)? else {
            return Ok(None);
        };
        let Some(person) = crate::records::person::find(conn, &ep.person_id)? else {
            return Ok(None);
        };
        let team: String = teams::table.find(&ep.team_id).select(teams::name).first(conn)?;
        let practitioner: String = users::table.find(author).select(users::display_name).first(conn)?;
        let phone = crate::shifts::current(conn, author)?
            .map(|(s, _)| s.contact_phone)
            .unwrap_or_else(|| "the number on your referral letter".into());
        Ok(Some(Self {
            service,
            team,
            practitioner,
            phone,
            name: person.full_name(),
            date_of_birth: person.dob_display(),
            nhs_number: person.nhs_display(),
        }))
    }

    /// Queues the message to each address; returns how many.
    pub fn queue(
        &self,
        conn: &mut DbConnection,
        now: Millis,
        config: &Config,
        r: &Referral,
        purpose: Purpose<'_>,
    ) -> QueryResult<usize> {
        let ctx = MailContext {
            team: &self.team,
            practitioner: &self.practitioner,
            contact_phone: &self.phone,
            person: templates::Person {
                name: &self.name,
                date_of_birth: &self.date_of_birth,
                nhs_number: self.nhs_number.as_deref(),
            },
        };
        super::queue_messages(conn, now, config, r, &self.service, &ctx, purpose)
    }
}
