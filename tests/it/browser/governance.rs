//! Information governance in the browser, JavaScript on and off: a practitioner refused a
//! record outside the team's relationship breaks the glass and reads it under a banner; the
//! information governance lead reviews that access and sees who accessed the record.

use liaison::domain::Role;
use liaison::domain::local_time::hhmm;

use super::{Browser, browser_available, sign_in};
use crate::harness::{Db, PASSWORD, TestApp};

with_and_without_javascript!(break_the_glass_then_the_ig_lead_reviews_it);

async fn choose(b: &Browser, name: &str, value: &str) {
    b.click(&format!("input[name='{name}'][value='{value}']")).await;
}

/// Ealing's practitioner breaks the glass on Jo Bloggs, known only to Brent, and reads the
/// person page and Brent's episode under the banner; the IG lead reviews it — every page
/// checked with axe.
async fn break_the_glass_then_the_ig_lead_reviews_it(javascript: bool) {
    if !browser_available() {
        return;
    }
    // Brent holds Jo Bloggs's episode; Ealing has a practitioner of its own and none.
    let app = TestApp::spawn(Db::Sqlite).await;
    let pat = app.add_user("pat", Role::Practitioner, &["Brent L&D"]);
    app.add_user("eve", Role::Practitioner, &["Ealing L&D"]);
    app.add_user("robin", Role::IgLead, &[]);
    let brent_site = app.add_site("Brent L&D", "Wembley Police Custody Suite");
    app.add_site("Ealing L&D", "Acton Police Custody Suite");
    let person = app.add_person("Jo", "Bloggs", "1990-06-01", &pat);
    let brent_episode = app.add_episode(&person, &brent_site, &pat, 5, false);
    let b = Browser::launch(javascript).await;

    // Refused, with the way to break the glass and nothing of the record.
    sign_in(&b, &app, "eve").await;
    b.goto(&app.url(&format!("/people/{person}"))).await;
    b.wait_title("You do not have access to this record – Liaison").await;
    let text = b.text().await;
    assert!(
        text.contains("Your teams have no current relationship with this person"),
        "{text}"
    );
    assert!(
        !text.contains("Bloggs") && !text.contains("BLOGGS"),
        "no details: {text}"
    );
    b.assert_accessible("refusal").await;
    b.click(&format!("main a[href='/people/{person}/break-glass']")).await;
    // Breaking the glass asks the user to confirm it is them (decision 0018): eve has no
    // second factor, so her password.
    b.wait_title("Confirm it is you – Liaison").await;
    b.fill("password", PASSWORD).await;
    b.click("main form button[type=submit]").await;
    b.wait_title("Break the glass – Liaison").await;
    assert!(
        !b.text().await.to_lowercase().contains("bloggs"),
        "the form shows nothing of the record"
    );

    // The empty form is refused with an error summary.
    b.click("main form button[type=submit]").await;
    b.wait_title("Error: Break the glass – Liaison").await;
    let text = b.wait_text("There is a problem").await;
    assert!(text.contains("Select why you need to read this record now"), "{text}");
    assert!(text.contains("Explain why you need to read this record now"), "{text}");
    b.assert_accessible("break the glass with errors").await;

    // A reason and a note open the record read-only, under the banner.
    choose(&b, "reason", "court-today").await;
    b.fill("note", "Appearing at Willesden this morning").await;
    let opened_from = app.state.now();
    b.click("main form button[type=submit]").await;
    b.wait_title("BLOGGS, Jo – Liaison").await;
    let opened_by = app.state.now();
    let minutes = app.state.config.break_glass_minutes * 60_000;
    let until = [hhmm(opened_from + minutes), hhmm(opened_by + minutes)];
    let banner = b.text_of(".app-break-glass-banner").await;
    assert!(
        banner.contains("Break-glass access.")
            && banner.contains("outside your team's relationship (Appearing in court or custody today)")
            && until.iter().any(|t| banner.contains(&format!("read-only, until {t}"))),
        "banner until {until:?}: {banner}"
    );
    let text = b.text().await;
    assert!(
        text.contains("BLOGGS, Jo") && text.contains("Another team's contact"),
        "{text}"
    );
    assert!(!text.contains("Record a new contact"), "read-only: {text}");
    b.assert_accessible("person page under break-glass").await;

    // Brent's contact links under break-glass; the episode carries the banner too.
    b.click(&format!("main table a[href='/episodes/{brent_episode}']"))
        .await;
    b.wait_title("BLOGGS, Jo – episode – Liaison").await;
    let banner = b.text_of(".app-break-glass-banner").await;
    assert!(banner.contains("Break-glass access."), "{banner}");
    assert!(b.text().await.contains("Wembley Police Custody Suite"));
    b.assert_accessible("episode page under break-glass").await;
    b.click(".app-header__account button").await;
    b.wait_text("You have signed out.").await;

    // The IG lead finds it in the queue.
    sign_in(&b, &app, "robin").await;
    b.click("nav a[href='/governance/access-reviews']").await;
    b.wait_title("Access reviews – Liaison").await;
    let text = b.text().await;
    for shown in [
        "To review",
        "Break-glass",
        "eve Test",
        "Appearing in court or custody today",
        "Nothing has been reviewed yet.",
    ] {
        assert!(text.contains(shown), "{shown} in the queue: {text}");
    }
    b.assert_accessible("access review queue").await;
    b.click("main table a[href^='/governance/access-reviews/']").await;
    b.wait_title("Access review – Liaison").await;
    let text = b.text().await;
    for shown in [
        "Break-glass by eve Test (eve)",
        "Appearing in court or custody today",
        "Appearing at Willesden this morning",
        "What they opened",
        "person page",
        "episode page",
    ] {
        assert!(text.contains(shown), "{shown} on the review: {text}");
    }
    b.assert_accessible("access review").await;

    // Follow-up needs a note.
    choose(&b, "outcome", "follow-up").await;
    b.click("main form button[type=submit]").await;
    b.wait_title("Error: Access review – Liaison").await;
    let text = b.wait_text("There is a problem").await;
    assert!(text.contains("Say what needs following up"), "{text}");
    b.assert_accessible("access review with errors").await;

    // Appropriate needs none: back on the queue, under "Recently reviewed".
    choose(&b, "outcome", "appropriate").await;
    b.click("main form button[type=submit]").await;
    b.wait_title("Access reviews – Liaison").await;
    let text = b.text().await;
    assert!(text.contains("Nothing is waiting for review."), "{text}");
    let reviewed = &text[text.find("Recently reviewed").expect("a recently reviewed section")..];
    assert!(
        reviewed.contains("eve Test") && reviewed.contains("Appropriate"),
        "reviewed: {reviewed}"
    );

    // Who accessed the record, from the review page.
    b.click("main table a[href^='/governance/access-reviews/']").await;
    b.wait_title("Access review – Liaison").await;
    assert!(b.text().await.contains("Appropriate – "), "the review is shown");
    b.click(&format!("main a[href='/governance/people/{person}/access']"))
        .await;
    b.wait_title("Who accessed this record – Liaison").await;
    let text = b.text().await;
    for shown in ["Break-glass", "Refused", "Appearing at Willesden this morning", "eve"] {
        assert!(text.contains(shown), "{shown} on who accessed the record: {text}");
    }
    b.assert_accessible("who accessed this record").await;
    b.client.clone().close().await.unwrap();
}
