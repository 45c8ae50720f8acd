//! The commissioner view: exactly what leaves the organisation. The quarter's return, row for
//! row and column for column as the file has it, with small numbers suppressed under the
//! configured rule, and each column's meaning.

use maud::html;

use super::filters::{Filters, Scope};
use super::{Env, Fields, Figures, View};
use crate::db::DbConnection;
use crate::domain::period::Period;
use crate::returns::facts::{self, Counted, Dimensions, Selection};
use crate::returns::table::{self, Row};
use crate::returns::view::{definitions, return_table, rule_explained, rule_name};
use crate::views::chart::{Chart, Kind, Series};
use crate::web::error::AppError;

pub const VIEW: View = View {
    slug: "commissioner",
    title: "Commissioner view",
    lead: "The quarterly return as the commissioner receives it: by site and month, small numbers hidden.",
    fields: Fields {
        period: true,
        site: false,
        age: false,
    },
    default_period: Period::quarter_of,
    build,
};

/// The return covers whole quarters: a month or a year chosen shows the quarter it starts in.
fn quarter(period: Period) -> Period {
    Period::quarter_of(period.bounds().0)
}

fn build(conn: &mut DbConnection, filters: &Filters, scope: &Scope, env: &Env) -> Result<Figures, AppError> {
    let quarter = quarter(filters.period);
    let (from, to) = quarter.bounds();
    let selection = Selection {
        from,
        to,
        site: None,
        youth: None,
        ..filters.selection(scope)
    };
    let mut cells = table::Cells::new(env.now);
    facts::measure(conn, &selection, env.now, Dimensions::Whole, |counted| match counted {
        Counted::Episode(found) => cells.add(&found),
        Counted::Month(month) => cells.merge(&month),
    })?;
    let rows = cells.rows(quarter);
    let totals: Vec<&Row> = rows.iter().filter(|r| r.is_total()).collect();
    let chart = Chart {
        id: "alerts-by-month".into(),
        kind: Kind::Column,
        title: format!("Alerts and screenings as published, {}", quarter.label()),
        subtitle: format!("All sites, each month, under the {} rule", rule_name(env.rule)),
        category_heading: "Month".into(),
        categories: totals.iter().map(|r| r.month.label()).collect(),
        series: vec![
            Series {
                name: "Alerts".into(),
                values: totals
                    .iter()
                    .map(|r| env.rule.count(r.measures.alerts as i64))
                    .collect(),
            },
            Series {
                name: "Screened".into(),
                values: totals
                    .iter()
                    .map(|r| env.rule.count(r.measures.screened as i64))
                    .collect(),
            },
        ],
        unit: "alerts".into(),
        decimals: 0,
    };
    let summary = html! {
        @if quarter != filters.period {
            p { "The return covers whole quarters, so this shows " (quarter.label()) "." }
        }
        p { (rule_explained(env.rule)) " Percentages are worked from the unrounded counts and hidden when either count is; each month's total is worked from the unrounded figures, so it need not equal the sum of the rows." }
        (return_table(&rows, env.rule, quarter))
    };
    Ok(Figures {
        summary,
        charts: vec![chart],
        after: definitions(),
    })
}
