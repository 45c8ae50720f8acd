//! Person-level alerts: raised with a review date, shown on the live list, the episode and
//! the person page, reviewed or ended (never deleted), from a list administrators keep.

use chrono::{Datelike, Duration};
use liaison::domain::Role;
use reqwest::StatusCode;

use crate::both_databases;
use crate::harness::{Db, TestApp, location};

both_databases!(
    an_alert_shows_everywhere_the_person_does_until_it_is_ended,
    administrators_keep_the_list_of_alert_kinds,
);

fn date_fields(date: chrono::NaiveDate) -> [String; 3] {
    [
        date.day().to_string(),
        date.month().to_string(),
        date.year().to_string(),
    ]
}

async fn an_alert_shows_everywhere_the_person_does_until_it_is_ended(db: Db) {
    let app = TestApp::spawn(db).await;
    let uid = app.add_user("pat", Role::Practitioner, &["Brent L&D"]);
    let site = app.add_site("Brent L&D", "Wembley Police Custody Suite");
    let person = app.add_person("Jo", "Bloggs", "1980-01-01", &uid);
    let episode = app.add_episode(&person, &site, &uid, 5, false);
    app.sign_in_ok("pat").await;
    let new = format!("/people/{person}/alerts/new");
    let (status, form) = app.page(&new).await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains("Risk to staff") && form.contains("MAPPA") && form.contains("Interpreter needed"));

    // Missing answers are named at their fields; what was typed stays; nothing is saved.
    let res = app
        .submit(&new, &new, &[("note", "Level 2, managed by Brent probation")])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = res.text().await.unwrap();
    assert!(refused.contains("Select what the alert is") && refused.contains("Enter the date to review the alert by"));
    assert!(refused.contains("Level 2, managed by Brent probation"));
    assert_eq!(app.count("person_alerts"), 0);

    let today = liaison::domain::local_time::local_date(app.state.now());
    let [d, m, y] = date_fields(today + Duration::days(30));
    let fields = [
        ("kind", "mappa"),
        ("note", "Level 2, managed by Brent probation"),
        ("review-day", d.as_str()),
        ("review-month", m.as_str()),
        ("review-year", y.as_str()),
    ];
    let res = app.submit(&new, &new, &fields).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), format!("/people/{person}#alerts"));
    let created = app.audit_rows("create");
    assert!(
        created.iter().any(
            |a| a.record_type.as_deref() == Some("person-alert") && a.person_id.as_deref() == Some(person.as_str())
        )
    );

    // The person page, the episode page and the live list all show it.
    let (_, person_page) = app.page(&format!("/people/{person}")).await;
    assert!(person_page.contains("MAPPA") && person_page.contains("Level 2, managed by Brent probation"));
    assert!(!person_page.contains("Review overdue"));
    let (_, episode_page) = app.page(&format!("/episodes/{episode}")).await;
    let alerts_at = episode_page.find("Alerts: ").expect("alerts at the top of the episode");
    assert!(alerts_at < episode_page.find("Screening").unwrap_or(usize::MAX));
    assert!(episode_page[alerts_at..].contains("MAPPA"));
    let (_, list) = app.page(&format!("/sites/{site}/list")).await;
    assert!(list.contains("MAPPA"));

    // Past its review date it says so.
    app.clock.advance_minutes(31 * 24 * 60);
    app.sign_in_ok("pat").await;
    let (_, person_page) = app.page(&format!("/people/{person}")).await;
    assert!(person_page.contains("Review overdue"));
    let (_, list) = app.page(&format!("/sites/{site}/list")).await;
    assert!(list.contains("review overdue"));

    // Reviewed: kept with a new date, the change audited.
    let alert_id: String = {
        use diesel::prelude::*;
        use liaison::db::schema::person_alerts;
        person_alerts::table
            .select(person_alerts::id)
            .first(&mut app.conn())
            .unwrap()
    };
    let review = format!("/people/{person}/alerts/{alert_id}");
    let today = liaison::domain::local_time::local_date(app.state.now());
    let [d, m, y] = date_fields(today + Duration::days(90));
    let kept = [
        ("decision", "keep"),
        ("review-day", d.as_str()),
        ("review-month", m.as_str()),
        ("review-year", y.as_str()),
    ];
    assert_eq!(
        app.submit(&review, &review, &kept).await.status(),
        StatusCode::SEE_OTHER
    );
    let (_, person_page) = app.page(&format!("/people/{person}")).await;
    assert!(!person_page.contains("Review overdue"));
    assert!(
        app.audit_rows("update")
            .iter()
            .any(|a| a.detail.as_deref().is_some_and(|d| d.starts_with("MAPPA: reviewed")))
    );

    // Ended only with a reason; then gone from every page but kept in the database.
    let res = app.submit(&review, &review, &[("decision", "end")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Enter why the alert no longer applies")
    );
    let ended = [("decision", "end"), ("reason", "MAPPA management ended in March")];
    assert_eq!(
        app.submit(&review, &review, &ended).await.status(),
        StatusCode::SEE_OTHER
    );
    let (_, person_page) = app.page(&format!("/people/{person}")).await;
    assert!(person_page.contains("No alerts recorded") && !person_page.contains("Level 2, managed"));
    let (_, list) = app.page(&format!("/sites/{site}/list")).await;
    assert!(!list.contains("MAPPA"));
    assert_eq!(app.count_where("person_alerts", "ended_at IS NOT NULL"), 1);
    assert_eq!(
        app.page(&review).await.0,
        StatusCode::NOT_FOUND,
        "an ended alert is not reviewed again"
    );
}

async fn administrators_keep_the_list_of_alert_kinds(db: Db) {
    let app = TestApp::spawn(db).await;
    app.add_user("pat", Role::Practitioner, &["Brent L&D"]);
    app.add_user("ada", Role::Administrator, &[]);
    let uid = app.add_user("sam", Role::Practitioner, &["Brent L&D"]);
    let site = app.add_site("Brent L&D", "Wembley Police Custody Suite");
    let person = app.add_person("Jo", "Bloggs", "1980-01-01", &uid);
    app.add_episode(&person, &site, &uid, 5, false);
    app.sign_in_ok("ada").await;
    let kinds = "/admin/alert-kinds";
    let res = app.submit(kinds, kinds, &[("label", "Weapons")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("already an alert kind with this name")
    );
    let res = app.submit(kinds, kinds, &[("label", "Self-neglect")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = app
        .submit(kinds, "/admin/alert-kinds/mappa/active", &[("active", "no")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, page) = app.page(kinds).await;
    assert!(page.contains("Self-neglect") && page.contains("Retired"));
    assert_eq!(
        app.audit_rows("update")
            .iter()
            .filter(|a| a.record_type.as_deref() == Some("alert-kind"))
            .count(),
        1
    );

    // A practitioner is offered the new kind and not the retired one, and cannot post it.
    let pat = app.another_client();
    pat.sign_in_ok("pat").await;
    let new = format!("/people/{person}/alerts/new");
    let (_, form) = pat.page(&new).await;
    assert!(
        form.contains("Self-neglect") && !form.contains(r#"value="mappa""#),
        "{form}"
    );
    let res = pat
        .submit(
            &new,
            &new,
            &[
                ("kind", "mappa"),
                ("note", "x"),
                ("review-day", "1"),
                ("review-month", "1"),
                ("review-year", "2027"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("person_alerts"), 0);
}
