//! Staff vetting on record (issue 13, point 7; decision 0019): an administrator records a
//! clearance (validated, audited, history kept); signing on at a police custody suite needs a
//! current one, at a court only when configured; the expiry day still counts; and the
//! administrators' list shows what runs out within 60 days.

use chrono::{Duration, NaiveDate, NaiveTime};
use liaison::domain::Role;
use liaison::domain::local_time::{day, from_local, local_date};
use reqwest::StatusCode;

use crate::both_databases;
use crate::harness::{Db, TestApp, location};

both_databases!(
    an_administrator_records_a_clearance_and_a_new_one_supersedes_it,
    a_refused_clearance_keeps_the_answers_and_saves_nothing,
    custody_needs_a_current_clearance_and_courts_do_not_by_default,
    courts_need_a_clearance_when_the_deployment_says_so,
    a_clearance_holds_on_its_expiry_day_and_not_the_next,
    the_list_shows_clearances_running_out_within_60_days,
);

const WEMBLEY: &str = "Wembley Police Custody Suite";
const WILLESDEN: &str = "Willesden Magistrates' Court";

fn today(app: &TestApp) -> NaiveDate {
    local_date(app.state.now())
}

/// The date boxes of a form field, for `date`.
fn date_fields(prefix: &str, date: NaiveDate) -> Vec<(String, String)> {
    [("day", "%-d"), ("month", "%-m"), ("year", "%Y")]
        .into_iter()
        .map(|(part, format)| (format!("{prefix}-{part}"), date.format(format).to_string()))
        .collect()
}

async fn record(
    app: &TestApp,
    user: &str,
    level: &str,
    reference: &str,
    granted: NaiveDate,
    expires: NaiveDate,
) -> reqwest::Response {
    let mut fields = vec![
        ("level".to_string(), level.to_string()),
        ("reference".to_string(), reference.to_string()),
    ];
    fields.extend(date_fields("granted", granted));
    fields.extend(date_fields("expires", expires));
    let form: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let path = format!("/admin/users/{user}/vetting");
    app.submit(&path, &path, &form).await
}

/// Moves the test clock to midday (local) on `date`.
fn set_today(app: &TestApp, date: NaiveDate) {
    let target = from_local(date.and_time(NaiveTime::from_hms_opt(12, 0, 0).unwrap()));
    app.clock.advance_minutes((target - app.state.now()) / 60_000);
    assert_eq!(today(app), date);
}

async fn sign_on(app: &TestApp, sites: &[&str]) -> reqwest::Response {
    let mut form = vec![("phone", "020 7946 0000")];
    form.extend(sites.iter().map(|s| ("sites", *s)));
    app.submit("/shift", "/shift", &form).await
}

async fn sign_off(app: &TestApp) {
    let res = app.submit("/shift/end", "/shift/end", &[]).await;
    assert_eq!(location(&res), "/shift?done=ended");
}

async fn an_administrator_records_a_clearance_and_a_new_one_supersedes_it(db: Db) {
    let app = TestApp::spawn(db).await;
    let pat = app.add_user("pat", Role::Practitioner, &["Brent L&D"]);
    app.add_user("admin", Role::Administrator, &[]);
    app.sign_in_ok("admin").await;
    let (_, page) = app.page(&format!("/admin/users/{pat}")).await;
    assert!(page.contains("No clearance recorded"), "{page}");

    let t = today(&app);
    let (granted, expires) = (t - Duration::days(30), t + Duration::days(1800));
    let res = record(&app, &pat, "nppv3", "MPS/NPPV/0042", granted, expires).await;
    assert_eq!(location(&res), format!("/admin/users/{pat}?done=vetting"));
    let (_, page) = app.page(&location(&res)).await;
    assert!(page.contains("Vetting clearance recorded"));
    assert!(
        page.contains(&format!("NPPV level 3, expires {}", day(expires))) && page.contains(">Current<"),
        "{page}"
    );
    assert_eq!(app.count("vetting_clearances"), 1);
    let audited: Vec<_> = app
        .audit_rows("update")
        .into_iter()
        .filter(|r| r.record_type.as_deref() == Some("user") && r.record_id.as_deref() == Some(pat.as_str()))
        .collect();
    assert_eq!(audited.len(), 1);
    let detail = audited[0].detail.clone().unwrap_or_default();
    assert!(
        detail.contains("NPPV level 3") && detail.contains("MPS/NPPV/0042") && detail.contains(&expires.to_string()),
        "{detail}"
    );

    // Renewed: the first row stays as it was, marked superseded by the second.
    let renewed = t + Duration::days(2500);
    let res = record(&app, &pat, "nppv2-full", "MPS/NPPV/0099", t, renewed).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.count("vetting_clearances"), 2);
    assert_eq!(
        app.count_where(
            "vetting_clearances",
            "reference = 'MPS/NPPV/0042' AND level = 'nppv3' AND superseded_at IS NOT NULL \
             AND superseded_by = (SELECT id FROM vetting_clearances WHERE reference = 'MPS/NPPV/0099')"
        ),
        1
    );
    assert_eq!(app.count_where("vetting_clearances", "superseded_at IS NULL"), 1);
    let (_, history) = app.page(&format!("/admin/users/{pat}/vetting")).await;
    assert!(
        history.contains("2 clearances recorded") && history.contains("Superseded"),
        "{history}"
    );
    assert!(history.contains("NPPV level 2 (full), expires"));
    let newest = app.audit_rows("update").into_iter().next().unwrap();
    assert!(newest.detail.unwrap_or_default().contains("supersedes"));
}

async fn a_refused_clearance_keeps_the_answers_and_saves_nothing(db: Db) {
    let app = TestApp::spawn(db).await;
    let pat = app.add_user("pat", Role::Practitioner, &["Brent L&D"]);
    app.add_user("admin", Role::Administrator, &[]);
    app.sign_in_ok("admin").await;
    let path = format!("/admin/users/{pat}/vetting");
    let updates = app.audit_rows("update").len();

    let res = app.submit(&path, &path, &[]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    for message in [
        "Select the vetting level",
        "Enter the vetting reference",
        "Enter the date the clearance was granted",
        "Enter the date the clearance expires",
    ] {
        assert!(page.contains(message), "{message}");
    }

    // Expiry not after the grant; a date that does not exist; an unknown level.
    let t = today(&app);
    let res = record(&app, &pat, "nppv3", "MPS/NPPV/0042", t, t).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains("Expiry date must be after the date granted"), "{page}");
    assert!(page.contains(r#"value="MPS/NPPV/0042""#), "reference kept");
    assert!(page.contains(r#"<option value="nppv3" selected>"#), "level kept");
    let res = app
        .submit(
            &path,
            &path,
            &[
                ("level", "top-secret"),
                ("reference", "R1"),
                ("granted-day", "31"),
                ("granted-month", "2"),
                ("granted-year", "2025"),
                ("expires-day", "1"),
                ("expires-month", "1"),
                ("expires-year", "2029"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains("Date granted must be a real date") && page.contains("Select the vetting level"));
    assert!(page.contains(r#"value="2029""#), "expiry kept");

    assert_eq!(app.count("vetting_clearances"), 0);
    assert_eq!(app.audit_rows("update").len(), updates);
}

async fn custody_needs_a_current_clearance_and_courts_do_not_by_default(db: Db) {
    let app = TestApp::spawn(db).await;
    let pat = app.add_user("pat", Role::Practitioner, &["Brent L&D"]);
    let custody = app.add_site("Brent L&D", WEMBLEY);
    let court = app.add_court("Brent L&D", WILLESDEN);
    app.sign_in_ok("pat").await;

    let res = sign_on(&app, &[&custody, &court]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    let refusal = format!(
        "You need a current police vetting clearance to sign on at {WEMBLEY}. Ask an administrator to record your clearance"
    );
    assert!(page.contains(&refusal), "{page}");
    assert!(page.contains(r##"href="#sites""##), "the summary links to the field");
    assert!(page.contains(r#"value="020 7946 0000""#), "phone kept");
    assert_eq!(app.count("shifts"), 0);

    let res = sign_on(&app, &[&court]).await;
    assert_eq!(
        location(&res),
        format!("/sites/{court}/list"),
        "a court needs none by default"
    );
    sign_off(&app).await;

    app.vet(&pat);
    let res = sign_on(&app, &[&custody, &court]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "current clearance");
    assert_eq!(app.count_where("shifts", "ended_at IS NULL"), 1);
}

async fn courts_need_a_clearance_when_the_deployment_says_so(db: Db) {
    let app = TestApp::spawn_with(db, |c| c.vetting_required_at_courts = true).await;
    app.add_user("pat", Role::Practitioner, &["Brent L&D"]);
    let court = app.add_court("Brent L&D", WILLESDEN);
    app.sign_in_ok("pat").await;
    let res = sign_on(&app, &[&court]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains(&format!("clearance to sign on at {WILLESDEN}")), "{page}");
    assert_eq!(app.count("shifts"), 0);
}

/// The expiry date is the last day a clearance holds (decision 0019).
async fn a_clearance_holds_on_its_expiry_day_and_not_the_next(db: Db) {
    let app = TestApp::spawn(db).await;
    let pat = app.add_user("pat", Role::Practitioner, &["Brent L&D"]);
    let custody = app.add_site("Brent L&D", WEMBLEY);
    let expiry = today(&app) + Duration::days(3);
    app.add_clearance(&pat, 300, 3);

    set_today(&app, expiry);
    app.sign_in_ok("pat").await;
    let res = sign_on(&app, &[&custody]).await;
    assert_eq!(
        location(&res),
        format!("/sites/{custody}/list"),
        "the expiry day itself"
    );
    sign_off(&app).await;

    set_today(&app, expiry + Duration::days(1));
    app.sign_in_ok("pat").await;
    let res = sign_on(&app, &[&custody]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(
        page.contains(&format!(
            "Your police vetting clearance expired on {}. You need a current clearance to sign on at {WEMBLEY}",
            day(expiry)
        )),
        "{page}"
    );
    assert_eq!(app.count_where("shifts", "ended_at IS NULL"), 0);
}

async fn the_list_shows_clearances_running_out_within_60_days(db: Db) {
    let app = TestApp::spawn(db).await;
    let soon = app.add_user("soon", Role::Practitioner, &["Brent L&D"]);
    let later = app.add_user("later", Role::Practitioner, &["Brent L&D"]);
    let lapsed = app.add_user("lapsed", Role::Practitioner, &["Brent L&D"]);
    let gone = app.add_user("gone", Role::Practitioner, &["Brent L&D"]);
    let renewed = app.add_user("renewed", Role::Practitioner, &["Brent L&D"]);
    app.add_user("admin", Role::Administrator, &[]);
    app.add_clearance(&soon, 1000, 59);
    app.add_clearance(&later, 1000, 61);
    app.add_clearance(&lapsed, 1000, -3);
    app.add_clearance(&gone, 1000, -3);
    app.add_clearance(&renewed, 1000, 10);
    app.vet(&renewed);
    liaison::auth::accounts::set_disabled(&mut app.conn(), app.state.now(), &gone, true).unwrap();

    app.sign_in_ok("admin").await;
    let (status, page) = app.page("/admin/vetting").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("2 clearances to renew"), "{page}");
    let (at_lapsed, at_soon) = (page.find("lapsed Test"), page.find("soon Test"));
    assert!(at_lapsed.is_some() && at_soon.is_some(), "{page}");
    assert!(at_lapsed < at_soon, "soonest first");
    assert!(page.contains("Expired") && page.contains("Expires in 59 days"));
    for absent in ["later Test", "gone Test", "renewed Test"] {
        assert!(!page.contains(absent), "{absent} listed");
    }
    let (_, home) = app.page("/").await;
    assert!(home.contains(r#"href="/admin/vetting""#), "linked from the admin area");
    let viewed = app.audit_rows("view");
    assert!(viewed.iter().any(|r| r.record_type.as_deref() == Some("vetting-list")));
}
