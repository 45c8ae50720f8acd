//! Re-authentication before break-glass and the identifiable export (decision 0018), and an
//! administrator's reset of a user's factor.

use liaison::domain::Role;
use liaison::domain::mhtr::MhtrStatus;
use reqwest::StatusCode;

use crate::both_databases;
use crate::harness::{Db, PASSWORD, TestApp, location};

both_databases!(
    break_glass_needs_a_fresh_code,
    the_identifiable_export_needs_a_fresh_code_and_the_pseudonymised_does_not,
    a_user_without_a_factor_confirms_with_the_password,
    an_administrator_resets_a_factor_which_ends_the_users_sessions,
);

const MHTR_TEAM: &str = "Islington MHTR";

fn confirm_url(next: &str) -> String {
    format!("/account/confirm?next={}", next.replace('/', "%2F"))
}

async fn break_glass_needs_a_fresh_code(db: Db) {
    let app = TestApp::spawn(db).await;
    let pat = app.add_user("pat", Role::Practitioner, &["Brent L&D"]);
    let eve = app.add_user("eve", Role::Practitioner, &["Ealing L&D"]);
    let site = app.add_site("Brent L&D", "Wembley Police Custody Suite");
    let person = app.add_person("Jo", "Bloggs", "1990-06-01", &pat);
    app.add_episode(&person, &site, &pat, 5, false);
    app.enrol_factor(&eve);
    // Sign-in with a code counts as confirming it: move past the window first.
    app.sign_in_with_code("eve", &eve).await;
    app.clock.advance_minutes(6);
    let glass = format!("/people/{person}/break-glass");
    let res = app.get(&glass).await;
    assert_eq!(
        (res.status(), location(&res)),
        (StatusCode::SEE_OTHER, confirm_url(&glass))
    );
    // The form posted without a fresh code opens nothing.
    let res = app
        .submit(
            "/",
            &glass,
            &[("reason", "court-today"), ("note", "In court this morning")],
        )
        .await;
    assert_eq!(location(&res), confirm_url(&glass));
    assert_eq!(app.count("access_overrides"), 0);
    // A wrong code is refused at the confirmation page, and counted.
    let (status, html) = app.page(&confirm_url(&glass)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Code from your authenticator app"));
    app.align_to_step();
    let near: Vec<String> = (-1..=1).map(|o| app.code_at_offset(&eve, o)).collect();
    let wrong = if near.contains(&"123456".to_string()) {
        "654321"
    } else {
        "123456"
    };
    let res = app
        .submit(
            &confirm_url(&glass),
            "/account/confirm",
            &[("next", &glass), ("code", wrong)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        app.audit_rows("sign-in")
            .iter()
            .any(|r| r.detail.as_deref() == Some("wrong second-factor code"))
    );

    assert_eq!(app.reauthenticate(&eve, &glass).await, glass);
    assert_eq!(app.page(&glass).await.0, StatusCode::OK);
    let res = app
        .submit(
            &glass,
            &glass,
            &[("reason", "court-today"), ("note", "In court this morning")],
        )
        .await;
    assert_eq!(location(&res), format!("/people/{person}"));
    assert_eq!(app.count("access_overrides"), 1);
    assert!(
        app.audit_rows("second-factor")
            .iter()
            .any(|r| r.detail.as_deref() == Some("confirmed with a code"))
    );
}

async fn the_identifiable_export_needs_a_fresh_code_and_the_pseudonymised_does_not(db: Db) {
    let app = TestApp::spawn(db).await;
    let maya = app.add_user("maya", Role::Practitioner, &[MHTR_TEAM]);
    let person = app.add_person("Jo", "Bloggs", "1990-06-01", &maya);
    app.add_mhtr_case(MHTR_TEAM, &person, MhtrStatus::Treatment, &maya);
    app.enrol_factor(&maya);
    app.sign_in_with_code("maya", &maya).await;
    app.clock.advance_minutes(6);
    let named = "/mhtr/extract.csv?pseudonymised=no";
    let res = app.get(named).await;
    assert_eq!(
        (res.status(), location(&res)),
        (StatusCode::SEE_OTHER, confirm_url("/mhtr/extract"))
    );
    assert_eq!(app.page("/mhtr/extract.csv?pseudonymised=yes").await.0, StatusCode::OK);
    let (_, html) = app.page("/mhtr/extract").await;
    assert!(html.contains("Confirm it is you to download the identifiable file"));
    assert!(
        !app.audit_rows("export")
            .iter()
            .any(|r| r.detail.as_deref().is_some_and(|d| d.starts_with("identifiable")))
    );

    assert_eq!(app.reauthenticate(&maya, "/mhtr/extract").await, "/mhtr/extract");
    let (_, html) = app.page("/mhtr/extract").await;
    assert!(html.contains("Download the identifiable file"));
    let (status, csv) = app.page(named).await;
    assert_eq!(status, StatusCode::OK);
    assert!(csv.contains("Bloggs"));
    // The confirmation lasts reauth_minutes.
    app.clock.advance_minutes(app.state.config.reauth_minutes);
    assert_eq!(location(&app.get(named).await), confirm_url("/mhtr/extract"));
}

async fn a_user_without_a_factor_confirms_with_the_password(db: Db) {
    let app = TestApp::spawn(db).await;
    let maya = app.add_user("maya", Role::Practitioner, &[MHTR_TEAM]);
    app.sign_in_ok("maya").await;
    let page = confirm_url("/mhtr/extract");
    let (_, html) = app.page(&page).await;
    assert!(html.contains("Your password") && !html.contains("authenticator app"));
    let res = app
        .submit(
            &page,
            "/account/confirm",
            &[("next", "/mhtr/extract"), ("password", "not it")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Enter your correct password"));
    // Somewhere else is not where it sends anyone.
    let res = app
        .submit(
            &page,
            "/account/confirm",
            &[("next", "//evil.example/"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(location(&res), "/");
    assert_eq!(app.reauthenticate(&maya, "/mhtr/extract").await, "/mhtr/extract");
    assert_eq!(app.page("/mhtr/extract.csv?pseudonymised=no").await.0, StatusCode::OK);
}

async fn an_administrator_resets_a_factor_which_ends_the_users_sessions(db: Db) {
    let app = TestApp::spawn_with(db, |c| c.require_second_factor = Some(true)).await;
    let adi = app.add_user("adi", Role::Administrator, &[]);
    let jo = app.add_user("jo", Role::Practitioner, &["Brent L&D"]);
    app.enrol_factor(&adi);
    app.enrol_factor(&jo);
    let phone = app.another_client();
    phone.sign_in_with_code("jo", &jo).await;
    let laptop = app.another_client();
    laptop.sign_in_with_code("jo", &jo).await;
    app.sign_in_with_code("adi", &adi).await;

    let page = format!("/admin/users/{jo}/second-factor");
    let (status, html) = app.page(&page).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Reset jo Test's second factor?"));
    assert_eq!(
        app.count_where("second_factors", &format!("user_id = '{jo}'")),
        1,
        "asks first"
    );
    let res = app.submit(&page, &page, &[]).await;
    assert_eq!(location(&res), format!("/admin/users/{jo}?done=second-factor"));
    assert_eq!(app.count_where("second_factors", &format!("user_id = '{jo}'")), 0);
    assert_eq!(app.count_where("recovery_codes", &format!("user_id = '{jo}'")), 0);
    let live = format!("user_id = '{jo}' AND revoked_at IS NULL");
    assert_eq!(app.count_where("sessions", &live), 0, "every session ended");
    assert!(location(&phone.get("/").await).starts_with("/sign-in"));
    let row = app
        .audit_rows("second-factor")
        .into_iter()
        .find(|r| r.record_id.as_deref() == Some(&jo))
        .expect("reset audited");
    assert_eq!(row.detail.as_deref(), Some("second factor reset; 2 sessions ended"));
    assert_eq!(row.username.as_deref(), Some("adi"));
    // Required here: jo sets up a new factor at the next sign-in.
    let res = phone.sign_in("jo", PASSWORD).await;
    assert_eq!(location(&res), "/sign-in/enrol");
}
