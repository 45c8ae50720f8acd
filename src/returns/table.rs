//! The return's figures: one row per site and month, then each month's total over all sites,
//! worked from the unrounded facts (so a total need not equal the sum of its published cells).
//! The CSV, the return page and the commissioner dashboard all read these rows.

use std::collections::BTreeMap;

use super::columns::{self, TEAM_TYPE};
use super::facts::{EpisodeFacts, MonthTally, SitePart};
use crate::clock::Millis;
use crate::domain::csv::csv_line;
use crate::domain::measures::{Ld, LdMeasures};
use crate::domain::period::Period;
use crate::domain::suppression::Rule;

pub const ALL_SITES_ID: &str = "all";
pub const ALL_SITES_NAME: &str = "All sites";

#[derive(Debug, Clone)]
pub struct Row {
    pub month: Period,
    pub site_id: String,
    pub site_name: String,
    pub measures: LdMeasures,
}

impl Row {
    pub fn is_total(&self) -> bool {
        self.site_id == ALL_SITES_ID
    }

    /// The published cells: the key columns, then each measure under `rule`.
    pub fn cells(&self, rule: Rule) -> Vec<String> {
        let mut out = vec![
            self.month.code(),
            self.site_id.clone(),
            self.site_name.clone(),
            TEAM_TYPE.to_string(),
        ];
        out.extend(columns::cells(&self.measures, rule));
        out
    }
}

/// Every site with an alert in the period gets a row for each of the period's months, months
/// without alerts included, so a gap shows as a zero rather than a missing line.
pub fn rows<'f>(facts: impl IntoIterator<Item = &'f EpisodeFacts>, period: Period, now: Millis) -> Vec<Row> {
    let mut cells = Cells::new(now);
    for f in facts {
        cells.add(f);
    }
    cells.rows(period)
}

/// The rows' measures worked one episode at a time, so a view can count a quarter as its facts
/// stream past.
pub struct Cells {
    now: Millis,
    /// Each site with an alert: name and id.
    sites: Vec<(String, String)>,
    /// By month and index in `sites`; all sites at `ALL`.
    cells: BTreeMap<(Period, usize), Ld>,
}

const ALL: usize = usize::MAX;

impl Cells {
    pub fn new(now: Millis) -> Cells {
        Cells {
            now,
            sites: Vec::new(),
            cells: BTreeMap::new(),
        }
    }

    pub fn add(&mut self, f: &EpisodeFacts) {
        let site = self.site(&f.site);
        let (month, fact, now) = (Period::month_of(f.alert_at), f.fact(), self.now);
        for key in [(month, site), (month, ALL)] {
            self.cells.entry(key).or_insert_with(|| Ld::new(now)).add(&fact);
        }
    }

    /// Adds a month's tally at one site (for one team and age group).
    pub fn merge(&mut self, tallied: &MonthTally) {
        let site = self.site(&tallied.site);
        let (month, now) = (Period::month_of(tallied.month_from), self.now);
        for key in [(month, site), (month, ALL)] {
            self.cells
                .entry(key)
                .or_insert_with(|| Ld::new(now))
                .merge(&tallied.tally, &tallied.people);
        }
    }

    /// The site's place in `sites`, added when first seen.
    fn site(&mut self, site: &SitePart) -> usize {
        match self.sites.iter().position(|(_, known)| *known == site.id) {
            Some(n) => n,
            None => {
                self.sites.push((site.name.clone(), site.id.clone()));
                self.sites.len() - 1
            }
        }
    }

    /// Sites by name, each with every month of `period`, then the month's total.
    pub fn rows(mut self, period: Period) -> Vec<Row> {
        let mut order: Vec<usize> = (0..self.sites.len()).collect();
        order.sort_by(|a, b| self.sites[*a].cmp(&self.sites[*b]));
        let mut out = Vec::new();
        for month in period.months() {
            let mut row = |site: usize, site_id: &str, site_name: &str| Row {
                month,
                site_id: site_id.to_string(),
                site_name: site_name.to_string(),
                measures: self
                    .cells
                    .remove(&(month, site))
                    .unwrap_or_else(|| Ld::new(self.now))
                    .finish(),
            };
            for &site in &order {
                let (name, id) = &self.sites[site];
                out.push(row(site, id, name));
            }
            out.push(row(ALL, ALL_SITES_ID, ALL_SITES_NAME));
        }
        out
    }
}

/// The return as a file: the header, then the rows with `rule` applied.
pub fn csv(rows: &[Row], rule: Rule) -> String {
    let mut out = csv_line(&columns::header());
    for row in rows {
        out.push_str(&csv_line(&row.cells(rule)));
    }
    out
}
