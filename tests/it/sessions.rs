//! Sign-in, sign-out, throttling, revocation and timeouts.

use liaison::domain::Role;
use reqwest::StatusCode;

use crate::both_databases;
use crate::harness::{Db, PASSWORD, TestApp, client, location};

both_databases!(
    sign_in_shows_the_shell_and_sign_out_revokes_the_session,
    wrong_password_is_refused_with_a_message_and_audited,
    repeated_failures_lock_the_account_for_a_growing_wait_refused_tries_do_not_extend,
    an_administrators_password_reset_lifts_a_lock_out,
    repeated_failures_throttle_the_client_address,
    disabling_an_account_ends_its_sessions,
    resetting_a_password_ends_sessions,
    idle_sessions_end_and_activity_keeps_them_alive,
    sessions_end_at_the_absolute_timeout,
    disabled_accounts_cannot_sign_in,
);

async fn sign_in_shows_the_shell_and_sign_out_revokes_the_session(db: Db) {
    let app = TestApp::spawn(db).await;
    app.add_user("jane.smith", Role::Practitioner, &["Brent L&D"]);
    let (status, _) = app.page("/").await;
    assert_eq!(status, StatusCode::SEE_OTHER, "anonymous visitors are sent to sign in");

    app.sign_in_ok("Jane.Smith").await;
    let (status, home) = app.page("/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(home.contains("Welcome, jane.smith Test"), "{home}");
    assert!(home.contains("Team: Brent L&amp;D"));
    assert!(home.contains("Skip to main content"));
    assert!(
        home.contains(r#"data-hx-headers='{"X-CSRF-Token":"#)
            || home.contains("data-hx-headers=\"{&quot;X-CSRF-Token&quot;"),
        "{home}"
    );
    let signed_in = app.audit_rows("sign-in");
    assert_eq!(signed_in.len(), 1);
    assert_eq!(signed_in[0].username.as_deref(), Some("jane.smith"));
    assert_eq!(signed_in[0].outcome.code(), "allowed");
    assert_eq!(signed_in[0].team.as_deref(), Some("Brent L&D"));

    let token = crate::harness::csrf_token(&home);
    let session_cookie = session_cookie_of(&app).await;
    assert_eq!(replay_status(&app, &session_cookie).await, StatusCode::OK);
    let res = app.post("/sign-out", &[("csrf_token", &token)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/sign-in?signed_out=1");
    let (status, _) = app.page("/").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(app.audit_rows("sign-out").len(), 1);

    // The old cookie is dead on the server, not just forgotten by the browser.
    // That second session is still live; signing it out kills its cookie on the server.
    let raw = client();
    let home = raw
        .get(app.url("/"))
        .header("Cookie", format!("liaison_session={session_cookie}"))
        .send()
        .await
        .unwrap();
    let token = crate::harness::csrf_token(&home.text().await.unwrap());
    let res = raw
        .post(app.url("/sign-out"))
        .header("Cookie", format!("liaison_session={session_cookie}"))
        .form(&[("csrf_token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        replay_status(&app, &session_cookie).await,
        StatusCode::SEE_OTHER,
        "a replayed cookie signs no one in"
    );
}

async fn replay_status(app: &TestApp, session_cookie: &str) -> StatusCode {
    client()
        .get(app.url("/"))
        .header("Cookie", format!("liaison_session={session_cookie}"))
        .send()
        .await
        .unwrap()
        .status()
}

/// Signs in on a client without a cookie store so the Set-Cookie header can be read:
/// the database keeps only the token's hash.
async fn session_cookie_of(app: &TestApp) -> String {
    let raw = client();
    let page = raw.get(app.url("/sign-in")).send().await.unwrap();
    let csrf_cookie = page
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let html = page.text().await.unwrap();
    let token = crate::harness::csrf_token(&html);
    let res = raw
        .post(app.url("/sign-in"))
        .header("Cookie", csrf_cookie)
        .form(&[
            ("csrf_token", token.as_str()),
            ("username", "jane.smith"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    let set = res.headers().get("set-cookie").unwrap().to_str().unwrap();
    assert!(set.contains("HttpOnly") && set.contains("SameSite=Lax"), "{set}");
    set.split(';')
        .next()
        .unwrap()
        .trim_start_matches("liaison_session=")
        .to_string()
}

async fn wrong_password_is_refused_with_a_message_and_audited(db: Db) {
    let app = TestApp::spawn(db).await;
    app.add_user("jane.smith", Role::Practitioner, &[]);
    let res = app.sign_in("jane.smith", "not the password").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("<title>Error: Sign in – Liaison</title>"), "{html}");
    assert!(html.contains("There is a problem"));
    assert!(html.contains("Enter a correct username and password"));
    assert!(html.contains(r#"value="jane.smith""#), "username kept");
    assert_eq!(app.count("sessions"), 0);
    let denied = app.audit_rows("sign-in");
    assert_eq!(denied.len(), 1);
    assert_eq!(denied[0].outcome.code(), "denied");

    let res = app.sign_in("", "").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("Enter your username") && html.contains("Enter your password"));
}

async fn repeated_failures_lock_the_account_for_a_growing_wait_refused_tries_do_not_extend(db: Db) {
    let app = TestApp::spawn(db).await;
    app.add_user("jane.smith", Role::Practitioner, &[]);
    let fail = |n: usize| {
        let app = &app;
        async move {
            for _ in 0..n {
                assert_eq!(
                    app.sign_in("jane.smith", "wrong password").await.status(),
                    StatusCode::UNPROCESSABLE_ENTITY
                );
            }
        }
    };
    fail(5).await;
    let res = app.sign_in("jane.smith", PASSWORD).await;
    assert_eq!(
        res.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits"
    );
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Too many failed sign-in attempts. Wait 1 minute and try again")
    );
    assert_eq!(app.count("sessions"), 0);
    // Someone hammering the account while it is locked does not keep it locked.
    for _ in 0..10 {
        assert_eq!(
            app.sign_in("jane.smith", "guess").await.status(),
            StatusCode::TOO_MANY_REQUESTS
        );
    }
    app.clock.advance_minutes(1);
    app.sign_in_ok("jane.smith").await;

    // A success starts the count again; past the limit, each failure doubles the wait.
    app.another_client().sign_in("jane.smith", "wrong").await;
    let other = app.another_client();
    for _ in 0..4 {
        other.sign_in("jane.smith", "wrong").await;
    }
    app.clock.advance_minutes(1);
    assert_eq!(
        other.sign_in("jane.smith", "wrong").await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    app.clock.advance_minutes(1);
    let res = other.sign_in("jane.smith", PASSWORD).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS, "six failures: two minutes");
    app.clock.advance_minutes(1);
    other.sign_in_ok("jane.smith").await;
    let denied = app.audit_rows("sign-in");
    assert!(
        denied.iter().any(|r| r.detail.as_deref() == Some("throttled")),
        "refusals are audited"
    );
}

async fn an_administrators_password_reset_lifts_a_lock_out(db: Db) {
    let app = TestApp::spawn(db).await;
    let jane = app.add_user("jane.smith", Role::Practitioner, &[]);
    app.add_user("admin", Role::Administrator, &[]);
    let admin = app.another_client();
    admin.sign_in_ok("admin").await;
    for _ in 0..8 {
        app.sign_in("jane.smith", "wrong password").await;
    }
    assert_eq!(
        app.sign_in("jane.smith", PASSWORD).await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    let path = format!("/admin/users/{jane}/password");
    let new_password = "a new long password for jane";
    let res = admin.submit(&path, &path, &[("password", new_password)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.sign_in("jane.smith", new_password).await.status(),
        StatusCode::SEE_OTHER,
        "the reset lifted it"
    );
}

async fn repeated_failures_throttle_the_client_address(db: Db) {
    let app = TestApp::spawn(db).await;
    app.add_user("jane.smith", Role::Practitioner, &[]);
    for i in 0..20 {
        let res = app.sign_in(&format!("guess{i}"), "wrong password").await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    assert_eq!(
        app.sign_in("jane.smith", PASSWORD).await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
}

async fn disabling_an_account_ends_its_sessions(db: Db) {
    let app = TestApp::spawn(db).await;
    let jane = app.add_user("jane.smith", Role::Practitioner, &[]);
    app.add_user("admin", Role::Administrator, &[]);
    app.sign_in_ok("jane.smith").await;
    assert_eq!(app.page("/").await.0, StatusCode::OK);

    let admin = app.another_client();
    admin.sign_in_ok("admin").await;
    let path = format!("/admin/users/{jane}/disable");
    let (status, confirm) = admin.page(&path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        confirm.contains("Disable jane.smith Test&#39;s account?")
            || confirm.contains("Disable jane.smith Test's account?"),
        "{confirm}"
    );
    let res = admin.submit(&path, &path, &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    let (status, _) = app.page("/").await;
    assert_eq!(status, StatusCode::SEE_OTHER, "Jane's session ended at once");
}

async fn resetting_a_password_ends_sessions(db: Db) {
    let app = TestApp::spawn(db).await;
    let jane = app.add_user("jane.smith", Role::Practitioner, &[]);
    app.add_user("admin", Role::Administrator, &[]);
    app.sign_in_ok("jane.smith").await;
    let admin = app.another_client();
    admin.sign_in_ok("admin").await;
    let path = format!("/admin/users/{jane}/password");
    let res = admin.submit(&path, &path, &[("password", "short")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Password must be 8 characters or more")
    );
    assert_eq!(app.page("/").await.0, StatusCode::OK, "a refused reset changes nothing");

    let res = admin
        .submit(&path, &path, &[("password", "a brand new passphrase")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.page("/").await.0, StatusCode::SEE_OTHER);
    assert_eq!(
        app.sign_in("jane.smith", PASSWORD).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        app.sign_in("jane.smith", "a brand new passphrase").await.status(),
        StatusCode::SEE_OTHER
    );
}

async fn idle_sessions_end_and_activity_keeps_them_alive(db: Db) {
    let app = TestApp::spawn(db).await;
    app.add_user("jane.smith", Role::Practitioner, &[]);
    app.sign_in_ok("jane.smith").await;
    for _ in 0..3 {
        app.clock.advance_minutes(20);
        assert_eq!(
            app.page("/").await.0,
            StatusCode::OK,
            "activity every 20 minutes keeps the session"
        );
    }
    // Background polls do not count as activity.
    app.clock.advance_minutes(20);
    let poll = app
        .client
        .get(app.url("/"))
        .header("X-Liaison-Background", "1")
        .send()
        .await
        .unwrap();
    assert_eq!(poll.status(), StatusCode::OK);
    app.clock.advance_minutes(11);
    let res = app.get("/").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/sign-in?ended=idle");
    let (_, page) = app.page("/sign-in?ended=idle").await;
    assert!(page.contains("You were signed out because you were inactive"));
    let ended = app.audit_rows("sign-out");
    assert!(ended[0].detail.as_deref().unwrap().contains("idle"), "{ended:?}");

    // An htmx request is told where to go instead of being redirected.
    app.sign_in_ok("jane.smith").await;
    app.clock.advance_minutes(31);
    let res = app
        .client
        .get(app.url("/"))
        .header("HX-Request", "true")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(res.headers()["HX-Redirect"], "/sign-in?ended=idle");
}

async fn sessions_end_at_the_absolute_timeout(db: Db) {
    let app = TestApp::spawn_with(db, |c| {
        c.absolute_timeout_hours = 1;
        c.idle_timeout_minutes = 30;
    })
    .await;
    app.add_user("jane.smith", Role::Practitioner, &[]);
    app.sign_in_ok("jane.smith").await;
    app.clock.advance_minutes(25);
    assert_eq!(app.page("/").await.0, StatusCode::OK);
    app.clock.advance_minutes(25);
    assert_eq!(app.page("/").await.0, StatusCode::OK);
    app.clock.advance_minutes(11);
    let res = app.get("/").await;
    assert_eq!(location(&res), "/sign-in?ended=expired");
}

async fn disabled_accounts_cannot_sign_in(db: Db) {
    let app = TestApp::spawn(db).await;
    let id = app.add_user("jane.smith", Role::Practitioner, &[]);
    liaison::auth::accounts::set_disabled(&mut app.conn(), 0, &id, true).unwrap();
    assert_eq!(
        app.sign_in("jane.smith", PASSWORD).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let denied = app.audit_rows("sign-in");
    assert_eq!(denied[0].detail.as_deref(), Some("account disabled"));
}

/// About reading request headers, not storage: SQLite is enough.
#[actix_web::test]
async fn forwarded_addresses_count_only_behind_a_trusted_proxy() {
    for trusted in [false, true] {
        let app = TestApp::spawn_with(Db::Sqlite, move |c| c.trust_forwarded_for = trusted).await;
        app.add_user("jane.smith", Role::Practitioner, &[]);
        let (_, page) = app.page("/sign-in").await;
        let token = crate::harness::csrf_token(&page);
        for i in 0..20 {
            let res = app
                .client
                .post(app.url("/sign-in"))
                .header("X-Forwarded-For", "203.0.113.7")
                .form(&[
                    ("csrf_token", token.as_str()),
                    ("username", &format!("guess{i}")),
                    ("password", "wrong password"),
                ])
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        }
        let res = app
            .client
            .post(app.url("/sign-in"))
            .header("X-Forwarded-For", "198.51.100.9")
            .form(&[
                ("csrf_token", token.as_str()),
                ("username", "jane.smith"),
                ("password", PASSWORD),
            ])
            .send()
            .await
            .unwrap();
        let expected = if trusted {
            StatusCode::SEE_OTHER
        } else {
            StatusCode::TOO_MANY_REQUESTS
        };
        assert_eq!(res.status(), expected, "trusted proxy: {trusted}");
        let recorded = app.audit_rows("sign-in")[0].client_addr.clone().unwrap();
        assert_eq!(recorded, if trusted { "198.51.100.9" } else { "127.0.0.1" });
    }
}
