//! The partner directory: administrators add and change services, each address is shown with
//! its security class, bad forms save nothing, and the referral feature reads active services.

use chrono::Datelike;
use liaison::domain::Role;
use liaison::domain::local_time::local_date;
use liaison::partners::{self, ServiceValues};
use reqwest::StatusCode;

use crate::both_databases;
use crate::harness::{Db, TestApp, location};

both_databases!(
    a_service_is_listed_with_the_security_class_of_each_address,
    bad_service_forms_name_each_problem_keep_answers_and_save_nothing,
    editing_a_service_replaces_its_addresses_and_audits_the_change,
    active_services_have_their_addresses_and_leave_out_inactive_ones,
    practitioners_are_refused_the_partner_directory,
    the_demo_directory_is_seeded_once,
);

const ORGANISATION: &str = "Brent CAMHS (test)";

/// A complete, valid form with the given addresses (one per line).
fn service_form<'a>(name: &'a str, addresses: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("organisation", ORGANISATION),
        ("name", name),
        ("service_type", "camhs"),
        ("addresses", addresses),
        ("phone", "020 7946 0101"),
        ("areas", "London Borough of Brent"),
        ("last_verified-day", "1"),
        ("last_verified-month", "3"),
        ("last_verified-year", "2024"),
        ("active", "yes"),
    ]
}

async fn signed_in_admin(db: Db) -> TestApp {
    let app = TestApp::spawn(db).await;
    app.add_user("admin", Role::Administrator, &[]);
    app.sign_in_ok("admin").await;
    app
}

async fn add_service(app: &TestApp, name: &str, addresses: &str) {
    let form = service_form(name, addresses);
    let res = app.submit("/admin/partners/new", "/admin/partners/new", &form).await;
    assert_eq!(
        res.status(),
        StatusCode::SEE_OTHER,
        "{}",
        res.text().await.unwrap_or_default()
    );
    assert_eq!(location(&res), "/admin/partners");
}

fn service_id(app: &TestApp, name: &str) -> String {
    let all = partners::services(&mut app.conn(), &partners::Filter::default()).unwrap();
    all.into_iter().find(|s| s.name == name).expect("service saved").id
}

fn record_rows(app: &TestApp, action: &str, record_type: &str) -> Vec<liaison::audit::Row> {
    app.audit_rows(action)
        .into_iter()
        .filter(|r| r.record_type.as_deref() == Some(record_type))
        .collect()
}

async fn a_service_is_listed_with_the_security_class_of_each_address(db: Db) {
    let app = signed_in_admin(db).await;
    add_service(
        &app,
        "Referrals",
        "referrals.test@nhs.net\nduty.test@example.org\nREFERRALS.TEST@nhs.net",
    )
    .await;
    let (status, list) = app.page("/admin/partners").await;
    assert_eq!(status, StatusCode::OK);
    assert!(list.contains(ORGANISATION) && list.contains("Referrals") && list.contains("CAMHS"));
    assert!(list.contains("referrals.test@nhs.net") && list.contains("duty.test@example.org"));
    assert!(list.contains(">Secure<") && list.contains(">Standard<"), "{list}");
    assert!(
        list.contains("1 March 2024") && list.contains("Check details"),
        "stale details flagged"
    );
    let service = partners::find_service(&mut app.conn(), &service_id(&app, "Referrals"))
        .unwrap()
        .unwrap();
    assert_eq!(
        service.addresses,
        ["referrals.test@nhs.net", "duty.test@example.org"],
        "duplicates removed, order kept"
    );
    assert_eq!(app.count("partner_addresses"), 2);
    let created = record_rows(&app, "create", "partner-service");
    assert_eq!(created.len(), 1);
    let detail = created[0].detail.clone().unwrap_or_default();
    assert!(
        detail.contains("type=camhs") && detail.contains("duty.test@example.org"),
        "{detail}"
    );
    assert_eq!(record_rows(&app, "create", "partner-organisation").len(), 1);
    let (_, filtered) = app.page("/admin/partners?type=probation").await;
    assert!(!filtered.contains("referrals.test@nhs.net"), "filtered by type");
    let (_, camhs) = app.page("/admin/partners?type=camhs").await;
    assert!(camhs.contains("referrals.test@nhs.net"));
}

async fn bad_service_forms_name_each_problem_keep_answers_and_save_nothing(db: Db) {
    let app = signed_in_admin(db).await;
    let next_year = (local_date(app.state.now()).year() + 1).to_string();
    let mut form = service_form("Referrals", "referrals.test@nhs.net\nnot-an-address");
    form.retain(|(k, _)| !matches!(*k, "service_type" | "phone" | "last_verified-year"));
    form.extend([
        ("service_type", ""),
        ("phone", "ring the duty line"),
        ("last_verified-year", next_year.as_str()),
    ]);
    let res = app.submit("/admin/partners/new", "/admin/partners/new", &form).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    for message in [
        "There is a problem",
        "Select the type of service",
        "Enter an email address in the correct format",
        "check line 2",
        "Enter a phone number, like",
        "Date last verified must be today or in the past",
    ] {
        assert!(html.contains(message), "{message}");
    }
    assert!(
        html.contains(ORGANISATION) && html.contains("not-an-address"),
        "answers kept"
    );
    assert!(html.contains("ring the duty line") && html.contains(&next_year));
    let mut empty = service_form("Referrals", " \n ");
    empty.retain(|(k, _)| *k != "last_verified-day");
    empty.push(("last_verified-day", "31"));
    empty.retain(|(k, _)| *k != "last_verified-month");
    empty.push(("last_verified-month", "2"));
    let res = app.submit("/admin/partners/new", "/admin/partners/new", &empty).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("Enter at least one referral email address"));
    assert!(html.contains("Date last verified must be a real date"));
    for table in ["partner_services", "partner_organisations", "partner_addresses"] {
        assert_eq!(app.count(table), 0, "{table}");
    }
    assert!(record_rows(&app, "create", "partner-service").is_empty());
}

async fn editing_a_service_replaces_its_addresses_and_audits_the_change(db: Db) {
    let app = signed_in_admin(db).await;
    add_service(&app, "Referrals", "old.test@example.org\nkeep.test@nhs.net").await;
    let id = service_id(&app, "Referrals");
    let edit = format!("/admin/partners/{id}");
    let (status, page) = app.page(&edit).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("old.test@example.org\nkeep.test@nhs.net"),
        "addresses one per line"
    );
    assert!(page.contains("value=\"2024\""), "date filled in");
    let mut form = service_form("Referrals and assessment", "keep.test@nhs.net\nnew.test@cjsm.net");
    form.retain(|(k, _)| *k != "active");
    let res = app.submit(&edit, &edit, &form).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let service = partners::find_service(&mut app.conn(), &id).unwrap().unwrap();
    assert_eq!(service.name, "Referrals and assessment");
    assert_eq!(service.addresses, ["keep.test@nhs.net", "new.test@cjsm.net"]);
    assert!(!service.active);
    assert_eq!(app.count("partner_addresses"), 2, "old rows replaced");
    let updates = record_rows(&app, "update", "partner-service");
    assert_eq!(updates.len(), 1);
    let detail = updates[0].detail.clone().unwrap_or_default();
    for part in [
        "name: Referrals -> Referrals and assessment",
        "active: true -> false",
        "+new.test@cjsm.net",
        "-old.test@example.org",
    ] {
        assert!(detail.contains(part), "{part} in {detail}");
    }
    assert!(!detail.contains("phone"), "unchanged fields left out: {detail}");
    let bad = service_form("Referrals and assessment", "");
    let res = app.submit(&edit, &edit, &bad).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("partner_addresses"), 2, "a rejected edit keeps the addresses");
    assert_eq!(
        app.page("/admin/partners/no-such-service").await.0,
        StatusCode::NOT_FOUND
    );
}

fn values(organisation: &str, name: &str, addresses: &[&str], active: bool) -> ServiceValues {
    ServiceValues {
        organisation: organisation.into(),
        name: name.into(),
        service_type: "probation".into(),
        addresses: addresses.iter().map(|a| a.to_string()).collect(),
        phone: Some("020 7946 0103".into()),
        areas: None,
        last_verified: None,
        active,
    }
}

async fn active_services_have_their_addresses_and_leave_out_inactive_ones(db: Db) {
    let app = signed_in_admin(db).await;
    add_service(&app, "Referrals", "referrals.test@nhs.net\nduty.test@example.org").await;
    let mut conn = app.conn();
    let probation = partners::create_organisation(&mut conn, 0, "London Probation (test)").unwrap();
    let closed = values("London Probation (test)", "Old office", &["old.test@cjsm.net"], false);
    partners::create_service(&mut conn, 0, &probation, &closed).unwrap();
    let open = values(
        "London Probation (test)",
        "Brent delivery unit",
        &["pdu.test@cjsm.net"],
        true,
    );
    partners::create_service(&mut conn, 0, &probation, &open).unwrap();
    let active = partners::active_services(&mut conn).unwrap();
    let names: Vec<(&str, &str)> = active
        .iter()
        .map(|s| (s.organisation.as_str(), s.name.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            (ORGANISATION, "Referrals"),
            ("London Probation (test)", "Brent delivery unit")
        ],
        "sorted by organisation, the inactive service left out"
    );
    assert_eq!(active[0].addresses, ["referrals.test@nhs.net", "duty.test@example.org"]);
    assert_eq!(active[0].service_type, "camhs");
    assert_eq!(active[1].phone.as_deref(), Some("020 7946 0103"));
    let old = partners::services(&mut conn, &partners::Filter::default())
        .unwrap()
        .into_iter()
        .find(|s| !s.active)
        .unwrap();
    let found = partners::find_service(&mut conn, &old.id).unwrap().unwrap();
    assert_eq!(
        (found.active, found.addresses),
        (false, vec!["old.test@cjsm.net".to_string()])
    );
    assert!(partners::find_service(&mut conn, "missing").unwrap().is_none());
}

async fn practitioners_are_refused_the_partner_directory(db: Db) {
    let app = TestApp::spawn(db).await;
    app.add_user("pat", Role::Practitioner, &["Brent L&D"]);
    app.sign_in_ok("pat").await;
    for path in ["/admin/partners", "/admin/partners/new"] {
        assert_eq!(app.page(path).await.0, StatusCode::FORBIDDEN, "{path}");
    }
    let form = service_form("Referrals", "referrals.test@nhs.net");
    let res = app.submit("/", "/admin/partners/new", &form).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.count("partner_services"), 0);
    let refusals = app
        .audit_rows("view")
        .into_iter()
        .filter(|r| r.outcome.code() == "denied" && r.record_type.as_deref() == Some("partner-service"))
        .count();
    assert_eq!(refusals, 3);
}

async fn the_demo_directory_is_seeded_once(db: Db) {
    let app = TestApp::spawn(db).await;
    let now = app.state.now();
    liaison::demo::partners::seed(&mut app.conn(), now).unwrap();
    let services = app.count("partner_services");
    let addresses = app.count("partner_addresses");
    assert!(
        services >= 10 && addresses > services,
        "{services} services, {addresses} addresses"
    );
    liaison::demo::partners::seed(&mut app.conn(), now).unwrap();
    assert_eq!(
        (app.count("partner_services"), app.count("partner_addresses")),
        (services, addresses)
    );
    let active = partners::active_services(&mut app.conn()).unwrap();
    assert!(active.iter().all(|s| s.organisation.contains("(demo)") && s.active));
    assert!(
        active.len() < usize::try_from(services).unwrap(),
        "one demo service is inactive"
    );
}
