//! Retention in the browser, JavaScript on and off: the records manager finds a record due
//! for appraisal, is refused an empty legal hold with the error at the field, checks what a
//! destruction removes and destroys the record — every page checked with axe.

use diesel::prelude::*;
use liaison::db::schema::episodes;
use liaison::domain::Role;

use super::{Browser, browser_available, sign_in};
use crate::harness::{Db, PASSWORD, TestApp};

with_and_without_javascript!(the_records_manager_appraises_and_destroys_a_record);

const DAY: i64 = 24 * 60;

async fn the_records_manager_appraises_and_destroys_a_record(javascript: bool) {
    if !browser_available() {
        return;
    }
    // Jo's only contact ended over a year ago under a one-year rule.
    let app = TestApp::spawn_with(Db::Sqlite, |c| c.retention_years_after_contact = 1).await;
    let pat = app.add_user("pat", Role::Practitioner, &["Brent L&D"]);
    app.add_user("rita", Role::RecordsManager, &[]);
    let site = app.add_site("Brent L&D", "Wembley Police Custody Suite");
    let jo = app.add_person("Jo", "Bloggs", "1980-01-01", &pat);
    let episode = app.add_episode(&jo, &site, &pat, 5, false);
    diesel::update(episodes::table.find(&episode))
        .set((episodes::status.eq("closed"), episodes::closed_at.eq(app.state.now())))
        .execute(&mut *app.conn())
        .unwrap();
    app.clock.advance_minutes(367 * DAY);
    app.outbox_pass();

    let b = Browser::launch(javascript).await;
    sign_in(&b, &app, "rita").await;
    b.click("nav a[href='/records/appraisal']").await;
    b.wait_title("Appraisal – Liaison").await;
    let text = b.text().await;
    assert!(
        text.contains("Bloggs, Jo") && text.contains("Due for appraisal"),
        "{text}"
    );
    b.assert_accessible("appraisal queue").await;

    b.click(&format!("main table a[href='/records/people/{jo}']")).await;
    b.wait_title("Retention – Liaison").await;
    b.assert_accessible("retention of a record").await;
    b.click("main form[action$='/hold'] button[type=submit]").await;
    b.wait_title("Error: Retention – Liaison").await;
    let text = b.wait_text("There is a problem").await;
    assert!(text.contains("Enter why the record must be held"), "{text}");
    b.assert_accessible("legal hold with an error").await;

    b.click(&format!("main a[href='/records/people/{jo}/destroy']")).await;
    // The one act that cannot be undone asks her to confirm it is her (decision 0018).
    b.wait_title("Confirm it is you – Liaison").await;
    b.fill("password", PASSWORD).await;
    b.click("main form button[type=submit]").await;
    b.wait_title("Destroy a record – Liaison").await;
    assert!(b.text().await.contains("This cannot be undone"));
    b.assert_accessible("destruction check").await;
    b.fill("reason", "Retention period over; appraised, no further value")
        .await;
    b.click("main form button[type=submit]").await;
    b.wait_title("Appraisal – Liaison").await;
    let text = b.text().await;
    assert!(
        text.contains("No record is due for appraisal") && text.contains(&jo) && !text.contains("Bloggs"),
        "{text}"
    );
    b.assert_accessible("appraisal after a destruction").await;
    assert_eq!(app.count_where("people", &format!("id = '{jo}'")), 0);
}
