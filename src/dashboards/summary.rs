//! Pieces the views share: a measures table with each definition beside its figure, figures
//! in words, and turning counted maps into charts.

use std::collections::BTreeMap;

use maud::{Markup, html};

use crate::domain::codes::{CodeList, label_of};
use crate::domain::suppression::Shown;
use crate::views::chart::{Chart, Kind, Series, with_separators};
use crate::views::components;

/// One measure: its id, name, figure and definition in words.
pub struct Line {
    pub id: &'static str,
    pub name: &'static str,
    pub figure: String,
    pub definition: &'static str,
}

pub fn table(caption: &str, lines: &[Line]) -> Markup {
    let rows: Vec<Vec<Markup>> = lines
        .iter()
        .map(|l| {
            vec![
                html! { (l.id) },
                html! { (l.name) },
                html! { strong { (l.figure) } },
                html! { (l.definition) },
            ]
        })
        .collect();
    components::table(caption, &["Measure", "Name", "Figure", "Definition"], &rows)
}

pub fn count(n: usize) -> String {
    with_separators(n as f64, 0)
}

/// "1 referral", "3 referrals".
pub fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", count(n), if n == 1 { one } else { many })
}

/// "42.5%", or "none to count" when the denominator is zero.
pub fn percent(rate: Option<f64>) -> String {
    rate.map_or("none to count".to_string(), |r| format!("{}%", with_separators(r, 1)))
}

pub fn minutes(value: Option<f64>) -> String {
    value.map_or("no completed waits".to_string(), |m| {
        format!("{} minutes", with_separators(m, 0))
    })
}

pub fn value(n: usize) -> Shown {
    Shown::Value(n as f64)
}

pub fn rate_value(rate: Option<f64>) -> Shown {
    Shown::Value(rate.unwrap_or(0.0))
}

/// A one-series horizontal bar chart of counts by code, largest first, labelled from `list`.
pub fn bars_of(
    id: &str,
    title: String,
    subtitle: String,
    heading: &str,
    counts: &BTreeMap<String, usize>,
    list: CodeList,
) -> Chart {
    let mut sorted: Vec<(&String, &usize)> = counts.iter().collect();
    sorted.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    Chart {
        id: id.into(),
        kind: Kind::Bar,
        title,
        subtitle,
        category_heading: heading.into(),
        categories: sorted
            .iter()
            .map(|(c, _)| label_of(list, c).unwrap_or(c).to_string())
            .collect(),
        series: vec![Series {
            name: "Count".into(),
            values: sorted.iter().map(|(_, n)| value(**n)).collect(),
        }],
        unit: "people".into(),
        decimals: 0,
    }
}
