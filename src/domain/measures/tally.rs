//! What a cohort's measures add up from, in a form that can be kept and added to another's: a
//! month's tally at one site is merged with the others of a year instead of its episodes being
//! read again (decision 0021). Counts add; waits are kept as a histogram, so the median and
//! 90th percentile of merged tallies are exact; people are kept apart, by their lasting number,
//! because distinct people do not add across months.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Fact, NONE_IDENTIFIED};
use crate::clock::Millis;

/// What a person was counted as in a cohort: alerted, screened, found vulnerable, referred on.
pub(super) const PERSON: u8 = 1;
pub(super) const SCREENED: u8 = 2;
pub(super) const VULNERABLE: u8 = 4;
pub(super) const REFERRED: u8 = 8;

/// The counts of [`super::LdMeasures`] that add across cohorts; field by field the same
/// meaning.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Tally {
    pub alerts: usize,
    pub by_source: BTreeMap<String, usize>,
    pub by_point: BTreeMap<String, usize>,
    pub screened: usize,
    /// Completed waits: minutes → how many waited that long.
    pub waits: BTreeMap<i64, usize>,
    pub within_target: usize,
    pub still_waiting: usize,
    /// The earliest alert still waiting, for the longest wait at the cut-off.
    pub first_waiting: Option<Millis>,
    pub not_seen: BTreeMap<String, usize>,
    pub assessed: usize,
    pub vulnerability_mix: BTreeMap<String, usize>,
    pub referrals: usize,
    pub uptake_attended: usize,
    pub uptake_known: usize,
    pub uptake_unknown: usize,
    pub shared: usize,
    pub shared_by_recipient: BTreeMap<String, usize>,
}

impl Tally {
    /// Counts one episode as it stood at `now`; what its person was counted as.
    pub(super) fn add(&mut self, f: &Fact<'_>, now: Millis) -> u8 {
        let mut counted_as = PERSON;
        self.alerts += 1;
        bump(&mut self.by_source, f.source, 1);
        bump(&mut self.by_point, f.point_of_contact, 1);
        self.referrals += f.referrals as usize;
        let known = (f.referrals_attended + f.referrals_not_attended) as usize;
        self.uptake_attended += f.referrals_attended as usize;
        self.uptake_known += known;
        self.uptake_unknown += (f.referrals as usize).saturating_sub(known);
        if f.referrals > 0 {
            counted_as |= REFERRED;
        }
        if f.screened_by(now) {
            counted_as |= SCREENED;
            self.screened += 1;
            self.assessed += usize::from(f.assessed);
            if f.assessed && !f.shared_with.is_empty() {
                self.shared += 1;
                // Each recipient once, however often information went to them.
                for (n, r) in f.shared_with.iter().enumerate() {
                    if !f.shared_with.iter().take(n).any(|earlier| earlier == r) {
                        bump(&mut self.shared_by_recipient, r, 1);
                    }
                }
            }
            let mut found = f.vulnerabilities.iter().filter(|v| *v != NONE_IDENTIFIED).peekable();
            if found.peek().is_some() {
                counted_as |= VULNERABLE;
            }
            for v in found {
                bump(&mut self.vulnerability_mix, v, 1);
            }
            if let Some(wait) = f.wait_minutes() {
                *self.waits.entry(wait).or_default() += 1;
                self.within_target += usize::from(wait <= f.target_minutes);
            }
        } else if let Some(reason) = f.not_seen {
            bump(&mut self.not_seen, reason, 1);
        } else {
            self.still_waiting += 1;
            self.first_waiting = Some(self.first_waiting.map_or(f.alert_at, |at| at.min(f.alert_at)));
        }
        counted_as
    }

    /// Adds another cohort's counts to these.
    pub(super) fn merge(&mut self, other: &Tally) {
        self.alerts += other.alerts;
        self.screened += other.screened;
        self.within_target += other.within_target;
        self.still_waiting += other.still_waiting;
        self.assessed += other.assessed;
        self.referrals += other.referrals;
        self.uptake_attended += other.uptake_attended;
        self.uptake_known += other.uptake_known;
        self.uptake_unknown += other.uptake_unknown;
        self.shared += other.shared;
        self.first_waiting = match (self.first_waiting, other.first_waiting) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        for (mine, theirs) in [
            (&mut self.by_source, &other.by_source),
            (&mut self.by_point, &other.by_point),
            (&mut self.not_seen, &other.not_seen),
            (&mut self.vulnerability_mix, &other.vulnerability_mix),
            (&mut self.shared_by_recipient, &other.shared_by_recipient),
        ] {
            for (code, n) in theirs {
                bump(mine, code, *n);
            }
        }
        for (wait, n) in &other.waits {
            *self.waits.entry(*wait).or_default() += n;
        }
    }
}

/// Counts `n` more of `code`, allocating its key only the first time it is seen.
fn bump(counts: &mut BTreeMap<String, usize>, code: &str, n: usize) {
    match counts.get_mut(code) {
        Some(count) => *count += n,
        None => {
            counts.insert(code.to_string(), n);
        }
    }
}

/// People as kept beside a tally: for each, in order of number, the gap from the one before
/// as a LEB128 varint, then what they were counted as in a byte. A month's people at a site
/// take two or three bytes each.
pub fn encode_people(people: &[(u32, u8)]) -> Vec<u8> {
    let mut out = Vec::with_capacity(people.len() * 3);
    let mut last = 0;
    for &(person, counted_as) in people {
        let mut gap = person - last;
        last = person;
        while gap >= 0x80 {
            out.push((gap as u8 & 0x7f) | 0x80);
            gap >>= 7;
        }
        out.push(gap as u8);
        out.push(counted_as);
    }
    out
}

/// The people [`encode_people`] kept; `None` when the bytes are not its encoding.
pub fn decode_people(bytes: &[u8]) -> Option<Vec<(u32, u8)>> {
    let mut out = Vec::with_capacity(bytes.len() / 2);
    let (mut last, mut rest) = (0u32, bytes.iter());
    while let Some(&first) = rest.next() {
        let (mut gap, mut shift, mut byte) = (0u32, 0, first);
        loop {
            gap |= u32::from(byte & 0x7f).checked_shl(shift)?;
            if byte & 0x80 == 0 {
                break;
            }
            shift += 7;
            byte = *rest.next()?;
        }
        last = last.checked_add(gap)?;
        out.push((last, *rest.next()?));
    }
    Some(out)
}
