//! The dashboards and the return in the demo, JavaScript on and off, axe on every page: a team
//! lead reads this month's screening times against target; a filter refused at its field; the
//! MHTR funnel shows the demo's women; an analyst's return for last quarter is blocked by the
//! demo's legacy NHS number, a practitioner corrects it, and the analyst locks the return.

use fantoccini::Locator;
use liaison::domain::Role;
use liaison::domain::identifiers::NhsNumber;
use liaison::domain::period::Period;

use super::{Browser, browser_available, sign_in};
use crate::harness::{Db, PASSWORD, TestApp};

with_and_without_javascript!(
    the_dashboards_read_the_demo,
    an_analyst_locks_last_quarters_return_once_its_error_is_corrected
);

const VIEWS: [(&str, &str); 5] = [
    ("shift", "Shift dashboard"),
    ("service", "Service dashboard"),
    ("equality", "Equality dashboard"),
    ("mhtr", "MHTR funnel"),
    ("commissioner", "Commissioner view"),
];

async fn demo() -> TestApp {
    let app = TestApp::spawn(Db::Sqlite).await;
    liaison::demo::seed(&mut app.conn(), app.state.now()).unwrap();
    app
}

async fn the_dashboards_read_the_demo(javascript: bool) {
    if !browser_available() {
        return;
    }
    let app = demo().await;
    app.add_user("lead", Role::SeniorPractitioner, &[liaison::demo::LD_TEAM]);
    app.add_user("maya", Role::Practitioner, &[liaison::demo::MHTR_TEAM]);
    let b = Browser::launch(javascript).await;
    sign_in(&b, &app, "lead").await;
    b.click("nav a[href='/dashboards']").await;
    b.wait_title("Dashboards – Liaison").await;
    b.assert_accessible("dashboards").await;
    for (slug, title) in VIEWS {
        b.goto(&app.url(&format!("/dashboards/{slug}"))).await;
        b.wait_title(&format!("{title} – Liaison")).await;
        b.assert_accessible(title).await;
    }
    // This month's screening times against each site's target: the chart and its table.
    b.click("main a[href='/dashboards']").await;
    b.wait_title("Dashboards – Liaison").await;
    b.click("main a[href='/dashboards/service']").await;
    b.wait_title("Service dashboard – Liaison").await;
    let text = b.wait_text("of completed waits were within the site").await;
    assert!(text.contains("Median wait") && text.contains("Site target"), "{text}");
    assert!(text.contains(liaison::demo::ld::WEMBLEY));
    let pictures = b.client.find_all(Locator::Css("main svg[role='img']")).await.unwrap();
    assert!(!pictures.is_empty());
    // Last quarter, chosen in the form.
    let quarter = Period::quarter_of(app.state.now()).previous();
    b.client
        .find(Locator::Id("period"))
        .await
        .unwrap()
        .select_by_value(&quarter.code())
        .await
        .unwrap();
    b.click("main form.app-filters button[type=submit]").await;
    b.wait_text(&quarter.label()).await;
    b.assert_accessible("service dashboard, last quarter").await;
    // A period that is not one: refused at its field.
    b.goto(&app.url("/dashboards/service?period=soon")).await;
    b.wait_title("Error: Service dashboard – Liaison").await;
    assert!(b.text().await.contains("Select a period from the list"));
    b.assert_accessible("service dashboard with a refused filter").await;

    let b = Browser::launch(javascript).await;
    sign_in(&b, &app, "maya").await;
    b.goto(&app.url("/dashboards/mhtr")).await;
    b.wait_title("MHTR funnel – Liaison").await;
    let text = b.text().await;
    assert!(text.contains("women referred were sentenced with an MHTR"), "{text}");
    assert!(!text.contains("0 of 0 women"), "the demo's women are counted: {text}");
}

async fn an_analyst_locks_last_quarters_return_once_its_error_is_corrected(javascript: bool) {
    if !browser_available() {
        return;
    }
    let app = demo().await;
    app.add_user("ana", Role::Analyst, &[]);
    app.add_user("pat", Role::Practitioner, &[liaison::demo::LD_TEAM]);
    let quarter = Period::quarter_of(app.state.now()).previous();
    let b = Browser::launch(javascript).await;
    sign_in(&b, &app, "ana").await;
    b.click("nav a[href='/returns']").await;
    b.wait_title("Commissioner returns – Liaison").await;
    b.assert_accessible("returns").await;
    b.client
        .find(Locator::Id("quarter"))
        .await
        .unwrap()
        .select_by_value(&quarter.code())
        .await
        .unwrap();
    b.click("main form button[type=submit]").await;
    let title = format!("Return for {} – Liaison", quarter.label());
    b.wait_title(&title).await;
    b.assert_accessible("a draft return").await;
    let page = b.client.current_url().await.unwrap().path().to_string();
    b.click("main form[action$='/validate'] button").await;
    let text = b.wait_text("Blocking problems (1)").await;
    assert!(text.contains("check digit"), "{text}");
    b.assert_accessible("a return blocked by an NHS number").await;

    // A practitioner corrects the number on the person's record.
    let (given, family) = liaison::demo::ld::last_quarter::LEGACY_PERSON;
    let person = app.person_named(given, family);
    let wrong = app.nhs_number_of(&person);
    let right = (0..10)
        .map(|d| format!("{}{d}", &wrong[..9]))
        .find(|n| NhsNumber::parse(n).is_ok())
        .unwrap();
    let p = Browser::launch(javascript).await;
    sign_in(&p, &app, "pat").await;
    p.goto(&app.url(&format!("/people/{person}/edit"))).await;
    p.fill("nhs_number", &right).await;
    p.click("main form button[type=submit]").await;
    let name = liaison::records::person::find(&mut app.conn(), &person)
        .unwrap()
        .unwrap()
        .list_name();
    p.wait_title(&format!("{name} – Liaison")).await;
    assert_eq!(app.nhs_number_of(&person), right);

    // Validated again, then locked after confirming who is locking it.
    b.goto(&app.url(&page)).await;
    b.click("main form[action$='/validate'] button").await;
    b.wait_text("Nothing blocks this return").await;
    b.click("main a[href^='/account/confirm']").await;
    b.wait_title("Confirm it is you – Liaison").await;
    b.fill("password", PASSWORD).await;
    b.click("main form button[type=submit]").await;
    b.wait_title(&title).await;
    b.click("main form[action$='/lock'] button").await;
    b.wait_title(&format!("Error: {title}")).await;
    b.assert_accessible("locking without confirming").await;
    b.click("#confirm-0").await;
    b.click("main form[action$='/lock'] button").await;
    let text = b.wait_text("Download the locked file").await;
    assert!(text.contains("File SHA-256"), "{text}");
    // Small numbers are hidden in what is sent.
    assert!(text.contains("[c]"));
    b.assert_accessible("a locked return").await;
}
