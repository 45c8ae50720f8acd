//! The L&D measures LD01–LD11 over a cohort of episodes (RETURNS-AND-DASHBOARDS.md,
//! decision 0021): plain arithmetic over one fact per episode, so each definition is tested on
//! a hand-built cohort with known answers. The cohort is the episodes alerted in the period;
//! what happened to them counts up to the data cut-off (`now`).

mod tally;

use tally::{PERSON, REFERRED, SCREENED, VULNERABLE};
pub use tally::{Tally, decode_people, encode_people};

use std::collections::BTreeMap;

use crate::clock::Millis;
use crate::domain::code::Codes;

const MINUTE: Millis = 60_000;
/// The vulnerability code for "screened, and none found": not a vulnerability.
pub const NONE_IDENTIFIED: &str = "none-identified";

/// One episode, as the measures see it: borrowed from the loaded records, so measuring a
/// year of episodes copies no text.
#[derive(Debug, Clone, Default)]
pub struct Fact<'a> {
    /// The person: a number the same for each of their episodes in the cohort, small and
    /// dense (0, 1, 2, …) so counting distinct people is a bitset.
    pub person: u32,
    /// The MHSDS source of referral (E1 police, E2 courts, …).
    pub source: &'a str,
    pub alert_at: Millis,
    pub screening_started_at: Option<Millis>,
    /// The site's target, in minutes from alert to screening.
    pub target_minutes: i64,
    pub assessed: bool,
    /// Why the episode closed before anyone screened the person.
    pub not_seen: Option<&'a str>,
    /// Codes recorded at screening.
    pub vulnerabilities: Codes<'a>,
    /// Onward referrals made.
    pub referrals: u32,
    /// Of those, how many the partner reported the first appointment attended, or not.
    pub referrals_attended: u32,
    pub referrals_not_attended: u32,
    /// The criminal justice scopes (police, CPS, court, probation) information went to.
    pub shared_with: Codes<'a>,
    /// Where L&D met the person (`codes::POINTS_OF_CONTACT`).
    pub point_of_contact: &'a str,
}

impl Fact<'_> {
    /// Screened by the cut-off.
    fn screened_by(&self, now: Millis) -> bool {
        self.screening_started_at.is_some_and(|at| at <= now)
    }

    /// Minutes from alert to screening start: elapsed time, so a clock change adds none.
    fn wait_minutes(&self) -> Option<i64> {
        self.screening_started_at
            .map(|at| (at - self.alert_at).div_euclid(MINUTE))
    }
}

/// Completed waits only: those still waiting are counted apart.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Waits {
    pub completed: usize,
    pub median: Option<f64>,
    /// The 90th percentile by nearest rank: the wait that 90% of people waited no longer than.
    pub p90: Option<i64>,
    pub within_target: usize,
}

/// LD01–LD08 for one cohort.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LdMeasures {
    /// LD01.
    pub alerts: usize,
    pub alerts_by_source: BTreeMap<String, usize>,
    pub alerts_by_point: BTreeMap<String, usize>,
    /// LD02: screened, of the cohort.
    pub screened: usize,
    /// LD03.
    pub waits: Waits,
    /// Not screened and not closed: the live count, with the longest wait so far in minutes.
    pub still_waiting: usize,
    pub oldest_wait: Option<i64>,
    /// LD04.
    pub not_seen: BTreeMap<String, usize>,
    /// LD05.
    pub assessed: usize,
    /// Distinct people screened: LD06's denominator.
    pub screened_people: usize,
    /// LD06: distinct screened people with at least one vulnerability.
    pub vulnerable: usize,
    /// LD07: how many screenings found each vulnerability (one may count in several).
    pub vulnerability_mix: BTreeMap<String, usize>,
    /// LD08: onward referrals; distinct people with at least one, of the cohort's people.
    pub referrals: usize,
    pub referred: usize,
    pub people: usize,
    /// LD09: referrals whose first appointment was attended, of those with a known outcome
    /// (attended or not); the rest are unknown and counted apart.
    pub uptake_attended: usize,
    pub uptake_known: usize,
    pub uptake_unknown: usize,
    /// LD10: assessed episodes whose information went to a criminal justice decision-maker,
    /// and how many went to each kind of recipient.
    pub shared: usize,
    pub shared_by_recipient: BTreeMap<String, usize>,
}

/// A percentage, or nothing when the denominator is zero.
pub fn rate(numerator: usize, denominator: usize) -> Option<f64> {
    (denominator > 0).then(|| 100.0 * numerator as f64 / denominator as f64)
}

impl LdMeasures {
    /// LD02's rate: screened / alerts.
    pub fn screening_rate(&self) -> Option<f64> {
        rate(self.screened, self.alerts)
    }

    /// LD05's rate: assessed / screened.
    pub fn assessed_rate(&self) -> Option<f64> {
        rate(self.assessed, self.screened)
    }

    /// LD06's rate: vulnerable people / screened people.
    pub fn vulnerable_rate(&self) -> Option<f64> {
        rate(self.vulnerable, self.screened_people)
    }

    /// LD08's rate: people referred on / people in the cohort.
    pub fn referred_rate(&self) -> Option<f64> {
        rate(self.referred, self.people)
    }

    /// LD09's rate: attended / referrals with a known outcome.
    pub fn uptake_rate(&self) -> Option<f64> {
        rate(self.uptake_attended, self.uptake_known)
    }

    /// LD10's rate: assessed episodes with information shared / assessed.
    pub fn shared_rate(&self) -> Option<f64> {
        rate(self.shared, self.assessed)
    }

    /// LD03's share within the site's target, of completed waits.
    pub fn within_target_rate(&self) -> Option<f64> {
        rate(self.waits.within_target, self.waits.completed)
    }
}

/// The measures of a cohort, read by reference so a dashboard can split one set of facts
/// many ways without copying them.
pub fn ld<'f, 'a: 'f>(cohort: impl IntoIterator<Item = &'f Fact<'a>>, now: Millis) -> LdMeasures {
    let mut measuring = Ld::new(now);
    for f in cohort {
        measuring.add(f);
    }
    measuring.finish()
}

/// The measures of a cohort read one episode at a time, so a long period can be measured as
/// its rows stream past, without holding them; or merged from the tallies of its months.
#[derive(Debug, Clone)]
pub struct Ld {
    now: Millis,
    tally: Tally,
    people: People,
}

impl Ld {
    pub fn new(now: Millis) -> Ld {
        Ld {
            now,
            tally: Tally::default(),
            people: People::default(),
        }
    }

    pub fn add(&mut self, f: &Fact<'_>) {
        let counted_as = self.tally.add(f, self.now);
        self.people.insert(f.person, counted_as);
    }

    /// Adds a tally kept for part of the cohort (a month at one site), and its people.
    pub fn merge(&mut self, tally: &Tally, people: &[(u32, u8)]) {
        self.tally.merge(tally);
        for &(person, counted_as) in people {
            self.people.insert(person, counted_as);
        }
    }

    /// What this cohort adds up to, to be kept and merged later: the tally and each person
    /// with what they were counted as, in order of their number.
    pub fn into_tally(self) -> (Tally, Vec<(u32, u8)>) {
        (self.tally, self.people.distinct())
    }

    pub fn finish(self) -> LdMeasures {
        let t = self.tally;
        let mut counted = [0; 4];
        for (_, counted_as) in self.people.distinct() {
            for (n, flag) in [PERSON, SCREENED, VULNERABLE, REFERRED].into_iter().enumerate() {
                counted[n] += usize::from(counted_as & flag != 0);
            }
        }
        LdMeasures {
            alerts: t.alerts,
            alerts_by_source: t.by_source,
            alerts_by_point: t.by_point,
            screened: t.screened,
            waits: Waits {
                completed: t.waits.values().sum(),
                median: median(&t.waits),
                p90: nearest_rank(&t.waits, 90),
                within_target: t.within_target,
            },
            still_waiting: t.still_waiting,
            oldest_wait: t.first_waiting.map(|at| (self.now - at).div_euclid(MINUTE)),
            not_seen: t.not_seen,
            assessed: t.assessed,
            screened_people: counted[1],
            vulnerable: counted[2],
            vulnerability_mix: t.vulnerability_mix,
            referrals: t.referrals,
            referred: counted[3],
            people: counted[0],
            uptake_attended: t.uptake_attended,
            uptake_known: t.uptake_known,
            uptake_unknown: t.uptake_unknown,
            shared: t.shared,
            shared_by_recipient: t.shared_by_recipient,
        }
    }
}

/// Distinct people, by their number, with what each was counted as: every sighting kept
/// (eight bytes each) and folded together when counted, so memory follows the cohort, not the
/// highest number.
#[derive(Debug, Clone, Default)]
struct People {
    seen: Vec<u64>,
}

impl People {
    fn insert(&mut self, person: u32, counted_as: u8) {
        self.seen.push((u64::from(person) << 8) | u64::from(counted_as));
    }

    /// Each person once, in order of their number, with everything they were counted as.
    fn distinct(mut self) -> Vec<(u32, u8)> {
        self.seen.sort_unstable();
        let mut out: Vec<(u32, u8)> = Vec::new();
        for sighting in self.seen {
            let (person, counted_as) = ((sighting >> 8) as u32, sighting as u8);
            match out.last_mut() {
                Some((last, flags)) if *last == person => *flags |= counted_as,
                _ => out.push((person, counted_as)),
            }
        }
        out
    }
}

/// LD11: the measures for each group of a cohort, by a dimension such as ethnic group, read
/// one episode at a time.
#[derive(Debug, Clone)]
pub struct ByGroup {
    now: Millis,
    split: BTreeMap<String, Ld>,
}

impl ByGroup {
    pub fn new(now: Millis) -> ByGroup {
        ByGroup {
            now,
            split: BTreeMap::new(),
        }
    }

    pub fn add(&mut self, group: &str, f: &Fact<'_>) {
        if let Some(measuring) = self.split.get_mut(group) {
            return measuring.add(f);
        }
        let mut measuring = Ld::new(self.now);
        measuring.add(f);
        self.split.insert(group.to_string(), measuring);
    }

    /// Adds a group's tally for part of the cohort, and its people.
    pub fn merge(&mut self, group: &str, tally: &Tally, people: &[(u32, u8)]) {
        if let Some(measuring) = self.split.get_mut(group) {
            return measuring.merge(tally, people);
        }
        let mut measuring = Ld::new(self.now);
        measuring.merge(tally, people);
        self.split.insert(group.to_string(), measuring);
    }

    /// Every group of `groups` in order, empty ones too, then the others.
    pub fn finish(mut self, groups: &[&str]) -> Vec<(String, LdMeasures)> {
        let now = self.now;
        let mut out: Vec<(String, LdMeasures)> = groups
            .iter()
            .map(|g| {
                let measured = self.split.remove(*g).unwrap_or_else(|| Ld::new(now));
                (g.to_string(), measured.finish())
            })
            .collect();
        out.extend(self.split.into_iter().map(|(g, measuring)| (g, measuring.finish())));
        out
    }
}

/// Values as [`median`] and [`nearest_rank`] read them: each value → how often it occurs.
pub fn histogram(values: &[i64]) -> BTreeMap<i64, usize> {
    let mut counts = BTreeMap::new();
    for v in values {
        *counts.entry(*v).or_default() += 1;
    }
    counts
}

/// The middle of the waits (minutes → how many); the mean of the two middle ones when their
/// number is even.
pub fn median(waits: &BTreeMap<i64, usize>) -> Option<f64> {
    let n: usize = waits.values().sum();
    match n {
        0 => None,
        _ if n % 2 == 1 => nth(waits, n / 2).map(|v| v as f64),
        _ => Some((nth(waits, n / 2 - 1)? + nth(waits, n / 2)?) as f64 / 2.0),
    }
}

/// The `p`th percentile of the waits by nearest rank: the smallest value with at least `p`% of
/// the values at or below it.
pub fn nearest_rank(waits: &BTreeMap<i64, usize>, p: usize) -> Option<i64> {
    let n: usize = waits.values().sum();
    if n == 0 {
        return None;
    }
    nth(waits, (p * n).div_ceil(100).max(1) - 1)
}

/// The `k`th smallest value (from 0), counting each value as often as it occurs.
fn nth(waits: &BTreeMap<i64, usize>, k: usize) -> Option<i64> {
    let mut below = 0;
    for (&value, &count) in waits {
        below += count;
        if k < below {
            return Some(value);
        }
    }
    None
}

#[cfg(test)]
mod tests;
