//! The second factor (decision 0018): enrolment, sign-in with a code, a code never accepted
//! twice, ±1 step, recovery codes used once, throttling, and the requirement for
//! administrators. Codes are computed from the stored secret with the library's own RFC 6238
//! function, the clock moved with the harness.

use liaison::auth::{second_factor, totp};
use liaison::domain::Role;
use reqwest::StatusCode;

use crate::both_databases;
use crate::harness::{Db, PASSWORD, TestApp, location};

both_databases!(
    enrolment_refuses_a_wrong_code_then_keeps_the_factor_and_shows_ten_recovery_codes,
    sign_in_asks_for_the_code_before_any_session_and_a_used_code_is_refused,
    a_code_one_step_either_side_is_accepted_and_two_steps_away_is_not,
    a_recovery_code_signs_in_once_only,
    repeated_wrong_codes_are_throttled_and_audited,
    administrators_must_set_up_a_factor_before_anything_else,
);

/// The recovery codes on the page shown after enrolment.
fn recovery_codes(html: &str) -> Vec<String> {
    let list = html
        .split("id=\"recovery-codes\"")
        .nth(1)
        .expect("recovery codes listed");
    let list = list.split("</ol>").next().unwrap();
    list.split("<code>")
        .skip(1)
        .map(|c| c.split("</code>").next().unwrap().to_string())
        .collect()
}

/// The code the user's app shows now for the candidate secret on the enrolment page.
fn candidate_code(app: &TestApp, user_id: &str) -> String {
    let secret = second_factor::current_candidate(&mut app.conn(), user_id, app.state.now())
        .unwrap()
        .expect("a secret shown");
    totp::code_at(&secret, app.state.now())
}

fn enrolled_count(app: &TestApp, user_id: &str) -> i64 {
    app.count_where(
        "second_factors",
        &format!("user_id = '{user_id}' AND secret IS NOT NULL"),
    )
}

/// Enrols through the account page; returns the recovery codes shown.
async fn enrol_through_the_page(app: &TestApp, user_id: &str) -> Vec<String> {
    app.reauthenticate(user_id, "/account/second-factor").await;
    app.align_to_step();
    let (status, html) = app.page("/account/second-factor").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("<svg") && html.contains("id=\"secret\""),
        "QR code and key: {html}"
    );
    let code = candidate_code(app, user_id);
    let res = app
        .submit("/account/second-factor", "/account/second-factor", &[("code", &code)])
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    recovery_codes(&res.text().await.unwrap())
}

async fn enrolment_refuses_a_wrong_code_then_keeps_the_factor_and_shows_ten_recovery_codes(db: Db) {
    let app = TestApp::spawn(db).await;
    let jo = app.add_user("jo", Role::Practitioner, &["Brent L&D"]);
    app.sign_in_ok("jo").await;
    // The secret is shown only after the password is confirmed again.
    let res = app.get("/account/second-factor").await;
    assert_eq!(location(&res), "/account/confirm?next=%2Faccount%2Fsecond-factor");
    assert_eq!(app.count("second_factors"), 0, "no secret made");
    app.reauthenticate(&jo, "/account/second-factor").await;
    app.align_to_step();
    let (_, html) = app.page("/account/second-factor").await;
    let right = candidate_code(&app, &jo);
    let wrong = if right == "000000" { "111111" } else { "000000" };
    let res = app
        .submit("/account/second-factor", "/account/second-factor", &[("code", wrong)])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let again = res.text().await.unwrap();
    assert!(again.contains("Enter the 6-digit code your app shows now"), "{again}");
    let key = |h: &str| {
        h.split("id=\"secret\">")
            .nth(1)
            .unwrap()
            .split('<')
            .next()
            .unwrap()
            .to_string()
    };
    assert_eq!(key(&again), key(&html), "the same secret is shown again");
    assert_eq!(enrolled_count(&app, &jo), 0, "nothing stored");
    assert_eq!(app.count("recovery_codes"), 0);

    let codes = enrol_through_the_page(&app, &jo).await;
    assert_eq!(codes.len(), 10);
    assert_eq!(enrolled_count(&app, &jo), 1);
    assert_eq!(app.count_where("recovery_codes", "code_hash LIKE '$argon2id$%'"), 10);
    for c in &codes {
        assert_eq!(app.count_where("recovery_codes", &format!("code_hash LIKE '%{c}%'")), 0);
    }
    assert!(app.audit_rows("second-factor").iter().any(|r| {
        r.detail.as_deref() == Some("second factor set up; 10 recovery codes made")
            && r.record_id.as_deref() == Some(&jo)
    }));
    // The page now shows the factor, not the set-up, and no codes again.
    let (_, html) = app.page("/account/second-factor").await;
    assert!(html.contains("Recovery codes left") && !html.contains("id=\"recovery-codes\""));
}

async fn sign_in_asks_for_the_code_before_any_session_and_a_used_code_is_refused(db: Db) {
    let app = TestApp::spawn(db).await;
    let jo = app.add_user("jo", Role::Practitioner, &["Brent L&D"]);
    app.enrol_factor(&jo);
    let res = app.sign_in("jo", PASSWORD).await;
    assert_eq!(
        (res.status(), location(&res)),
        (StatusCode::SEE_OTHER, "/sign-in/code".into())
    );
    assert_eq!(app.count("sessions"), 0, "no session before the code");
    let res = app.get("/").await;
    assert_eq!(location(&res), "/sign-in", "not signed in yet");
    let (status, html) = app.page("/sign-in/code").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Enter your code"));

    let code = app.fresh_code(&jo);
    let res = app.send_code(&code).await;
    assert_eq!((res.status(), location(&res)), (StatusCode::SEE_OTHER, "/".into()));
    assert_eq!(app.page("/").await.0, StatusCode::OK);
    assert_eq!(app.count_where("sessions", "factor_checked_at IS NOT NULL"), 1);

    // The same code again, from another browser with the right password: refused.
    let other = app.another_client();
    other.sign_in("jo", PASSWORD).await;
    let res = other.send_code(&code).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("That code has been used already"));
    assert_eq!(location(&other.get("/").await), "/sign-in");
    assert!(
        app.audit_rows("sign-in")
            .iter()
            .any(|r| r.detail.as_deref() == Some("second-factor code already used"))
    );
    // A browser with no pending sign-in is told to sign in again.
    let (_, html) = app.another_client().page("/sign-in/code").await;
    assert!(html.contains("Sign in again"));
}

async fn a_code_one_step_either_side_is_accepted_and_two_steps_away_is_not(db: Db) {
    let app = TestApp::spawn(db).await;
    let jo = app.add_user("jo", Role::Practitioner, &["Brent L&D"]);
    app.enrol_factor(&jo);
    let attempt = |offset: i64| {
        let app = app.another_client();
        let jo = jo.clone();
        async move {
            app.sign_in("jo", PASSWORD).await;
            app.align_to_step();
            app.send_code(&app.code_at_offset(&jo, offset)).await.status()
        }
    };
    // Two steps away: refused either way (unless that code happens to equal a near one).
    for offset in [-2, 2] {
        let near: Vec<String> = (-1..=1).map(|o| app.code_at_offset(&jo, o)).collect();
        if !near.contains(&app.code_at_offset(&jo, offset)) {
            assert_eq!(attempt(offset).await, StatusCode::UNPROCESSABLE_ENTITY, "{offset}");
        }
    }
    assert_eq!(attempt(-1).await, StatusCode::SEE_OTHER, "one step behind");
    assert_eq!(attempt(1).await, StatusCode::SEE_OTHER, "one step ahead");
    // Now step +1 was used: the current step's code is at or before it, so refused.
    assert_eq!(
        attempt(0).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "older than the last used"
    );
}

async fn a_recovery_code_signs_in_once_only(db: Db) {
    let app = TestApp::spawn(db).await;
    let jo = app.add_user("jo", Role::Practitioner, &["Brent L&D"]);
    app.sign_in_ok("jo").await;
    let codes = enrol_through_the_page(&app, &jo).await;
    let phone_lost = app.another_client();
    phone_lost.sign_in("jo", PASSWORD).await;
    let typed = codes[4].to_lowercase();
    let res = phone_lost.send_code(&typed).await;
    assert_eq!(
        (res.status(), location(&res)),
        (StatusCode::SEE_OTHER, "/account/second-factor?recovery_left=9".into())
    );
    let (_, html) = phone_lost.page(&location(&res)).await;
    assert!(html.contains("You signed in with a recovery code. It cannot be used again; you have 9 left."));
    assert_eq!(app.count_where("recovery_codes", "used_at IS NOT NULL"), 1);
    let again = app.another_client();
    again.sign_in("jo", PASSWORD).await;
    let res = again.send_code(&codes[4]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "used once only");
    let res = again.send_code(&codes[5]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "another code still works");
    assert!(
        app.audit_rows("sign-in")
            .iter()
            .any(|r| r.detail.as_deref() == Some("with a recovery code; 8 left"))
    );
}

async fn repeated_wrong_codes_are_throttled_and_audited(db: Db) {
    let app = TestApp::spawn(db).await;
    let jo = app.add_user("jo", Role::Practitioner, &["Brent L&D"]);
    app.enrol_factor(&jo);
    app.sign_in("jo", PASSWORD).await;
    app.align_to_step();
    let near: Vec<String> = (-1..=1).map(|o| app.code_at_offset(&jo, o)).collect();
    let wrong = ["111111", "222222", "333333", "444444", "555555", "666666", "777777"]
        .into_iter()
        .filter(|c| !near.contains(&c.to_string()))
        .take(5);
    for code in wrong {
        assert_eq!(app.send_code(code).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let res = app.send_code(&app.fresh_code(&jo)).await;
    assert_eq!(
        res.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "throttled even with the right code"
    );
    assert!(res.text().await.unwrap().contains("Too many wrong codes"));
    let rows = app.audit_rows("sign-in");
    let wrong_rows = rows
        .iter()
        .filter(|r| r.detail.as_deref() == Some("wrong second-factor code"))
        .count();
    assert_eq!(wrong_rows, 5);
    assert!(rows.iter().any(|r| r.detail.as_deref() == Some("throttled")));
    // The password step is locked too, for the same account from the same address.
    let res = app.another_client().sign_in("jo", PASSWORD).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    // After the wait, the right code works.
    app.clock.advance_minutes(2);
    app.sign_in_with_code("jo", &jo).await;
}

async fn administrators_must_set_up_a_factor_before_anything_else(db: Db) {
    let app = TestApp::spawn_with(db, |c| c.allow_privileged_without_second_factor = false).await;
    let adi = app.add_user("adi", Role::Administrator, &[]);
    let ig = app.add_user("ida", Role::IgLead, &[]);
    app.add_user("pat", Role::Practitioner, &["Brent L&D"]);
    // A practitioner is not required to (require_second_factor is off here).
    app.another_client().sign_in_ok("pat").await;
    for (name, id) in [("adi", &adi), ("ida", &ig)] {
        let c = app.another_client();
        let res = c.sign_in(name, PASSWORD).await;
        assert_eq!(location(&res), "/sign-in/enrol", "{name}");
        assert_eq!(location(&c.get("/").await), "/sign-in", "nothing else until enrolled");
        assert_eq!(location(&c.get("/admin/users").await), "/sign-in");
        let (status, html) = c.page("/sign-in/enrol").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("Set up your second factor") && html.contains("<svg"));
        c.align_to_step();
        let res = c
            .submit("/sign-in/enrol", "/sign-in/enrol", &[("code", "000000x")])
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(enrolled_count(&app, id), 0);
        let res = c
            .submit(
                "/sign-in/enrol",
                "/sign-in/enrol",
                &[("code", &candidate_code(&app, id))],
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(recovery_codes(&res.text().await.unwrap()).len(), 10);
        assert_eq!(c.page("/").await.0, StatusCode::OK, "{name} signed in");
        assert_eq!(enrolled_count(&app, id), 1);
    }
    // Next time, the code step.
    let c = app.another_client();
    c.sign_in_with_code("adi", &adi).await;
    assert_eq!(c.page("/admin/users").await.0, StatusCode::OK);
}
