//! The equality view (LD11): the main measures by ethnic group, gender identity and age band,
//! so a difference in who is seen, how fast, and what follows is visible.

use maud::{Markup, html};

use super::filters::{Filters, Scope};
use super::summary::{self, count, minutes, percent};
use super::{Env, Fields, Figures, View};
use crate::db::DbConnection;
use crate::domain::codes::{ETHNIC_GROUPS, GENDER_IDENTITY, label_of};
use crate::domain::measures::{ByGroup, LdMeasures};
use crate::domain::mhtr::AGE_BANDS;
use crate::domain::period::Period;
use crate::returns::facts::{self, Counted, Dimensions};
use crate::views::chart::{Chart, Kind, Series};
use crate::views::components;
use crate::web::error::AppError;

pub const VIEW: View = View {
    slug: "equality",
    title: "Equality dashboard",
    lead: "Who is alerted, screened, assessed and referred on, by ethnic group, gender identity and age band (LD11).",
    fields: Fields {
        period: true,
        site: true,
        age: true,
    },
    default_period: Period::month_of,
    build,
};

const NOT_KNOWN: &str = "Not known";

fn build(conn: &mut DbConnection, filters: &Filters, scope: &Scope, env: &Env) -> Result<Figures, AppError> {
    let now = env.now;
    let (mut ethnic, mut gender, mut ages) = (ByGroup::new(now), ByGroup::new(now), ByGroup::new(now));
    let mut alerts = 0;
    facts::measure(
        conn,
        &filters.selection(scope),
        now,
        Dimensions::Equality,
        |counted| match counted {
            Counted::Episode(found) => {
                let f = found.fact();
                alerts += 1;
                ethnic.add(found.ethnic_group(), &f);
                gender.add(found.gender_identity(), &f);
                ages.add(found.age_band(), &f);
            }
            Counted::Month(month) => {
                let (tally, people) = (&month.tally, &month.people);
                match month.dimension.as_str() {
                    facts::ETHNIC => {
                        alerts += tally.alerts;
                        ethnic.merge(&month.group, tally, people);
                    }
                    facts::GENDER => gender.merge(&month.group, tally, people),
                    facts::AGE => ages.merge(&month.group, tally, people),
                    _ => {}
                }
            }
        },
    )?;
    let described = filters.described(scope, VIEW.fields);
    let ethnic = ethnic.finish(&ETHNIC_GROUPS);
    let gender_codes: Vec<&str> = GENDER_IDENTITY.iter().map(|(c, _)| *c).collect();
    let gender: Vec<(String, LdMeasures)> = gender
        .finish(&gender_codes)
        .into_iter()
        .map(|(code, m)| (label_of(GENDER_IDENTITY, &code).unwrap_or(NOT_KNOWN).to_string(), m))
        .collect();
    let mut bands: Vec<&str> = AGE_BANDS.to_vec();
    bands.push(NOT_KNOWN);
    let ages = ages.finish(&bands);
    let charts = vec![
        rate_chart(
            "screened-by-ethnic-group",
            "Screening rate by ethnic group",
            &ethnic,
            &described,
        ),
        rate_chart("screened-by-age-band", "Screening rate by age band", &ages, &described),
    ];
    let after = html! {
        (group_table("By ethnic group", "Ethnic group", &ethnic))
        (group_table("By gender identity", "Gender identity", &gender))
        (group_table("By age band (age on the day of the alert)", "Age band", &ages))
        p.app-hint { "Ethnic groups are the NHS Data Dictionary's: \"Not stated\" means the person was asked and declined; \"Not known\" that nobody asked or nothing is recorded." }
    };
    Ok(Figures {
        summary: html! { p { (count(alerts)) " alerts in all. Percentages are of each group's own alerts, screenings or referrals." } },
        charts,
        after,
    })
}

fn group_table(caption: &str, heading: &str, groups: &[(String, LdMeasures)]) -> Markup {
    let rows: Vec<Vec<Markup>> = groups
        .iter()
        .map(|(group, m)| {
            vec![
                html! { (group) },
                html! { (count(m.alerts)) },
                html! { (percent(m.screening_rate())) },
                html! { (minutes(m.waits.median)) },
                html! { (percent(m.assessed_rate())) },
                html! { (percent(m.vulnerable_rate())) },
                html! { (percent(m.referred_rate())) },
                html! { (percent(m.uptake_rate())) },
            ]
        })
        .collect();
    let headings = [
        heading,
        "Alerts (LD01)",
        "Screened (LD02)",
        "Median wait (LD03)",
        "Assessed, of screened (LD05)",
        "With a vulnerability (LD06)",
        "Referred on (LD08)",
        "Uptake (LD09)",
    ];
    components::table(caption, &headings, &rows)
}

fn rate_chart(id: &str, title: &str, groups: &[(String, LdMeasures)], described: &str) -> Chart {
    let shown: Vec<&(String, LdMeasures)> = groups.iter().filter(|(_, m)| m.alerts > 0).collect();
    Chart {
        id: id.into(),
        kind: Kind::Bar,
        title: title.into(),
        subtitle: format!("Alerts screened, as a percentage of each group's alerts, {described}"),
        category_heading: "Group".into(),
        categories: shown.iter().map(|(g, _)| g.clone()).collect(),
        series: vec![Series {
            name: "Screened".into(),
            values: shown
                .iter()
                .map(|(_, m)| summary::rate_value(m.screening_rate()))
                .collect(),
        }],
        unit: "per cent".into(),
        decimals: 1,
    }
}
