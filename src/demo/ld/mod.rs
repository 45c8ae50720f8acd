//! A realistic, obviously synthetic day at several L&D sites: mixed statuses, youths with
//! appropriate adults, overdue waits, people known from earlier contacts, safeguarding flags.
//! NHS numbers are from the 999 range, which is never issued to real patients.

pub mod failed_email;
pub mod first_week;
mod historic;
pub mod last_quarter;
mod records;
pub mod reports;

use diesel::prelude::*;

use self::records::{Contact, DAY, Demo};
use crate::clock::Millis;
use crate::db::DbConnection;
use crate::db::schema::episodes;
use crate::domain::site::SiteKind;
use crate::sites;

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

/// An assessed court episode seen `minutes_ago`, after a guilty plea, for the MHTR demo's
/// referral from L&D.
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
        "Theft from a shop (repeat; on a conditional discharge)",
        Some("mental-health"),
    );
    let id = d.episode(person, site, team_id, contact, true)?;
    // She has pleaded guilty and sentencing is adjourned for reports.
    diesel::update(episodes::table.find(&id))
        .set(episodes::cj_stage.eq("post-plea-pre-sentence"))
        .execute(d.conn)?;
    Ok(id)
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
                "Sgt Okafor: not eaten since arrest, low mood, says he \"can't face another night in here\"",
                "Theft from a shop (food and cider, £23)",
                None,
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
                "Told the booking-in sergeant she plans to end her life when released; on constant observation",
                "Assault on an emergency worker (spat at PC on arrest)",
                None,
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
                "17. Mum says he has stopped going to college and is out all night; possible county lines",
                "Possession with intent to supply, class A (12 wraps)",
                None,
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
                "Confused about the date and where she is; FME has ruled out a head injury; query dementia",
                "Criminal damage to a neighbour's car",
                None,
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
                "Responding to voices in his cell; says he stopped his depot two months ago; known to Brent CMHT",
                "Public order (s.4): shouting threats at bus passengers",
                Some("mental-health,drug-misuse"),
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
                "Cut her forearm with a broken plastic spoon overnight; dressed by the FME, now on constant observation",
                "Breach of a restraining order (ex-partner)",
                Some("mental-health,suicide-self-harm,alcohol-misuse"),
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
                "17. YOT worker asked for screening: low mood since his brother died in the summer",
                "Robbery of a mobile phone (jointly charged)",
                Some("mental-health,bereavement"),
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
                "Released under investigation before we could see her; L&D leaflet given at the desk",
                "Drink driving",
                None,
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
            "Shaking and sweating, drinks two litres of cider a day; referred to the drug and alcohol service",
            "Drunk and disorderly",
            Some("alcohol-misuse,physical-health"),
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
                "Defence solicitor worried he does not understand the charge; has a learning disability",
                "Harassment of a former employer",
                None,
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
                "Told probation at the pre-sentence interview that her partner controls her money and phone",
                "Failing to notify a change of circumstances (benefits)",
                None,
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
                "Earlier appearance: low mood, signposted to her GP and NHS Talking Therapies",
                "Theft from a shop",
                Some("mental-health"),
            ),
            true,
        ),
    ];
    for (person, contact, allocated) in willesden_day {
        d.episode(&ids[person], &willesden, team_id, contact, allocated)?;
    }
    historic::seed(d.conn, now, team_id, &wembley, author)?;
    last_quarter::seed(d.conn, now, team_id, (&wembley, &willesden), author)
}

pub const WEMBLEY: &str = "Wembley Police Custody Suite";
pub const WILLESDEN: &str = "Willesden Magistrates' Court";
