//! A referral in the browser, JavaScript on and off: consent, check answers, send; the email
//! reaches a real SMTP server; the partner follows its link and accepts; the practitioner sees it.

use std::time::Duration;

use fantoccini::Locator;
use liaison::domain::Role;

use super::{Browser, browser_available, sign_in, wait_for};
use crate::harness::{Db, TestApp};
use crate::smtp_server::SmtpServer;

with_and_without_javascript!(a_referral_is_sent_and_accepted_through_the_emailed_link);

async fn a_referral_is_sent_and_accepted_through_the_emailed_link(javascript: bool) {
    if !browser_available() {
        return;
    }
    let server = SmtpServer::start();
    let url = server.url();
    let app = TestApp::spawn_with(Db::Sqlite, move |c| {
        c.smtp_url = Some(url);
        c.run_outbox_worker = true;
    })
    .await;
    let uid = app.add_user("pat", Role::Practitioner, &["Brent L&D"]);
    app.add_user("admin", Role::Administrator, &[]);
    let site = app.add_site("Brent L&D", "Wembley Police Custody Suite");
    let person = app.add_person("Jo", "Bloggs", "1990-06-01", &uid);
    let ep = app.add_episode(&person, &site, &uid, 30, false);
    let camhs = app.add_service("Brent CAMHS", "Referrals", "camhs", &["camhs.referrals@nhs.net"]);
    let centre = app.add_service(
        "Brent Women's Centre",
        "Intake",
        "womens-centre",
        &["intake@womenscentre.example.org"],
    );
    let b = Browser::launch(javascript).await;
    sign_in(&b, &app, "pat").await;

    b.goto(&app.url(&format!("/episodes/{ep}"))).await;
    b.click(&format!("a[href='/episodes/{ep}/referrals/new']")).await;
    b.wait_text("Which services are you referring to?").await;
    b.assert_accessible("choose services").await;
    b.click(&format!("input[value='{camhs}']")).await;
    b.click(&format!("input[value='{centre}']")).await;
    b.click("main form button[type=submit]").await;
    b.wait_text("Referral details and consent").await;
    b.fill("reason", "Low mood and self-harm; wants support").await;
    b.click("input[name='urgency'][value='soon']").await;
    b.fill("shared_information", "History of self-harm; no current plan")
        .await;
    // The lawful basis and the override reason apply to one answer each: with JavaScript they
    // appear only with it; without, both are on the page.
    let shown = |name: String| {
        let b = &b;
        async move {
            let el = b.client.find(Locator::Id(&name)).await.unwrap();
            el.is_displayed().await.unwrap()
        }
    };
    let (basis, reason) = (format!("basis-{camhs}"), format!("override-{camhs}"));
    assert_eq!(shown(basis.clone()).await, !javascript, "the basis before an answer");
    b.click(&format!("input[name='consent-{camhs}'][value='declined']"))
        .await;
    assert!(shown(reason.clone()).await, "the reason once consent is declined");
    assert_eq!(shown(basis.clone()).await, !javascript);
    b.click(&format!("input[name='consent-{camhs}'][value='not-required']"))
        .await;
    assert!(shown(basis).await, "the basis once consent is not required");
    assert_eq!(shown(reason).await, !javascript);
    b.click(&format!("input[name='consent-{camhs}'][value='given']")).await;
    b.click("main form button[type=submit]").await;
    b.wait_text("There is a problem").await;
    b.assert_accessible("referral details with errors").await;
    b.click(&format!("input[name='consent-{centre}'][value='given']")).await;
    b.click("main form button[type=submit]").await;
    b.wait_text("Check your referral before sending").await;
    b.assert_accessible("check answers").await;
    b.click("form[action$='/referrals'] button").await;
    let page = b.wait_text("Brent CAMHS – Referrals – R-").await;
    assert!(
        page.contains("Queued to send") || page.contains("Sent – awaiting answer"),
        "{page}"
    );

    let messages = server.wait_for_messages(2, Duration::from_secs(15));
    let notice = messages
        .iter()
        .find(|m| m.rcpt_to.iter().any(|r| r.contains("womenscentre")))
        .unwrap();
    let text = notice.text_part().unwrap();
    let start = text.find("/answer/").unwrap();
    let link = text[start..].split_whitespace().next().unwrap().to_string();

    // The partner, with no account, answers from the link.
    b.goto(&app.url(&link)).await;
    b.wait_text("Answer a referral from Brent L&D").await;
    assert!(!b.text().await.contains("Bloggs"), "no name for a standard address");
    b.assert_accessible("partner answer page").await;
    b.click("input[name='answer'][value='accepted']").await;
    b.click("main form button[type=submit]").await;
    b.wait_text("your answer has been sent").await;
    b.assert_accessible("partner thank you").await;

    b.goto(&app.url(&format!("/episodes/{ep}"))).await;
    wait_for("the answer on the episode", || async {
        b.text().await.contains("Accepted").then_some(())
    })
    .await;
    b.goto(&app.url("/referrals")).await;
    b.assert_accessible("referrals awaiting an answer").await;
    b.click(".app-header__account button").await;
    b.wait_text("You have signed out.").await;
    sign_in(&b, &app, "admin").await;
    for path in ["/admin/outbox", "/admin/partners", "/admin/partners/new"] {
        b.goto(&app.url(path)).await;
        b.assert_accessible(path).await;
    }
    b.client.clone().close().await.unwrap();
}
