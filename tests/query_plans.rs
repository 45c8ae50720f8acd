//! The hot queries stay indexed. The real server runs on a generated database while every query it
//! sends is captured (diesel's instrumentation); the pages practitioners use most — the live
//! list, person and episode pages, each search, the referral and MHTR intake lists — are
//! visited, the outbox is claimed, and each captured query is explained. A full scan of a table
//! that grows with the service fails the test, on SQLite and on PostgreSQL.
//!
//! Its own test binary: the instrumentation is process-wide.

use std::collections::BTreeSet;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use diesel::connection::{Instrumentation, InstrumentationEvent, SimpleConnection};
use diesel::prelude::*;
use liaison::clock::SystemClock;
use liaison::config::Config;
use liaison::db::{self, DbConnection, Target};

/// Tables that grow with the service's history; a full scan of any of them is a defect.
const GROWING: &[&str] = &[
    "people",
    "episodes",
    "episode_facts",
    "fact_people",
    "month_tallies",
    "timeline_entries",
    "audit_events",
    "referrals",
    "outbox",
    "handovers",
    "screenings",
    "safeguarding_concerns",
    "mhtr_referrals",
    "mhtr_cases",
    "mhtr_case_events",
    "access_overrides",
    "sessions",
    "answer_links",
    "shifts",
    "shift_sites",
    "assessment_sections",
    "appropriate_adults",
    "reports",
    "report_sections",
    "person_alerts",
    "person_merges",
    "person_merge_moves",
    "referral_messages",
    "share_consents",
    "shares",
    "report_addenda",
    "report_sends",
    "report_links",
    "report_includes",
    "report_waivers",
    "person_retention",
    "retention_decisions",
    "legal_holds",
    "record_destructions",
    "destroyed_people",
    "destroyed_audit_links",
    "vetting_clearances",
];

/// Indexes led by an owner (a site, a team) and then time: a search on the owner alone reads
/// that owner's whole history, which grows without bound.
const HISTORY_INDEXES: &[(&str, &str)] = &[
    ("episodes_site_closed", "site_id=?"),
    ("episodes_site_alert", "site_id=?"),
    ("episodes_team", "team_id=?"),
];

static CAPTURED: Mutex<Vec<String>> = Mutex::new(Vec::new());
/// Only the pages' queries are captured, not the test's own setup.
static CAPTURING: AtomicBool = AtomicBool::new(false);

fn capture() -> Option<Box<dyn Instrumentation>> {
    Some(Box::new(|event: InstrumentationEvent<'_>| {
        if let InstrumentationEvent::StartQuery { query, .. } = event
            && CAPTURING.load(Ordering::SeqCst)
        {
            let sql = query.to_string();
            let sql = sql.split(" -- binds:").next().unwrap_or("").trim().to_string();
            CAPTURED.lock().expect("capture").push(sql);
        }
    }))
}

#[actix_web::test]
async fn hot_queries_use_indexes_on_sqlite() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = dir.path().join("plans.db").display().to_string();
    check(&url).await;
}

#[actix_web::test]
async fn hot_queries_use_indexes_on_postgres() {
    let Ok(admin_url) = std::env::var("LIAISON_TEST_POSTGRES_URL") else {
        assert!(std::env::var("CI").is_err(), "CI runs this on PostgreSQL");
        return;
    };
    let name = format!("liaison_plans_{}", uuid::Uuid::new_v4().simple());
    let mut admin = diesel::PgConnection::establish(&admin_url).expect("PostgreSQL");
    diesel::sql_query(format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .expect("create database");
    let (base, query) = admin_url.split_once('?').unwrap_or((&admin_url, ""));
    let root = base.rsplit_once('/').map_or(base, |(root, _)| root);
    let url = format!("{root}/{name}?{query}");
    check(&url).await;
    diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(&mut admin)
        .expect("drop database");
}

async fn check(url: &str) {
    seed(url);
    diesel::connection::set_default_instrumentation(capture).expect("instrumentation");
    visit_hot_pages(url).await;
    let captured: BTreeSet<String> = std::mem::take(&mut *CAPTURED.lock().expect("capture"))
        .into_iter()
        .filter(|sql| is_read_or_targeted_write(sql))
        .collect();
    diesel::connection::set_default_instrumentation(|| None).expect("instrumentation off");
    assert!(captured.len() > 20, "captured the pages' queries: {}", captured.len());
    assert!(
        captured.iter().any(|sql| sql.contains("month_tallies")),
        "the year views read the months' tallies"
    );
    let empty = tempfile::tempdir().expect("temp dir");
    let mut conn = explainer(url, &empty.path().join("no-statistics.db").display().to_string());
    let mut problems = Vec::new();
    for sql in &captured {
        let steps = plan(&mut conn, sql);
        for step in &steps {
            if let Some(table) = full_scan_of_growing_table(step) {
                problems.push(format!(
                    "{table}: {step}\n    in: {sql}\n    plan:\n{}",
                    steps.join("\n")
                ));
            }
            if walks_a_history(step) {
                problems.push(format!("a whole history: {step}\n    in: {sql}"));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "full scans of growing tables:\n{}",
        problems.join("\n")
    );
}

/// Where plans are asked. SQLite: an empty copy of the schema without statistics, where the
/// planner assumes every table is large — so a query passes only if it is indexable whatever
/// the data (statistics from a small database would excuse a scan). PostgreSQL: the seeded
/// database, with sequential scans discouraged so any left are ones no index can answer.
fn explainer(url: &str, empty_sqlite: &str) -> DbConnection {
    match Target::parse(url).expect("url") {
        Target::Sqlite(_) => {
            let mut conn = db::connect(&Target::Sqlite(empty_sqlite.to_string())).expect("connect");
            db::run_migrations(&mut conn).expect("schema");
            conn
        }
        target => db::connect(&target).expect("connect"),
    }
}

fn seed(url: &str) {
    let out = Command::new(env!("CARGO_BIN_EXE_liaison"))
        .args(["generate", "--people", "2000", "--episodes", "4000"])
        .env("LIAISON_DATABASE_URL", url)
        .env("LIAISON_LOG", "warn")
        .output()
        .expect("generate runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

fn is_read_or_targeted_write(sql: &str) -> bool {
    let head = sql.trim_start().to_ascii_uppercase();
    (head.starts_with("SELECT") || head.starts_with("UPDATE") || head.starts_with("DELETE") || head.starts_with("WITH"))
        && !head.contains("SQLITE_MASTER")
        && !head.contains("__DIESEL_SCHEMA_MIGRATIONS")
}

/// The plan's steps as text: SQLite's `EXPLAIN QUERY PLAN` details; PostgreSQL's generic plan
/// with sequential scans discouraged, so any left are scans no index can answer.
fn plan(conn: &mut DbConnection, sql: &str) -> Vec<String> {
    #[derive(QueryableByName)]
    struct Detail {
        #[diesel(sql_type = diesel::sql_types::Text)]
        detail: String,
    }
    #[derive(QueryableByName)]
    struct PgLine {
        #[diesel(sql_type = diesel::sql_types::Text)]
        #[diesel(column_name = "QUERY PLAN")]
        line: String,
    }
    match conn {
        DbConnection::Sqlite(_) => diesel::sql_query(format!("EXPLAIN QUERY PLAN {sql}"))
            .load::<Detail>(conn)
            .unwrap_or_else(|e| panic!("explain {sql}: {e}"))
            .into_iter()
            .map(|d| d.detail)
            .collect(),
        DbConnection::Pg(_) => {
            let params = (1..=64).take_while(|n| sql.contains(&format!("${n}"))).count();
            let nulls = vec!["NULL"; params].join(", ");
            conn.batch_execute(&format!(
                "SET enable_seqscan = off; SET plan_cache_mode = force_generic_plan; \
                 DEALLOCATE ALL; PREPARE hot AS {sql}"
            ))
            .unwrap_or_else(|e| panic!("prepare {sql}: {e}"));
            let execute = if params == 0 {
                "EXECUTE hot".to_string()
            } else {
                format!("EXECUTE hot({nulls})")
            };
            diesel::sql_query(format!("EXPLAIN {execute}"))
                .load::<PgLine>(conn)
                .unwrap_or_else(|e| panic!("explain {sql}: {e}"))
                .into_iter()
                .map(|l| l.line)
                .collect()
        }
    }
}

/// Whether a SQLite plan step searches a history index by its owner alone, e.g.
/// `SEARCH episodes USING INDEX episodes_site_closed (site_id=?)`.
fn walks_a_history(step: &str) -> bool {
    HISTORY_INDEXES
        .iter()
        .any(|(index, owner_only)| step.contains(&format!("INDEX {index} ({owner_only})")))
}

/// The growing table a plan step reads in full, if it does.
fn full_scan_of_growing_table(step: &str) -> Option<&'static str> {
    let step = step.trim();
    GROWING.iter().copied().find(|table| {
        // SQLite: "SCAN episodes" or "SCAN episodes USING [COVERING] INDEX …" (a whole index);
        // "SEARCH …" uses one. PostgreSQL: "Seq Scan on episodes".
        let sqlite = step
            .strip_prefix("SCAN ")
            .is_some_and(|rest| rest.split_whitespace().next() == Some(table));
        let pg = step.contains(&format!("Seq Scan on {table} ")) || step.ends_with(&format!("Seq Scan on {table}"));
        sqlite || pg
    })
}

async fn visit_hot_pages(url: &str) {
    let config = Config {
        listen: "127.0.0.1:0".into(),
        database_url: Some(url.to_string()),
        allow_http: true,
        pool_size: 4,
        run_outbox_worker: false,
        allow_database_owner: true,
        ..Config::default()
    };
    let running = liaison::app::start(config, Arc::new(SystemClock)).expect("app starts");
    let base = format!("http://127.0.0.1:{}", running.port);
    let server = running.server.handle();
    actix_web::rt::spawn(running.server);
    let mut conn = running.state.pool.get().expect("connection");
    let site = liaison::sites::list(&mut conn, true)
        .expect("sites")
        .into_iter()
        .find(|s| s.name == "Wembley Police Custody Suite")
        .expect("the demo site");
    let (person, episode): (String, String) = liaison::db::schema::episodes::table
        .select((
            liaison::db::schema::episodes::person_id,
            liaison::db::schema::episodes::id,
        ))
        .filter(liaison::db::schema::episodes::site_id.eq(&site.id))
        .filter(liaison::db::schema::episodes::closed_at.is_null())
        .first(&mut *conn)
        .expect("an episode at the site");
    let found = liaison::records::person::find(&mut conn, &person)
        .expect("person")
        .expect("exists");

    // Someone to sign off (read before capturing: the test's own query).
    let holder: String = liaison::db::schema::episodes::table
        .filter(liaison::db::schema::episodes::allocated_to.is_not_null())
        .filter(liaison::db::schema::episodes::closed_at.is_null())
        .select(liaison::db::schema::episodes::allocated_to.assume_not_null())
        .first(&mut *conn)
        .expect("someone holds an open episode");
    CAPTURING.store(true, Ordering::SeqCst);
    let practitioner = signed_in(&base, "demo.practitioner").await;
    let dob = found.date_of_birth.date();
    let (day, month, year) = (
        dob.format("%d").to_string(),
        dob.format("%m").to_string(),
        dob.format("%Y").to_string(),
    );
    let misspelt: String = found.family_name.chars().rev().collect();
    for path in [
        format!("/sites/{}/list", site.id),
        format!("/people/{person}"),
        format!("/episodes/{episode}"),
        format!(
            "/people/search?nhs_number={}",
            found.nhs_number.clone().unwrap_or_default()
        ),
        format!(
            "/people/search?family_name={}&given_name={}&dob-day={day}&dob-month={month}&dob-year={year}",
            found.family_name, found.given_name
        ),
        format!("/people/search?family_name={misspelt}&dob-day={day}&dob-month={month}&dob-year={year}"),
        "/referrals".to_string(),
    ] {
        let res = practitioner.get(format!("{base}{path}")).send().await.expect("GET");
        assert!(res.status().is_success(), "{path}: {}", res.status());
    }
    let htmx = practitioner
        .get(format!("{base}/sites/{}/list", site.id))
        .header("HX-Request", "true")
        .send()
        .await
        .expect("GET");
    assert!(htmx.status().is_success());
    let ig = signed_in(&base, "demo.ig").await;
    for path in [
        format!("/governance/people/{person}/access"),
        format!("/governance/people/{person}/access?from-day=1&from-month=1&from-year=2025&before=9999999999999.1"),
    ] {
        let res = ig.get(format!("{base}{path}")).send().await.expect("GET");
        assert!(res.status().is_success(), "{path}: {}", res.status());
    }
    let records = signed_in(&base, "demo.records").await;
    for path in ["/records/appraisal".to_string(), format!("/records/people/{person}")] {
        let res = records.get(format!("{base}{path}")).send().await.expect("GET");
        assert!(res.status().is_success(), "{path}: {}", res.status());
    }
    // Signing on checks the practitioner's vetting clearance.
    let shift_page = practitioner.get(format!("{base}/shift")).send().await.expect("GET");
    let token = csrf_of(&shift_page.text().await.expect("body"));
    let site_id = site.id.to_string();
    let res = practitioner
        .post(format!("{base}/shift"))
        .form(&[
            ("csrf_token", token.as_str()),
            ("sites", site_id.as_str()),
            ("phone", "020 7946 0000"),
        ])
        .send()
        .await
        .expect("POST");
    assert!(res.status().is_redirection(), "sign on: {}", res.status());
    let admin = signed_in(&base, "demo.admin").await;
    let senior: String = liaison::db::schema::users::table
        .filter(liaison::db::schema::users::username.eq("demo.senior"))
        .select(liaison::db::schema::users::id)
        .first(&mut *conn)
        .expect("the demo senior");
    for path in [
        "/admin/vetting".to_string(),
        format!("/admin/users/{senior}"),
        format!("/admin/users/{senior}/vetting"),
    ] {
        let res = admin.get(format!("{base}{path}")).send().await.expect("GET");
        assert!(res.status().is_success(), "{path}: {}", res.status());
    }
    let mhtr = signed_in(&base, "demo.mhtr").await;
    let res = mhtr.get(format!("{base}/mhtr/intake")).send().await.expect("GET");
    assert!(res.status().is_success(), "intake: {}", res.status());
    // The dashboards, as the team lead and the analyst read them, and the return.
    let senior_client = signed_in(&base, "demo.senior").await;
    let analyst = signed_in(&base, "demo.analyst").await;
    let last_year = match liaison::domain::period::Period::year_of(liaison::clock::Clock::now_ms(&SystemClock)) {
        liaison::domain::period::Period::Year(y) => y - 1,
        _ => unreachable!("a year"),
    };
    let year_views = [
        format!("service?period={last_year}"),
        format!("equality?period={last_year}"),
    ];
    let views = ["shift", "service", "equality", "mhtr", "commissioner"];
    for view in views.iter().map(|v| v.to_string()).chain(year_views) {
        for client in [&senior_client, &analyst] {
            let res = client
                .get(format!("{base}/dashboards/{view}"))
                .send()
                .await
                .expect("GET");
            assert!(res.status().is_success(), "{view}: {}", res.status());
        }
    }
    let returns = analyst.get(format!("{base}/returns")).send().await.expect("GET");
    let token = csrf_of(&returns.text().await.expect("body"));
    let quarter = liaison::domain::period::Period::quarter_of(liaison::clock::Clock::now_ms(&SystemClock)).code();
    let res = analyst
        .post(format!("{base}/returns"))
        .form(&[("csrf_token", token.as_str()), ("quarter", quarter.as_str())])
        .send()
        .await
        .expect("POST");
    assert!(res.status().is_redirection(), "start a return: {}", res.status());
    let page = res.headers()["location"].to_str().expect("location").to_string();
    let res = analyst.get(format!("{base}{page}")).send().await.expect("GET");
    assert!(res.status().is_success(), "the return: {}", res.status());
    liaison::email::outbox::claim_due(&mut conn, liaison::clock::Clock::now_ms(&SystemClock), 10).expect("claim");
    let recompute = liaison::retention::RecomputeTask {
        config: Arc::new(Config::default()),
    };
    liaison::email::hooks::PeriodicTask::run(&recompute, &mut conn, liaison::clock::Clock::now_ms(&SystemClock))
        .expect("a retention pass");
    // Signing off releases the practitioner's open allocations.
    let released = liaison::records::episode::release_allocations(
        &mut conn,
        liaison::clock::Clock::now_ms(&SystemClock),
        &holder,
        "plan check",
    )
    .expect("release");
    assert!(released > 0);
    CAPTURING.store(false, Ordering::SeqCst);
    server.stop(true).await;
}

async fn signed_in(base: &str, username: &str) -> reqwest::Client {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let page = client
        .get(format!("{base}/sign-in"))
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("body");
    let token = csrf_of(&page);
    let res = client
        .post(format!("{base}/sign-in"))
        .form(&[
            ("csrf_token", token.as_str()),
            ("username", username),
            ("password", liaison::demo::PASSWORD),
        ])
        .send()
        .await
        .expect("POST");
    assert_eq!(res.status(), reqwest::StatusCode::SEE_OTHER, "sign-in as {username}");
    client
}

fn csrf_of(page: &str) -> String {
    page.split("name=\"csrf_token\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a CSRF token")
        .to_string()
}
