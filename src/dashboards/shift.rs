//! The shift view: live, for the team on shift. Who is waiting now at each site (however long
//! ago the alert), and today's alerts, screenings and waits. Read from the episodes directly,
//! through the open-episodes index, like the live list.

use std::collections::BTreeMap;

use diesel::prelude::*;
use maud::{Markup, html};

use super::filters::{Filters, Scope};
use super::summary::{count, minutes, percent, value};
use super::{Env, Fields, Figures, View};
use crate::clock::Millis;
use crate::db::schema::episodes;
use crate::db::{DbConnection, one_of};
use crate::domain::local_time::start_of_local_day;
use crate::domain::measures::{Fact, LdMeasures, ld};
use crate::domain::period::Period;
use crate::returns::facts::{self, Selection};
use crate::views::chart::{Chart, Kind, Series};
use crate::views::components;
use crate::web::error::AppError;

pub const VIEW: View = View {
    slug: "shift",
    title: "Shift dashboard",
    lead: "Who is waiting to be screened now at each site, and today's alerts and waits.",
    fields: Fields {
        period: false,
        site: true,
        age: true,
    },
    default_period: Period::month_of,
    build,
};

const MINUTE: Millis = 60_000;

fn build(conn: &mut DbConnection, filters: &Filters, scope: &Scope, env: &Env) -> Result<Figures, AppError> {
    let now = env.now;
    let chosen = filters.selection(scope);
    let today = Selection {
        from: start_of_local_day(now),
        to: now + 1,
        ..chosen.clone()
    };
    let mut found = Vec::new();
    facts::each(conn, &today, |f| found.push(f))?;
    let mut by_site: BTreeMap<&str, Vec<Fact>> = BTreeMap::new();
    for f in &found {
        by_site.entry(f.site.id.as_str()).or_default().push(f.fact());
    }
    let sites: Vec<_> = scope
        .sites
        .iter()
        .filter(|s| s.active && chosen.teams.contains(&s.team_id))
        .filter(|s| chosen.site.as_ref().is_none_or(|id| id == &s.id))
        .collect();
    let site_ids: Vec<String> = sites.iter().map(|s| s.id.to_string()).collect();
    let mut waiting = episodes::table
        .filter(one_of(episodes::site_id, &site_ids))
        .filter(episodes::closed_at.is_null())
        .filter(episodes::screening_started_at.is_null())
        .filter(episodes::alert_at.le(now))
        .select((episodes::site_id, episodes::alert_at))
        .into_boxed();
    if let Some(youth) = chosen.youth {
        waiting = waiting.filter(episodes::youth.eq(youth));
    }
    let mut waiting_at: BTreeMap<String, (usize, Millis)> = BTreeMap::new();
    let open = if site_ids.is_empty() {
        Vec::new()
    } else {
        waiting.load::<(String, Millis)>(conn)?
    };
    for (site, alert_at) in open {
        let entry = waiting_at.entry(site).or_insert((0, now));
        entry.0 += 1;
        entry.1 = entry.1.min(alert_at);
    }
    let rows: Vec<Row> = sites
        .iter()
        .map(|s| {
            let (waiting, oldest) = waiting_at.get(s.id.as_str()).copied().unwrap_or((0, now));
            Row {
                name: s.name.clone(),
                waiting,
                longest: (waiting > 0).then(|| (now - oldest) / MINUTE),
                today: ld(by_site.get(s.id.as_str()).map_or(&[][..], Vec::as_slice), now),
            }
        })
        .collect();
    let total: usize = rows.iter().map(|r| r.waiting).sum();
    let chart = Chart {
        id: "waiting".into(),
        kind: Kind::Bar,
        title: format!("{} waiting to be screened now", people(total)),
        subtitle: format!(
            "People alerted and not yet screened, by site, {}",
            filters.described(scope, VIEW.fields).to_lowercase()
        ),
        category_heading: "Site".into(),
        categories: rows.iter().map(|r| r.name.clone()).collect(),
        series: vec![Series {
            name: "Waiting now".into(),
            values: rows.iter().map(|r| value(r.waiting)).collect(),
        }],
        unit: "people".into(),
        decimals: 0,
    };
    Ok(Figures {
        summary: table(&rows),
        charts: vec![chart],
        after: html! { p.app-hint { "Counted when the page was drawn: reload it for the latest figures. Waits count from the alert; \"today\" is since midnight." } },
    })
}

fn people(n: usize) -> String {
    match n {
        1 => "1 person".into(),
        n => format!("{} people", count(n)),
    }
}

struct Row {
    name: String,
    waiting: usize,
    longest: Option<i64>,
    today: LdMeasures,
}

fn table(rows: &[Row]) -> Markup {
    let cells: Vec<Vec<Markup>> = rows
        .iter()
        .map(|r| {
            vec![
                html! { (r.name) },
                html! { (count(r.waiting)) },
                html! { (r.longest.map_or("nobody waiting".to_string(), |m| minutes(Some(m as f64)))) },
                html! { (count(r.today.alerts)) },
                html! { (count(r.today.screened)) },
                html! { (minutes(r.today.waits.median)) },
                html! { (percent(r.today.within_target_rate())) },
            ]
        })
        .collect();
    let headings = [
        "Site",
        "Waiting now",
        "Longest wait now",
        "Alerts today",
        "Screened today",
        "Median wait today",
        "Within target today",
    ];
    components::table("Each site now and today", &headings, &cells)
}
