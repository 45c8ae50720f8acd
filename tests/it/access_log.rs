//! "Who accessed this record" for a person: names and roles, paging past 100, a date range,
//! a CSV for a subject access request; the IG lead and administrators only.

use liaison::audit::{self, Actor, Event};
use liaison::domain::Role;
use reqwest::StatusCode;

use crate::both_databases;
use crate::harness::{Db, TestApp};

both_databases!(the_access_log_pages_filters_and_exports_with_names_and_roles);

async fn the_access_log_pages_filters_and_exports_with_names_and_roles(db: Db) {
    let app = TestApp::spawn(db).await;
    let pat = app.add_user("pat", Role::Practitioner, &["Brent L&D"]);
    app.add_user("robin", Role::IgLead, &[]);
    app.add_user("admin", Role::Administrator, &[]);
    let site = app.add_site("Brent L&D", "Wembley Police Custody Suite");
    let person = app.add_person("Jo", "Bloggs", "1980-01-01", &pat);
    let ep = app.add_episode(&person, &site, &pat, 5, false);

    // 130 views by Pat over the past 130 days, one a day, plus one today through the app.
    let now = app.state.now();
    let actor = Actor {
        user_id: Some(pat.clone()),
        username: Some("pat".into()),
        role: Some("practitioner".into()),
        team: Some("Brent L&D".into()),
        client_addr: None,
    };
    {
        let mut conn = app.conn();
        for day in 1..=130 {
            let event = Event::allowed(audit::VIEW)
                .record("episode", &ep)
                .person(&person)
                .detail(format!("seeded view {day}"));
            audit::record(&mut conn, now - day * 86_400_000, &actor, event).unwrap();
        }
    }
    app.sign_in_ok("pat").await;
    assert_eq!(app.page(&format!("/episodes/{ep}")).await.0, StatusCode::OK);
    let log = format!("/governance/people/{person}/access");
    assert_eq!(app.page(&log).await.0, StatusCode::FORBIDDEN, "not for a practitioner");

    let ig = app.another_client();
    ig.sign_in_ok("robin").await;
    let (status, first) = ig.page(&log).await;
    assert_eq!(status, StatusCode::OK);
    assert!(first.contains("100 entries, newest first"), "a page of 100");
    assert!(
        first.contains("pat Test") && first.contains("Practitioner"),
        "names and roles"
    );
    assert!(first.contains("episode page") && first.contains("seeded view 1<"));
    assert!(!first.contains("seeded view 100<"), "the 101st is on the next page");
    let older = first
        .split("href=\"")
        .filter_map(|s| s.split('"').next())
        .find(|href| href.contains("before="))
        .expect("a link to older entries")
        .replace("&amp;", "&");
    let (_, second) = ig.page(&older).await;
    assert!(
        second.contains("seeded view 100<") && second.contains("seeded view 130<"),
        "{second}"
    );
    assert!(!second.contains("seeded view 99<") && !second.contains("Older entries"));

    // A period: 10 to 19 days ago inclusive.
    let day = |ago: i64| liaison::domain::local_time::local_date(now - ago * 86_400_000);
    let (from, to) = (day(19), day(10));
    let period = format!(
        "{log}?from-day={}&from-month={}&from-year={}&to-day={}&to-month={}&to-year={}",
        from.format("%d"),
        from.format("%m"),
        from.format("%Y"),
        to.format("%d"),
        to.format("%m"),
        to.format("%Y")
    );
    let (_, within) = ig.page(&period).await;
    assert!(within.contains("10 entries, newest first"), "{within}");
    assert!(within.contains("seeded view 10<") && within.contains("seeded view 19<"));
    assert!(!within.contains("seeded view 9<") && !within.contains("seeded view 20<"));
    let (status, bad) = ig.page(&format!("{log}?from-day=31&from-month=2&from-year=2026")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.contains("From must be a real date"), "{bad}");

    // The same period as CSV, for the subject access request; the export is audited.
    let admin = app.another_client();
    admin.sign_in_ok("admin").await;
    let res = admin.get(&format!("{period}&format=csv")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()["content-type"].to_str().unwrap().starts_with("text/csv")
            && res.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .contains("attachment")
    );
    let csv = res.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 11, "a header and ten rows: {csv}");
    assert!(lines[0].starts_with("\"When (UK time)\",\"Who\",\"Role\""));
    assert!(
        lines[1].contains("\"pat Test\",\"Practitioner\",\"Brent L&D\",\"view\""),
        "{}",
        lines[1]
    );
    assert!(
        app.audit_rows("export")
            .iter()
            .any(|r| r.record_type.as_deref() == Some("person-access-log")
                && r.person_id.as_deref() == Some(person.as_str()))
    );
}
