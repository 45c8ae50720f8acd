//! The MHTR outreach log: awareness sessions recorded, listed and counted.

use chrono::{Datelike, Duration, NaiveDate};
use liaison::domain::Role;
use liaison::domain::local_time;
use reqwest::StatusCode;

use crate::both_databases;
use crate::harness::{Db, TestApp, location};

both_databases!(
    sessions_are_listed_newest_first_and_counted,
    bad_sessions_are_refused_and_nothing_is_saved,
    only_mhtr_team_members_see_the_log,
);

const MHTR_TEAM: &str = "London Women's MHTR";
const FORM: &str = "/mhtr/outreach/new";

/// Signed in as "maya", an MHTR practitioner.
async fn setup(db: Db) -> TestApp {
    let app = TestApp::spawn(db).await;
    app.add_user("maya", Role::Practitioner, &[MHTR_TEAM]);
    app.sign_in_ok("maya").await;
    app
}

/// Today where the service is, plus `days`, as the three date boxes.
fn held(app: &TestApp, days: i64) -> [String; 3] {
    let date: NaiveDate = local_time::local_date(app.state.now()) + Duration::days(days);
    [
        date.day().to_string(),
        date.month().to_string(),
        date.year().to_string(),
    ]
}

async fn record(app: &TestApp, days: i64, fields: &[(&str, &str)]) -> reqwest::Response {
    let [d, m, y] = held(app, days);
    let mut form = vec![
        ("held-day", d.as_str()),
        ("held-month", m.as_str()),
        ("held-year", y.as_str()),
    ];
    form.extend_from_slice(fields);
    app.submit(FORM, FORM, &form).await
}

async fn sessions_are_listed_newest_first_and_counted(db: Db) {
    let app = setup(db).await;
    let (status, html) = app.page("/mhtr/outreach").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("0 sessions, 0 people reached"), "{html}");

    let res = record(
        &app,
        -30,
        &[
            ("audience", "judiciary"),
            ("organisation", "Westminster Magistrates' Court"),
            ("attendees", "30"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/mhtr/outreach");
    let res = record(
        &app,
        0,
        &[
            ("audience", "secondary-care-clinicians"),
            ("organisation", "Northwick Park Hospital"),
            ("attendees", "15"),
            ("notes", "Liaison psychiatry team"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.count("mhtr_outreach"), 2);

    let (status, html) = app.page("/mhtr/outreach").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("2 sessions, 45 people reached"), "{html}");
    assert!(html.contains("1 session, 30 people reached"));
    assert!(html.contains("1 session, 15 people reached"));
    assert!(html.contains("0 sessions, 0 people reached"), "probation has none");
    let newer = html.find("Northwick Park Hospital").unwrap();
    let older = html.find("Westminster Magistrates").unwrap();
    assert!(newer < older, "newest first");
    assert!(html.contains("Liaison psychiatry team"));

    let created = app.audit_rows("create");
    assert_eq!(
        created
            .iter()
            .filter(|r| r.record_type.as_deref() == Some("mhtr-outreach") && r.outcome.code() == "allowed")
            .count(),
        2
    );
    let viewed = app.audit_rows("view");
    assert!(
        viewed
            .iter()
            .any(|r| r.record_type.as_deref() == Some("mhtr-outreach") && r.outcome.code() == "allowed")
    );
}

async fn bad_sessions_are_refused_and_nothing_is_saved(db: Db) {
    let app = setup(db).await;
    let res = record(
        &app,
        1,
        &[("organisation", "  "), ("attendees", "lots"), ("notes", "kept note")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("There is a problem") || html.contains("app-error-summary"),
        "{html}"
    );
    assert!(html.contains("Date held must be today or in the past"), "{html}");
    assert!(html.contains("Select who the session was for"));
    assert!(html.contains("Enter the organisation"));
    assert!(html.contains("Number attending must be a whole number"));
    assert!(html.contains("value=\"lots\""), "answers kept");
    assert!(html.contains("kept note"));

    let res = record(
        &app,
        0,
        &[
            ("audience", "probation"),
            ("organisation", "Probation"),
            ("attendees", "0"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("Number attending must be between 1 and 1000"));
    assert_eq!(app.count("mhtr_outreach"), 0);
}

async fn only_mhtr_team_members_see_the_log(db: Db) {
    let app = TestApp::spawn(db).await;
    app.add_user("pat", Role::Practitioner, &["Brent L&D"]);
    app.sign_in_ok("pat").await;
    assert_eq!(app.page("/mhtr/outreach").await.0, StatusCode::FORBIDDEN);
    assert_eq!(app.page(FORM).await.0, StatusCode::FORBIDDEN);
    let res = app
        .submit(
            "/",
            FORM,
            &[("audience", "judiciary"), ("organisation", "X"), ("attendees", "3")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.count("mhtr_outreach"), 0);
    let denied = |action: &str| {
        app.audit_rows(action)
            .iter()
            .filter(|r| {
                r.outcome.code() == "denied"
                    && r.username.as_deref() == Some("pat")
                    && r.record_type.as_deref() == Some("mhtr-outreach")
            })
            .count()
    };
    assert_eq!(denied("view"), 2);
    assert_eq!(denied("create"), 1);
}
