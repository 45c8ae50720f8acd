//! Charts drawn on the server. One `Chart` gives the picture (SVG), the data table beside it
//! and the CSV download, so the three cannot disagree. Three kinds only — horizontal bar,
//! column time series, line — following the Government Analysis Function's conventions: the
//! title states the message and lives in the HTML, at most four colours from its palette,
//! direct labels so colour never carries meaning alone, text at 12 px or more, nothing rotated.

mod scale;
mod svg;
#[cfg(test)]
mod tests;

use maud::{Markup, html};

use crate::domain::csv::csv_line;
use crate::domain::suppression::HIDDEN;
pub use crate::domain::suppression::Shown;

/// The Analysis Function's categorical palette, in order; two series take blue and orange.
pub const PALETTE: [&str; 4] = ["#12436D", "#28A197", "#801650", "#F46A25"];
pub const MAX_SERIES: usize = PALETTE.len();

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Horizontal bars, one row a category (a funnel too).
    Bar,
    /// Columns over time.
    Column,
    /// Lines for trends.
    Line,
}

#[derive(Debug, Clone)]
pub struct Series {
    pub name: String,
    /// One value a category, in the categories' order.
    pub values: Vec<Shown>,
}

#[derive(Debug, Clone)]
pub struct Chart {
    /// Makes the SVG's ids unique on the page; also names the CSV.
    pub id: String,
    pub kind: Kind,
    /// The message, in words ("Most people were screened within the hour").
    pub title: String,
    /// What, where, when and how many.
    pub subtitle: String,
    /// The heading over the categories in the table ("Month", "Stage").
    pub category_heading: String,
    pub categories: Vec<String>,
    pub series: Vec<Series>,
    /// The unit in words ("people", "minutes", "per cent").
    pub unit: String,
    pub decimals: usize,
}

impl Chart {
    /// The colour of each series: blue and orange for two, the palette's order otherwise.
    fn colours(&self) -> Vec<&'static str> {
        match self.series.len() {
            2 => vec![PALETTE[0], PALETTE[3]],
            n => PALETTE.iter().copied().take(n.min(MAX_SERIES)).collect(),
        }
    }

    /// The series drawn (a fifth and later would need colours beyond the four allowed).
    fn drawn(&self) -> &[Series] {
        &self.series[..self.series.len().min(MAX_SERIES)]
    }

    /// A value as a reader sees it: thousands separated, or the hidden symbol.
    pub fn shown(&self, value: Shown) -> String {
        match value {
            Shown::Value(v) => with_separators(v, self.decimals),
            Shown::Hidden => HIDDEN.to_string(),
        }
    }

    /// Whether any value in the chart is hidden (the figure then explains `[c]`).
    fn any_hidden(&self) -> bool {
        self.series.iter().flat_map(|s| &s.values).any(|v| *v == Shown::Hidden)
    }

    /// The description read out with the picture: what, then each series' highest value.
    pub fn description(&self) -> String {
        let mut parts = vec![self.subtitle.clone()];
        for s in self.drawn() {
            let highest = s
                .values
                .iter()
                .zip(&self.categories)
                .filter_map(|(v, c)| match v {
                    Shown::Value(x) => Some((*x, c)),
                    Shown::Hidden => None,
                })
                .max_by(|a, b| a.0.total_cmp(&b.0));
            if let Some((v, category)) = highest {
                let name = if self.series.len() > 1 {
                    format!("{}: ", s.name)
                } else {
                    String::new()
                };
                let value = with_separators(v, self.decimals);
                parts.push(format!("{name}highest {value} {} ({category})", self.unit));
            }
        }
        parts.join(". ") + "."
    }

    /// The same numbers as the table, for download: plain numbers, `[c]` where hidden.
    pub fn csv(&self) -> String {
        let mut head = vec![self.category_heading.clone()];
        head.extend(self.series.iter().map(|s| s.name.clone()));
        let mut out = csv_line(&head);
        for (i, category) in self.categories.iter().enumerate() {
            let mut row = vec![category.clone()];
            row.extend(self.series.iter().map(|s| match s.values.get(i) {
                Some(Shown::Value(v)) => format!("{v:.prec$}", prec = self.decimals),
                Some(Shown::Hidden) => HIDDEN.to_string(),
                None => String::new(),
            }));
            out.push_str(&csv_line(&row));
        }
        out
    }

    /// The data table: caption, scoped column and row headers.
    pub fn table(&self) -> Markup {
        html! {
            div.app-table-wrap tabindex="0" role="region" aria-label={ "Data: " (self.title) } {
                table.app-table {
                    caption.app-table__caption { (self.title) " (" (self.unit) ")" }
                    thead { tr {
                        th scope="col" { (self.category_heading) }
                        @for s in &self.series { th.app-table__numeric scope="col" { (s.name) } }
                    } }
                    tbody { @for (i, category) in self.categories.iter().enumerate() { tr {
                        th scope="row" { (category) }
                        @for s in &self.series {
                            td.app-table__numeric { (s.values.get(i).map(|v| self.shown(*v)).unwrap_or_default()) }
                        }
                    } } }
                }
            }
        }
    }

    /// The whole figure: title and subtitle, picture, table, the note on hidden figures and
    /// the CSV link (`csv_href`, when the page offers one).
    pub fn figure(&self, csv_href: Option<&str>) -> Markup {
        html! {
            figure.app-chart {
                figcaption {
                    h3.app-heading-s { (self.title) }
                    p.app-hint { (self.subtitle) }
                }
                (svg::draw(self))
                (self.table())
                @if self.any_hidden() {
                    p.app-hint { "[c] marks a figure hidden because it is small enough to identify someone." }
                }
                @if let Some(href) = csv_href {
                    p { a href=(href) download { "Download these figures (CSV)" } }
                }
            }
        }
    }
}

/// `1234567.5` → `1,234,567.5` (to `decimals` places).
pub fn with_separators(v: f64, decimals: usize) -> String {
    let text = format!("{:.decimals$}", v.abs());
    let (whole, fraction) = text
        .split_once('.')
        .map_or((text.as_str(), None), |(w, f)| (w, Some(f)));
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if v < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
        "-"
    } else {
        ""
    };
    match fraction {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}
