//! The warnings: shown before the return is locked, for someone to look at; none stops it.

use std::collections::BTreeMap;

use super::*;
use crate::domain::local_time::duration;
use crate::domain::measures::rate;
use crate::domain::period::Period;

const HOUR: Millis = 3_600_000;
const DAY: Millis = 24 * HOUR;
/// Alerts for the same person at the same site this close together may be one alert twice.
const CLOSE_ALERTS: Millis = DAY;
/// An episode open longer than this after its alert is probably finished and not closed.
const LONG_OPEN: Millis = 90 * DAY;
/// Warn when more than this share of records (in per cent) …
/// … has ethnic category not stated, not known or missing;
const ETHNICITY_NOT_STATED_PERCENT: usize = 10;
/// … has no NHS number;
const NHS_NUMBER_MISSING_PERCENT: usize = 5;
/// … and when a site's alerts change by more than this from one month to the next.
const MONTH_ON_MONTH_PERCENT: usize = 30;

pub(super) fn warnings(
    records: &[ReturnRecord],
    previous_month_alerts: &BTreeMap<String, usize>,
    now: Millis,
) -> Vec<Finding> {
    let mut found = Vec::new();
    found.extend(ethnicity_not_stated(records));
    found.extend(nhs_number_missing(records));
    found.extend(close_alerts(records));
    found.extend(month_on_month(records, previous_month_alerts));
    found.extend(records.iter().filter_map(|r| open_too_long(r, now)));
    found.extend(records.iter().filter_map(no_vulnerability));
    found
}

/// `part` is more than `percent`% of `whole`, in whole numbers so that exactly the threshold
/// does not count.
fn above(part: usize, whole: usize, percent: usize) -> bool {
    part * 100 > whole * percent
}

/// "15%", to the nearest whole per cent.
fn percent(part: usize, whole: usize) -> String {
    rate(part, whole).map_or_else(String::new, |p| format!("{p:.0}%"))
}

/// "3 of 20 records (15%)".
fn share(part: usize, whole: usize) -> String {
    format!("{part} of {whole} records ({})", percent(part, whole))
}

/// Ethnic category Z (not stated), 99 (not known) or missing on more than 10% of records.
fn ethnicity_not_stated(records: &[ReturnRecord]) -> Option<Finding> {
    let unstated = records
        .iter()
        .filter(|r| matches!(recorded_opt(&r.ethnic_category), None | Some("Z" | "99")))
        .count();
    above(unstated, records.len(), ETHNICITY_NOT_STATED_PERCENT).then(|| Finding {
        check: "ethnicity-not-stated",
        field: ETHNIC_CATEGORY,
        episode_id: None,
        message: format!(
            "Ethnic category is not stated, not known or missing for {}, more than \
             {ETHNICITY_NOT_STATED_PERCENT}%. Ask people their ethnic category and record it on their records.",
            share(unstated, records.len())
        ),
    })
}

/// The shared document warns when NHS number status is other than 01 (present and verified)
/// on more than 5% of records. Liaison stores no NHS number status, only the number, checked
/// when typed: a missing number stands in for a status other than 01.
fn nhs_number_missing(records: &[ReturnRecord]) -> Option<Finding> {
    let missing = records.iter().filter(|r| recorded_opt(&r.nhs_number).is_none()).count();
    above(missing, records.len(), NHS_NUMBER_MISSING_PERCENT).then(|| Finding {
        check: "nhs-number-missing",
        field: NHS_NUMBER,
        episode_id: None,
        message: format!(
            "No NHS number is recorded for {}, more than {NHS_NUMBER_MISSING_PERCENT}%. \
             Trace the missing numbers and add them to the people's records.",
            share(missing, records.len())
        ),
    })
}

/// Alerts for the same person at the same site within 24 hours of each other (24 hours
/// exactly included): one finding for each pair, naming the later episode. An episode id met
/// twice counts once (its repeat blocks the return anyway).
fn close_alerts(records: &[ReturnRecord]) -> Vec<Finding> {
    let mut seen = foldhash::HashSet::default();
    let mut by_person_and_site: foldhash::HashMap<(&str, &str), Vec<&ReturnRecord>> = foldhash::HashMap::default();
    for r in records.iter().filter(|r| seen.insert(r.episode_id.as_str())) {
        by_person_and_site
            .entry((r.person_id.as_str(), r.site_id.as_str()))
            .or_default()
            .push(r);
    }
    // Hashed for speed over a quarter's records; only repeats matter, in a stable order.
    let mut repeats: Vec<((&str, &str), Vec<&ReturnRecord>)> = by_person_and_site
        .into_iter()
        .filter(|(_, alerts)| alerts.len() > 1)
        .collect();
    repeats.sort_unstable_by_key(|(key, _)| *key);
    let mut found = Vec::new();
    for (_, mut alerts) in repeats {
        alerts.sort_by(|a, b| (a.alert_at, &a.episode_id).cmp(&(b.alert_at, &b.episode_id)));
        for (i, earlier) in alerts.iter().enumerate() {
            let close = alerts[i + 1..]
                .iter()
                .take_while(|later| later.alert_at - earlier.alert_at <= CLOSE_ALERTS);
            for later in close {
                found.push(Finding {
                    check: "close-alerts",
                    field: "Alert",
                    episode_id: Some(later.episode_id.clone()),
                    message: format!(
                        "Episode {} was alerted {} earlier for the same person at {}. If both record the same \
                         alert, close this one as a duplicate; if they are separate alerts, nothing needs correcting.",
                        earlier.episode_id,
                        duration(later.alert_at - earlier.alert_at),
                        later.site_name
                    ),
                });
            }
        }
    }
    found
}

/// The months of the quarter, in order: from the first month any record's alert falls in
/// (Europe/London) to the last, with any month between.
fn quarter_months(records: &[ReturnRecord]) -> Vec<Period> {
    let alerts = || records.iter().map(|r| r.alert_at);
    let (Some(first), Some(last)) = (alerts().min(), alerts().max()) else {
        return Vec::new();
    };
    let (mut month, last) = (Period::month_of(first), Period::month_of(last));
    let mut out = Vec::new();
    while month <= last {
        out.push(month);
        month = Period::month_of(month.bounds().1);
    }
    out
}

/// Each site's alerts in each month of the quarter against the month before: more than 30%
/// up or down warns. The quarter's first month is compared with `previous_month_alerts`; no
/// comparison is made with a month that had no alerts. A site in `previous_month_alerts` with
/// no records is compared too (its alerts fell to none).
fn month_on_month(records: &[ReturnRecord], previous_month_alerts: &BTreeMap<String, usize>) -> Vec<Finding> {
    let mut sites: BTreeMap<&str, &str> = previous_month_alerts
        .keys()
        .map(|id| (id.as_str(), id.as_str()))
        .collect();
    let mut alerts: BTreeMap<(&str, Period), usize> = BTreeMap::new();
    for r in records {
        sites.insert(&r.site_id, &r.site_name);
        *alerts.entry((&r.site_id, Period::month_of(r.alert_at))).or_default() += 1;
    }
    let months = quarter_months(records);
    let mut found = Vec::new();
    for (site, name) in sites {
        let mut before = previous_month_alerts.get(site).copied().unwrap_or(0);
        for month in &months {
            let alerted = alerts.get(&(site, *month)).copied().unwrap_or(0);
            let change = alerted.abs_diff(before);
            if before > 0 && above(change, before, MONTH_ON_MONTH_PERCENT) {
                let previous = month.previous().label();
                found.push(Finding {
                    check: "month-on-month",
                    field: "Alerts",
                    episode_id: None,
                    message: format!(
                        "Alerts at {name} {} from {before} in {previous} to {alerted} in {}, a change of {}, more than \
                         {MONTH_ON_MONTH_PERCENT}%. Check that no alerts are missing or recorded twice; if the \
                         change is real, nothing needs correcting.",
                        if alerted > before { "rose" } else { "fell" },
                        month.label(),
                        percent(change, before),
                    ),
                });
            }
            before = alerted;
        }
    }
    found
}

/// Not closed more than 90 days (elapsed time) after the alert.
fn open_too_long(r: &ReturnRecord, now: Millis) -> Option<Finding> {
    let open = now - r.alert_at;
    (r.closed_at.is_none() && open > LONG_OPEN).then(|| Finding {
        check: "open-over-90-days",
        field: "Discharge",
        episode_id: Some(r.episode_id.clone()),
        message: format!(
            "The episode is still open {} days after its alert, more than 90. Close it if the work has \
             finished; if it continues, nothing needs correcting.",
            open / DAY
        ),
    })
}

/// Screening started but nothing recorded from it: no vulnerability and no "none identified".
fn no_vulnerability(r: &ReturnRecord) -> Option<Finding> {
    (screened(r) && r.vulnerabilities.iter().all(|v| recorded(v).is_none())).then(|| Finding {
        check: "no-vulnerability",
        field: VULNERABILITY,
        episode_id: Some(r.episode_id.clone()),
        message: "The person was screened but no vulnerability is recorded, not even \"none identified\". \
                  Record what the screening found on the episode."
            .to_string(),
    })
}
