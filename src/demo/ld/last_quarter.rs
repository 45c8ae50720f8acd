//! Last quarter at the demo custody suite and court, closed: enough alerts for the dashboards
//! and the commissioner return to show real figures, with a mix of ethnic groups, genders and
//! ages, waits either side of the target, people not seen, and vulnerabilities in the
//! proportions RAND's evaluation found. One record, imported before NHS numbers were checked,
//! has a number whose check digit is wrong: the return's validation blocks on it until a
//! practitioner corrects it.

use diesel::prelude::*;

use super::records::{DAY, Demo, MINUTE};
use crate::clock::Millis;
use crate::db::DbConnection;
use crate::db::schema::{episodes, people, screenings};
use crate::domain::codes::default_cj_stage;
use crate::domain::period::Period;

/// The person whose NHS number fails its check digit, and the digit it should have.
pub const LEGACY_PERSON: (&str, &str) = ("Mo", "Demo-Morgan");

/// Ethnic category, gender identity, sex and date of birth.
type Recorded = (&'static str, &'static str, &'static str, (i32, u32, u32));

/// Each person's, cycled through the quarter's episodes.
const PEOPLE: [Recorded; 12] = [
    ("A", "1", "M", (1985, 3, 2)),
    ("A", "2", "F", (1992, 7, 19)),
    ("M", "1", "M", (1979, 1, 30)),
    ("N", "1", "M", (2000, 10, 4)),
    ("H", "2", "F", (1996, 5, 12)),
    ("C", "1", "M", (1968, 12, 9)),
    ("D", "3", "X", (2002, 2, 14)),
    ("J", "1", "M", (1988, 8, 21)),
    ("B", "2", "F", (1975, 4, 3)),
    ("Z", "1", "M", (1990, 11, 27)),
    ("R", "1", "M", (1983, 6, 6)),
    ("S", "2", "F", (1998, 9, 15)),
];

/// The people this adds: one for each row above, and the legacy record.
pub const PEOPLE_SEEDED: usize = PEOPLE.len() + 1;

/// Vulnerability mixes found at screening, cycled: most people have at least one.
const FOUND: [&str; 8] = [
    "mental-health,drug-misuse",
    "mental-health",
    "alcohol-misuse,accommodation",
    "mental-health,suicide-self-harm",
    "none-identified",
    "drug-misuse,finance-debt",
    "mental-health,learning-disability",
    "autism,mental-health",
];

const GIVEN: [&str; 12] = [
    "Ade", "Bo", "Cam", "Del", "Esi", "Fin", "Gale", "Hal", "Ina", "Jude", "Kai", "Lin",
];

/// Seeds the quarter before `now`'s at the custody suite and the court.
pub fn seed(
    conn: &mut DbConnection,
    now: Millis,
    team_id: &str,
    (custody, court): (&str, &str),
    author: &str,
) -> QueryResult<()> {
    let mut d = Demo {
        conn,
        now,
        author: author.to_string(),
    };
    let mut ids = Vec::new();
    for (i, (ethnic, gender, sex, dob)) in PEOPLE.iter().enumerate() {
        let person = d.person(200 + i as u32, GIVEN[i], "Demo-Quarter", *dob)?;
        diesel::update(people::table.find(&person))
            .set((
                people::ethnic_category.eq(*ethnic),
                people::gender_identity.eq(*gender),
                people::sex.eq(*sex),
            ))
            .execute(d.conn)?;
        ids.push(person);
    }
    let (start, end) = Period::quarter_of(now).previous().bounds();
    let days = (end - start) / DAY;
    const EPISODES: i64 = 72;
    for i in 0..EPISODES {
        let day = start + (i * days / EPISODES) * DAY;
        let alert = day + (9 + i % 9) * 60 * MINUTE;
        let (site, kind, source) = if i % 3 == 0 {
            (court, "magistrates-court", "E2")
        } else {
            (custody, "custody-suite", "E1")
        };
        let person = &ids[(i as usize) % ids.len()];
        insert(&mut d, (team_id, site, kind), person, source, alert, i)?;
    }
    // The legacy record: screened in the quarter's last month and still open, so the team
    // still works with her and a practitioner can correct it.
    let legacy = d.person(212, LEGACY_PERSON.0, LEGACY_PERSON.1, (1987, 1, 8))?;
    let number: Option<String> = people::table.find(&legacy).select(people::nhs_number).first(d.conn)?;
    let wrong = number.map(|n| wrong_check_digit(&n));
    diesel::update(people::table.find(&legacy))
        .set((people::nhs_number.eq(wrong), people::ethnic_category.eq("A")))
        .execute(d.conn)?;
    insert(
        &mut d,
        (team_id, custody, "custody-suite"),
        &legacy,
        "E1",
        end - 10 * DAY + 10 * 60 * MINUTE,
        -1,
    )?;
    Ok(())
}

/// The same number with its last digit changed: modulus 11 then fails.
fn wrong_check_digit(number: &str) -> String {
    let (body, check) = number.split_at(number.len() - 1);
    let digit = check.parse::<u32>().unwrap_or(0);
    format!("{body}{}", (digit + 1) % 10)
}

/// One episode; `i` picks what happened: mostly screened (a few late, some assessed) and
/// closed, some released before being seen or declining; a negative `i` leaves it open.
fn insert(
    d: &mut Demo<'_>,
    (team_id, site, kind): (&str, &str, &str),
    person: &str,
    source: &str,
    alert: Millis,
    i: i64,
) -> QueryResult<()> {
    let id = crate::domain::new_id();
    let not_seen = match i.rem_euclid(12) {
        7 => Some("released-before-seen"),
        11 => Some("declined"),
        _ => None,
    };
    let wait = if i % 10 == 9 { 150 } else { 15 + i.rem_euclid(6) * 8 };
    let screened = not_seen.is_none().then_some(alert + wait * MINUTE);
    let assessed = screened.filter(|_| i >= 0 && i % 4 == 0).map(|s| s + 90 * MINUTE);
    let closed = (i >= 0).then_some(alert + DAY);
    let outcome = match (not_seen, assessed) {
        (Some(reason), _) => reason,
        (None, Some(_)) => "referred-on",
        (None, None) => "no-further-action",
    };
    diesel::insert_into(episodes::table)
        .values((
            episodes::id.eq(&id),
            episodes::person_id.eq(person),
            episodes::site_id.eq(site),
            episodes::team_id.eq(team_id),
            episodes::status.eq(if closed.is_some() { "closed" } else { "screened" }),
            episodes::youth.eq(false),
            episodes::alert_at.eq(alert),
            episodes::referral_source.eq(source),
            episodes::concern.eq("Synthetic: concern raised about mental health"),
            episodes::voluntary_attendance.eq(false),
            episodes::cj_stage.eq(default_cj_stage(kind)),
            episodes::screening_started_at.eq(screened),
            episodes::screened_at.eq(screened.map(|s| s + 20 * MINUTE)),
            episodes::assessment_started_at.eq(assessed),
            episodes::assessed_at.eq(assessed),
            episodes::closed_at.eq(closed),
            episodes::closure_outcome.eq(closed.map(|_| outcome)),
            episodes::not_seen_reason.eq(not_seen),
            episodes::created_by.eq(&d.author),
            episodes::created_at.eq(alert),
            episodes::updated_at.eq(closed.unwrap_or(alert)),
        ))
        .execute(d.conn)?;
    if let Some(at) = screened {
        diesel::insert_into(screenings::table)
            .values((
                screenings::episode_id.eq(&id),
                screenings::consent.eq("given"),
                screenings::vulnerabilities.eq(FOUND[i.unsigned_abs() as usize % FOUND.len()]),
                screenings::presenting_concerns.eq("Synthetic screening"),
                screenings::outcome.eq(if assessed.is_some() {
                    "full-assessment-needed"
                } else {
                    "signposted"
                }),
                screenings::completed_by.eq(&d.author),
                screenings::completed_at.eq(at + 20 * MINUTE),
            ))
            .execute(d.conn)?;
    }
    Ok(())
}
