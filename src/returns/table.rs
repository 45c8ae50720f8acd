//! The return's figures: one row per site and month, then each month's total over all sites,
//! worked from the unrounded facts (so a total need not equal the sum of its published cells).
//! The CSV, the return page and the commissioner dashboard all read these rows.

use std::collections::{BTreeMap, BTreeSet};

use super::columns::{self, TEAM_TYPE};
use super::facts::EpisodeFacts;
use crate::clock::Millis;
use crate::domain::csv::csv_line;
use crate::domain::measures::{Fact, LdMeasures, ld};
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
pub fn rows(facts: &[EpisodeFacts], period: Period, now: Millis) -> Vec<Row> {
    let all: Vec<Fact> = facts.iter().map(EpisodeFacts::fact).collect();
    let mut sites: BTreeSet<(&str, &str)> = BTreeSet::new();
    let mut cells: BTreeMap<(Period, &str), Vec<&Fact>> = BTreeMap::new();
    for (f, fact) in facts.iter().zip(&all) {
        let month = Period::month_of(f.episode.alert_at);
        sites.insert((f.site.name.as_str(), f.episode.site_id.as_str()));
        cells.entry((month, f.episode.site_id.as_str())).or_default().push(fact);
        cells.entry((month, ALL_SITES_ID)).or_default().push(fact);
    }
    let mut out = Vec::new();
    for month in period.months() {
        let row = |site_id: &str, site_name: &str| Row {
            month,
            site_id: site_id.to_string(),
            site_name: site_name.to_string(),
            measures: ld(cells.get(&(month, site_id)).into_iter().flatten().copied(), now),
        };
        for (name, id) in &sites {
            out.push(row(id, name));
        }
        out.push(row(ALL_SITES_ID, ALL_SITES_NAME));
    }
    out
}

/// The return as a file: the header, then the rows with `rule` applied.
pub fn csv(rows: &[Row], rule: Rule) -> String {
    let mut out = csv_line(&columns::header());
    for row in rows {
        out.push_str(&csv_line(&row.cells(rule)));
    }
    out
}
