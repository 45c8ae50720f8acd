//! How a return's figures read on a page: the rule in words, the table exactly as the file
//! has it, and each column's meaning. The commissioner dashboard shows the same.

use maud::{Markup, html};

use super::columns::{self, COLUMNS, KEY_COLUMNS};
use super::table::Row;
use crate::domain::period::Period;
use crate::domain::suppression::{HIDDEN, Rule};
use crate::views::components;

pub fn rule_name(rule: Rule) -> &'static str {
    match rule {
        Rule::Hes => "Hospital Episode Statistics",
        Rule::MentalHealthStatistics => "mental health statistics",
    }
}

pub fn rule_explained(rule: Rule) -> String {
    match rule {
        Rule::Hes => format!(
            "Counts from 1 to 7 are shown as {HIDDEN} and other counts are rounded to the nearest 5 (the Hospital Episode Statistics rule)."
        ),
        Rule::MentalHealthStatistics => format!(
            "Counts under 5, zero included, are shown as {HIDDEN} and other counts are rounded to the nearest 5 (NHS England's mental health statistics rule)."
        ),
    }
}

/// The return's rows as the file has them.
pub fn return_table(rows: &[Row], rule: Rule, quarter: Period) -> Markup {
    let cells: Vec<Vec<Markup>> = rows
        .iter()
        .map(|r| r.cells(rule).into_iter().map(|c| html! { (c) }).collect())
        .collect();
    components::table(
        &format!("The return for {}, as sent", quarter.label()),
        &columns::header(),
        &cells,
    )
}

/// Each column's meaning: the file's documented header.
pub fn definitions() -> Markup {
    let rows: Vec<Vec<Markup>> = KEY_COLUMNS
        .iter()
        .map(|(name, meaning)| vec![html! { code { (name) } }, html! { "–" }, html! { (meaning) }])
        .chain(COLUMNS.iter().map(|c| {
            vec![
                html! { code { (c.name) } },
                html! { (c.measure) },
                html! { (c.meaning) },
            ]
        }))
        .collect();
    html! {
        h3.app-heading-s { "The columns" }
        p { "No national template for the L&D return is public: these columns are Liaison's, and the commissioner's own template binds to them in one place when it is issued." }
        (components::table("Columns of the return, in file order", &["Column", "Measure", "Meaning"], &rows))
    }
}
