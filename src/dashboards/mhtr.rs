//! The MHTR funnel (M1–M11): how many of the women referred in the period reached each stage,
//! the conversion between stages, sessions, how orders ended, and the days between stages.

use maud::{Markup, html};

use super::filters::{Filters, Scope};
use super::summary::{self, count, percent, value};
use super::{Env, Fields, Figures, View};
use crate::db::DbConnection;
use crate::domain::TeamKind;
use crate::domain::ids::TeamId;
use crate::domain::measures::rate;
use crate::domain::mhtr::funnel::{self, Funnel, M10_DEFINITION, M11_DEFINITION};
use crate::domain::period::Period;
use crate::views::chart::{Chart, Kind, Series};
use crate::views::components;
use crate::web::error::AppError;

pub const VIEW: View = View {
    slug: "mhtr",
    title: "MHTR funnel",
    lead: "The women referred to the MHTR service in the period, and how far each got: from identification to sentence, treatment and its end.",
    fields: Fields {
        period: true,
        site: false,
        age: false,
    },
    default_period: Period::year_of,
    build,
};

fn build(conn: &mut DbConnection, filters: &Filters, scope: &Scope, _env: &Env) -> Result<Figures, AppError> {
    let teams: Vec<TeamId> = scope
        .teams
        .iter()
        .filter(|t| t.kind == TeamKind::Mhtr)
        .filter(|t| filters.team.as_ref().is_none_or(|chosen| chosen == &t.id))
        .map(|t| t.id.clone())
        .collect();
    let (from, to) = filters.period.bounds();
    let cohort: Vec<_> = crate::mhtr::extract::journeys(conn, &teams)?
        .into_iter()
        .filter(|j| (from..to).contains(&j.referred_at))
        .collect();
    let f = funnel::funnel(&cohort);
    let described = filters.described(scope, VIEW.fields);
    let identified = f.stages.first().map_or(0, |s| s.count);
    let sentenced = f.stages.iter().find(|s| s.id == "M8").map_or(0, |s| s.count);
    let chart = Chart {
        id: "funnel".into(),
        kind: Kind::Bar,
        title: format!(
            "{} of {} women referred were sentenced with an MHTR",
            count(sentenced),
            count(identified)
        ),
        subtitle: format!("Women referred in the period who reached each stage, {described}"),
        category_heading: "Stage".into(),
        categories: f.stages.iter().map(|s| format!("{} {}", s.id, s.name)).collect(),
        series: vec![Series {
            name: "Women".into(),
            values: f.stages.iter().map(|s| value(s.count)).collect(),
        }],
        unit: "women".into(),
        decimals: 0,
    };
    Ok(Figures {
        summary: stages_table(&f),
        charts: vec![chart],
        after: after(&f),
    })
}

fn stages_table(f: &Funnel) -> Markup {
    let rows: Vec<Vec<Markup>> = f
        .stages
        .iter()
        .zip(f.conversions())
        .map(|(s, conversion)| {
            vec![
                html! { (s.id) },
                html! { (s.name) },
                html! { strong { (count(s.count)) } },
                html! { (conversion.map_or("–".to_string(), |r| percent(Some(r)))) },
                html! { (s.definition) },
            ]
        })
        .collect();
    components::table(
        "Stages M1 to M9",
        &["Measure", "Stage", "Women", "Of the stage before", "Definition"],
        &rows,
    )
}

fn days(median: Option<f64>, cases: usize) -> String {
    match median {
        Some(d) => format!(
            "{} days (median over {})",
            summary::count(d.round() as usize),
            count(cases)
        ),
        None => "none to count".into(),
    }
}

fn after(f: &Funnel) -> Markup {
    let endings: Vec<Vec<Markup>> = f
        .endings
        .iter()
        .map(|(ending, n)| vec![html! { (ending) }, html! { (count(*n)) }])
        .collect();
    html! {
        h3.app-heading-s { "Time between stages" }
        (components::summary_list(&[
            ("Assessment completed (M4) to sentence (M8)", html! { (days(f.days_m4_to_m8, f.m4_to_m8_cases)) }),
            ("Sentence (M8) to first session attended (M9)", html! { (days(f.days_m8_to_m9, f.m8_to_m9_cases)) }),
        ]))
        h3.app-heading-s { "M10 Sessions" }
        p { (count(f.sessions_attended)) " attended of " (count(f.sessions_offered)) " offered (" (percent(rate(f.sessions_attended, f.sessions_offered))) "). " (M10_DEFINITION) }
        h3.app-heading-s { "M11 How orders ended" }
        p { (M11_DEFINITION) }
        (components::table("Orders made with an MHTR, by how they ended", &["Ending", "Women"], &endings))
    }
}
