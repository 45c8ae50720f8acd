//! The L&D measures LD01–LD11 over a cohort of episodes (RETURNS-AND-DASHBOARDS.md,
//! decision 0021): plain arithmetic over one fact per episode, so each definition is tested on
//! a hand-built cohort with known answers. The cohort is the episodes alerted in the period;
//! what happened to them counts up to the data cut-off (`now`).

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
/// its rows stream past, without holding them.
#[derive(Debug, Clone)]
pub struct Ld {
    now: Millis,
    m: LdMeasures,
    people: People,
    screened: People,
    vulnerable: People,
    referred: People,
    waits: Vec<i64>,
}

impl Ld {
    pub fn new(now: Millis) -> Ld {
        Ld {
            now,
            m: LdMeasures::default(),
            people: People::default(),
            screened: People::default(),
            vulnerable: People::default(),
            referred: People::default(),
            waits: Vec::new(),
        }
    }

    pub fn add(&mut self, f: &Fact<'_>) {
        let m = &mut self.m;
        m.alerts += 1;
        self.people.insert(f.person);
        bump(&mut m.alerts_by_source, f.source);
        bump(&mut m.alerts_by_point, f.point_of_contact);
        m.referrals += f.referrals as usize;
        let known = (f.referrals_attended + f.referrals_not_attended) as usize;
        m.uptake_attended += f.referrals_attended as usize;
        m.uptake_known += known;
        m.uptake_unknown += (f.referrals as usize).saturating_sub(known);
        if f.referrals > 0 {
            self.referred.insert(f.person);
        }
        if f.screened_by(self.now) {
            m.screened += 1;
            self.screened.insert(f.person);
            m.assessed += usize::from(f.assessed);
            if f.assessed && !f.shared_with.is_empty() {
                m.shared += 1;
                // Each recipient once, however often information went to them.
                for (n, r) in f.shared_with.iter().enumerate() {
                    if !f.shared_with.iter().take(n).any(|earlier| earlier == r) {
                        bump(&mut m.shared_by_recipient, r);
                    }
                }
            }
            let mut found = f.vulnerabilities.iter().filter(|v| *v != NONE_IDENTIFIED).peekable();
            if found.peek().is_some() {
                self.vulnerable.insert(f.person);
            }
            for v in found {
                bump(&mut m.vulnerability_mix, v);
            }
            if let Some(wait) = f.wait_minutes() {
                self.waits.push(wait);
                m.waits.within_target += usize::from(wait <= f.target_minutes);
            }
        } else if let Some(reason) = f.not_seen {
            bump(&mut m.not_seen, reason);
        } else {
            m.still_waiting += 1;
            let waited = (self.now - f.alert_at).div_euclid(MINUTE);
            m.oldest_wait = Some(m.oldest_wait.map_or(waited, |o| o.max(waited)));
        }
    }

    pub fn finish(self) -> LdMeasures {
        let mut m = self.m;
        (m.people, m.screened_people, m.vulnerable, m.referred) = (
            self.people.count,
            self.screened.count,
            self.vulnerable.count,
            self.referred.count,
        );
        let mut waits = self.waits;
        waits.sort_unstable();
        m.waits.completed = waits.len();
        m.waits.median = median(&waits);
        m.waits.p90 = nearest_rank(&waits, 90);
        m
    }
}

/// Counts one more of `code`, allocating its key only the first time it is seen.
fn bump(counts: &mut BTreeMap<String, usize>, code: &str) {
    match counts.get_mut(code) {
        Some(n) => *n += 1,
        None => {
            counts.insert(code.to_string(), 1);
        }
    }
}

/// Distinct people, by their number in the cohort.
#[derive(Debug, Clone, Default)]
struct People {
    seen: Vec<u64>,
    count: usize,
}

impl People {
    fn insert(&mut self, person: u32) {
        let (word, bit) = (person as usize / 64, 1u64 << (person % 64));
        if word >= self.seen.len() {
            self.seen.resize(word + 1, 0);
        }
        if self.seen[word] & bit == 0 {
            self.seen[word] |= bit;
            self.count += 1;
        }
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

/// The middle of sorted values; the mean of the two middle ones when their number is even.
pub fn median(sorted: &[i64]) -> Option<f64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2] as f64),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) as f64 / 2.0),
    }
}

/// The `p`th percentile of sorted values by nearest rank: the smallest value with at least
/// `p`% of the values at or below it.
pub fn nearest_rank(sorted: &[i64], p: usize) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (p * sorted.len()).div_ceil(100).max(1);
    sorted.get(rank - 1).copied()
}

#[cfg(test)]
mod tests;
