//! The second factor in a browser (decision 0018): set it up from the QR code's key, keep the
//! recovery codes, sign in with a code, confirm it again before an admin reset page, and an
//! administrator's reset — each page checked with axe, JavaScript on and off.

use std::sync::atomic::Ordering;

use liaison::auth::{second_factor, totp};
use liaison::domain::Role;

use super::{Browser, browser_available, sign_in};
use crate::harness::{Db, PASSWORD, TestApp};

with_and_without_javascript!(set_up_a_factor_sign_in_with_it_and_have_it_reset);

async fn set_up_a_factor_sign_in_with_it_and_have_it_reset(javascript: bool) {
    if !browser_available() {
        return;
    }
    let app = TestApp::spawn(Db::Sqlite).await;
    let jane = app.add_user("jane.smith", Role::Practitioner, &["Brent L&D"]);
    app.add_user("admin", Role::Administrator, &[]);
    let b = Browser::launch(javascript).await;

    sign_in(&b, &app, "jane.smith").await;
    b.click("main a[href='/account/second-factor']").await;
    // The password first: the secret is shown only to someone who knows it.
    b.wait_title("Confirm it is you – Liaison").await;
    b.assert_accessible("confirm it is you with the password").await;
    b.fill("password", PASSWORD).await;
    b.click("main form button[type=submit]").await;
    b.wait_title("Set up a second factor – Liaison").await;
    b.assert_accessible("second factor set-up").await;
    // The key shown is the secret stored as the candidate; its code confirms it.
    let key = b.text_of("#secret").await.replace(' ', "");
    let secret = second_factor::current_candidate(&mut app.conn(), &jane, app.state.now())
        .unwrap()
        .unwrap();
    assert_eq!(key, totp::encode(&secret));
    b.fill("code", "12").await;
    b.click("main form button[type=submit]").await;
    b.wait_title("Error: Set up a second factor – Liaison").await;
    b.assert_accessible("second factor set-up with errors").await;
    app.align_to_step();
    b.fill("code", &totp::code_at(&secret, app.state.now())).await;
    b.click("main form button[type=submit]").await;
    b.wait_title("Your second factor is set up – Liaison").await;
    assert_eq!(b.text_of("#recovery-codes").await.lines().count(), 10);
    b.assert_accessible("recovery codes").await;
    b.click("main a.app-button").await;
    b.wait_title("Your second factor – Liaison").await;
    b.assert_accessible("second factor").await;

    // Setting up a different phone asks for a code first, once the password confirmed above
    // is more than reauth_minutes old.
    app.clock.advance_minutes(app.state.config.reauth_minutes);
    b.click("main a[href='/account/second-factor/new']").await;
    b.wait_title("Confirm it is you – Liaison").await;
    b.assert_accessible("confirm it is you with a code").await;
    b.fill("code", &app.fresh_code(&jane)).await;
    b.click("main form button[type=submit]").await;
    b.wait_title("Set up a different phone or app – Liaison").await;
    b.click(".app-header__account button").await;
    b.wait_text("You have signed out.").await;

    // Signing in asks for the code after the password.
    b.goto(&app.url("/sign-in")).await;
    b.fill("username", "jane.smith").await;
    b.fill("password", PASSWORD).await;
    b.click("main button[type=submit]").await;
    b.wait_title("Enter your code – Liaison").await;
    b.assert_accessible("enter your code").await;
    b.fill("code", &app.fresh_code(&jane)).await;
    b.click("main button[type=submit]").await;
    b.wait_title("Home – Liaison").await;
    b.click(".app-header__account button").await;
    b.wait_text("You have signed out.").await;

    // An administrator resets it, after a confirmation page.
    sign_in(&b, &app, "admin").await;
    b.goto(&app.url(&format!("/admin/users/{jane}"))).await;
    b.click(&format!("main a[href='/admin/users/{jane}/second-factor']"))
        .await;
    b.wait_title("Reset second factor – Liaison").await;
    b.assert_accessible("reset second factor").await;
    b.click("main form button[type=submit]").await;
    b.wait_text("Second factor reset and the user signed out everywhere")
        .await;
    assert!(!second_factor::has_factor(&mut app.conn(), &jane).unwrap());
    assert_eq!(app.state.csp_reports.load(Ordering::SeqCst), 0, "CSP violation reports");
    b.client.clone().close().await.unwrap();
}
