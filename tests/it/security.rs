//! CSRF, headers, htmx fragments, error pages and page weight.

use liaison::domain::Role;
use reqwest::StatusCode;

use crate::both_databases;
use crate::harness::{Db, TestApp, csrf_token};

both_databases!(
    unsafe_requests_without_a_valid_token_or_from_another_site_are_refused,
    every_route_sends_the_security_headers,
    htmx_requests_get_fragments_with_the_same_authorisation,
    unknown_pages_and_health_endpoints,
    sign_in_page_and_app_shell_stay_under_40_kb,
    pages_are_gzipped_when_the_browser_accepts_it,
);

async fn unsafe_requests_without_a_valid_token_or_from_another_site_are_refused(db: Db) {
    let app = TestApp::spawn(db).await;
    app.add_user("admin", Role::Administrator, &[]);
    app.add_user("other", Role::Administrator, &[]);
    app.sign_in_ok("admin").await;
    let (_, page) = app.page("/admin/teams").await;
    let token = csrf_token(&page);

    let other = app.another_client();
    other.sign_in_ok("other").await;
    let (_, other_page) = other.page("/admin/teams").await;
    let other_token = csrf_token(&other_page);
    assert_ne!(token, other_token, "each session has its own token");

    type Pairs<'a> = Vec<(&'a str, &'a str)>;
    let cases: [(&str, Pairs, Pairs); 5] = [
        ("missing token", vec![("name", "Team A")], vec![]),
        (
            "another session's token",
            vec![("csrf_token", &other_token), ("name", "Team B")],
            vec![],
        ),
        (
            "cross-site Origin",
            vec![("csrf_token", &token), ("name", "Team C")],
            vec![("Origin", "https://evil.example")],
        ),
        (
            "cross-site fetch",
            vec![("csrf_token", &token), ("name", "Team D")],
            vec![("Sec-Fetch-Site", "cross-site")],
        ),
        (
            "wrong htmx header",
            vec![("name", "Team E")],
            vec![("X-CSRF-Token", "0000"), ("HX-Request", "true")],
        ),
    ];
    for (why, form, headers) in cases {
        let mut req = app.client.post(app.url("/admin/teams")).form(&form);
        for (k, v) in headers {
            req = req.header(k, v);
        }
        let res = req.send().await.unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{why}");
        let body = res.text().await.unwrap();
        assert!(body.contains("Your request could not be accepted"), "{why}: {body}");
    }
    assert_eq!(app.count("teams"), 0, "nothing was saved");

    // The same request with the right token in the htmx header, from this site, is accepted.
    let res = app
        .client
        .post(app.url("/admin/teams"))
        .header("X-CSRF-Token", &token)
        .header("HX-Request", "true")
        .header("Origin", app.base.as_str())
        .header("Sec-Fetch-Site", "same-origin")
        .form(&[("name", "Brent L&D"), ("kind", "ld")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let fragment = res.text().await.unwrap();
    assert!(
        fragment.starts_with("<div id=\"teams\">"),
        "a fragment, not a page: {fragment}"
    );
    assert!(fragment.contains("Team added: Brent L&amp;D"));
    assert_eq!(app.count("teams"), 1);

    // Sign-out without a token is refused too, and the session lives on.
    assert_eq!(app.post("/sign-out", &[]).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.page("/").await.0, StatusCode::OK);
    // Before sign-in, the form's token must match the pre-sign-in cookie.
    let stranger = app.another_client();
    let res = stranger
        .post(
            "/sign-in",
            &[
                ("csrf_token", &token),
                ("username", "admin"),
                ("password", crate::harness::PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

async fn every_route_sends_the_security_headers(db: Db) {
    let app = TestApp::spawn(db).await;
    let id = app.add_user("admin", Role::Administrator, &["Team"]);
    let anonymous = ["/sign-in", "/healthz", "/readyz", "/no-such-page", "/"];
    for path in anonymous {
        check_headers(&app, path, false).await;
    }
    app.sign_in_ok("admin").await;
    let user_page = format!("/admin/users/{id}");
    let disable = format!("/admin/users/{id}/disable");
    let password = format!("/admin/users/{id}/password");
    for path in [
        "/",
        "/admin/users",
        "/admin/users/new",
        &user_page,
        &disable,
        &password,
        "/admin/teams",
        "/admin/audit",
        "/no-such-page",
    ] {
        check_headers(&app, path, true).await;
    }
    let (_, home) = app.page("/").await;
    for asset in ["app.css", "print.css", "app.js", "htmx-2.0.11.min.js"] {
        let start = home
            .find(&format!("/{asset}"))
            .unwrap_or_else(|| panic!("{asset} linked"));
        let href_start = home[..start].rfind('"').unwrap() + 1;
        let url = &home[href_start..start + asset.len() + 1];
        let res = app.get(url).await;
        assert_eq!(res.status(), StatusCode::OK, "{url}");
        assert_eq!(res.headers()["cache-control"], "public, max-age=31536000, immutable");
        let wrong_hash = url.replace("/assets/", "/assets/0");
        assert_eq!(app.get(&wrong_hash).await.status(), StatusCode::NOT_FOUND);
    }
}

async fn check_headers(app: &TestApp, path: &str, signed_in: bool) {
    let res = app.get(path).await;
    let h = res.headers();
    let csp = h["content-security-policy"].to_str().unwrap();
    for directive in [
        "default-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "script-src 'self'",
    ] {
        assert!(csp.contains(directive), "{path}: {csp}");
    }
    assert!(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"), "{path}");
    assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
    assert_eq!(h["referrer-policy"], "same-origin", "{path}");
    assert_eq!(h["cache-control"], "no-store", "{path}");
    assert!(
        h.get_all("vary")
            .iter()
            .any(|v| v.to_str().unwrap().contains("HX-Request")),
        "{path}"
    );
    if signed_in {
        assert_ne!(
            res.status(),
            StatusCode::SEE_OTHER,
            "{path} is reachable when signed in"
        );
    }
}

async fn htmx_requests_get_fragments_with_the_same_authorisation(db: Db) {
    let app = TestApp::spawn(db).await;
    app.add_user("admin", Role::Administrator, &[]);
    app.add_user("pat", Role::Practitioner, &[]);
    app.sign_in_ok("admin").await;
    let (status, full) = app.page("/admin/users?role=practitioner").await;
    assert_eq!(status, StatusCode::OK);
    assert!(full.starts_with("<!DOCTYPE html>"));
    let res = app
        .client
        .get(app.url("/admin/users?role=practitioner"))
        .header("HX-Request", "true")
        .send()
        .await
        .unwrap();
    let fragment = res.text().await.unwrap();
    assert!(fragment.starts_with("<div id=\"users-table\">"), "{fragment}");
    assert!(
        fragment.contains("pat Test") && !fragment.contains("admin Test"),
        "filtered: {fragment}"
    );
    assert_eq!(
        app.audit_rows("view")
            .iter()
            .filter(|r| r.record_type.as_deref() == Some("user-list"))
            .count(),
        2,
        "both audited"
    );

    // A practitioner is refused the page and the fragment alike, and both refusals are audited.
    let pat = app.another_client();
    pat.sign_in_ok("pat").await;
    assert_eq!(pat.page("/admin/users").await.0, StatusCode::FORBIDDEN);
    let res = pat
        .client
        .get(pat.url("/admin/users"))
        .header("HX-Request", "true")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let denied: Vec<_> = app
        .audit_rows("view")
        .into_iter()
        .filter(|r| r.outcome.code() == "denied")
        .collect();
    assert_eq!(denied.len(), 2);
    assert_eq!(denied[0].username.as_deref(), Some("pat"));
}

async fn unknown_pages_and_health_endpoints(db: Db) {
    let app = TestApp::spawn(db).await;
    let (status, body) = app.page("/nowhere").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("Page not found"));
    let res = app.get("/healthz").await;
    assert_eq!(res.headers()["content-type"], "text/plain; charset=utf-8");
    assert_eq!(res.text().await.unwrap(), "ok\n");
    let (status, body) = app.page("/readyz").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, "ready\noutbox: 0 queued, 0 failed, oldest unsent none\n");
}

async fn transferred(app: &TestApp, path: &str) -> usize {
    let res = app
        .client
        .get(app.url(path))
        .header("Accept-Encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    res.bytes().await.unwrap().len()
}

async fn fetched(app: &TestApp, path: &str, accept_encoding: Option<&str>) -> (Option<String>, Vec<u8>) {
    let mut req = app.client.get(app.url(path));
    if let Some(accepted) = accept_encoding {
        req = req.header("Accept-Encoding", accepted);
    }
    let res = req.send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    let encoding = res
        .headers()
        .get("content-encoding")
        .map(|v| v.to_str().unwrap().to_string());
    if encoding.is_some() {
        let vary: Vec<&str> = res
            .headers()
            .get_all("vary")
            .iter()
            .map(|v| v.to_str().unwrap())
            .collect();
        assert!(
            vary.iter().any(|v| v.eq_ignore_ascii_case("accept-encoding")),
            "{path}: {vary:?}"
        );
    }
    (encoding, res.bytes().await.unwrap().to_vec())
}

async fn pages_are_gzipped_when_the_browser_accepts_it(db: Db) {
    use std::io::Read;
    let app = TestApp::spawn(db).await;
    app.add_user("admin", Role::Administrator, &["Team"]);
    app.sign_in_ok("admin").await;
    let htmx = liaison::views::assets::url("htmx-2.0.11.min.js");
    for path in ["/", "/admin/teams", htmx.as_str()] {
        let (plain_encoding, plain) = fetched(&app, path, None).await;
        assert_eq!(plain_encoding, None, "{path}");
        // Several times: each worker thread's compressor starts afresh for every body.
        for _ in 0..3 {
            let (encoding, body) = fetched(&app, path, Some("gzip, deflate, br")).await;
            assert_eq!(encoding.as_deref(), Some("gzip"), "{path}");
            assert!(
                body.len() < plain.len() / 2,
                "{path}: {} of {} bytes",
                body.len(),
                plain.len()
            );
            let mut read_back = Vec::new();
            flate2::read::GzDecoder::new(&body[..])
                .read_to_end(&mut read_back)
                .unwrap();
            if path == htmx {
                assert_eq!(read_back, plain);
            } else {
                let (page, plain) = (String::from_utf8(read_back).unwrap(), String::from_utf8_lossy(&plain));
                let title = |html: &str| {
                    html.split("<title>")
                        .nth(1)
                        .and_then(|t| t.split("</title>").next())
                        .map(String::from)
                };
                assert!(page.trim_end().ends_with("</html>"), "{path}");
                assert_eq!(title(&page), title(&plain), "{path}");
            }
        }
        let (refused, _) = fetched(&app, path, Some("gzip;q=0, identity")).await;
        assert_eq!(refused, None, "{path}");
    }
    // A body too small to gain anything is sent as it is.
    let (encoding, body) = fetched(&app, "/healthz", Some("gzip")).await;
    assert_eq!((encoding, body), (None, b"ok\n".to_vec()));
}

async fn page_weight(app: &TestApp, path: &str) -> usize {
    let (_, html) = app.page(path).await;
    let mut total = transferred(app, path).await;
    for asset in ["app.css", "app.js", "htmx-2.0.11.min.js"] {
        let url = liaison::views::assets::url(asset);
        assert!(html.contains(&url), "{path} links {asset}");
        total += transferred(app, &url).await;
    }
    total
}

async fn sign_in_page_and_app_shell_stay_under_40_kb(db: Db) {
    let app = TestApp::spawn(db).await;
    app.add_user("admin", Role::Administrator, &["Team"]);
    let sign_in = page_weight(&app, "/sign-in").await;
    app.sign_in_ok("admin").await;
    let shell = page_weight(&app, "/").await;
    eprintln!("transferred: sign-in page {sign_in} bytes, app shell {shell} bytes");
    assert!(sign_in <= 40 * 1024, "sign-in page {sign_in} bytes");
    assert!(shell <= 40 * 1024, "app shell {shell} bytes");
    assert!(sign_in > 10_000, "htmx and CSS were counted");
}
