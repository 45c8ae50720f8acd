//! Retention: review dates computed by the daily job, the records manager's appraisal queue,
//! legal holds that block destruction, extend and preserve decisions, the date of death, and a
//! destruction that removes every row of the person in one go and keeps a tombstone.

use chrono::Datelike;
use diesel::prelude::*;
use liaison::audit::chain::{self, Verdict};
use liaison::db::schema::{episodes, person_retention};
use liaison::domain::Role;
use reqwest::StatusCode;

use crate::both_databases;
use crate::harness::{Db, TestApp, location};

both_databases!(
    a_record_past_its_date_is_held_then_destroyed_leaving_a_tombstone,
    extending_preserving_and_a_death_change_the_review_date,
    the_daily_pass_keeps_a_decision_made_after_it_read
);

const DAY: i64 = 24 * 60;

/// Pat's team saw Jo (contact over) and Sam (still open); Rita manages records.
struct Service {
    app: TestApp,
    jo: String,
    jo_episode: String,
    sam: String,
    rita: String,
}

async fn service(db: Db, years_after_contact: i64) -> Service {
    let app = TestApp::spawn_with(db, |c| c.retention_years_after_contact = years_after_contact).await;
    let pat = app.add_user("pat", Role::Practitioner, &["Brent L&D"]);
    let rita_id = app.add_user("rita", Role::RecordsManager, &[]);
    let site = app.add_site("Brent L&D", "Wembley Police Custody Suite");
    let jo = app.add_person("Jo", "Bloggs", "1980-01-01", &pat);
    let jo_episode = app.add_episode(&jo, &site, &pat, 5, false);
    let sam = app.add_person("Sam", "Smith", "1985-01-01", &pat);
    app.add_episode(&sam, &site, &pat, 5, false);

    // Pat writes a note and opens Jo's record, so Jo has timeline and audit rows.
    app.sign_in_ok("pat").await;
    let page = format!("/episodes/{jo_episode}");
    let res = app
        .submit(
            &page,
            &format!("{page}/timeline"),
            &[("kind", "note"), ("body", "Seen in cell 4")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.page(&format!("/people/{jo}")).await.0, StatusCode::OK);
    let now = app.state.now();
    diesel::update(episodes::table.find(&jo_episode))
        .set((episodes::status.eq("closed"), episodes::closed_at.eq(now)))
        .execute(&mut *app.conn())
        .unwrap();
    let rita = app.another_client();
    rita.sign_in_ok("rita").await;
    Service {
        app: rita,
        jo,
        jo_episode,
        sam,
        rita: rita_id,
    }
}

fn review_on(app: &TestApp, person: &str) -> Option<String> {
    person_retention::table
        .find(person)
        .select(person_retention::review_on)
        .first(&mut *app.conn())
        .unwrap()
}

async fn a_record_past_its_date_is_held_then_destroyed_leaving_a_tombstone(db: Db) {
    let Service {
        app,
        jo,
        jo_episode,
        sam,
        rita,
    } = service(db, 1).await;
    app.outbox_pass();
    let (_, queue) = app.page("/records/appraisal").await;
    assert!(queue.contains("No record is due for appraisal"), "{queue}");

    // A year and a day on, the daily job finds Jo due; Sam is still in care.
    app.clock.advance_minutes(367 * DAY);
    app.outbox_pass();
    assert_eq!(review_on(&app, &sam), None);
    app.sign_in_ok("rita").await;
    let (_, queue) = app.page("/records/appraisal").await;
    assert!(queue.contains("Bloggs, Jo") && !queue.contains("Smith, Sam"), "{queue}");
    assert!(queue.contains("Due for appraisal"));

    // A legal hold blocks destruction, in the page and at the server.
    let record = format!("/records/people/{jo}");
    let res = app
        .submit(&record, &format!("{record}/hold"), &[("hold_reason", "")])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Enter why the record must be held"));
    let held = [("hold_reason", "Coroner's inquest ref 2027/14")];
    assert_eq!(
        app.submit(&record, &format!("{record}/hold"), &held).await.status(),
        StatusCode::SEE_OTHER
    );
    let (_, page) = app.page(&record).await;
    assert!(
        page.contains("Legal hold since") && !page.contains("Destroy this record"),
        "{page}"
    );
    assert!(app.page("/records/appraisal").await.1.contains("Legal hold"));
    let destroy = format!("{record}/destroy");
    assert_eq!(app.page(&destroy).await.0, StatusCode::CONFLICT);
    // Destroying asks the records manager to confirm it is them first (decision 0018).
    let res = app
        .submit(&record, &destroy, &[("reason", "Retention period over")])
        .await;
    let confirm = format!("/account/confirm?next=%2Frecords%2Fpeople%2F{jo}%2Fdestroy");
    assert_eq!((res.status(), location(&res)), (StatusCode::SEE_OTHER, confirm));
    assert_eq!(app.reauthenticate(&rita, &destroy).await, destroy);
    let res = app
        .submit(&record, &destroy, &[("reason", "Retention period over")])
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert_eq!(app.count_where("people", &format!("id = '{jo}'")), 1);

    let lifted = [("hold_reason", "Inquest concluded")];
    let res = app.submit(&record, &format!("{record}/hold/lift"), &lifted).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    // The check page lists what goes; a reason is required.
    let (status, check) = app.page(&destroy).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        check.contains("timeline_entries") && check.contains("episodes") && check.contains("audit_events"),
        "{check}"
    );
    let res = app.submit(&destroy, &destroy, &[("reason", " ")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Enter the reason for destruction"));
    assert_eq!(app.count_where("people", &format!("id = '{jo}'")), 1);

    // The dashboards' facts have numbered Jo.
    liaison::returns::facts::refresh(&mut app.conn()).unwrap();
    assert_eq!(app.count_where("fact_people", &format!("person_id = '{jo}'")), 1);

    // `submit` opens the check page once more first: one more view of Jo, audited.
    let audit_before = app.count_where("audit_events", &format!("person_id = '{jo}'")) + 1;
    assert!(audit_before > 1);
    let res = app
        .submit(
            &destroy,
            &destroy,
            &[("reason", "Retention period over; appraised, no further value")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/records/appraisal");

    // Every row of Jo's is gone; Sam's are not; the tombstone and the chain remain.
    for (table, condition) in [
        ("people", format!("id = '{jo}'")),
        ("episodes", format!("person_id = '{jo}'")),
        ("timeline_entries", format!("episode_id = '{jo_episode}'")),
        ("audit_events", format!("person_id = '{jo}'")),
        ("person_retention", format!("person_id = '{jo}'")),
        ("legal_holds", format!("person_id = '{jo}'")),
        ("episode_facts", format!("person_id = '{jo}'")),
        ("fact_people", format!("person_id = '{jo}'")),
    ] {
        assert_eq!(app.count_where(table, &condition), 0, "{table}");
    }
    assert_eq!(app.count_where("people", &format!("id = '{sam}'")), 1);
    assert_eq!(app.count_where("episodes", &format!("person_id = '{sam}'")), 1);
    assert_eq!(app.count_where("destroyed_people", &format!("person_id = '{jo}'")), 1);
    assert_eq!(
        app.count_where("destroyed_audit_links", "1 = 1"),
        audit_before,
        "each removed audit row's link is kept"
    );
    assert_eq!(
        app.count_where(
            "record_destructions",
            &format!("person_id = '{jo}' AND rows_removed > {audit_before}")
        ),
        1
    );
    let Verdict::Intact { destroyed, .. } = chain::verify(&mut app.conn()).unwrap() else {
        panic!("the chain broke at the destroyed rows")
    };
    assert_eq!(destroyed, audit_before as u64);
    assert_eq!(app.audit_rows("destroy").len(), 1);
    let (_, page) = app.page(&record).await;
    assert!(page.contains("This record was destroyed"), "{page}");
    let (_, queue) = app.page("/records/appraisal").await;
    assert!(queue.contains(&jo) && !queue.contains("Bloggs, Jo"), "{queue}");
}

async fn extending_preserving_and_a_death_change_the_review_date(db: Db) {
    let Service { app, jo, .. } = service(db, 20).await;
    app.outbox_pass();
    let today = liaison::domain::local_time::local_date(app.state.now());
    let in_twenty = today.checked_add_months(chrono::Months::new(240)).unwrap();
    assert_eq!(review_on(&app, &jo), Some(in_twenty.to_string()));

    // A death yesterday: ten years after it comes sooner than twenty after the contact.
    let record = format!("/records/people/{jo}");
    let yesterday = today.pred_opt().unwrap();
    let (d, m, y) = (
        yesterday.format("%d").to_string(),
        yesterday.format("%m").to_string(),
        yesterday.format("%Y").to_string(),
    );
    let died = [
        ("died-day", d.as_str()),
        ("died-month", m.as_str()),
        ("died-year", y.as_str()),
    ];
    assert_eq!(
        app.submit(&record, &format!("{record}/death"), &died).await.status(),
        StatusCode::SEE_OTHER
    );
    let ten_after_death = yesterday.checked_add_months(chrono::Months::new(120)).unwrap();
    assert_eq!(review_on(&app, &jo), Some(ten_after_death.to_string()));

    // Extending needs a later date and a reason; the other answers are kept when one is wrong.
    let decision = format!("{record}/decision");
    let res = app
        .submit(
            &record,
            &decision,
            &[
                ("decision", "extend"),
                ("reason", "Claim expected"),
                ("review-day", "1"),
                ("review-month", "1"),
                ("review-year", "2020"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains("Claim expected"), "the reason is kept");
    let later = (today.year_ce().1 + 30).to_string();
    let res = app
        .submit(
            &record,
            &decision,
            &[
                ("decision", "extend"),
                ("reason", "Claim expected"),
                ("review-day", "1"),
                ("review-month", "6"),
                ("review-year", &later),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(review_on(&app, &jo), Some(format!("{later}-06-01")));
    // The daily job keeps the extension.
    app.clock.advance_minutes(DAY);
    app.outbox_pass();
    assert_eq!(review_on(&app, &jo), Some(format!("{later}-06-01")));
    app.sign_in_ok("rita").await;

    let res = app
        .submit(
            &record,
            &decision,
            &[("decision", "preserve"), ("reason", "Historical interest")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, page) = app.page(&record).await;
    assert!(
        page.contains("Preserved permanently") && page.contains("Kept until"),
        "{page}"
    );
    assert_eq!(
        app.audit_rows(liaison::audit::UPDATE)
            .iter()
            .filter(|r| r.person_id.as_deref() == Some(jo.as_str()))
            .count(),
        3
    );
}

/// The daily pass works a batch out from a snapshot, then writes it: a date of death recorded
/// in between is newer than what the batch holds, and stays.
async fn the_daily_pass_keeps_a_decision_made_after_it_read(db: Db) {
    let Service { app, jo, sam, .. } = service(db, 20).await;
    let now = app.state.now();
    let periods = app.state.config.retention_periods();
    let batch = liaison::retention::store::Batch::read(&mut app.conn(), now, periods, "", 1000).unwrap();
    assert_eq!(app.count("person_retention"), 0, "no pass has run");

    let today = liaison::domain::local_time::local_date(now);
    let yesterday = today.pred_opt().unwrap();
    let record = format!("/records/people/{jo}");
    let died = [
        ("died-day", yesterday.format("%d").to_string()),
        ("died-month", yesterday.format("%m").to_string()),
        ("died-year", yesterday.format("%Y").to_string()),
    ];
    let died: Vec<(&str, &str)> = died.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = app.submit(&record, &format!("{record}/death"), &died).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let ten_after_death = yesterday.checked_add_months(chrono::Months::new(120)).unwrap();
    assert_eq!(review_on(&app, &jo), Some(ten_after_death.to_string()));

    liaison::db::write_tx(&mut app.conn(), |conn| batch.write(conn, now)).unwrap();
    assert_eq!(
        review_on(&app, &jo),
        Some(ten_after_death.to_string()),
        "the batch, read before the death was recorded, does not undo it"
    );
    let sam_class: String = person_retention::table
        .find(&sam)
        .select(person_retention::class)
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(sam_class, "mental-health", "the rest of the batch is written");
}
