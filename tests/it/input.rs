//! Input that cannot crash a request: control characters in forms, query strings and paths;
//! requests actix's extractors cannot read; dates outside sane ranges; HEAD; the favicon.

use chrono::{Datelike, Duration};
use liaison::domain::Role;
use liaison::domain::local_time;
use liaison::views::form::REFUSED_INPUT as MESSAGE;
use reqwest::{Method, StatusCode};

use crate::both_databases;
use crate::harness::{Db, TestApp, csrf_token};

both_databases!(
    control_characters_in_any_form_are_refused_at_their_field_and_nothing_is_saved,
    control_characters_in_query_strings_and_paths_never_crash_a_page,
    requests_the_extractors_cannot_read_get_the_service_error_page,
    dates_outside_sane_ranges_are_refused_at_their_field,
    head_is_answered_wherever_get_is,
    the_favicon_is_served_and_linked,
);

const LD_TEAM: &str = "Brent L&D";
const MHTR_TEAM: &str = "London Women's MHTR";

/// Signed in as "pat" (L&D practitioner); "maya" (MHTR) and "admin" have their own clients.
struct Setup {
    pat: TestApp,
    maya: TestApp,
    admin: TestApp,
    site: String,
    person: String,
    episode: String,
    youth_episode: String,
    /// Someone with no episode yet.
    newcomer: String,
}

async fn setup(db: Db) -> Setup {
    let pat = TestApp::spawn(db).await;
    let uid = pat.add_user("pat", Role::Practitioner, &[LD_TEAM]);
    pat.add_user("maya", Role::Practitioner, &[MHTR_TEAM]);
    pat.add_user("admin", Role::Administrator, &[]);
    let site = pat.add_court(LD_TEAM, "Willesden Magistrates' Court");
    let person = pat.add_person("Jo", "Bloggs", "1990-06-01", &uid);
    let episode = pat.add_episode(&person, &site, &uid, 30, false);
    let dob = local_time::local_date(pat.state.now()) - Duration::days(16 * 365);
    let youth = pat.add_person("Sam", "Young", &dob.format("%Y-%m-%d").to_string(), &uid);
    let youth_episode = pat.add_episode(&youth, &site, &uid, 5, true);
    let newcomer = pat.add_person("Kit", "Marlowe", "1988-02-26", &uid);
    pat.sign_in_ok("pat").await;
    let maya = pat.another_client();
    maya.sign_in_ok("maya").await;
    let admin = pat.another_client();
    admin.sign_in_ok("admin").await;
    Setup {
        pat,
        maya,
        admin,
        site,
        person,
        episode,
        youth_episode,
        newcomer,
    }
}

/// True when `message` is shown in the form group of the field with id `field` (not only in
/// the error summary at the top of the page).
pub(crate) fn shown_at_field(html: &str, field: &str, message: &str) -> bool {
    let Some(at) = html.find(&format!("id=\"{field}\"")) else {
        return false;
    };
    let start = html[..at].rfind("app-form-group").unwrap_or(0);
    let end = html[at..].find("app-form-group").map_or(html.len(), |i| at + i);
    html[start..end].contains(message) && html.contains(&format!("href=\"#{field}\">{message}"))
}

/// One form: who submits it, where, a complete valid set of answers, the free-text field
/// to spoil, another answer that must be kept, and the tables it writes to.
struct Case<'a> {
    name: &'a str,
    client: &'a TestApp,
    page: String,
    post: String,
    fields: Vec<(&'a str, String)>,
    spoil: &'a str,
    kept: &'a str,
    tables: &'a [&'a str],
}

fn owned<'a>(fields: &[(&'a str, &str)]) -> Vec<(&'a str, String)> {
    fields.iter().map(|(k, v)| (*k, v.to_string())).collect()
}

fn today_boxes(app: &TestApp, prefix: &str, days: i64) -> Vec<(String, String)> {
    let date = local_time::local_date(app.state.now()) + Duration::days(days);
    vec![
        (format!("{prefix}-day"), date.day().to_string()),
        (format!("{prefix}-month"), date.month().to_string()),
        (format!("{prefix}-year"), date.year().to_string()),
    ]
}

async fn post(case: &Case<'_>, fields: &[(&str, String)]) -> reqwest::Response {
    let form: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    case.client.submit(&case.page, &case.post, &form).await
}

fn counts(case: &Case<'_>) -> Vec<i64> {
    case.tables.iter().map(|t| case.client.count(t)).collect()
}

async fn control_characters_in_any_form_are_refused_at_their_field_and_nothing_is_saved(db: Db) {
    let s = setup(db).await;
    let team = s.admin.team_id(LD_TEAM);
    let alert = local_time::local_input_value(s.pat.state.now() - 10 * 60_000);
    let ep = |suffix: &str| format!("/episodes/{}{suffix}", s.episode);
    let held = today_boxes(&s.maya, "held", -3);
    let held: Vec<(&str, &str)> = held.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let mut outreach = owned(&[
        ("audience", "judiciary"),
        ("organisation", "Westminster Magistrates' Court"),
        ("attendees", "30"),
        ("notes", "Bench briefing"),
    ]);
    outreach.extend(owned(&held));
    let cases = [
        Case {
            name: "person",
            client: &s.pat,
            page: "/people/new".into(),
            post: "/people/new".into(),
            fields: owned(&[
                ("given_name", "Ada"),
                ("family_name", "Lovelace"),
                ("dob-day", "10"),
                ("dob-month", "12"),
                ("dob-year", "1985"),
                ("gp_practice", "Kilburn Surgery"),
            ]),
            spoil: "family_name",
            kept: "Kilburn Surgery",
            tables: &["people"],
        },
        Case {
            name: "episode intake",
            client: &s.pat,
            page: format!("/episodes/new?person={}", s.newcomer),
            post: "/episodes".into(),
            fields: owned(&[
                ("person", &s.newcomer),
                ("site_id", &s.site),
                ("cj_stage", "pre-charge"),
                ("alert_at", &alert),
                ("referral_source", "E1"),
                ("concern", "Crying in cell"),
                ("location", "Cell 4"),
            ]),
            spoil: "concern",
            kept: "Cell 4",
            tables: &["episodes"],
        },
        Case {
            name: "timeline note",
            client: &s.pat,
            page: ep(""),
            post: ep("/timeline"),
            fields: owned(&[("kind", "note"), ("body", "Calmer after custody nurse review")]),
            spoil: "body",
            kept: r#"value="note" selected"#,
            tables: &["timeline_entries"],
        },
        Case {
            name: "safeguarding concern",
            client: &s.pat,
            page: format!("/episodes/{}/safeguarding", s.youth_episode),
            post: format!("/episodes/{}/safeguarding", s.youth_episode),
            fields: owned(&[
                ("kind", "child"),
                ("agency", "Brent Children's Social Care"),
                ("raised-day", "3"),
                ("raised-month", "5"),
                ("raised-year", "2025"),
                ("agency_reference", "BCS-123"),
                ("outcome", ""),
            ]),
            spoil: "agency",
            kept: "BCS-123",
            tables: &["safeguarding_concerns"],
        },
        Case {
            name: "MHTR referral",
            client: &s.pat,
            page: ep("/mhtr-referral"),
            post: ep("/mhtr-referral"),
            fields: owned(&[("reason", "Low mood and past self-harm"), ("agrees", "yes")]),
            spoil: "reason",
            kept: "Low mood and past self-harm",
            tables: &["mhtr_referrals", "timeline_entries"],
        },
        Case {
            name: "MHTR outreach",
            client: &s.maya,
            page: "/mhtr/outreach/new".into(),
            post: "/mhtr/outreach/new".into(),
            fields: outreach,
            spoil: "organisation",
            kept: "Bench briefing",
            tables: &["mhtr_outreach"],
        },
        Case {
            name: "partner service",
            client: &s.admin,
            page: "/admin/partners/new".into(),
            post: "/admin/partners/new".into(),
            fields: owned(&[
                ("organisation", "Brent CAMHS (test)"),
                ("name", "Referrals"),
                ("service_type", "camhs"),
                ("addresses", "camhs.test@nhs.net"),
                ("phone", "020 7946 0101"),
                ("areas", "London Borough of Brent"),
                ("active", "yes"),
            ]),
            spoil: "areas",
            kept: "020 7946 0101",
            tables: &["partner_services"],
        },
        Case {
            name: "admin site",
            client: &s.admin,
            page: "/admin/sites/new".into(),
            post: "/admin/sites".into(),
            fields: owned(&[
                ("name", "Brent Youth Court"),
                ("kind", "magistrates-court"),
                ("team_id", &team),
                ("opens_at", "09:00"),
                ("closes_at", "17:00"),
                ("target_minutes", "90"),
                ("active", "yes"),
            ]),
            spoil: "name",
            kept: "17:00",
            tables: &["sites"],
        },
        Case {
            name: "admin team",
            client: &s.admin,
            page: "/admin/teams".into(),
            post: "/admin/teams".into(),
            // `kind` is ignored until teams have kinds, then required.
            fields: owned(&[("name", "Harrow L&D"), ("kind", "ld")]),
            spoil: "name",
            kept: "Harrow L&amp;D",
            tables: &["teams"],
        },
    ];
    // NUL (which PostgreSQL refuses in text) and other control characters, in the middle or
    // at the end of an answer.
    let spoilers = ["\0", "\u{1}", "\u{1b}", "\u{7f}", "\u{85}"];
    for (i, case) in cases.iter().enumerate() {
        let before = counts(case);
        let spoiler = spoilers[i % spoilers.len()];
        let clean = &case
            .fields
            .iter()
            .find(|(k, _)| *k == case.spoil)
            .expect("spoiled field")
            .1;
        let spoiled: Vec<(&str, String)> = case
            .fields
            .iter()
            .map(|(k, v)| {
                let v = if *k == case.spoil {
                    format!("{}{spoiler}{}", &v[..1], &v[1..])
                } else {
                    v.clone()
                };
                (*k, v)
            })
            .collect();
        let res = post(case, &spoiled).await;
        let name = case.name;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        let html = res.text().await.unwrap();
        assert!(
            shown_at_field(&html, case.spoil, MESSAGE),
            "{name}: message at {}\n{html}",
            case.spoil
        );
        assert!(html.contains(case.kept), "{name}: other answers kept");
        let shown = clean.replace('&', "&amp;").replace('\'', "&#39;");
        assert!(
            html.contains(&shown) || html.contains(clean.as_str()),
            "{name}: the answer is shown again without the control characters"
        );
        assert!(!html.contains(spoiler), "{name}: no control characters echoed");
        assert_eq!(counts(case), before, "{name}: nothing saved");

        // The same answers without the control characters are saved: only they were wrong.
        let res = post(case, &case.fields).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{name}: clean answers accepted");
        let after = counts(case);
        assert!(after.iter().zip(&before).all(|(a, b)| a > b), "{name}: saved");
    }
}

async fn control_characters_in_query_strings_and_paths_never_crash_a_page(db: Db) {
    let s = setup(db).await;
    let res = s.pat.get("/people/search?given_name=J%00o&family_name=Bloggs").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(shown_at_field(&html, "given_name", MESSAGE), "{html}");
    assert!(html.contains("value=\"Jo\""), "the answer is shown cleaned");
    assert!(html.contains("value=\"Bloggs\""), "other answers kept");

    let pages = [
        (&s.pat, "/people/new?given_name=%00&family_name=%1B".to_string()),
        (&s.pat, format!("/episodes/new?person={}%00", s.person)),
        (&s.pat, format!("/sites/{}/list?status=%00&who=%7F&youth=%01", s.site)),
        (&s.pat, format!("/episodes/{}?x=%00", s.episode)),
        (
            &s.admin,
            "/admin/audit?record_id=%00&username=a%00b&action=%00".to_string(),
        ),
        (&s.admin, "/admin/partners?service_type=%00".to_string()),
        (&s.admin, "/admin/users?role=%00&status=%00".to_string()),
        (&s.admin, "/admin/outbox?status=%00".to_string()),
        (&s.maya, "/mhtr/intake?x=%00".to_string()),
    ];
    for (client, path) in pages {
        let res = client.get(&path).await;
        let status = res.status();
        let html = res.text().await.unwrap();
        assert!(
            status.is_success() || status == StatusCode::UNPROCESSABLE_ENTITY,
            "{path}: {status}\n{html}"
        );
        assert!(!html.contains('\0'), "{path}");
    }

    for path in [
        "/people/%00".to_string(),
        format!("/episodes/{}%00", s.episode),
        format!("/episodes/{}%00/timeline", s.episode),
        "/admin/users/%01".to_string(),
    ] {
        let client = if path.starts_with("/admin") { &s.admin } else { &s.pat };
        let (status, html) = client.page(&path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(html.contains("Page not found"), "{path}");
    }
    // A POST to such a path is refused the same way, and saves nothing.
    let before = s.pat.count("timeline_entries");
    let path = format!("/episodes/{}%00/timeline", s.episode);
    let res = s
        .pat
        .submit(
            &format!("/episodes/{}", s.episode),
            &path,
            &[("kind", "note"), ("body", "x")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(s.pat.count("timeline_entries"), before);
}

/// Wording only actix's own plain-text errors use.
const ACTIX_TEXT: [&str; 7] = [
    "deserialize",
    "Deserialize",
    "Parse error",
    "URL encoded payload",
    "Content type error",
    "payload reached size limit",
    "duplicate field",
];

fn service_error_page(html: &str, title: &str) -> bool {
    html.starts_with("<!DOCTYPE html>")
        && html.contains(&format!("<title>{title} – Liaison</title>"))
        && html.contains(title)
        && !ACTIX_TEXT.iter().any(|t| html.contains(t))
}

async fn requests_the_extractors_cannot_read_get_the_service_error_page(db: Db) {
    let s = setup(db).await;
    let admin = &s.admin;
    let (_, teams) = admin.page("/admin/teams").await;
    let token = csrf_token(&teams);
    let unreadable = "Your request could not be understood";
    let teams_before = admin.count("teams");

    // Query strings a page's filters cannot read (a field given twice).
    for path in [
        "/admin/users?role=a&role=b",
        "/people/new?given_name=a&given_name=b",
        "/sign-in?ended=a&ended=b",
    ] {
        let client = if path.starts_with("/admin") { admin } else { &s.pat };
        let (status, html) = client.page(path).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path}");
        assert!(service_error_page(&html, unreadable), "{path}: {html}");
    }

    // A form field given twice where one is expected.
    let res = admin
        .post("/admin/teams", &[("csrf_token", &token), ("name", "A"), ("name", "B")])
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(service_error_page(&res.text().await.unwrap(), unreadable));

    // Not a form: JSON, or plain text, where a form is expected.
    for content_type in ["application/json", "text/plain"] {
        let res = admin
            .client
            .post(admin.url("/admin/teams"))
            .header("X-CSRF-Token", &token)
            .header("Content-Type", content_type)
            .body(r#"{"name":"Team"}"#)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE, "{content_type}");
        assert!(
            service_error_page(&res.text().await.unwrap(), unreadable),
            "{content_type}"
        );
    }

    // Too large, read first by the CSRF check (token in the body) or by the form (htmx header).
    let huge = "a".repeat(300 * 1024);
    let res = admin
        .post("/admin/teams", &[("csrf_token", &token), ("name", &huge)])
        .await;
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(service_error_page(
        &res.text().await.unwrap(),
        "Your request was too large"
    ));
    let res = admin
        .client
        .post(admin.url("/admin/teams"))
        .header("X-CSRF-Token", &token)
        .form(&[("name", &huge)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(service_error_page(
        &res.text().await.unwrap(),
        "Your request was too large"
    ));

    // A path segment that is not text (invalid UTF-8) where an id is expected.
    let (status, html) = s.pat.page("/people/%FF%FE").await;
    assert!(matches!(status.as_u16(), 400 | 404), "{status}");
    assert!(
        service_error_page(&html, unreadable) || service_error_page(&html, "Page not found"),
        "{html}"
    );
    assert_eq!(admin.count("teams"), teams_before, "no team added");
}

async fn dates_outside_sane_ranges_are_refused_at_their_field(db: Db) {
    let s = setup(db).await;
    let path = format!("/episodes/{}/mhtr-referral", s.episode);
    let form = [
        ("reason", "Low mood and past self-harm"),
        ("agrees", "yes"),
        ("hearing-day", "1"),
        ("hearing-month", "1"),
        ("hearing-year", "9999"),
    ];
    let res = s.pat.submit(&path, &path, &form).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    let latest = liaison::domain::date_input::years_after(local_time::local_date(s.pat.state.now()), 2).unwrap();
    let message = format!(
        "Sentencing hearing date must be the same as or before {}",
        latest.format("%-d %B %Y")
    );
    assert!(html.contains(&message), "{html}");
    let at = html.find("id=\"hearing\"").expect("hearing fieldset");
    assert!(html[at..].contains(&message), "shown at the hearing date");
    assert!(html.contains("Low mood and past self-harm"), "answers kept");
    assert_eq!(s.pat.count("mhtr_referrals"), 0);

    // A date of birth 150 years ago.
    let res = s
        .pat
        .submit(
            "/people/new",
            "/people/new",
            &[
                ("given_name", "Ada"),
                ("family_name", "Lovelace"),
                ("dob-day", "10"),
                ("dob-month", "12"),
                ("dob-year", "1815"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("Date of birth must be the same as or after"), "{html}");
    assert_eq!(s.pat.count("people"), 3, "only the fixtures' people");

    // An alert time years back, and a listing in year 9999.
    let old = local_time::local_input_value(s.pat.state.now() - 400 * 86_400_000);
    let res = s
        .pat
        .submit(
            &format!("/episodes/new?person={}", s.person),
            "/episodes",
            &[
                ("person", &s.person),
                ("site_id", &s.site),
                ("cj_stage", "pre-charge"),
                ("alert_at", &old),
                ("arrest_or_listing_at", "9999-01-01T10:00"),
                ("referral_source", "E1"),
                ("concern", "Crying in cell"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(shown_at_field(
        &html,
        "alert_at",
        "Time of the alert must be within the last year"
    ));
    assert!(shown_at_field(
        &html,
        "arrest_or_listing_at",
        "Time of arrest or listing must be within a year of today"
    ));
    assert_eq!(s.pat.count("episodes"), 2, "only the fixtures' episodes");
}

async fn head(app: &TestApp, path: &str) -> reqwest::Response {
    app.client.request(Method::HEAD, app.url(path)).send().await.unwrap()
}

async fn head_is_answered_wherever_get_is(db: Db) {
    let s = setup(db).await;
    let css = liaison::views::assets::url("app.css");
    let anonymous = TestApp::another_client(&s.pat);
    let cases: [(&TestApp, &str, StatusCode); 6] = [
        (&anonymous, "/healthz", StatusCode::OK),
        (&anonymous, &css, StatusCode::OK),
        (&anonymous, "/favicon.ico", StatusCode::OK),
        (&s.pat, "/", StatusCode::OK),
        (&s.pat, "/no-such-page", StatusCode::NOT_FOUND),
        (&anonymous, "/admin/users", StatusCode::SEE_OTHER),
    ];
    for (client, path, status) in cases {
        let got = client.get(path).await;
        let headed = head(client, path).await;
        assert_eq!(got.status(), status, "GET {path}");
        assert_eq!(headed.status(), status, "HEAD {path}");
        for name in [
            "content-type",
            "cache-control",
            "content-security-policy",
            "x-content-type-options",
            "location",
        ] {
            assert_eq!(got.headers().get(name), headed.headers().get(name), "{path}: {name}");
        }
        let length = got.headers().get("content-length").cloned();
        let body = got.bytes().await.unwrap();
        if path != "/" {
            // The same length as the GET's body (a signed-in page's varies by a few bytes).
            assert_eq!(headed.headers().get("content-length"), length.as_ref(), "{path}");
            assert_eq!(
                length.map(|l| l.to_str().unwrap().to_string()),
                Some(body.len().to_string())
            );
        }
        assert!(headed.bytes().await.unwrap().is_empty(), "HEAD {path} has no body");
    }
    // HEAD on a route that only takes POST answers as GET would.
    assert_eq!(
        head(&s.pat, "/sign-out").await.status(),
        s.pat.get("/sign-out").await.status()
    );
}

async fn the_favicon_is_served_and_linked(db: Db) {
    let app = TestApp::spawn(db).await;
    let res = app.get("/favicon.ico").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "image/x-icon");
    assert_eq!(res.headers()["cache-control"], "public, max-age=86400");
    let icon = res.bytes().await.unwrap();
    assert_eq!(&icon[..4], &[0, 0, 1, 0], "an ICO file");
    assert!(icon.len() < 2048, "small: {} bytes", icon.len());

    let (_, html) = app.page("/sign-in").await;
    let svg = liaison::views::assets::url("favicon.svg");
    assert!(
        html.contains(&format!(r#"<link rel="icon" href="{svg}" type="image/svg+xml">"#)),
        "{html}"
    );
    assert!(html.contains(r#"<link rel="icon" href="/favicon.ico" sizes="32x32">"#));
    let res = app.get(&svg).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "image/svg+xml");
    assert!(res.text().await.unwrap().starts_with("<svg"));
}
