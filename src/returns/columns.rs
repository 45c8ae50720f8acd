//! The commissioner return's columns: the one place that maps Liaison's measures to the file.
//! No national field-level template for the L&D return is public; when the commissioner
//! issues theirs, it binds here (names, order, and which measure fills each column), and the
//! return page, the commissioner dashboard and the CSV all follow (docs/returns.md).

use crate::domain::measures::LdMeasures;
use crate::domain::suppression::{Rule, Shown};

/// How a column's value is made from one site's month, with the rule for figures that leave.
type Value = fn(&LdMeasures, Rule) -> Shown;

pub struct Column {
    pub name: &'static str,
    /// The measure it reports (LD01–LD10).
    pub measure: &'static str,
    pub meaning: &'static str,
    /// Decimal places shown: percentages one, counts and minutes none.
    pub decimals: usize,
    pub value: Value,
}

fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn source(m: &LdMeasures, codes: &[&str]) -> usize {
    codes
        .iter()
        .map(|c| m.alerts_by_source.get(*c).copied().unwrap_or(0))
        .sum()
}

/// MHSDS sources of referral with a column of their own; the rest (local codes for CPS,
/// defence and escorts, which the national list has no code for, and other national codes)
/// are counted as "other".
const OWN_SOURCES: [&str; 5] = ["E1", "E2", "E3", "E5", "E6"];

fn other_sources(m: &LdMeasures) -> usize {
    m.alerts - source(m, &OWN_SOURCES)
}

fn not_seen(m: &LdMeasures, reason: &str) -> usize {
    m.not_seen.get(reason).copied().unwrap_or(0)
}

macro_rules! counted {
    ($name:literal, $measure:literal, $meaning:literal, |$m:ident| $n:expr) => {
        Column {
            name: $name,
            measure: $measure,
            meaning: $meaning,
            decimals: 0,
            value: |$m, rule| rule.count(count($n)),
        }
    };
}

macro_rules! percent {
    ($name:literal, $measure:literal, $meaning:literal, |$m:ident| $num:expr, $den:expr) => {
        Column {
            name: $name,
            measure: $measure,
            meaning: $meaning,
            decimals: 1,
            value: |$m, rule| rule.percent(count($num), count($den)),
        }
    };
}

/// The measure columns, in file order. Each row also starts with the month and the site.
pub const COLUMNS: &[Column] = &[
    counted!("alerts", "LD01", "Alerts received in the month.", |m| m.alerts),
    counted!(
        "alerts_source_e1_police",
        "LD01",
        "Alerts from the police (MHSDS source E1).",
        |m| source(m, &["E1"])
    ),
    counted!("alerts_source_e2_courts", "LD01", "Alerts from courts (E2).", |m| {
        source(m, &["E2"])
    }),
    counted!(
        "alerts_source_e3_probation",
        "LD01",
        "Alerts from probation (E3).",
        |m| source(m, &["E3"])
    ),
    counted!(
        "alerts_source_e5_court_ld",
        "LD01",
        "Alerts from a court L&D service (E5).",
        |m| source(m, &["E5"])
    ),
    counted!(
        "alerts_source_e6_yot",
        "LD01",
        "Alerts from a youth offending team (E6).",
        |m| source(m, &["E6"])
    ),
    counted!(
        "alerts_source_other",
        "LD01",
        "Alerts from any other source, including the Crown Prosecution Service, defence solicitors and escorts, which have no MHSDS code.",
        |m| other_sources(m)
    ),
    counted!(
        "screened",
        "LD02",
        "Of the month's alerts, people screened by the data cut-off.",
        |m| m.screened
    ),
    percent!(
        "screening_rate_pct",
        "LD02",
        "Screened as a percentage of alerts.",
        |m| m.screened,
        m.alerts
    ),
    Column {
        name: "wait_median_minutes",
        measure: "LD03",
        meaning: "Median minutes from alert to the start of screening, over completed waits.",
        decimals: 0,
        value: |m, rule| match m.waits.median {
            Some(v) => rule.statistic(v, count(m.waits.completed)),
            None => Shown::Hidden,
        },
    },
    Column {
        name: "wait_p90_minutes",
        measure: "LD03",
        meaning: "90th percentile of minutes from alert to screening (nearest rank), over completed waits.",
        decimals: 0,
        value: |m, rule| match m.waits.p90 {
            Some(v) => rule.statistic(v as f64, count(m.waits.completed)),
            None => Shown::Hidden,
        },
    },
    percent!(
        "within_target_pct",
        "LD03",
        "Completed waits within the site's target, as a percentage.",
        |m| m.waits.within_target,
        m.waits.completed
    ),
    counted!(
        "not_seen",
        "LD04",
        "Alerts closed before the person was screened.",
        |m| m.not_seen.values().sum::<usize>()
    ),
    counted!("not_seen_released", "LD04", "Not seen: released before seen.", |m| {
        not_seen(m, "released-before-seen")
    }),
    counted!("not_seen_unfit", "LD04", "Not seen: unfit or intoxicated.", |m| {
        not_seen(m, "unfit-or-intoxicated")
    }),
    counted!("not_seen_declined", "LD04", "Not seen: declined.", |m| not_seen(
        m, "declined"
    )),
    counted!("not_seen_other", "LD04", "Not seen for any other reason.", |m| m
        .not_seen
        .values()
        .sum::<usize>()
        - not_seen(m, "released-before-seen")
        - not_seen(m, "unfit-or-intoxicated")
        - not_seen(m, "declined")),
    counted!("assessed", "LD05", "Screened people who were then assessed.", |m| m
        .assessed),
    percent!(
        "assessed_pct",
        "LD05",
        "Assessed as a percentage of screened.",
        |m| m.assessed,
        m.screened
    ),
    counted!("people_screened", "LD06", "Distinct people screened.", |m| m
        .screened_people),
    counted!(
        "people_vulnerable",
        "LD06",
        "Distinct screened people with at least one vulnerability.",
        |m| m.vulnerable
    ),
    percent!(
        "vulnerable_pct",
        "LD06",
        "People with a vulnerability as a percentage of people screened.",
        |m| m.vulnerable,
        m.screened_people
    ),
    counted!(
        "vulnerability_mental_health",
        "LD07",
        "Screenings that found a mental health need.",
        |m| m.vulnerability_mix.get("mental-health").copied().unwrap_or(0)
    ),
    counted!("referrals", "LD08", "Onward referrals made.", |m| m.referrals),
    percent!(
        "people_referred_pct",
        "LD08",
        "People with at least one onward referral, as a percentage of people alerted.",
        |m| m.referred,
        m.people
    ),
    counted!(
        "referrals_attended",
        "LD09",
        "Referrals whose first appointment was attended.",
        |m| m.uptake_attended
    ),
    percent!(
        "referral_uptake_pct",
        "LD09",
        "Attended as a percentage of referrals with a known outcome (attended or not); unknown outcomes are left out.",
        |m| m.uptake_attended,
        m.uptake_known
    ),
    counted!(
        "referrals_outcome_unknown",
        "LD09",
        "Referrals with no first-appointment outcome known yet.",
        |m| m.uptake_unknown
    ),
    counted!(
        "information_shared",
        "LD10",
        "Assessed episodes whose information was shared with a criminal justice decision-maker (police, CPS, court or probation).",
        |m| m.shared
    ),
    percent!(
        "information_shared_pct",
        "LD10",
        "Information shared as a percentage of assessed.",
        |m| m.shared,
        m.assessed
    ),
];

/// The columns before the measures.
pub const KEY_COLUMNS: [(&str, &str); 4] = [
    ("month", "The calendar month of the alert (Europe/London), as YYYY-MM."),
    (
        "site_id",
        "Liaison's identifier for the site; \"all\" on a month's total row.",
    ),
    ("site_name", "The site's name; \"All sites\" on a month's total row."),
    (
        "team_type",
        "MHSDS service team type: D02, criminal justice liaison and diversion.",
    ),
];

pub const TEAM_TYPE: &str = "D02";

/// The file's header line, in order.
pub fn header() -> Vec<&'static str> {
    KEY_COLUMNS
        .iter()
        .map(|(n, _)| *n)
        .chain(COLUMNS.iter().map(|c| c.name))
        .collect()
}

/// One row's measure cells as text, `[c]` where hidden.
pub fn cells(m: &LdMeasures, rule: Rule) -> Vec<String> {
    COLUMNS.iter().map(|c| (c.value)(m, rule).text(c.decimals)).collect()
}
