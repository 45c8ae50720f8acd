//! The service view: a month (or quarter, or year) of LD01–LD10 for the team lead, with
//! screening times against each site's target.

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate};
use maud::html;

use super::filters::{Filters, Scope};
use super::summary::{self, Line, count, counted, minutes, percent, value};
use super::{Env, Fields, Figures, View};
use crate::clock::Millis;
use crate::db::DbConnection;
use crate::domain::codes::{NOT_SEEN_REASONS, POINTS_OF_CONTACT, REFERRAL_SOURCES, VULNERABILITIES};
use crate::domain::local_time::local_date;
use crate::domain::measures::{ByGroup, Ld, LdMeasures};
use crate::domain::period::Period;
use crate::returns::facts::{self, Counted, Dimensions};
use crate::views::chart::{Chart, Kind, Series};
use crate::web::error::AppError;

pub const VIEW: View = View {
    slug: "service",
    title: "Service dashboard",
    lead: "Alerts, screening times against target, vulnerabilities, onward referrals and information shared, for a month or longer.",
    fields: Fields {
        period: true,
        site: true,
        age: true,
    },
    default_period: Period::month_of,
    build,
};

fn build(conn: &mut DbConnection, filters: &Filters, scope: &Scope, env: &Env) -> Result<Figures, AppError> {
    let now = env.now;
    let (mut all, mut by_site) = (Ld::new(now), ByGroup::new(now));
    let mut targets: BTreeMap<String, i32> = BTreeMap::new();
    let mut weeks = Weeks::new(filters.period);
    let yearly = weeks.yearly;
    let mut visit = |counted: Counted| match counted {
        Counted::Episode(found) => {
            let fact = found.fact();
            all.add(&fact);
            by_site.add(&found.site.name, &fact);
            targets
                .entry(found.site.name.clone())
                .or_insert(found.site.target_minutes);
            weeks.add(
                fact.alert_at,
                1,
                usize::from(fact.screening_started_at.is_some_and(|at| at <= now)),
            );
        }
        Counted::Month(month) => {
            all.merge(&month.tally, &month.people);
            by_site.merge(&month.site.name, &month.tally, &month.people);
            targets
                .entry(month.site.name.clone())
                .or_insert(month.site.target_minutes);
            weeks.add(month.month_from, month.tally.alerts, month.tally.screened);
        }
    };
    let selection = filters.selection(scope);
    // A year is charted by month, so whole months' tallies serve; shorter periods by week.
    if yearly {
        facts::measure(conn, &selection, now, Dimensions::Whole, visit)?;
    } else {
        facts::each(conn, &selection, |found| visit(Counted::Episode(found)))?;
    }
    let m = all.finish();
    let sites: Vec<(String, i32, LdMeasures)> = by_site
        .finish(&[])
        .into_iter()
        .map(|(name, measured)| {
            let target = targets.get(&name).copied().unwrap_or_default();
            (name, target, measured)
        })
        .collect();
    let described = filters.described(scope, VIEW.fields);
    let charts = vec![
        waits_by_site(&sites, &m, &described),
        weeks.chart(&described),
        summary::bars_of(
            "vulnerabilities",
            "Vulnerabilities found at screening".into(),
            format!(
                "Screenings that found each vulnerability (one screening may find several), {described}; {} screened",
                count(m.screened)
            ),
            "Vulnerability",
            &m.vulnerability_mix,
            VULNERABILITIES,
        ),
        summary::bars_of(
            "not-seen",
            "Why people were not seen".into(),
            format!("Alerts closed before screening, by reason, {described}"),
            "Reason",
            &m.not_seen,
            NOT_SEEN_REASONS,
        ),
        summary::bars_of(
            "sources",
            "Who raised the alerts".into(),
            format!("Alerts by source of referral, {described}; {} alerts", count(m.alerts)),
            "Source",
            &m.alerts_by_source,
            REFERRAL_SOURCES,
        ),
        summary::bars_of(
            "points-of-contact",
            "Where L&D met people".into(),
            format!("Alerts by point of contact, {described}"),
            "Point of contact",
            &m.alerts_by_point,
            POINTS_OF_CONTACT,
        ),
    ];
    Ok(Figures {
        summary: summary::table("Measures LD01 to LD10", &lines(&m)),
        charts,
        after: html! {},
    })
}

pub fn lines(m: &LdMeasures) -> Vec<Line> {
    vec![
        Line {
            id: "LD01",
            name: "Alerts",
            figure: count(m.alerts),
            definition: "Alerts received in the period: each time L&D was asked to see someone.",
        },
        Line {
            id: "LD02",
            name: "Screened",
            figure: format!("{} ({})", count(m.screened), percent(m.screening_rate())),
            definition: "Of the period's alerts, those screened by now, as a share of alerts.",
        },
        Line {
            id: "LD03",
            name: "Time to screening",
            figure: format!(
                "median {}; 90th percentile {}",
                minutes(m.waits.median),
                minutes(m.waits.p90.map(|v| v as f64))
            ),
            definition: "Minutes from alert to the start of screening, over completed waits only. The 90th percentile is the wait nine in ten people waited no longer than.",
        },
        Line {
            id: "LD03",
            name: "Within target",
            figure: format!(
                "{} of {} ({})",
                count(m.waits.within_target),
                count(m.waits.completed),
                percent(m.within_target_rate())
            ),
            definition: "Completed waits no longer than the site's target.",
        },
        Line {
            id: "Live",
            name: "Still waiting",
            figure: format!(
                "{}{}",
                count(m.still_waiting),
                m.oldest_wait
                    .map(|w| format!(", longest {}", minutes(Some(w as f64))))
                    .unwrap_or_default()
            ),
            definition: "Alerts in the period neither screened nor closed: counted apart, not in the waiting times.",
        },
        Line {
            id: "LD04",
            name: "Not seen",
            figure: count(m.not_seen.values().sum()),
            definition: "Alerts closed before the person was screened; the reasons are charted below.",
        },
        Line {
            id: "LD05",
            name: "Assessed",
            figure: format!("{} ({} of screened)", count(m.assessed), percent(m.assessed_rate())),
            definition: "Screened people who went on to a full assessment.",
        },
        Line {
            id: "LD06",
            name: "People with a vulnerability",
            figure: format!(
                "{} of {} people screened ({})",
                count(m.vulnerable),
                count(m.screened_people),
                percent(m.vulnerable_rate())
            ),
            definition: "Distinct people screened with at least one vulnerability; \"none identified\" is not one.",
        },
        Line {
            id: "LD08",
            name: "Onward referrals",
            figure: format!(
                "{}; {} of people referred on",
                counted(m.referrals, "referral", "referrals"),
                percent(m.referred_rate())
            ),
            definition: "Referrals to partner services, and the share of people alerted with at least one.",
        },
        Line {
            id: "LD09",
            name: "Referral uptake",
            figure: format!(
                "{} ({} of {} known); {} not yet known",
                percent(m.uptake_rate()),
                count(m.uptake_attended),
                count(m.uptake_known),
                count(m.uptake_unknown)
            ),
            definition: "First appointments attended, of referrals whose outcome is known; unknown outcomes are shown apart.",
        },
        Line {
            id: "LD10",
            name: "Information shared",
            figure: format!("{} ({} of assessed)", count(m.shared), percent(m.shared_rate())),
            definition: "Assessed episodes whose information went to a criminal justice decision-maker: police, CPS, court or probation.",
        },
    ]
}

fn waits_by_site(sites: &[(String, i32, LdMeasures)], m: &LdMeasures, described: &str) -> Chart {
    let title = match m.within_target_rate() {
        Some(r) => format!("{} of completed waits were within the site's target", percent(Some(r))),
        None => "No completed waits to compare with the target".to_string(),
    };
    Chart {
        id: "waits".into(),
        kind: Kind::Bar,
        title,
        subtitle: format!(
            "Median minutes from alert to screening, and each site's target, {described}; {} completed waits",
            count(m.waits.completed)
        ),
        category_heading: "Site".into(),
        categories: sites.iter().map(|(name, _, _)| name.clone()).collect(),
        series: vec![
            Series {
                name: "Median wait".into(),
                values: sites
                    .iter()
                    .map(|(_, _, s)| summary::rate_value(s.waits.median))
                    .collect(),
            },
            Series {
                name: "Site target".into(),
                values: sites.iter().map(|(_, t, _)| value(*t as usize)).collect(),
            },
        ],
        unit: "minutes".into(),
        decimals: 0,
    }
}

/// Alerts and screenings by the week (Monday) the alert fell in; by month over a year.
struct Weeks {
    yearly: bool,
    buckets: BTreeMap<NaiveDate, (usize, usize)>,
}

impl Weeks {
    /// Every week (or month) of the period, empty ones too.
    fn new(period: Period) -> Weeks {
        let (from, to) = period.bounds();
        let mut weeks = Weeks {
            yearly: matches!(period, Period::Year(_)),
            buckets: BTreeMap::new(),
        };
        let mut day = local_date(from);
        while day <= local_date(to - 1) {
            weeks.buckets.insert(weeks.bucket(day), (0, 0));
            day += Duration::days(1);
        }
        weeks
    }

    fn bucket(&self, d: NaiveDate) -> NaiveDate {
        match self.yearly {
            true => d.with_day(1).unwrap_or(d),
            false => d - Duration::days(i64::from(d.weekday().num_days_from_monday())),
        }
    }

    fn add(&mut self, alert_at: Millis, alerts: usize, screened: usize) {
        let counts = self.buckets.entry(self.bucket(local_date(alert_at))).or_default();
        counts.0 += alerts;
        counts.1 += screened;
    }

    fn chart(&self, described: &str) -> Chart {
        let (what, format) = if self.yearly {
            ("Month", "%b %Y")
        } else {
            ("Week beginning", "%-d %b")
        };
        let buckets = &self.buckets;
        Chart {
            id: "weeks".into(),
            kind: Kind::Column,
            title: if self.yearly {
                "Alerts and screenings, month by month"
            } else {
                "Alerts and screenings, week by week"
            }
            .into(),
            subtitle: format!("Alerts, and those screened, by when the alert came, {described}"),
            category_heading: what.into(),
            categories: buckets.keys().map(|d| d.format(format).to_string()).collect(),
            series: vec![
                Series {
                    name: "Alerts".into(),
                    values: buckets.values().map(|w| value(w.0)).collect(),
                },
                Series {
                    name: "Screened".into(),
                    values: buckets.values().map(|w| value(w.1)).collect(),
                },
            ],
            unit: "alerts".into(),
            decimals: 0,
        }
    }
}
