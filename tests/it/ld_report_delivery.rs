//! Sending an L&D report: through the share gate (consent for the kind's scope, or another
//! lawful basis that goes to the IG lead's queue), then the outbox to a real SMTP server on
//! loopback. A secure address gets the report; a standard one a notice and a link that opens
//! that version once, within 72 hours, audited; guessing links is refused. Withdrawing
//! consent stops an unsent report and any later share.

use diesel::prelude::*;
use liaison::db::schema::{outbox, report_links, shares};
use liaison::reports::kinds::{CPS_INFORMATION, CUSTODY_SUMMARY};
use reqwest::StatusCode;

use crate::both_databases;
use crate::harness::Db;
use crate::ld_reports::{Scene, consent, draft, report_path, scene, write_all, write_court_report};
use crate::referrals::{WAIT, by_recipient};
use crate::smtp_server::SmtpServer;

both_databases!(
    a_secure_address_gets_the_report_and_a_standard_one_a_link_that_opens_once,
    the_cps_is_refused_until_a_lawful_basis_is_recorded_and_the_ig_lead_sees_it,
    withdrawing_consent_stops_an_unsent_report_and_any_later_share,
);

const SECURE: &str = "wembley.custody@cjsm.net";
const STANDARD: &str = "wembley.custody@police.example.org";

async fn with_mail(db: Db) -> (Scene, SmtpServer) {
    let server = SmtpServer::start();
    let url = server.url();
    let s = scene(db, move |c| {
        c.smtp_url = Some(url);
        c.run_outbox_worker = false;
        c.public_url = Some("https://liaison.example".into());
    })
    .await;
    s.app.add_service(
        "Metropolitan Police",
        "Wembley custody",
        "custody-suite",
        &[SECURE, STANDARD],
    );
    s.app.add_service(
        "CPS London North",
        "Charging",
        "cps-area",
        &["charging.london@cjsm.net"],
    );
    s.app.add_service(
        "Willesden Magistrates' Court",
        "Legal adviser",
        "court-legal-adviser",
        &["legal.willesden@cjsm.net"],
    );
    (s, server)
}

/// Signs the report off as the senior, with no waivers.
async fn signed_by_senior(s: &Scene, kind: &str) {
    let senior = s.app.another_client();
    senior.sign_in_ok("sam").await;
    let sign = format!("{}/sign-off", report_path(s, kind));
    let res = senior.submit(&sign, &sign, &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", res.text().await.unwrap());
}

async fn send(s: &Scene, kind: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let path = format!("{}/send", report_path(s, kind));
    s.app.submit(&path, &path, fields).await
}

fn link_in(text: &str) -> String {
    let start = text.find("https://liaison.example/shared/").unwrap() + "https://liaison.example".len();
    text[start..].split_whitespace().next().unwrap().to_string()
}

async fn a_secure_address_gets_the_report_and_a_standard_one_a_link_that_opens_once(db: Db) {
    let (s, server) = with_mail(db).await;
    consent(&s, &["police", "court"]).await;
    draft(&s, "custody-summary").await;
    write_all(&s, &CUSTODY_SUMMARY).await;
    let sign = format!("{}/sign-off", report_path(&s, "custody-summary"));
    assert_eq!(
        s.app.submit(&sign, &sign, &[]).await.status(),
        StatusCode::SEE_OTHER,
        "signed by its author"
    );

    let (status, form) = s
        .app
        .page(&format!("{}/send", report_path(&s, "custody-summary")))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        form.contains(SECURE) && form.contains(STANDARD) && !form.contains("charging.london"),
        "custody suites only"
    );
    let res = send(&s, "custody-summary", &[("basis", "consent")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Select who should receive the report")
    );
    for to in [SECURE, STANDARD] {
        let res = send(&s, "custody-summary", &[("recipient", to), ("basis", "consent")]).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
    }
    assert_eq!(
        s.app.count_where("shares", "basis = 'consent' AND review_due IS NULL"),
        2
    );
    s.app.outbox_pass();
    let sent = server.wait_for_messages(2, WAIT);
    let letter = by_recipient(&sent, "cjsm.net").text_part().unwrap();
    assert!(letter.contains("Dan Demo-Reid") && letter.contains("Learning disability"));
    assert!(
        !letter.contains("9434765919") && !letter.contains("943 476 5919"),
        "no NHS number to the police"
    );
    let notice = by_recipient(&sent, "police.example.org").text_part().unwrap();
    assert!(!notice.contains("Demo-Reid") && !notice.contains("Learning disability"));

    // The link opens version 1 once, for someone with no account, and every open is audited.
    let link = link_in(&notice);
    let sergeant = s.app.another_client();
    let (status, opened) = sergeant.page(&link).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        opened.contains("Dan Demo-Reid")
            && opened.contains("OFFICIAL-SENSITIVE")
            && opened.contains("Final, version 1")
    );
    assert_eq!(sergeant.page(&link).await.0, StatusCode::GONE, "used once");
    let rows = s.app.audit_rows("report-link");
    assert_eq!(rows.iter().filter(|r| r.outcome.code() == "allowed").count(), 1);
    assert!(
        rows.iter()
            .any(|r| r.detail.as_deref().is_some_and(|d| d.contains(STANDARD)))
    );

    // An expired link opens nothing.
    let res = send(&s, "custody-summary", &[("recipient", STANDARD), ("basis", "consent")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    s.app.outbox_pass();
    let again = server.wait_for_messages(3, WAIT);
    let second = link_in(
        &again
            .iter()
            .rev()
            .find(|m| m.rcpt_to.iter().any(|r| r.contains("police.example")))
            .unwrap()
            .text_part()
            .unwrap(),
    );
    diesel::update(report_links::table.filter(report_links::used_at.is_null()))
        .set(report_links::expires_at.eq(s.app.state.now() - 1))
        .execute(&mut s.app.conn())
        .unwrap();
    assert_eq!(sergeant.page(&second).await.0, StatusCode::GONE);

    // Guessing: after ten links that do not work, the address is refused, and that is audited.
    let guesser = s.app.another_client();
    for n in 0..8 {
        assert_eq!(
            guesser.page(&format!("/shared/guess{n}")).await.0,
            StatusCode::NOT_FOUND
        );
    }
    assert_eq!(
        guesser.page("/shared/guess-again").await.0,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert!(
        s.app
            .audit_rows("report-link")
            .iter()
            .any(|r| r.detail.as_deref() == Some("refused: too many links that do not work"))
    );
}

async fn the_cps_is_refused_until_a_lawful_basis_is_recorded_and_the_ig_lead_sees_it(db: Db) {
    let (s, _server) = with_mail(db).await;
    s.app.add_user("robin", liaison::domain::Role::IgLead, &[]);
    consent(&s, &["police", "court"]).await;
    draft(&s, "cps-information").await;
    write_all(&s, &CPS_INFORMATION).await;
    signed_by_senior(&s, "cps-information").await;
    let to = "charging.london@cjsm.net";
    let res = send(&s, "cps-information", &[("recipient", to), ("basis", "consent")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Consent to share with crown prosecution service was refused or withdrawn")
    );
    assert_eq!(s.app.count("outbox"), 0);
    assert_eq!(s.app.count("shares"), 0);
    assert!(s.app.audit_rows("share").iter().any(|r| r.outcome.code() == "denied"));

    let mut public_interest = vec![
        ("recipient", to),
        ("basis", "public-interest"),
        (
            "basis_detail",
            "Threats to harm his former partner; the CPS is deciding on bail conditions",
        ),
    ];
    let res = send(&s, "cps-information", &public_interest).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Enter the senior clinician you consulted")
    );
    public_interest.push(("consulted", "Dr Rao, consultant psychiatrist"));
    public_interest.push(("caldicott_told", "yes"));
    assert_eq!(
        send(&s, "cps-information", &public_interest).await.status(),
        StatusCode::SEE_OTHER
    );
    let (basis, due, caldicott): (String, Option<i64>, bool) = shares::table
        .select((shares::basis, shares::review_due, shares::caldicott_told))
        .first(&mut s.app.conn())
        .unwrap();
    assert_eq!(
        (basis.as_str(), due.is_some(), caldicott),
        ("public-interest", true, true)
    );

    let ig = s.app.another_client();
    ig.sign_in_ok("robin").await;
    let (_, queue) = ig.page("/governance/access-reviews").await;
    assert!(queue.contains("Shared without consent") && queue.contains("Information to the CPS"));
    let (_, episode) = s.app.page(&format!("/episodes/{}", s.episode)).await;
    assert!(episode.contains("Waiting for IG review") && episode.contains("Information to the CPS"));
}

async fn withdrawing_consent_stops_an_unsent_report_and_any_later_share(db: Db) {
    let (s, server) = with_mail(db).await;
    consent(&s, &["court"]).await;
    draft(&s, "court-report").await;
    write_court_report(&s).await;
    signed_by_senior(&s, "court-report").await;
    let to = [("recipient", "legal.willesden@cjsm.net"), ("basis", "consent")];
    assert_eq!(send(&s, "court-report", &to).await.status(), StatusCode::SEE_OTHER);
    let status = || -> String { outbox::table.select(outbox::status).first(&mut s.app.conn()).unwrap() };
    assert_eq!(status(), "pending");

    consent(&s, &[]).await;
    assert_eq!(status(), "cancelled", "the unsent report is stopped");
    s.app.outbox_pass();
    assert!(server.messages().is_empty(), "nothing unsent goes out");
    let res = send(&s, "court-report", &to).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("was refused or withdrawn"));
    assert_eq!(s.app.count("shares"), 1, "the earlier share stays on record");
}
