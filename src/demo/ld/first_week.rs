//! What a team lead sees in the demo's first week besides today's list: alerts on people
//! (one past its review date), a person another team saw first, a duplicate record already
//! merged, a partner's question waiting for the practitioner's answer, and a share made on
//! the public interest waiting for the IG lead.

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
    question_from_a_partner(conn, now, author)?;
    shared_without_consent(conn, now, author)
}

/// Eli agreed to share with the police and the court but not the CPS; when he threatened his
/// neighbour, the practitioner told the CPS on the public interest after consulting the
/// consultant, and the share waits for the IG lead.
fn shared_without_consent(conn: &mut DbConnection, now: Millis, author: &str) -> QueryResult<()> {
    use crate::domain::sharing::{Answer, Basis, Capacity, Method, OtherBasis, Scope};
    let Some((eli, _)) = person_named(conn, "Demo-Evans")? else {
        return Ok(());
    };
    let episode: Option<String> = episodes::table
        .filter(episodes::person_id.eq(&eli))
        .filter(episodes::closed_at.is_null())
        .select(episodes::id)
        .first(conn)
        .optional()?;
    let Some(episode) = episode else { return Ok(()) };
    let scopes: Vec<(Scope, Answer, Option<String>)> = Scope::ALL
        .iter()
        .map(|s| {
            let answer = match s {
                Scope::Assessment | Scope::Police | Scope::Court | Scope::HealthSocialCare => Answer::Granted,
                Scope::Cps => Answer::Refused,
                _ => Answer::NotAsked,
            };
            (*s, answer, None)
        })
        .collect();
    let consent = crate::sharing::store::NewConsent {
        episode_id: &episode,
        person_id: &eli,
        method: Method::VerbalWitnessed,
        witness: Some("PC Demo-Shah, custody (synthetic)"),
        interpreter: false,
        easy_read: true,
        capacity: Capacity::NotInDoubt,
        capacity_note: None,
        guardian: None,
        withdrawal: false,
        note: Some("Happy for the police and court to know he has stopped his depot; not the CPS."),
        scopes: &scopes,
    };
    crate::sharing::store::insert(conn, now - 100 * 60_000, author, &consent)?;
    let actor = crate::audit::Actor {
        user_id: Some(author.to_string()),
        username: Some("demo.practitioner".into()),
        ..crate::audit::Actor::default()
    };
    let basis = OtherBasis {
        basis: Basis::PublicInterest,
        detail: "Told us he will \"sort out\" his neighbour when released; named her and where she lives".into(),
        consulted: Some("Dr Demo-Consultant, consultant psychiatrist (synthetic)".into()),
        caldicott_told: true,
    };
    let out = crate::sharing::Outbound {
        episode_id: &episode,
        person_id: &eli,
        scope: Scope::Cps,
        recipient: "CPS London North, duty lawyer (demo)",
        document: "Information to the CPS",
        document_version: None,
        content: "Risk to a named neighbour disclosed in custody; relapse after stopping depot medication.",
        other: Some(&basis),
    };
    crate::sharing::share(conn, now - 60 * 60_000, &actor, &out).map(|_| ())
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
        Some("mental-health,drug-misuse"),
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
            Some("mental-health,finance-debt"),
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
