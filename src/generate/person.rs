//! One synthetic person and the dates of their contacts with the service.

use chrono::{Datelike, Duration, NaiveDate};

use super::rng::Rng;
use super::shape::Today;
use super::{DAY, HISTORY_YEARS, Writer, names, rows, stream, texts};
use crate::clock::Millis;
use crate::domain::codes::ETHNIC_CATEGORIES;
use crate::domain::identifiers::{NhsNumber, PncId};
use crate::domain::local_time::local_date;
use crate::domain::person::name_key;
use crate::domain::site::SiteKind;

/// The 999 range has a million nine-digit stems; demo people use the first ones.
const FIRST_SERIAL: u64 = crate::demo::NHS_SERIALS_RESERVED as u64;
const SERIALS: u64 = 1_000_000 - FIRST_SERIAL;
/// A prime that does not divide [`SERIALS`] (2⁴·3²·5⁴·11), so stepping by it visits every
/// stem once.
const STEP: u64 = 7_919;

/// Hands out unique NHS numbers from the never-issued 999 range, in a scattered order.
pub struct NhsNumbers {
    offset: u64,
    taken: u64,
}

impl NhsNumbers {
    pub fn new(seed: u64) -> NhsNumbers {
        NhsNumbers {
            offset: Rng::for_item(seed, stream::NHS, 0).below(SERIALS),
            taken: 0,
        }
    }

    /// The next valid number, or `None` once the range is used up (about 900,000 numbers).
    pub fn next(&mut self) -> Option<String> {
        while self.taken < SERIALS {
            let serial = FIRST_SERIAL + (self.offset + self.taken * STEP) % SERIALS;
            self.taken += 1;
            if let Some(n) = NhsNumber::with_check_digit(&format!("999{serial:06}")) {
                return Some(n.as_str().to_string());
            }
        }
        None
    }
}

const MINUTE: Millis = 60_000;
const YEAR: Millis = 365 * DAY;

/// Ages of adults at their latest contact: mostly 18 to 60, a few older.
const ADULT_AGES: &[(u32, (i64, i64))] = &[
    (25, (18, 25)),
    (30, (26, 35)),
    (22, (36, 45)),
    (18, (46, 60)),
    (5, (61, 78)),
];
/// Ethnic category (NHS Data Dictionary) in rough London proportions.
const ETHNICITY: &[(u32, usize)] = &[
    (35, 0),
    (2, 1),
    (10, 2),
    (3, 3),
    (1, 4),
    (1, 5),
    (2, 6),
    (5, 7),
    (3, 8),
    (2, 9),
    (3, 10),
    (8, 11),
    (8, 12),
    (4, 13),
    (1, 14),
    (4, 15),
    (5, 16),
    (3, 17),
];

impl Writer<'_> {
    /// Person `index` with `episodes` contacts, the last of them today's if they were seen today.
    pub fn person(&mut self, index: u64, episodes: u8, today: Option<Today>) {
        let world = self.world;
        let mut rng = Rng::for_item(self.seed, stream::PERSON, index);
        let id = rng.uuid();
        let sex = rng.weighted(&[(82, "M"), (17, "F"), (1, "X")]);
        let given = match sex {
            "F" => *rng.pick(names::FEMALE),
            "M" => *rng.pick(names::MALE),
            _ => {
                let either = if rng.chance(0.5) { names::FEMALE } else { names::MALE };
                *rng.pick(either)
            }
        };
        let family = *rng.pick(names::FAMILY);
        let today_site = today.map(|(Today::Open(s) | Today::ClosedEarlier(s))| s);
        let youth_court_today = today_site.is_some_and(|s| world.sites[s].kind == SiteKind::YouthCourt);
        let youth = youth_court_today || rng.chance(0.08);
        let age = if youth {
            rng.range(10, 17)
        } else {
            rng.range_of(ADULT_AGES)
        };

        // The latest contact, then the earlier ones within a span that keeps a child over ten.
        // The past ends when today began: today's contacts are only those the shape chose.
        let historic = u64::from(episodes) - u64::from(today.is_some());
        let latest_historic = self.today_start - if today.is_some() { DAY } else { 6 * 60 * MINUTE };
        let last = if today.is_some() {
            self.now
        } else {
            rng.range(self.history_start, latest_historic)
        };
        let span_max = (if youth { (age - 10) * YEAR } else { HISTORY_YEARS * YEAR }).max(DAY);
        let span = if historic <= 1 {
            0
        } else {
            rng.range((historic as i64 * 14 * DAY).min(span_max), span_max)
        };
        let from = (last - span).max(self.history_start);
        let mut alerts: Vec<(Millis, usize)> = (0..historic)
            .map(|_| {
                let site = self.pick_site(&mut rng, youth);
                let at = rng.range(from, last.min(latest_historic));
                (in_hours(&mut rng, world.sites[site].kind, at, latest_historic), site)
            })
            .collect();
        alerts.sort_unstable();
        let dob = local_date(last) - Duration::days(age * 365 + age / 4 + rng.range(0, 364));

        let earliest = alerts.first().map_or(self.now, |a| a.0);
        let nhs_number = if rng.chance(0.85) { self.nhs.next() } else { None };
        self.stats.with_nhs_number += u64::from(nhs_number.is_some());
        let pnc_id = rng.chance(if youth { 0.25 } else { 0.55 }).then(|| {
            let year = (local_date(earliest).year() - rng.range(0, 6) as i32).max(dob.year() + 10);
            let serial = (index * 7_654_321 + self.seed % 10_000_000) % 10_000_000;
            PncId::from_parts(year.rem_euclid(100) as u32, serial as u32).map(|p| p.canonical().to_string())
        });
        let (language, interpreter) = rng.weighted(texts::LANGUAGES);
        let gender = match sex {
            "M" => rng.weighted(&[(96, "1"), (1, "3"), (3, "Z")]),
            "F" => rng.weighted(&[(95, "2"), (2, "3"), (3, "Z")]),
            _ => rng.weighted(&[(40, "3"), (20, "4"), (40, "X")]),
        };
        self.stats.people += 1;
        self.stats.women += u64::from(sex == "F");
        // The person was recorded at their first contact.
        let mut first = self.now;
        for (alert, site) in alerts {
            first = first.min(self.closed_episode(&mut rng, &id, (site, alert), self.today_start, (dob, sex)));
        }
        match today {
            Some(Today::Open(site)) => first = first.min(self.open_episode(&mut rng, &id, site, dob, sex)),
            Some(Today::ClosedEarlier(site)) => {
                let at = rng.range(self.today_start, self.now);
                let alert = in_hours(&mut rng, world.sites[site].kind, at, self.now);
                first = first.min(self.closed_episode(&mut rng, &id, (site, alert), self.now, (dob, sex)));
            }
            None => {}
        }
        let author = rng.pick(&world.ld_staff).as_str();
        self.batch.people.push(rows::Person {
            id,
            nhs_number,
            pnc_id: pnc_id.flatten(),
            cro_number: None,
            given_name: given,
            family_name: family,
            given_key: name_key(given),
            family_key: name_key(family),
            date_of_birth: dob.format("%Y-%m-%d").to_string(),
            sex: Some(sex),
            gender_identity: Some(gender),
            ethnic_category: Some(ETHNIC_CATEGORIES[rng.weighted(ETHNICITY)].0),
            preferred_language: Some(language),
            interpreter_needed: interpreter && rng.chance(0.6),
            gp_practice: rng.chance(0.88).then(|| *rng.pick(texts::GP_PRACTICES)),
            created_by: Some(author),
            created_at: first,
            updated_at: first,
        });
    }

    /// A site for a contact: custody most often, courts for adults, the youth court for children.
    fn pick_site(&self, rng: &mut Rng, youth: bool) -> usize {
        let weight = |kind: SiteKind| match (kind, youth) {
            (SiteKind::CustodySuite, _) => 55,
            (SiteKind::VoluntaryAttendance, _) => 9,
            (SiteKind::MagistratesCourt, false) => 28,
            (SiteKind::CrownCourt, false) => 7,
            (SiteKind::YouthCourt, true) => 36,
            _ => 0,
        };
        let weights: Vec<(u32, usize)> = self
            .world
            .sites
            .iter()
            .enumerate()
            .map(|(i, s)| (weight(s.kind), i))
            .collect();
        if weights.iter().all(|(w, _)| *w == 0) {
            return rng.below(weights.len() as u64) as usize;
        }
        rng.weighted(&weights)
    }
}

/// The alert moved to a plausible hour: custody round the clock (busiest in the evening),
/// courts and voluntary attendance in working hours on weekdays. Never after `latest`.
pub fn in_hours(rng: &mut Rng, kind: SiteKind, at: Millis, latest: Millis) -> Millis {
    let day = at.div_euclid(DAY) * DAY;
    let minute = match kind {
        SiteKind::CustodySuite => rng.weighted(&[(4, (0, 6)), (5, (7, 12)), (7, (13, 18)), (8, (19, 23))]),
        SiteKind::VoluntaryAttendance => (9, 18),
        _ => (9, 15),
    };
    let minutes = rng.range(minute.0 * 60, minute.1 * 60 + 59);
    let mut placed = day + minutes * MINUTE;
    if kind != SiteKind::CustodySuite {
        // 1 January 1970 was a Thursday: day 0 is weekday 3 counting from Monday.
        let weekday = (day.div_euclid(DAY) + 3).rem_euclid(7);
        if weekday >= 5 {
            placed -= (weekday - 4) * DAY;
        }
    }
    while placed > latest {
        placed -= DAY;
    }
    placed
}

/// Age in whole years at a contact, for the youth flag (`domain::person::age`).
pub fn youth_at(dob: NaiveDate, at: Millis) -> bool {
    crate::domain::person::is_youth(dob, local_date(at))
}
