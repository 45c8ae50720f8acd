//! Pages are valid HTML, as the Nu HTML checker (vnu) sees them. The test fetches a page of
//! each kind as the user who would see it (signed out, L&D practitioner, MHTR practitioner,
//! administrator, a partner through an answer link), forms re-rendered with their errors,
//! the referral emails, and every page each demo account reaches by links from its home page
//! (a few of each shape of path), then checks them all in one run of the checker. Warnings
//! are not failures; errors are, each printed with its document, line and column. Fragments
//! for htmx are not whole documents and are not checked. Markup does not depend on the
//! database, so this runs on SQLite only.
//!
//! The checker is `vnu.jar` from `LIAISON_VNU_JAR`, or else
//! `target/vnu/node_modules/vnu-jar/build/dist/vnu.jar` (`npm install --prefix target/vnu
//! vnu-jar@…`), run with `java`. Without either the test is skipped, except under `CI=true`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use diesel::prelude::*;
use liaison::db::schema::episodes;
use liaison::domain::Role;
use liaison::domain::mhtr::MhtrStatus;
use reqwest::StatusCode;
use serde_json::Value;

use crate::harness::{Db, TestApp};
use crate::input_forms::{pages, shape};
use crate::referrals::hidden;
use crate::smtp_server::SmtpServer;

const LD_TEAM: &str = "Brent L&D";
const MHTR_TEAM: &str = "London Women's MHTR";

/// The checker's jar, if it and `java` are here to run it.
fn vnu_jar() -> Option<PathBuf> {
    let jar = std::env::var_os("LIAISON_VNU_JAR")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("target/vnu/node_modules/vnu-jar/build/dist/vnu.jar")
        });
    let java = Command::new("java")
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success());
    if java && jar.is_file() {
        return Some(jar);
    }
    let missing = if java {
        format!("the Nu HTML checker ({})", jar.display())
    } else {
        "java".to_string()
    };
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("CI=true but {missing} is missing: the HTML validity test must run");
    }
    eprintln!(
        "skipped: HTML validity test needs {missing} (install a JRE and \
         `npm install --prefix target/vnu vnu-jar`, or set LIAISON_VNU_JAR)"
    );
    None
}

/// The documents to check, each written to a file named after what it is.
pub(crate) struct Documents {
    dir: tempfile::TempDir,
    /// (file name, where it came from)
    files: Vec<(String, String)>,
}

impl Documents {
    fn keep(&mut self, name: &str, source: &str, html: &str) {
        let file = format!("{:02}-{name}.html", self.files.len() + 1);
        std::fs::write(self.dir.path().join(&file), html).unwrap();
        self.files.push((file, source.to_string()));
    }

    /// Fetches `path` as `client`, expects `status` and keeps the page.
    pub(crate) async fn page(&mut self, client: &TestApp, name: &str, path: &str, status: StatusCode) {
        let (got, html) = client.page(path).await;
        assert_eq!(got, status, "GET {path}: {html}");
        self.keep(name, &format!("GET {path}"), &html);
    }

    /// Posts `form` (with the CSRF token of `token_page`) and keeps the page that comes back
    /// with `status` (a form re-rendered with its errors).
    pub(crate) async fn post(
        &mut self,
        client: &TestApp,
        name: &str,
        token_page: &str,
        path: &str,
        form: &[(&str, &str)],
        status: StatusCode,
    ) {
        let res = client.submit(token_page, path, form).await;
        let got = res.status();
        let html = res.text().await.unwrap();
        assert_eq!(got, status, "POST {path}: {html}");
        self.keep(name, &format!("POST {path}"), &html);
    }
}

/// Markup does not depend on the database: one run, on SQLite.
#[actix_web::test]
async fn representative_pages_are_valid_html() {
    let Some(jar) = vnu_jar() else { return };
    let server = SmtpServer::start();
    let smtp_url = server.url();
    let app = TestApp::spawn_with(Db::Sqlite, move |c| {
        c.smtp_url = Some(smtp_url);
        c.public_url = Some("https://liaison.example".into());
    })
    .await;
    let mut docs = Documents {
        dir: tempfile::tempdir().unwrap(),
        files: Vec::new(),
    };

    let pat = app.add_user("pat", Role::Practitioner, &[LD_TEAM]);
    app.vet(&pat);
    let maya = app.add_user("maya", Role::Practitioner, &[MHTR_TEAM]);
    app.add_user("admin", Role::Administrator, &[]);
    app.add_user("rita", Role::RecordsManager, &[]);
    let site = app.add_site(LD_TEAM, "Wembley Police Custody Suite");
    let person = app.add_person("Jo", "Bloggs", "1990-06-01", &pat);
    let screened = app.add_episode(&person, &site, &pat, 30, false);
    let other = app.add_person("Sam", "Smith", "2009-02-03", &pat);
    let assessing = app.add_episode(&other, &site, &pat, 90, true);
    diesel::update(episodes::table.find(&assessing))
        .set(episodes::status.eq("in-assessment"))
        .execute(&mut app.conn())
        .unwrap();
    let camhs = app.add_service("Brent CAMHS", "Referrals", "camhs", &["camhs.referrals@nhs.net"]);
    let centre = app.add_service(
        "Brent Women's Centre",
        "Intake",
        "womens-centre",
        &["intake@womenscentre.example.org"],
    );
    let woman = app.add_person("Mina", "Morris", "1985-03-04", &pat);
    let case = app.add_mhtr_case(MHTR_TEAM, &woman, MhtrStatus::Assessment, &maya);

    // Signed out.
    let ok = StatusCode::OK;
    let invalid = StatusCode::UNPROCESSABLE_ENTITY;
    let visitor = app.another_client();
    docs.page(&visitor, "sign-in", "/sign-in", ok).await;
    docs.post(
        &visitor,
        "sign-in-refused",
        "/sign-in",
        "/sign-in",
        &[("username", "pat"), ("password", "wrong")],
        invalid,
    )
    .await;

    // An L&D practitioner: the shift, the live list, an episode and its screening, a person,
    // the full assessment, a referral.
    app.sign_in_ok("pat").await;
    docs.page(&app, "home-not-signed-on", "/", ok).await;
    docs.page(&app, "shift", "/shift", ok).await;
    docs.post(
        &app,
        "shift-with-errors",
        "/shift",
        "/shift",
        &[("sites", &site), ("phone", "call me")],
        invalid,
    )
    .await;
    let res = app
        .submit("/shift", "/shift", &[("sites", &site), ("phone", "020 7946 0000")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "signed on");
    docs.page(&app, "home", "/", ok).await;
    docs.page(&app, "live-list", &format!("/sites/{site}/list"), ok).await;
    docs.page(&app, "shift-list", "/shift/list", ok).await;

    let episode = format!("/episodes/{screened}");
    let res = app
        .submit(
            &episode,
            &format!("{episode}/actions"),
            &[("action", "start-screening")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "screening started");
    let screening = format!("{episode}/screening");
    docs.page(&app, "screening", &screening, ok).await;
    docs.post(
        &app,
        "screening-with-errors",
        &screening,
        &screening,
        &[("presenting_concerns", "Low mood")],
        invalid,
    )
    .await;
    let res = app
        .submit(
            &screening,
            &screening,
            &[
                ("consent", "given"),
                ("vulnerabilities", "mental-health"),
                ("presenting_concerns", "Low mood, says he has not slept for days"),
                ("risks", "self"),
                ("safeguarding", "yes"),
                ("outcome", "signposted"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "screening recorded");
    docs.page(&app, "episode-screened", &episode, ok).await;
    docs.page(&app, "person", &format!("/people/{person}"), ok).await;
    docs.page(
        &app,
        "person-search",
        "/people/search?given_name=Jo&family_name=Bloggs&dob-day=1&dob-month=6&dob-year=1990",
        ok,
    )
    .await;
    docs.page(&app, "new-person", "/people/new", ok).await;
    docs.page(
        &app,
        "episode-youth-in-assessment",
        &format!("/episodes/{assessing}"),
        ok,
    )
    .await;
    docs.page(&app, "assessment", &format!("/episodes/{assessing}/assessment"), ok)
        .await;
    docs.page(
        &app,
        "assessment-section",
        &format!("/episodes/{assessing}/assessment/mental-state-examination"),
        ok,
    )
    .await;

    let new_referral = format!("{episode}/referrals/new");
    docs.page(&app, "referral-choose-services", &new_referral, ok).await;
    let details = format!("{new_referral}?services={camhs}&services={centre}");
    docs.page(&app, "referral-details", &details, ok).await;
    let (_, form) = app.page(&details).await;
    let submission_key = hidden(&form, "submission_key");
    let (consent_camhs, consent_centre) = (format!("consent-{camhs}"), format!("consent-{centre}"));
    let mut fields = vec![
        ("submission_key", submission_key.as_str()),
        ("services", camhs.as_str()),
        ("services", centre.as_str()),
        ("reason", "Low mood and self-harm; wants support"),
        ("urgency", "soon"),
        ("shared_information", "History of self-harm; no current plan"),
        (consent_camhs.as_str(), "given"),
    ];
    let check_answers = format!("{episode}/referrals/check");
    docs.post(&app, "referral-with-errors", &details, &check_answers, &fields, invalid)
        .await;
    fields.push((consent_centre.as_str(), "given"));
    docs.post(&app, "referral-check-answers", &details, &check_answers, &fields, ok)
        .await;
    let res = app.submit(&details, &format!("{episode}/referrals"), &fields).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "referral sent");
    app.outbox_pass();
    docs.page(&app, "episode-with-referral", &episode, ok).await;
    docs.page(&app, "referrals-awaiting", "/referrals", ok).await;

    // The partner, through the link in each email, and the emails themselves.
    let messages = server.wait_for_messages(2, Duration::from_secs(10));
    for (i, m) in messages.iter().enumerate() {
        let html = m.html_part().expect("an HTML part");
        docs.keep(&format!("email-{i}"), "referral email", &html);
        let text = m.text_part().unwrap();
        let start = text.find("https://liaison.example/answer/").unwrap() + "https://liaison.example".len();
        let link = text[start..].split_whitespace().next().unwrap();
        docs.page(&visitor, &format!("answer-{i}"), link, ok).await;
        if i == 0 {
            docs.post(
                &visitor,
                "answer-with-errors",
                link,
                link,
                &[("answer", "declined")],
                invalid,
            )
            .await;
        }
    }

    // An MHTR practitioner: intake, a case and its suitability assessment.
    let mhtr = app.another_client();
    mhtr.sign_in_ok("maya").await;
    docs.page(&mhtr, "mhtr-intake", "/mhtr/intake", ok).await;
    docs.page(&mhtr, "mhtr-case", &format!("/mhtr/cases/{case}"), ok).await;
    docs.page(&mhtr, "mhtr-assessment", &format!("/mhtr/cases/{case}/assessment"), ok)
        .await;
    docs.page(
        &mhtr,
        "mhtr-assessment-section",
        &format!("/mhtr/cases/{case}/assessment/risks"),
        ok,
    )
    .await;

    // An administrator.
    let admin = app.another_client();
    admin.sign_in_ok("admin").await;
    docs.page(&admin, "admin-users", "/admin/users", ok).await;
    docs.page(&admin, "admin-new-user", "/admin/users/new", ok).await;
    docs.post(
        &admin,
        "admin-new-user-with-errors",
        "/admin/users/new",
        "/admin/users",
        &[("username", ""), ("role", "practitioner")],
        invalid,
    )
    .await;
    docs.page(&admin, "admin-user", &format!("/admin/users/{pat}"), ok)
        .await;
    let vetting = format!("/admin/users/{pat}/vetting");
    docs.page(&admin, "admin-user-vetting", &vetting, ok).await;
    docs.post(
        &admin,
        "admin-user-vetting-with-errors",
        &vetting,
        &vetting,
        &[
            ("level", "nppv3"),
            ("reference", ""),
            ("granted-day", "31"),
            ("granted-month", "2"),
            ("granted-year", "2025"),
        ],
        invalid,
    )
    .await;
    docs.page(&admin, "admin-vetting", "/admin/vetting", ok).await;
    docs.page(&admin, "admin-teams", "/admin/teams", ok).await;
    docs.page(&admin, "admin-sites", "/admin/sites", ok).await;
    docs.page(&admin, "admin-partners", "/admin/partners", ok).await;
    docs.page(&admin, "admin-outbox", "/admin/outbox", ok).await;
    docs.page(&admin, "admin-audit", "/admin/audit", ok).await;
    crate::html_validity_factor::second_factor_pages(&mut docs, &app, &admin, &pat).await;

    // The records manager.
    let records = app.another_client();
    records.sign_in_ok("rita").await;
    let retention = format!("/records/people/{person}");
    docs.page(&records, "retention", &retention, ok).await;
    docs.post(
        &records,
        "retention-decision-with-errors",
        &retention,
        &format!("{retention}/decision"),
        &[("decision", "extend"), ("review-day", "31"), ("review-month", "2")],
        invalid,
    )
    .await;

    crawl_demo(&mut docs).await;
    let errors = validate(&jar, &docs);
    assert!(
        errors.is_empty(),
        "{} HTML validity errors in {} documents:\n{}",
        errors.len(),
        docs.files.len(),
        errors.join("\n")
    );
}

/// Every kind of page the demo's users reach by links from their home page.
async fn crawl_demo(docs: &mut Documents) {
    let app = TestApp::spawn(Db::Sqlite).await;
    liaison::demo::seed(&mut app.conn(), app.state.now()).unwrap();
    for (user, _, _) in liaison::demo::ACCOUNTS {
        let client = app.another_client();
        let res = client.sign_in(user, liaison::demo::PASSWORD).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{user} signs in");
        let (_, shift) = client.page("/shift").await;
        let sites: Vec<&str> = shift
            .split("name=\"sites\" value=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next())
            .collect();
        if !sites.is_empty() {
            let mut fields = vec![("phone", "020 7946 0000")];
            fields.extend(sites.iter().map(|s| ("sites", *s)));
            let res = client.submit("/shift", "/shift", &fields).await;
            assert_eq!(res.status(), StatusCode::SEE_OTHER, "{user} signs on");
        }
        for (path, html) in pages(&client, &["/"]).await {
            let name: String = shape(&path)
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                .collect();
            docs.keep(&format!("{user}{name}"), &format!("GET {path} as {user}"), &html);
        }
    }
}

/// Runs the checker once over every document; returns its errors, one line each.
fn validate(jar: &Path, docs: &Documents) -> Vec<String> {
    let out = Command::new("java")
        .arg("-jar")
        .arg(jar)
        .args(["--errors-only", "--format", "json"])
        .args(docs.files.iter().map(|(file, _)| docs.dir.path().join(file)))
        .output()
        .expect("the Nu HTML checker runs");
    let report: Value = serde_json::from_slice(&out.stderr).unwrap_or_else(|e| {
        panic!(
            "the checker's report is not JSON ({e}):\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let messages = report["messages"].as_array().cloned().unwrap_or_default();
    let errors: Vec<String> = messages
        .iter()
        .filter(|m| m["type"] != "info")
        .map(|m| {
            let url = m["url"].as_str().unwrap_or("");
            let file = url.rsplit('/').next().unwrap_or(url);
            let source = docs.files.iter().find(|(f, _)| f == file).map_or("", |(_, s)| s);
            format!(
                "{file} ({source}):{}:{}: {}\n    {}",
                m["lastLine"],
                m["firstColumn"],
                m["message"].as_str().unwrap_or(""),
                m["extract"].as_str().unwrap_or("").replace('\n', "⏎")
            )
        })
        .collect();
    assert!(
        out.status.success() || !errors.is_empty(),
        "the checker failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    errors
}
