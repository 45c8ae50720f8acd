//! The measures: each page, fragment, search and write, run at one client and at N clients
//! in turn, side by side with /healthz as the baseline.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use super::http::{Browser, Conn};
use super::load::{self, MakeRequest, Stats};
use super::setup::Plan;
use super::signin::SignedIn;

/// One thing measured, and how to ask for it.
pub struct Spec {
    pub key: String,
    pub label: String,
    pub method: &'static str,
    pub path: String,
    /// The status a working request gets.
    pub expect: u16,
    make: MakeRequest,
}

/// One measure's results at each number of clients.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Measured {
    pub key: String,
    pub label: String,
    pub method: &'static str,
    pub path: String,
    /// The status of a first, unmeasured request, when it was not the expected one.
    pub unexpected_status: Option<u16>,
    pub runs: Vec<Stats>,
}

fn get(key: &str, label: String, path: String, browser: &Browser, htmx: bool) -> Spec {
    let request = browser.get(&path, htmx, true);
    Spec {
        key: key.into(),
        label,
        method: "GET",
        path,
        expect: 200,
        make: Arc::new(move |_| request.clone()),
    }
}

fn search_path(fields: &[(&str, &str)]) -> String {
    format!(
        "/people/search?{}",
        serde_urlencoded::to_string(fields).unwrap_or_default()
    )
}

/// Every measure, in the order they run.
pub fn specs(plan: &Plan, signed_in: &SignedIn) -> Vec<Spec> {
    let b = &signed_in.browser;
    // A health probe carries no cookie, so this is the server's floor: routing and middleware.
    let probe = Browser {
        host: b.host.clone(),
        cookies: Vec::new(),
    };
    let list = format!("/sites/{}/list", plan.site_id);
    let mut specs = vec![
        get("healthz", "/healthz".into(), "/healthz".into(), &probe, false),
        get("list_page", "Live list, full page".into(), list.clone(), b, false),
        get("list_fragment", "Live list, htmx fragment".into(), list, b, true),
        get(
            "episode_page",
            "Episode page".into(),
            format!("/episodes/{}", plan.episode_id),
            b,
            false,
        ),
    ];
    for p in &plan.picked {
        specs.push(get(
            &format!("person_{}", p.target),
            format!("Person, {} episode{} (~{})", p.episodes, plural(p.episodes), p.target),
            format!("/people/{}", p.person_id),
            b,
            false,
        ));
    }
    let s = &plan.search;
    let (day, month, year) = (&s.dob.0, &s.dob.1, &s.dob.2);
    if let Some(nhs) = &s.nhs_number {
        let path = search_path(&[("nhs_number", nhs)]);
        specs.push(get("search_nhs_number", "Search: NHS number".into(), path, b, false));
    }
    let by_name = |family: &str| {
        search_path(&[
            ("given_name", &s.given),
            ("family_name", family),
            ("dob-day", day),
            ("dob-month", month),
            ("dob-year", year),
        ])
    };
    specs.push(get(
        "search_name_dob",
        "Search: name + date of birth".into(),
        by_name(&s.family),
        b,
        false,
    ));
    specs.push(get(
        "search_misspelt",
        "Search: misspelt name + DOB".into(),
        by_name(&s.misspelt_family),
        b,
        false,
    ));
    // The dashboards a team lead reads: this month's service view, the live shift view, and
    // last quarter as the commissioner receives it; and the longest period any view offers,
    // a whole year across the service.
    use crate::domain::period::Period;
    let last_quarter = Period::quarter_of(plan.now).previous().code();
    let last_year = Period::year_of(plan.now).previous().code();
    for (key, label, path) in [
        (
            "dashboard_shift",
            "Dashboard: shift (live)",
            "/dashboards/shift".to_string(),
        ),
        (
            "dashboard_service",
            "Dashboard: service, this month",
            "/dashboards/service".to_string(),
        ),
        (
            "dashboard_equality",
            "Dashboard: equality, this month",
            "/dashboards/equality".to_string(),
        ),
        (
            "dashboard_commissioner",
            "Dashboard: commissioner, last quarter",
            format!("/dashboards/commissioner?period={last_quarter}"),
        ),
        (
            "dashboard_service_year",
            "Dashboard: service, last year",
            format!("/dashboards/service?period={last_year}"),
        ),
        (
            "dashboard_equality_year",
            "Dashboard: equality, last year",
            format!("/dashboards/equality?period={last_year}"),
        ),
    ] {
        specs.push(get(key, label.into(), path, b, false));
    }
    let path = format!("/episodes/{}/timeline", plan.note_episode_id);
    let (browser, token, post_path) = (b.clone(), signed_in.csrf_token.clone(), path.clone());
    specs.push(Spec {
        key: "timeline_note".into(),
        label: "Timeline note (audited write)".into(),
        method: "POST",
        path,
        expect: 303,
        make: Arc::new(move |n| {
            let body = format!("Bench note {n}: seen in the cell, no change to the plan.");
            browser.post_form(
                &post_path,
                &[
                    ("csrf_token", &token),
                    ("kind", "note"),
                    ("body", &body),
                    ("corrects", ""),
                ],
            )
        }),
    });
    specs
}

fn plural(n: i64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Runs every spec at each client count, checking first that it answers as expected.
/// How long each measure runs, untimed, before its timed runs.
const WARM_UP: Duration = Duration::from_millis(500);

pub async fn run_all(
    addr: SocketAddr,
    specs: &[Spec],
    client_counts: &[usize],
    duration: Duration,
    mut progress: impl FnMut(&str),
) -> Vec<Measured> {
    let mut out = Vec::new();
    for spec in specs {
        let unexpected_status = match Conn::open(addr).await {
            Ok(mut conn) => match conn.send(&(spec.make)(u64::MAX)).await {
                Ok(r) if r.status == spec.expect => None,
                Ok(r) => Some(r.status),
                Err(_) => Some(0),
            },
            Err(_) => Some(0),
        };
        // Untimed: the pages this measure reads come into the caches before it is timed.
        load::run(addr, 1, WARM_UP.min(duration), None, spec.make.clone()).await;
        let mut runs = Vec::new();
        for &clients in client_counts {
            progress(&format!("{} at {clients} client{}", spec.label, plural(clients as i64)));
            runs.push(load::run(addr, clients, duration, None, spec.make.clone()).await);
        }
        out.push(Measured {
            key: spec.key.clone(),
            label: spec.label.clone(),
            method: spec.method,
            path: spec.path.clone(),
            unexpected_status,
            runs,
        });
    }
    if let Some(base) = out.iter().find(|m| m.key == "healthz").map(|m| m.runs.clone()) {
        for m in &mut out {
            for (run, b) in m.runs.iter_mut().zip(&base) {
                run.vs_healthz = if b.requests_per_sec > 0.0 {
                    run.requests_per_sec / b.requests_per_sec
                } else {
                    0.0
                };
            }
        }
    }
    out
}

/// The request the live list's clients send while the email drains.
pub fn list_request(plan: &Plan, signed_in: &SignedIn) -> MakeRequest {
    let request = signed_in
        .browser
        .get(&format!("/sites/{}/list", plan.site_id), false, true);
    Arc::new(move |_| request.clone())
}
