//! The commissioner return: started, validated, blocked by an invalid NHS number, locked once
//! it is corrected (after confirming who is locking), downloaded byte for byte as locked, kept
//! unchangeable by the database, and reachable by analysts only.

use diesel::prelude::*;
use liaison::db::schema::{data_returns, people};
use liaison::domain::Role;
use reqwest::StatusCode;
use sha2::{Digest, Sha256};

use crate::both_databases;
use crate::cohort::{Ep, at};
use crate::harness::{Db, TestApp, location};

both_databases!(
    an_invalid_nhs_number_blocks_the_lock_until_corrected_and_the_file_is_kept,
    small_numbers_are_hidden_in_the_file,
    only_analysts_reach_returns,
);

const TEAM: &str = "Brent L&D";
const QUARTER: &str = "2026-Q3";

/// Ten people alerted in August 2026 at one site, all screened within the hour; the first
/// has an NHS number whose check digit is wrong.
async fn august(db: Db) -> (TestApp, String, Vec<String>) {
    let app = TestApp::spawn(db).await;
    let lead = app.add_user("lead", Role::SeniorPractitioner, &[TEAM]);
    let site = app.add_site(TEAM, "Brent custody");
    let mut people_ids = Vec::new();
    for day in 1..=10 {
        let person = app.add_person(&format!("Person{day}"), "Demo", "1990-06-01", &lead);
        let alert = at(2026, 8, day, 10, 0);
        app.add_hand_built(
            &person,
            &site,
            &lead,
            &Ep::at(alert).screened(alert + 20 * 60_000, &["mental-health"]),
        );
        people_ids.push(person);
    }
    set_nhs_number(&app, &people_ids[0], "9434765918");
    let analyst = app.add_user("ana", Role::Analyst, &[]);
    app.sign_in_ok("ana").await;
    (app, analyst, people_ids)
}

fn set_nhs_number(app: &TestApp, person: &str, number: &str) {
    diesel::update(people::table.find(person))
        .set(people::nhs_number.eq(number))
        .execute(&mut app.conn())
        .unwrap();
}

fn status_of(app: &TestApp, id: &str) -> String {
    data_returns::table
        .find(id)
        .select(data_returns::status)
        .first(&mut app.conn())
        .unwrap()
}

async fn start(app: &TestApp) -> String {
    let res = app.submit("/returns", "/returns", &[("quarter", QUARTER)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    location(&res).trim_start_matches("/returns/").to_string()
}

async fn an_invalid_nhs_number_blocks_the_lock_until_corrected_and_the_file_is_kept(db: Db) {
    let (app, analyst, people_ids) = august(db).await;
    let id = start(&app).await;
    let page = format!("/returns/{id}");
    // Starting again opens the same draft.
    assert_eq!(start(&app).await, id);

    let res = app.submit(&page, &format!("{page}/validate"), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(status_of(&app, &id), "draft");
    let (_, html) = app.page(&page).await;
    assert!(html.contains("Blocking problems (1)"), "{html}");
    assert!(html.contains("check digit"), "{html}");
    assert!(!html.contains("Lock the return"), "no lock while something blocks");
    // A lock posted anyway is refused and changes nothing.
    app.reauthenticate(&analyst, &page).await;
    let res = app.submit(&page, &format!("{page}/lock"), &[("confirm", "yes")]).await;
    assert_ne!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(status_of(&app, &id), "draft");

    // Corrected in the record, validated again: nothing blocks.
    set_nhs_number(&app, &people_ids[0], "9434765919");
    app.submit(&page, &format!("{page}/validate"), &[]).await;
    assert_eq!(status_of(&app, &id), "validated");
    let (_, html) = app.page(&page).await;
    assert!(html.contains("Nothing blocks this return"));
    assert!(html.contains("Lock the return"));
    // Locking asks first.
    let res = app.submit(&page, &format!("{page}/lock"), &[]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Confirm you have checked the figures")
    );
    assert_eq!(status_of(&app, &id), "validated");
    let res = app.submit(&page, &format!("{page}/lock"), &[("confirm", "yes")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(status_of(&app, &id), "locked");

    let (sha, content): (Option<String>, Option<String>) = data_returns::table
        .find(&id)
        .select((data_returns::sha256, data_returns::content))
        .first(&mut app.conn())
        .unwrap();
    let first = app.get(&format!("{page}/file.csv")).await.bytes().await.unwrap();
    // A record changed after locking does not change the locked file.
    set_nhs_number(&app, &people_ids[1], "9434765918");
    let again = app.get(&format!("{page}/file.csv")).await.bytes().await.unwrap();
    assert_eq!(first, again);
    assert_eq!(first.as_ref(), content.unwrap().as_bytes());
    let digest: String = Sha256::digest(&first).iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(Some(digest), sha);
    assert!(
        String::from_utf8_lossy(&first).starts_with("\"month\",\"site_id\",\"site_name\",\"team_type\",\"alerts\"")
    );
    // The database itself refuses to change a locked return.
    let changed = diesel::update(data_returns::table.find(&id))
        .set(data_returns::content.eq("altered"))
        .execute(&mut app.conn());
    assert!(changed.is_err());
    assert_eq!(
        app.audit_rows("export")
            .iter()
            .filter(|r| r.record_id.as_deref() == Some(id.as_str()))
            .count(),
        2
    );
}

async fn small_numbers_are_hidden_in_the_file(db: Db) {
    let (app, _, _) = august(db).await;
    let id = start(&app).await;
    let (status, csv) = app.page(&format!("/returns/{id}/file.csv")).await;
    assert_eq!(status, StatusCode::OK);
    let lines: Vec<&str> = csv.split_terminator("\r\n").collect();
    // July, August and September for the one site, each with its total row.
    assert_eq!(lines.len(), 1 + 6);
    let august_site = lines
        .iter()
        .find(|l| l.starts_with("\"2026-08\",\"") && !l.contains("\"all\""))
        .unwrap();
    // Ten alerts, ten screened: shown, rounded to the nearest 5; July's zeros shown as zeros.
    assert!(august_site.contains(",\"D02\",\"10\",\"10\","), "{august_site}");
    assert!(lines[1].contains(",\"D02\",\"0\","), "{}", lines[1]);
    // Ten people with a vulnerability of ten screened: 100%, from unrounded counts.
    assert!(august_site.contains("\"100.0\""));
}

async fn only_analysts_reach_returns(db: Db) {
    let (app, _, _) = august(db).await;
    let id = start(&app).await;
    let lead = app.another_client();
    lead.sign_in_ok("lead").await;
    for path in [
        "/returns".to_string(),
        format!("/returns/{id}"),
        format!("/returns/{id}/file.csv"),
    ] {
        assert_eq!(lead.page(&path).await.0, StatusCode::FORBIDDEN, "{path}");
    }
    let (status, html) = app.page("/returns").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("July to September 2026"));
}
