//! The foundation's journeys: sign-in and out, every admin page, form errors, htmx CSRF.

use std::sync::atomic::Ordering;

use fantoccini::Locator;
use liaison::domain::Role;
use serde_json::{Value, json};

use super::{Browser, browser_available, sign_in, wait_for};
use crate::harness::{Db, TestApp};

with_and_without_javascript!(
    sign_in_visit_every_page_and_sign_out,
    form_errors_are_announced_and_accessible
);

async fn sign_in_visit_every_page_and_sign_out(javascript: bool) {
    if !browser_available() {
        return;
    }
    let app = TestApp::spawn(Db::Sqlite).await;
    let jane = app.add_user("jane.smith", Role::Practitioner, &["Brent L&D"]);
    app.add_user("admin", Role::Administrator, &["Brent L&D"]);
    let b = Browser::launch(javascript).await;

    b.goto(&app.url("/sign-in")).await;
    b.assert_accessible("sign-in").await;
    sign_in(&b, &app, "admin").await;
    b.assert_accessible("home").await;
    for path in [
        "/admin/users".to_string(),
        "/admin/users/new".to_string(),
        format!("/admin/users/{jane}"),
        format!("/admin/users/{jane}/disable"),
        format!("/admin/users/{jane}/password"),
        "/admin/teams".to_string(),
        format!("/admin/audit?record_type=user&record_id={jane}"),
        "/no-such-page".to_string(),
    ] {
        b.goto(&app.url(&path)).await;
        b.assert_accessible(&path).await;
    }

    // Personal data on screen, then sign out: Back must not bring it back.
    b.goto(&app.url(&format!("/admin/users/{jane}"))).await;
    assert!(b.text().await.contains("jane.smith"));
    b.goto(&app.url("/")).await;
    b.click(".app-header__account button").await;
    b.wait_text("You have signed out.").await;
    b.client.back().await.unwrap();
    let after_back = b.wait_text("Sign in to Liaison").await;
    assert!(
        !after_back.contains("jane.smith") && !after_back.contains("Welcome"),
        "{after_back}"
    );
    assert!(after_back.contains("Sign in to Liaison"), "{after_back}");
    assert_eq!(app.state.csp_reports.load(Ordering::SeqCst), 0, "CSP violation reports");
    b.client.clone().close().await.unwrap();
}

async fn form_errors_are_announced_and_accessible(javascript: bool) {
    if !browser_available() {
        return;
    }
    let app = TestApp::spawn(Db::Sqlite).await;
    app.add_user("admin", Role::Administrator, &[]);
    let b = Browser::launch(javascript).await;
    b.goto(&app.url("/sign-in")).await;
    b.fill("username", "admin").await;
    b.fill("password", "wrong password").await;
    b.click("main button[type=submit]").await;
    b.wait_title("Error: Sign in – Liaison").await;
    b.assert_accessible("sign-in with errors").await;
    assert_summary_has_focus(&b).await;

    sign_in(&b, &app, "admin").await;
    b.goto(&app.url("/admin/users/new")).await;
    b.fill("display_name", "Jane Smith").await;
    b.click("main form button[type=submit]").await;
    b.wait_title("Error: Add a user – Liaison").await;
    let text = b.wait_text("There is a problem").await;
    assert!(text.contains("Select a role"), "{text}");
    let kept = b
        .client
        .find(Locator::Id("display_name"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(kept.as_deref(), Some("Jane Smith"));
    b.assert_accessible("add user with errors").await;
    assert_summary_has_focus(&b).await;

    // Adding a team: htmx swaps the section in place; without JavaScript the form posts and redirects.
    b.goto(&app.url("/admin/teams")).await;
    b.fill("name", "Wembley custody").await;
    b.click("#teams input[name='kind'][value='ld']").await;
    b.click("#teams form button[type=submit]").await;
    b.wait_text("Wembley custody").await;
    assert_eq!(app.count("teams"), 1);
    b.assert_accessible("teams after adding").await;
    assert_eq!(app.state.csp_reports.load(Ordering::SeqCst), 0);
    b.client.clone().close().await.unwrap();
}

/// With JavaScript on, a failed submit leaves focus on the error summary (read out first, its
/// links lead to the fields); without it the summary is still first in the page.
async fn assert_summary_has_focus(b: &Browser) {
    if !b.javascript {
        return;
    }
    let focused: Value = b
        .client
        .execute("return document.activeElement.className;", vec![])
        .await
        .unwrap();
    assert_eq!(focused, json!("app-error-summary"));
}

#[actix_web::test]
async fn htmx_requests_carry_the_csrf_header_and_the_timeout_warning_extends_the_session() {
    if !browser_available() {
        return;
    }
    let app = TestApp::spawn(Db::Sqlite).await;
    app.add_user("jane.smith", Role::Practitioner, &[]);
    let b = Browser::launch(true).await;
    sign_in(&b, &app, "jane.smith").await;

    // Bring the warning forward as if 29 minutes had passed, and check it is accessible.
    app.clock.advance_minutes(29);
    b.client
        .execute(
            "document.getElementById('session-warning').hidden = false; return true;",
            vec![],
        )
        .await
        .unwrap();
    b.assert_accessible("session timeout warning").await;
    // "Stay signed in" is a bare htmx button with no form field: only the data-hx-headers token
    // can get it past the CSRF check.
    b.click("#session-extend").await;
    wait_for("the warning to close after a successful extend", || async {
        let hidden: Value = b
            .client
            .execute("return document.getElementById('session-warning').hidden;", vec![])
            .await
            .unwrap();
        (hidden == json!(true)).then_some(())
    })
    .await;
    app.clock.advance_minutes(29);
    b.goto(&app.url("/")).await;
    b.wait_title("Home – Liaison").await;
    b.goto(&app.url("/admin/users")).await;
    b.wait_title("You do not have access to this page – Liaison").await;
    b.assert_accessible("refusal page").await;
    assert_eq!(app.state.csp_reports.load(Ordering::SeqCst), 0);
    b.client.clone().close().await.unwrap();
}
