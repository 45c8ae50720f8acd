//! What a team lead sees in the demo's first week besides today's list: alerts on people
//! (one past its review date), a person another team saw first, a duplicate record already
//! merged, and a partner's question waiting for the practitioner's answer.

use chrono::NaiveDate;
use diesel::prelude::*;

use super::records::{Contact, DAY, Demo};
use crate::auth::accounts;
use crate::clock::Millis;
use crate::db::DbConnection;
use crate::db::schema::{episodes, people, person_alerts, referrals};
use crate::domain::local_time;
use crate::domain::referral::{Kind, Status};
use crate::domain::site::SiteKind;
use crate::domain::{CalendarDate, TeamKind};
use crate::people::PersonValues;

/// The other L&D team: no demo account works in it.
pub const OTHER_TEAM: &str = "Harrow L&D (demo)";
const OTHER_SITE: &str = "Harrow Police Custody Suite (demo)";

fn person_named(conn: &mut DbConnection, family: &str) -> QueryResult<Option<(String, NaiveDate)>> {
    let found: Option<(String, String)> = people::table
        .filter(people::family_name.eq(family))
        .filter(people::merged_into.is_null())
        .select((people::id, people::date_of_birth))
        .first(conn)
        .optional()?;
    Ok(found.and_then(|(id, dob)| Some((id, CalendarDate::parse(&dob).ok()?.date()))))
}

/// Idempotent: does nothing once the other team's site exists.
pub fn seed(conn: &mut DbConnection, now: Millis, author: &str, senior: &str) -> QueryResult<()> {
    if crate::sites::list(conn, false)?.iter().any(|s| s.name == OTHER_SITE) {
        return Ok(());
    }
    alerts(conn, now, author)?;
    known_to_another_team(conn, now, author)?;
    merged_duplicate(conn, now, author, senior)?;
    question_from_a_partner(conn, now, author)
}

fn alerts(conn: &mut DbConnection, now: Millis, author: &str) -> QueryResult<()> {
    let today = local_time::local_date(now);
    let alerts = [
        (
            "Demo-Ibbotson",
            "risk-to-staff",
            "Punched a nurse at Northwick Park in March. See him with two staff, in the interview room by the door.",
            60,
        ),
        (
            "Demo-Evans",
            "mappa",
            "MAPPA category 2, level 1. Offender manager: Brent probation, duty desk.",
            -10,
        ),
        (
            "Demo-Hughes",
            "medical",
            "Type 1 diabetes: check with the custody nurse that she has had her insulin.",
            90,
        ),
    ];
    for (family, kind, note, review_in_days) in alerts {
        let Some((person, _)) = person_named(conn, family)? else {
            continue;
        };
        diesel::insert_into(person_alerts::table)
            .values((
                person_alerts::id.eq(crate::domain::new_id()),
                person_alerts::person_id.eq(&person),
                person_alerts::kind.eq(kind),
                person_alerts::note.eq(note),
                person_alerts::review_on.eq(CalendarDate::new(today + chrono::Duration::days(review_in_days)).iso()),
                person_alerts::raised_by.eq(author),
                person_alerts::raised_at.eq(now - 30 * DAY),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Eli was seen by the Harrow team two months ago: Brent sees that contact in summary.
fn known_to_another_team(conn: &mut DbConnection, now: Millis, author: &str) -> QueryResult<()> {
    let team = match accounts::team_by_name(conn, OTHER_TEAM)? {
        Some(t) => t.id,
        None => accounts::create_team(conn, now, OTHER_TEAM, TeamKind::LiaisonDiversion)?,
    };
    let mut d = Demo {
        conn,
        now,
        author: author.to_string(),
    };
    let site = d.site(&team, OTHER_SITE, SiteKind::CustodySuite, None, 60)?;
    let Some((eli, _)) = person_named(d.conn, "Demo-Evans")? else {
        return Ok(());
    };
    let contact: Contact = (
        "closed",
        60 * 24 * 62,
        false,
        false,
        false,
        false,
        "Cell 4",
        "Arrested in Harrow town centre; paranoid, thought the police were poisoning his food",
        "Criminal damage to a bus shelter",
    );
    let episode = d.episode(&eli, &site, &team, contact, true)?;
    diesel::update(episodes::table.find(&episode))
        .set(episodes::closed_at.eq(now - 61 * DAY))
        .execute(d.conn)
        .map(|_| ())
}

/// Jas was recorded twice at court a fortnight ago ("Jaz", no NHS number); the senior
/// practitioner merged the duplicate three days ago.
fn merged_duplicate(conn: &mut DbConnection, now: Millis, author: &str, senior: &str) -> QueryResult<()> {
    let Some((jas, dob)) = person_named(conn, "Demo-Jones")? else {
        return Ok(());
    };
    let values = PersonValues {
        nhs_number: None,
        pnc_id: None,
        cro_number: None,
        given_name: "Jaz".into(),
        family_name: "Demo-Jones".into(),
        date_of_birth: dob,
        sex: None,
        gender_identity: None,
        ethnic_category: None,
        preferred_language: Some("English".into()),
        interpreter_needed: false,
        gp_practice: None,
    };
    let duplicate = crate::people::create(conn, now - 14 * DAY, author, &values)?;
    let court = crate::sites::list(conn, false)?
        .into_iter()
        .find(|s| s.name == super::WILLESDEN);
    if let Some(court) = court {
        let team: String = crate::db::schema::sites::table
            .find(&court.id)
            .select(crate::db::schema::sites::team_id)
            .first(conn)?;
        let mut d = Demo {
            conn,
            now,
            author: author.to_string(),
        };
        let contact: Contact = (
            "closed",
            60 * 24 * 14,
            false,
            false,
            false,
            false,
            "Court 2",
            "Tearful in the cells before her first appearance; says she has not slept for days",
            "Failing to notify a change of circumstances (benefits)",
        );
        let episode = d.episode(&duplicate, &court.id, &team, contact, true)?;
        diesel::update(episodes::table.find(&episode))
            .set(episodes::closed_at.eq(now - 14 * DAY + 3_600_000))
            .execute(d.conn)?;
    }
    let kept = crate::records::person::find(conn, &jas)?;
    let dup = crate::records::person::find(conn, &duplicate)?;
    if let (Some(kept), Some(dup)) = (kept, dup) {
        crate::people::merge::store::merge(
            conn,
            now - 3 * DAY,
            (&kept, &dup),
            senior,
            "Same woman: recorded again at court as \"Jaz\" without her NHS number",
        )?;
    }
    Ok(())
}

/// Brent CMHT asked for more about Fern before accepting: the practitioner answers from the
/// episode page.
fn question_from_a_partner(conn: &mut DbConnection, now: Millis, author: &str) -> QueryResult<()> {
    let Some((fern, _)) = person_named(conn, "Demo-Fisher")? else {
        return Ok(());
    };
    let episode: Option<String> = episodes::table
        .filter(episodes::person_id.eq(&fern))
        .filter(episodes::closed_at.is_null())
        .select(episodes::id)
        .first(conn)
        .optional()?;
    let service = crate::partners::active_services(conn)?
        .into_iter()
        .find(|s| s.service_type == "cmht" && !s.addresses.is_empty());
    let (Some(episode), Some(service)) = (episode, service) else {
        return Ok(());
    };
    let (id, made, asked) = (crate::domain::new_id(), now - 150 * 60_000, now - 40 * 60_000);
    let question = "Is she open to a care coordinator already, and is there a current risk assessment you can share?";
    diesel::insert_into(referrals::table)
        .values((
            referrals::id.eq(&id),
            referrals::episode_id.eq(&episode),
            referrals::service_id.eq(Some(&service.id)),
            referrals::kind.eq(Kind::Partner.code()),
            referrals::reason.eq("Self-harm in custody overnight; wants help with her mood when released"),
            referrals::urgency.eq("urgent"),
            referrals::shared_information
                .eq("Cut her forearm in the cell overnight; no plan to end her life; lives alone; consents to contact by phone"),
            referrals::consent.eq("given"),
            referrals::status.eq(Status::MoreInformation.code()),
            referrals::submission_key.eq(crate::domain::new_id()),
            referrals::reference.eq("R-DEMO02"),
            referrals::answer_message.eq(Some(question)),
            referrals::created_by.eq(author),
            referrals::created_at.eq(made),
            referrals::sent_at.eq(Some(made + 60_000)),
            referrals::answered_at.eq(Some(asked)),
            referrals::chase_count.eq(0),
            referrals::updated_at.eq(asked),
        ))
        .execute(conn)?;
    let from = service.addresses[0].clone();
    crate::referrals::reply::add(
        conn,
        asked,
        &id,
        crate::referrals::reply::Sender::Partner,
        &from,
        question,
    )
}
