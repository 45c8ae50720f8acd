//! A realistic, obviously synthetic day at several L&D sites: mixed statuses, youths with
//! appropriate adults, overdue waits, people known from earlier contacts, safeguarding flags.
//! NHS numbers are from the 999 range, which is never issued to real patients.

use chrono::NaiveDate;
use diesel::prelude::*;

use crate::clock::Millis;
use crate::db::DbConnection;
use crate::db::schema::{appropriate_adults, episodes, screenings};
use crate::domain::site::SiteKind;
use crate::people::{self, PersonValues};
use crate::records::timeline::{self, Kind};
use crate::sites::{self, SiteValues};

const MINUTE: Millis = 60_000;
const DAY: Millis = 24 * 60 * MINUTE;

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

struct Demo<'a> {
    conn: &'a mut DbConnection,
    now: Millis,
    author: String,
}

/// (status, minutes since alert, youth, urgent, risk to self, safeguarding, location, concern)
type Contact = (&'static str, i64, bool, bool, bool, bool, &'static str, &'static str);

impl Demo<'_> {
    fn site(
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
        sites::create(self.conn, self.now, &values).map(String::from)
    }

    fn person(&mut self, n: u32, given: &str, family: &str, dob: (i32, u32, u32)) -> QueryResult<String> {
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

    fn episode(&mut self, person: &str, site: &str, team: &str, c: Contact, allocated: bool) -> QueryResult<String> {
        let (status, minutes, youth, urgent, risk, safeguarding, location, concern) = c;
        let alert = self.now - minutes * MINUTE;
        let reached = |s: &[&str]| s.contains(&status);
        let stamp = |cond: bool, at: Millis| cond.then_some(at);
        let screened = reached(&["screened", "awaiting-assessment", "in-assessment", "assessed", "closed"]);
        let id = crate::domain::new_id();
        diesel::insert_into(episodes::table)
            .values((
                episodes::id.eq(&id),
                episodes::person_id.eq(person),
                episodes::site_id.eq(site),
                episodes::team_id.eq(team),
                episodes::status.eq(status),
                episodes::youth.eq(youth),
                episodes::alert_at.eq(alert),
                episodes::reference.eq(Some(format!("DEMO/{}", &id[..6].to_uppercase()))),
                episodes::offence.eq(Some("Synthetic offence for demonstration")),
                episodes::referral_source.eq("E1"),
                episodes::concern.eq(concern),
                episodes::location.eq(Some(location)),
                episodes::allocated_to.eq(allocated.then_some(self.author.as_str())),
                episodes::urgent.eq(urgent),
                episodes::risk_to_self.eq(risk),
                episodes::safeguarding.eq(safeguarding),
                episodes::screening_started_at.eq(stamp(status != "waiting", alert + 20 * MINUTE)),
                episodes::screened_at.eq(stamp(screened, alert + 45 * MINUTE)),
                episodes::closed_at.eq(stamp(status == "closed", alert + 90 * MINUTE)),
                episodes::closure_outcome.eq((status == "closed").then_some("referred-on")),
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
            diesel::insert_into(screenings::table)
                .values((
                    screenings::episode_id.eq(&id),
                    screenings::consent.eq("given"),
                    screenings::vulnerabilities.eq("mental-health"),
                    screenings::presenting_concerns.eq(concern),
                    screenings::outcome.eq(if status == "screened" {
                        "signposted"
                    } else {
                        "full-assessment-needed"
                    }),
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

/// A synthetic person for another part of the demo; `n` picks her test NHS number.
pub(super) fn person(
    conn: &mut DbConnection,
    now: Millis,
    author: &str,
    (n, given, family, dob): (u32, &str, &str, (i32, u32, u32)),
) -> QueryResult<String> {
    let mut d = Demo {
        conn,
        now,
        author: author.to_string(),
    };
    d.person(n, given, family, dob)
}

/// An assessed court episode seen `minutes_ago`, for the MHTR demo's referral from L&D.
pub(super) fn assessed_at_court(
    conn: &mut DbConnection,
    (now, minutes_ago): (Millis, i64),
    (team_id, author): (&str, &str),
    (person, site): (&str, &str),
    concern: &'static str,
) -> QueryResult<String> {
    let mut d = Demo {
        conn,
        now,
        author: author.to_string(),
    };
    let contact = (
        "assessed",
        minutes_ago,
        false,
        false,
        false,
        false,
        "Court cells",
        concern,
    );
    d.episode(person, site, team_id, contact, true)
}

/// Adds the demo sites, people and episodes unless the demo custody suite already exists.
pub fn seed(conn: &mut DbConnection, now: Millis, team_id: &str, author: &str) -> QueryResult<()> {
    if sites::list(conn, false)?.iter().any(|s| s.name == WEMBLEY) {
        return Ok(());
    }
    let mut d = Demo {
        conn,
        now,
        author: author.to_string(),
    };
    let wembley = d.site(team_id, WEMBLEY, SiteKind::CustodySuite, None, 60)?;
    let willesden = d.site(
        team_id,
        WILLESDEN,
        SiteKind::MagistratesCourt,
        Some(("09:00", "17:00")),
        90,
    )?;
    d.site(
        team_id,
        "Brent Youth Court",
        SiteKind::YouthCourt,
        Some(("09:30", "16:30")),
        90,
    )?;
    d.site(
        team_id,
        "Wembley Voluntary Attendance Suite",
        SiteKind::VoluntaryAttendance,
        Some(("08:00", "20:00")),
        120,
    )?;

    let people = [
        (1, "Alex", "Demo-Ashford", (1988, 4, 12)),
        (2, "Bea", "Demo-Barnes", (1995, 9, 3)),
        (3, "Callum", "Demo-Carter", (2009, 1, 20)),
        (4, "Dana", "Demo-Dempsey", (1979, 11, 30)),
        (5, "Eli", "Demo-Evans", (2001, 6, 15)),
        (6, "Fern", "Demo-Fisher", (1966, 2, 8)),
        (7, "Gus", "Demo-Grant", (2008, 12, 1)),
        (8, "Hana", "Demo-Hughes", (1990, 7, 22)),
        (9, "Ivo", "Demo-Ibbotson", (1984, 3, 14)),
        (10, "Jas", "Demo-Jones", (1999, 10, 5)),
    ];
    let mut ids = Vec::new();
    for (n, given, family, dob) in people {
        ids.push(d.person(n, given, family, dob)?);
    }
    let wembley_day: [(usize, Contact, bool); 8] = [
        (
            0,
            (
                "waiting",
                95,
                false,
                false,
                false,
                false,
                "Cell 3",
                "Custody sergeant reports low mood and poor sleep",
            ),
            false,
        ),
        (
            1,
            (
                "waiting",
                25,
                false,
                true,
                true,
                false,
                "Cell 7",
                "Disclosed thoughts of ending her life at booking in",
            ),
            false,
        ),
        (
            2,
            (
                "waiting",
                15,
                true,
                false,
                false,
                true,
                "Juvenile detention room 1",
                "Age 17; parent says he stopped attending school",
            ),
            false,
        ),
        (
            3,
            (
                "in-screening",
                50,
                false,
                false,
                false,
                false,
                "Cell 2",
                "Appears confused; possible head injury ruled out by FME",
            ),
            true,
        ),
        (
            4,
            (
                "awaiting-assessment",
                120,
                false,
                false,
                false,
                false,
                "Cell 9",
                "Hearing voices; known to community mental health team",
            ),
            false,
        ),
        (
            5,
            (
                "in-assessment",
                180,
                false,
                false,
                true,
                false,
                "Interview room 2",
                "Self-harm in cell overnight",
            ),
            true,
        ),
        (
            6,
            (
                "screened",
                70,
                true,
                false,
                false,
                false,
                "Juvenile detention room 2",
                "Age 17; YOT worker requested screening",
            ),
            true,
        ),
        (
            7,
            (
                "closed",
                200,
                false,
                false,
                false,
                false,
                "Cell 5",
                "Released before seen",
            ),
            true,
        ),
    ];
    for (person, contact, allocated) in wembley_day {
        d.episode(&ids[person], &wembley, team_id, contact, allocated)?;
    }
    // Known to the service: an earlier contact weeks ago.
    let earlier = d.episode(
        &ids[0],
        &wembley,
        team_id,
        (
            "closed",
            60 * 24 * 21,
            false,
            false,
            false,
            false,
            "Cell 1",
            "Alcohol withdrawal",
        ),
        true,
    )?;
    diesel::update(episodes::table.find(&earlier))
        .set(episodes::closed_at.eq(now - 20 * DAY))
        .execute(d.conn)?;
    let willesden_day: [(usize, Contact, bool); 3] = [
        (
            8,
            (
                "waiting",
                40,
                false,
                false,
                false,
                false,
                "Court 1 cells",
                "Defence solicitor concerned about fitness to plead",
            ),
            false,
        ),
        (
            9,
            (
                "in-screening",
                30,
                false,
                false,
                false,
                true,
                "Court 3",
                "Probation flagged domestic abuse disclosure",
            ),
            true,
        ),
        (
            3,
            (
                "closed",
                60 * 24 * 60,
                false,
                false,
                false,
                false,
                "Court 2",
                "Earlier appearance; signposted",
            ),
            true,
        ),
    ];
    for (person, contact, allocated) in willesden_day {
        d.episode(&ids[person], &willesden, team_id, contact, allocated)?;
    }
    Ok(())
}

pub const WEMBLEY: &str = "Wembley Police Custody Suite";
pub const WILLESDEN: &str = "Willesden Magistrates' Court";

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
