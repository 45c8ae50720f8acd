//! Liaison & Diversion journeys in the browser: signing on, the live list, finding and adding
//! a person, intake, the episode page, handover and the person page.

use fantoccini::Locator;
use liaison::domain::Role;
use serde_json::{Value, json};

use super::{Browser, browser_available, sign_in, wait_for};
use crate::harness::{Db, TestApp};

with_and_without_javascript!(sign_on_find_add_and_record_a_contact_then_hand_over);

/// From signing on at Wembley to a recorded contact, a timeline note and handover — every
/// page checked with axe.
async fn sign_on_find_add_and_record_a_contact_then_hand_over(javascript: bool) {
    if !browser_available() {
        return;
    }
    let app = TestApp::spawn(Db::Sqlite).await;
    let uid = app.add_user("pat", Role::Practitioner, &["Brent L&D"]);
    app.add_user("admin", Role::Administrator, &["Brent L&D"]);
    let site = app.add_site("Brent L&D", "Wembley Police Custody Suite");
    let known = app.add_person("Robert", "Smith", "1985-01-02", &uid);
    app.add_episode(&known, &site, &uid, 60 * 24 * 40, false);
    let b = Browser::launch(javascript).await;

    // Administrator's site pages.
    sign_in(&b, &app, "admin").await;
    for path in [
        "/admin/sites".to_string(),
        "/admin/sites/new".to_string(),
        format!("/admin/sites/{site}"),
    ] {
        b.goto(&app.url(&path)).await;
        b.assert_accessible(&path).await;
    }
    // Pat's police vetting clearance, without which the custody suite refuses the sign-on:
    // first with a mistake, then right; then the list of clearances to renew.
    b.goto(&app.url(&format!("/admin/users/{uid}/vetting"))).await;
    b.assert_accessible("vetting clearance").await;
    b.client
        .find(Locator::Css("#level option[value='nppv3']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.fill("reference", "MPS/NPPV/0042").await;
    for (field, value) in [("granted-day", "1"), ("granted-month", "6"), ("granted-year", "2025")] {
        b.fill(field, value).await;
    }
    b.click("main form button[type=submit]").await;
    b.wait_title("Error: Police vetting clearance – Liaison").await;
    assert!(
        b.wait_text("There is a problem")
            .await
            .contains("Enter the date the clearance expires")
    );
    b.assert_accessible("vetting clearance with errors").await;
    let expires = chrono::Utc::now().date_naive() + chrono::Duration::days(700);
    let parts = [("expires-day", "%-d"), ("expires-month", "%-m"), ("expires-year", "%Y")];
    for (field, format) in parts {
        b.fill(field, &expires.format(format).to_string()).await;
    }
    b.click("main form button[type=submit]").await;
    b.wait_text("Vetting clearance recorded").await;
    b.assert_accessible("account with clearance").await;
    b.goto(&app.url("/admin/vetting")).await;
    b.wait_text("Vetting clearances to renew").await;
    b.assert_accessible("clearances to renew").await;
    b.click(".app-header__account button").await;
    b.wait_text("You have signed out.").await;

    sign_in(&b, &app, "pat").await;
    b.goto(&app.url("/shift")).await;
    b.assert_accessible("sign on").await;
    b.click(&format!("input[value='{site}']")).await;
    b.fill("phone", "020 7946 0000").await;
    b.click("main form button[type=submit]").await;
    b.wait_title("Wembley Police Custody Suite – Liaison").await;
    b.assert_accessible("live list").await;

    // Search first: a nickname and a typo still find Robert Smith.
    b.click("main a[href='/people/search']").await;
    b.wait_title("Find a person – Liaison").await;
    b.assert_accessible("search").await;
    b.fill("given_name", "Bob").await;
    b.fill("family_name", "Smyth").await;
    b.fill("dob-day", "2").await;
    b.fill("dob-month", "1").await;
    b.fill("dob-year", "1985").await;
    b.click("main form button[type=submit]").await;
    b.wait_text("1 possible match").await;
    b.assert_accessible("search results").await;

    // Not them: add a new person, then the contact.
    b.click("a[href^='/people/new']").await;
    b.wait_title("Add a new person – Liaison").await;
    b.fill("given_name", "Roberta").await;
    b.fill("family_name", "Smythe").await;
    b.fill("nhs_number", "943 476 5919").await;
    b.fill("dob-day", "").await;
    b.click("main form button[type=submit]").await;
    b.wait_title("Error: Add a new person – Liaison").await;
    assert!(
        b.wait_text("There is a problem")
            .await
            .contains("Date of birth must include a day")
    );
    let kept = b
        .client
        .find(Locator::Id("family_name"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(kept.as_deref(), Some("Smythe"), "other answers kept");
    b.assert_accessible("new person with errors").await;
    b.fill("dob-day", "3").await;
    b.fill("dob-month", "4").await;
    b.fill("dob-year", "1991").await;
    b.click("main form button[type=submit]").await;
    b.wait_title("Record a new contact – Liaison").await;
    b.assert_accessible("intake").await;
    b.client
        .find(Locator::Css("#referral_source option[value='E1']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.fill("concern", "Tearful at booking in; says she cannot cope").await;
    b.fill("location", "Cell 6").await;
    b.click("main form button[type=submit]").await;
    b.wait_text("Start screening").await;
    b.assert_accessible("episode page").await;

    // A clinical judgement on the timeline.
    b.client
        .find(Locator::Css("#kind option[value='judgement']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.fill("body", "Settled after a drink and a conversation; no immediate risk")
        .await;
    b.click("form[action$='/timeline'] button[type=submit]").await;
    b.wait_text("Settled after a drink").await;

    // Back on the list she is there; hand over at sign-off.
    b.goto(&app.url(&format!("/sites/{site}/list"))).await;
    b.wait_text("SMYTHE, Roberta").await;
    b.goto(&app.url("/shift/end")).await;
    b.assert_accessible("handover").await;
    let note = b.client.find(Locator::Css("textarea[name^='note-']")).await.unwrap();
    note.send_keys("Waiting for the custody nurse").await.unwrap();
    b.click("main form button[type=submit]").await;
    b.wait_text("You have signed off").await;

    let person = liaison::people::search::find_matches(
        &mut app.conn(),
        &liaison::people::search::Criteria {
            nhs: liaison::domain::identifiers::NhsNumber::parse("9434765919").ok(),
            ..Default::default()
        },
    )
    .unwrap();
    b.goto(&app.url(&format!("/people/{}", person[0].person.id))).await;
    b.wait_text("1 contacts, newest first").await;
    b.assert_accessible("person page").await;
    b.client.clone().close().await.unwrap();
}

/// The list updates itself when someone else adds a person, without reloading the page, and
/// stays accessible after the swap.
#[actix_web::test]
async fn the_live_list_refreshes_in_place() {
    if !browser_available() {
        return;
    }
    let app = TestApp::spawn(Db::Sqlite).await;
    let uid = app.add_user("pat", Role::Practitioner, &["Brent L&D"]);
    let site = app.add_site("Brent L&D", "Wembley Police Custody Suite");
    let b = Browser::launch(true).await;
    sign_in(&b, &app, "pat").await;
    b.goto(&app.url(&format!("/sites/{site}/list"))).await;
    b.wait_text("No one is waiting").await;
    b.client
        .execute("window.liaisonSamePage = true; return true;", vec![])
        .await
        .unwrap();

    let person = app.add_person("Nia", "Newcomer", "1993-05-05", &uid);
    app.add_episode(&person, &site, &uid, 1, false);
    // The list polls every 20 seconds; wait_for gives up after 30.
    let text = wait_for("the new person to appear by polling", || async {
        let t = b.text().await;
        t.contains("NEWCOMER, Nia").then_some(t)
    })
    .await;
    assert!(text.contains("1 open at Wembley Police Custody Suite"));
    let same: Value = b
        .client
        .execute("return window.liaisonSamePage === true;", vec![])
        .await
        .unwrap();
    assert_eq!(same, json!(true), "updated in place, not by reloading the page");
    b.assert_accessible("live list after an htmx swap").await;
    b.client.clone().close().await.unwrap();
}

with_and_without_javascript!(
    an_adult_from_alert_to_closure_through_screening_and_assessment,
    a_youth_screening_waits_for_an_appropriate_adult
);

async fn choose(b: &Browser, name: &str, value: &str) {
    b.click(&format!("input[name='{name}'][value='{value}']")).await;
}

/// Fills every field of an assessment section with synthetic text (and "medium" for levels).
async fn fill_section(b: &Browser) {
    for select in b.client.find_all(Locator::Css("main form select")).await.unwrap() {
        select.select_by_value("medium").await.unwrap();
    }
    for area in b.client.find_all(Locator::Css("main form textarea")).await.unwrap() {
        area.clear().await.unwrap();
        area.send_keys("Synthetic answer for the test").await.unwrap();
    }
}

async fn an_adult_from_alert_to_closure_through_screening_and_assessment(javascript: bool) {
    if !browser_available() {
        return;
    }
    let app = TestApp::spawn(Db::Sqlite).await;
    let uid = app.add_user("pat", Role::Practitioner, &["Brent L&D"]);
    let site = app.add_site("Brent L&D", "Wembley Police Custody Suite");
    let person = app.add_person("Ada", "Adult", "1980-02-02", &uid);
    let ep = app.add_episode(&person, &site, &uid, 30, false);
    let b = Browser::launch(javascript).await;
    sign_in(&b, &app, "pat").await;

    // Take the unallocated person from the list, once filtered: with JavaScript the filter
    // replaces the list in place, and its allocation form with it, while the form's CSRF
    // fields stay outside the list on the page.
    b.goto(&app.url(&format!("/sites/{site}/list"))).await;
    b.client
        .find(Locator::Id("status"))
        .await
        .unwrap()
        .select_by_value("waiting")
        .await
        .unwrap();
    if !javascript {
        b.click("form.app-filter button[type=submit]").await;
    }
    b.text_of("#live-list[data-hx-get*='status=waiting'] button[formaction$='/actions']")
        .await;
    b.click("#live-list button[formaction$='/actions']").await;
    wait_for("the allocation to be saved", || async {
        (app.episode(&ep).allocated_to.as_deref() == Some(uid.as_str())).then_some(())
    })
    .await;
    b.wait_text("Allocated to").await;
    b.goto(&app.url(&format!("/episodes/{ep}"))).await;
    b.click("input[value='start-screening'] + button").await;
    b.wait_text("Record screening").await;
    b.click(&format!("a[href='/episodes/{ep}/screening']")).await;
    b.wait_title("Record screening – Liaison").await;
    b.assert_accessible("screening").await;
    b.click("main form button[type=submit]").await;
    b.wait_text("There is a problem").await;
    b.assert_accessible("screening with errors").await;
    choose(&b, "consent", "given").await;
    b.click("input[name='vulnerabilities'][value='mental-health']").await;
    b.fill(
        "presenting_concerns",
        "Low mood, poor sleep, thoughts of self-harm without plan",
    )
    .await;
    choose(&b, "outcome", "full-assessment-needed").await;
    b.click("main form button[type=submit]").await;
    b.wait_text("Start full assessment").await;
    assert_eq!(app.episode(&ep).status.code(), "awaiting-assessment");

    b.click("input[value='start-assessment'] + button").await;
    b.wait_text("Continue full assessment").await;
    b.goto(&app.url(&format!("/episodes/{ep}/assessment"))).await;
    b.assert_accessible("assessment task list").await;
    for (i, section) in liaison::domain::codes::ASSESSMENT_SECTIONS.iter().enumerate() {
        b.goto(&app.url(&format!("/episodes/{ep}/assessment/{}", section.code)))
            .await;
        if i == 0 {
            b.assert_accessible("assessment section").await;
        }
        fill_section(&b).await;
        b.click("button[value='complete']").await;
        b.wait_text("Mark assessment as complete").await;
    }
    b.click("form[action$='/assessment/complete'] button").await;
    b.wait_text("Close episode").await;
    assert_eq!(app.episode(&ep).status.code(), "assessed");

    b.click(&format!("a[href='/episodes/{ep}/close']")).await;
    b.wait_text("Why is the episode being closed?").await;
    b.assert_accessible("close").await;
    choose(&b, "outcome", "referred-on").await;
    b.click("main form button[type=submit]").await;
    b.wait_text("Reopen episode").await;
    assert_eq!(app.episode(&ep).status.code(), "closed");
    b.goto(&app.url(&format!("/episodes/{ep}/reopen"))).await;
    b.assert_accessible("reopen").await;
    b.goto(&app.url(&format!("/people/{person}"))).await;
    b.wait_text("Referred on to other services").await;
    b.client.clone().close().await.unwrap();
}

async fn a_youth_screening_waits_for_an_appropriate_adult(javascript: bool) {
    if !browser_available() {
        return;
    }
    let app = TestApp::spawn(Db::Sqlite).await;
    let uid = app.add_user("pat", Role::Practitioner, &["Brent L&D"]);
    let site = app.add_site("Brent L&D", "Wembley Police Custody Suite");
    let person = app.add_person("Yas", "Young", "2010-02-02", &uid);
    let ep = app.add_episode(&person, &site, &uid, 30, true);
    let b = Browser::launch(javascript).await;
    sign_in(&b, &app, "pat").await;
    b.goto(&app.url(&format!("/episodes/{ep}"))).await;
    b.click("input[value='start-screening'] + button").await;
    b.wait_text("Record screening").await;
    b.goto(&app.url(&format!("/episodes/{ep}/screening"))).await;
    b.wait_text("Youth referral routes to consider first").await;
    choose(&b, "consent", "given").await;
    b.click("input[name='vulnerabilities'][value='mental-health']").await;
    b.fill("presenting_concerns", "Withdrawn; parent worried about self-harm")
        .await;
    choose(&b, "outcome", "signposted").await;
    b.click("main form button[type=submit]").await;
    b.wait_text("Record an appropriate adult before completing screening")
        .await;
    b.assert_accessible("youth screening blocked").await;
    assert_eq!(app.episode(&ep).status.code(), "in-screening", "nothing saved");

    b.goto(&app.url(&format!("/episodes/{ep}/appropriate-adult"))).await;
    b.assert_accessible("appropriate adult").await;
    b.fill("name", "Morgan Young").await;
    b.client
        .find(Locator::Css("#relationship"))
        .await
        .unwrap()
        .select_by_value("parent")
        .await
        .unwrap();
    b.fill("phone", "07700 900123").await;
    choose(&b, "present", "yes").await;
    b.click("main form button[type=submit]").await;
    b.wait_text("Morgan Young").await;
    choose(&b, "consent", "given").await;
    b.click("input[name='vulnerabilities'][value='mental-health']").await;
    b.fill("presenting_concerns", "Withdrawn; parent worried about self-harm")
        .await;
    choose(&b, "outcome", "signposted").await;
    b.click("main form button[type=submit]").await;
    b.wait_text("Close episode").await;
    assert_eq!(app.episode(&ep).status.code(), "screened");
    b.client.clone().close().await.unwrap();
}
