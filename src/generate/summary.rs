//! Counts of what was generated: printed as progress while the load runs and as a summary,
//! with proportions, at the end.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::time::Duration;

use super::Plan;
use crate::domain::codes::{CLOSURE_OUTCOMES, label_of};

#[derive(Debug, Default, Clone)]
pub struct Summary {
    /// Rows written in every table.
    pub rows: u64,
    pub people: u64,
    pub with_nhs_number: u64,
    pub women: u64,
    pub episodes: u64,
    pub youth_episodes: u64,
    pub open: u64,
    pub timeline: u64,
    pub referrals: u64,
    pub safeguarding: u64,
    pub mhtr_referrals: u64,
    pub mhtr_cases: u64,
    /// Closed episodes by closure outcome code.
    pub closures: BTreeMap<&'static str, u64>,
    /// Today's episodes by site name: still open, and closed since midnight.
    pub today_per_site: Vec<(String, u64, u64)>,
    /// Episodes closed since midnight, by site index (for `today_per_site`).
    pub closed_today: HashMap<usize, u64>,
    pub elapsed: Duration,
}

fn percent(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        100.0 * part as f64 / whole as f64
    }
}

fn rate(rows: u64, elapsed: Duration) -> u64 {
    (rows as f64 / elapsed.as_secs_f64().max(0.001)) as u64
}

impl Summary {
    pub fn count_closure(&mut self, outcome: &'static str) {
        *self.closures.entry(outcome).or_default() += 1;
    }

    /// One line after each transaction.
    pub fn progress(&self, out: &mut dyn Write, plan: &Plan, elapsed: Duration) {
        let _ = writeln!(
            out,
            "  {:>9}/{} people  {:>10}/{} episodes  {:>11} rows  {:>7.1}s  {:>8} rows/s",
            self.people,
            plan.people,
            self.episodes,
            plan.episodes,
            self.rows,
            elapsed.as_secs_f64(),
            rate(self.rows, elapsed)
        );
    }

    pub fn print(&self, out: &mut dyn Write) {
        let closed = self.episodes - self.open;
        let lines = [
            format!(
                "Generated {} rows in {:.1}s ({} rows/s). All of it is synthetic test data:",
                self.rows,
                self.elapsed.as_secs_f64(),
                rate(self.rows, self.elapsed)
            ),
            format!(
                "  people       {:>9}  ({:.0}% with an NHS number from the 999 test range, {:.0}% women)",
                self.people,
                percent(self.with_nhs_number, self.people),
                percent(self.women, self.people)
            ),
            format!(
                "  episodes     {:>9}  ({closed} closed over five years, {} open today; {:.1}% under 18)",
                self.episodes,
                self.open,
                percent(self.youth_episodes, self.episodes)
            ),
            format!("  timeline     {:>9}  entries", self.timeline),
            format!(
                "  referrals    {:>9}  to partner services ({:.1} per 100 episodes)",
                self.referrals,
                percent(self.referrals, self.episodes)
            ),
            format!(
                "  safeguarding {:>9}  concerns ({:.1} per 100 episodes)",
                self.safeguarding,
                percent(self.safeguarding, self.episodes)
            ),
            format!(
                "  MHTR         {:>9}  referrals from court L&D, {} cases",
                self.mhtr_referrals, self.mhtr_cases
            ),
        ];
        for line in lines {
            let _ = writeln!(out, "{line}");
        }
        let _ = writeln!(out, "Closed episodes by outcome:");
        for (code, n) in &self.closures {
            let label = label_of(CLOSURE_OUTCOMES, code).unwrap_or(code);
            let _ = writeln!(out, "  {label:<34} {n:>9}  {:>5.1}%", percent(*n, closed));
        }
        let _ = writeln!(out, "Today, by site (the live list):      open  closed");
        for (site, open, closed) in &self.today_per_site {
            let _ = writeln!(out, "  {site:<34} {open:>6}  {closed:>6}");
        }
    }
}
