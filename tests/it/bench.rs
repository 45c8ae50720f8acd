//! `liaison bench`, run briefly against a demo database as an operator would: every measure
//! gets answers at one client and at several, and the outbox drains without duplicates.

use std::process::{Command, Output};

use serde_json::Value;

use crate::both_databases;
use crate::harness::{Db, TestDb};

both_databases!(bench_measures_every_page_and_drains_the_outbox);

const MEASURES: [&str; 17] = [
    "healthz",
    "list_page",
    "list_fragment",
    "episode_page",
    "person_1",
    "person_10",
    "person_50",
    "search_nhs_number",
    "search_name_dob",
    "search_misspelt",
    "dashboard_shift",
    "dashboard_service",
    "dashboard_equality",
    "dashboard_commissioner",
    "dashboard_service_year",
    "dashboard_equality_year",
    "timeline_note",
];

fn liaison(database_url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_liaison"))
        .args(args)
        .env("LIAISON_DATABASE_URL", database_url)
        .env("LIAISON_LOG", "warn")
        .output()
        .unwrap()
}

async fn bench_measures_every_page_and_drains_the_outbox(db: Db) {
    let test_db = TestDb::create(&db);
    let url = test_db.url();
    let seeded = liaison(&url, &["demo"]);
    assert!(seeded.status.success(), "{}", String::from_utf8_lossy(&seeded.stderr));
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("bench.json");
    let out = liaison(
        &url,
        &[
            "bench",
            "--duration-secs",
            "1",
            "--clients",
            "2",
            "--emails",
            "20",
            "--json",
            json.to_str().unwrap(),
        ],
    );
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("Live list, full page"), "{stdout}");

    let report: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let expected_db = if matches!(db, Db::Sqlite) {
        "SQLite"
    } else {
        "PostgreSQL"
    };
    assert_eq!(report["database"], expected_db);
    assert!(report["people"].as_i64().unwrap() > 0 && report["cores"].as_u64().unwrap() > 0);
    let measures = report["measures"].as_array().unwrap();
    let keys: Vec<&str> = measures.iter().map(|m| m["key"].as_str().unwrap()).collect();
    assert_eq!(keys, MEASURES);
    for m in measures {
        assert_eq!(m["unexpected_status"], Value::Null, "{m}");
        let runs = m["runs"].as_array().unwrap();
        let clients: Vec<u64> = runs.iter().map(|r| r["clients"].as_u64().unwrap()).collect();
        assert_eq!(clients, [1, 2], "{}", m["key"]);
        for r in runs {
            assert!(r["requests"].as_u64().unwrap() > 0, "{} {r}", m["key"]);
            assert_eq!(r["errors"], 0, "{} {r}", m["key"]);
        }
    }
    let email = &report["email"];
    assert_eq!(email["queued"], 20, "{email}");
    assert_eq!(email["received"], 20, "{email}");
    assert_eq!(email["duplicates"], 0, "{email}");
    assert_eq!(email["not_marked_sent"], 0, "{email}");
    assert!(
        email["list_while_draining"]["requests"].as_u64().unwrap() > 0,
        "{email}"
    );
}
