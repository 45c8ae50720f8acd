//! A person's record kept right, in Chromium with JavaScript on and off and axe on each page:
//! an alert added (after a refused attempt), reviewed and ended; a duplicate merged and the
//! merge undone; a partner's question answered; consent to share recorded; the
//! administrators' lists of alert kinds and merges; the IG lead's review of a share.

use diesel::prelude::*;
use liaison::db::schema::referrals;
use liaison::domain::Role;

use super::{Browser, browser_available, sign_in};
use crate::harness::{Db, TestApp};

with_and_without_javascript!(an_alert_a_merge_an_answer_to_a_partner_and_consent_to_share);

/// A referral the partner has asked about, with their question on the conversation.
fn asked(app: &TestApp, episode: &str, author: &str) {
    let service = app.add_service("Brent CMHT", "Referrals", "cmht", &["cmht.referrals@nhs.net"]);
    let now = app.state.now();
    let id = "referral-asked";
    diesel::insert_into(referrals::table)
        .values((
            referrals::id.eq(id),
            referrals::episode_id.eq(episode),
            referrals::service_id.eq(Some(&service)),
            referrals::kind.eq("partner"),
            referrals::reason.eq("Low mood"),
            referrals::urgency.eq("soon"),
            referrals::shared_information.eq("Low mood for a month"),
            referrals::consent.eq("given"),
            referrals::status.eq("more-information"),
            referrals::submission_key.eq("browser-asked"),
            referrals::reference.eq("R-ASKED1"),
            referrals::answer_message.eq(Some("Is he registered with a GP?")),
            referrals::created_by.eq(author),
            referrals::created_at.eq(now),
            referrals::answered_at.eq(Some(now)),
            referrals::chase_count.eq(0),
            referrals::updated_at.eq(now),
        ))
        .execute(&mut app.conn())
        .unwrap();
    liaison::referrals::reply::add(
        &mut app.conn(),
        now,
        id,
        liaison::referrals::reply::Sender::Partner,
        "cmht.referrals@nhs.net",
        "Is he registered with a GP?",
    )
    .unwrap();
}

async fn submit(b: &Browser) {
    b.click("main form button.app-button[type=submit]").await;
}

async fn an_alert_a_merge_an_answer_to_a_partner_and_consent_to_share(javascript: bool) {
    if !browser_available() {
        return;
    }
    let app = TestApp::spawn(Db::Sqlite).await;
    let uid = app.add_user("sam", Role::SeniorPractitioner, &["Brent L&D"]);
    app.add_user("ada", Role::Administrator, &[]);
    app.add_user("robin", Role::IgLead, &[]);
    let site = app.add_site("Brent L&D", "Wembley Police Custody Suite");
    let kept = app.add_person("Jo", "Bloggs", "1980-01-01", &uid);
    let duplicate = app.add_person("Jo", "Blogs", "1980-01-01", &uid);
    let episode = app.add_episode(&kept, &site, &uid, 30, false);
    app.add_episode(&duplicate, &site, &uid, 5, false);
    asked(&app, &episode, &uid);
    let b = Browser::launch(javascript).await;
    sign_in(&b, &app, "sam").await;

    // An alert: refused without answers, then added, reviewed and ended.
    b.goto(&app.url(&format!("/people/{kept}"))).await;
    b.click("main a[href$='/alerts/new']").await;
    b.wait_text("What is the alert?").await;
    b.assert_accessible("add an alert").await;
    submit(&b).await;
    b.wait_text("Select what the alert is").await;
    b.assert_accessible("add an alert, refused").await;
    b.click("input[name=kind][value=mappa]").await;
    b.fill("note", "Level 2, managed by Brent probation").await;
    b.fill("review-day", "1").await;
    b.fill("review-month", "6").await;
    b.fill("review-year", "2027").await;
    submit(&b).await;
    b.wait_text("Level 2, managed by Brent probation").await;
    b.assert_accessible("person page with an alert").await;
    b.click("main a[href*='/alerts/']:not([href$='/new'])").await;
    b.wait_text("Does the alert still apply?").await;
    b.assert_accessible("review an alert").await;
    b.click("input[name=decision][value=end]").await;
    b.fill("reason", "Management by probation has ended").await;
    submit(&b).await;
    b.wait_text("No alerts recorded").await;

    // A merge: choose, check, confirm; then undo it.
    b.click("main a[href$='/merge']").await;
    b.wait_text("Which record is the duplicate?").await;
    b.assert_accessible("merge: choose the duplicate").await;
    b.click(&format!("input[name=duplicate][value='{duplicate}']")).await;
    b.fill("reason", "Same man: custody record made twice").await;
    submit(&b).await;
    b.wait_text("Check before you merge").await;
    b.assert_accessible("merge: check").await;
    submit(&b).await;
    b.wait_text("Merged records").await;
    b.assert_accessible("person page after a merge").await;
    b.click("main a[href$='/undo']").await;
    b.wait_text("Why are you undoing it?").await;
    b.assert_accessible("undo a merge").await;
    b.fill("reason", "Two men after all").await;
    submit(&b).await;
    b.wait_text("Contacts with services").await;

    // The partner's question, answered from the episode.
    b.goto(&app.url(&format!("/episodes/{episode}"))).await;
    b.click("main a[href$='/reply']").await;
    b.wait_text("The conversation so far").await;
    b.assert_accessible("answer a partner's question").await;
    b.fill("message", "Yes: Dr Patel, Wembley Park Surgery").await;
    submit(&b).await;
    b.wait_text("Your answer is queued to send").await;
    b.assert_accessible("episode after answering").await;

    // Consent to share: refused until every recipient has an answer, then recorded.
    b.click("main a[href$='/consent-to-share']").await;
    b.wait_text("The answer for each recipient").await;
    b.assert_accessible("consent to share").await;
    submit(&b).await;
    b.wait_text("Select how consent was given").await;
    b.assert_accessible("consent to share, refused").await;
    b.click("input[name=method][value=signed]").await;
    b.click("input[name=capacity][value=not-in-doubt]").await;
    for scope in liaison::domain::sharing::Scope::ALL {
        let answer = if *scope == liaison::domain::sharing::Scope::Cps {
            "refused"
        } else {
            "granted"
        };
        b.click(&format!("input[name=scope-{}][value={answer}]", scope.code()))
            .await;
    }
    submit(&b).await;
    b.wait_text("Version 1, recorded by").await;
    b.assert_accessible("episode with consent to share").await;
    let actor = liaison::audit::Actor {
        user_id: Some(uid.clone()),
        ..Default::default()
    };
    let justified = liaison::domain::sharing::OtherBasis {
        basis: liaison::domain::sharing::Basis::PublicInterest,
        detail: "Threatened to harm a neighbour".into(),
        consulted: Some("Dr Rao".into()),
        caldicott_told: true,
    };
    let out = liaison::sharing::Outbound {
        episode_id: &episode,
        person_id: &kept,
        scope: liaison::domain::sharing::Scope::Cps,
        recipient: "CPS London North",
        document: "Information to the CPS",
        document_version: None,
        content: "Health context",
        other: Some(&justified),
    };
    let share = liaison::sharing::share(&mut app.conn(), app.state.now(), &actor, &out)
        .unwrap()
        .unwrap();

    // The administrators' lists.
    b.client.delete_all_cookies().await.unwrap();
    sign_in(&b, &app, "ada").await;
    for (path, heading) in [
        ("/admin/alert-kinds", "Alert kinds"),
        ("/admin/merges", "Merged records"),
    ] {
        b.goto(&app.url(path)).await;
        b.wait_text(heading).await;
        b.assert_accessible(path).await;
    }
    // The IG lead's review of a share made without consent.
    b.client.delete_all_cookies().await.unwrap();
    sign_in(&b, &app, "robin").await;
    b.goto(&app.url("/governance/access-reviews")).await;
    b.wait_text("Shared without consent").await;
    b.assert_accessible("review queue with a share").await;
    b.goto(&app.url(&format!("/governance/share-reviews/{share}"))).await;
    b.wait_text("Was this share appropriate?").await;
    b.assert_accessible("share review").await;
    b.click("input[name=outcome][value=appropriate]").await;
    submit(&b).await;
    b.wait_text("No share made without consent is waiting for review").await;
    b.client.clone().close().await.unwrap();
}
