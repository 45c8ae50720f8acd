//! Shifts, the live site list, handover and the person page.

use diesel::prelude::*;
use liaison::db::schema::episodes;
use liaison::domain::Role;
use reqwest::StatusCode;

use crate::both_databases;
use crate::harness::{Db, TestApp, location};

both_databases!(
    signing_on_shows_the_site_in_the_header_and_who_is_on_duty,
    the_list_sorts_by_urgency_then_wait_and_filters,
    polls_get_the_fragment_and_are_audited_once_per_request,
    another_teams_list_and_person_are_refused,
    handover_notes_reach_the_next_practitioner,
    the_person_page_shows_every_contact,
);

async fn signing_on_shows_the_site_in_the_header_and_who_is_on_duty(db: Db) {
    let app = TestApp::spawn(db).await;
    let uid = app.add_user("pat", Role::Practitioner, &["Brent L&D"]);
    app.vet(&uid);
    let site = app.add_site("Brent L&D", "Wembley Police Custody Suite");
    app.add_site("Harrow L&D", "Harrow Custody");
    app.sign_in_ok("pat").await;
    let (_, page) = app.page("/shift").await;
    assert!(
        page.contains("Wembley Police Custody Suite") && !page.contains("Harrow Custody"),
        "only my team's sites"
    );
    let res = app
        .submit("/shift", "/shift", &[("sites", &site), ("phone", "call me")])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Enter a phone number"));
    let res = app
        .submit("/shift", "/shift", &[("sites", &site), ("phone", "020 7946 0000")])
        .await;
    assert_eq!(location(&res), format!("/sites/{site}/list"));
    let (_, list) = app.page(&location(&res)).await;
    assert!(
        list.contains("Site: Wembley Police Custody Suite"),
        "header shows the current site"
    );
    assert!(list.contains("On duty now") && list.contains("020 7946 0000"));
    let (_, intake) = app
        .page(&format!(
            "/episodes/new?person={}",
            app.add_person("A", "B", "1980-01-01", &uid)
        ))
        .await;
    assert!(
        intake.contains(&format!(r#"<option value="{site}" selected>"#)),
        "current site preselected"
    );
}

async fn the_list_sorts_by_urgency_then_wait_and_filters(db: Db) {
    let app = TestApp::spawn(db).await;
    let uid = app.add_user("pat", Role::Practitioner, &["Brent L&D"]);
    let site = app.add_site("Brent L&D", "Wembley Police Custody Suite");
    let long_wait = app.add_person("Adam", "Longwait", "1980-01-01", &uid);
    let short_wait = app.add_person("Beth", "Shortwait", "1981-01-01", &uid);
    let youth = app.add_person("Cal", "Young", "2010-01-01", &uid);
    let risky = app.add_person("Dee", "Risk", "1982-01-01", &uid);
    let closed = app.add_person("Eve", "Closed", "1983-01-01", &uid);
    let screened = app.add_person("Fay", "Screened", "1984-01-01", &uid);
    let screening = app.add_person("Gus", "Screening", "1985-01-01", &uid);
    app.add_episode(&long_wait, &site, &uid, 90, false);
    app.add_episode(&short_wait, &site, &uid, 10, false);
    app.add_episode(&youth, &site, &uid, 5, true);
    let risk_ep = app.add_episode(&risky, &site, &uid, 1, false);
    let closed_ep = app.add_episode(&closed, &site, &uid, 30, false);
    let earlier = app.add_episode(&long_wait, &site, &uid, 60 * 24 * 30, false);
    // Longer waits, but already screened or being screened: what needs doing next is below.
    let screened_ep = app.add_episode(&screened, &site, &uid, 120, false);
    let screening_ep = app.add_episode(&screening, &site, &uid, 200, false);
    let mut conn = app.conn();
    let now = app.state.now();
    diesel::update(episodes::table.find(&screened_ep))
        .set((
            episodes::status.eq("screened"),
            episodes::screened_at.eq(now - 60_000),
            episodes::risk_to_others.eq(true),
        ))
        .execute(&mut *conn)
        .unwrap();
    diesel::update(episodes::table.find(&screening_ep))
        .set((
            episodes::status.eq("in-screening"),
            episodes::screening_started_at.eq(now),
        ))
        .execute(&mut *conn)
        .unwrap();
    diesel::update(episodes::table.find(&risk_ep))
        .set(episodes::risk_to_self.eq(true))
        .execute(&mut *conn)
        .unwrap();
    diesel::update(episodes::table.find(&closed_ep))
        .set((episodes::status.eq("closed"), episodes::closed_at.eq(now)))
        .execute(&mut *conn)
        .unwrap();
    diesel::update(episodes::table.find(&earlier))
        .set((
            episodes::status.eq("closed"),
            episodes::closed_at.eq(now - 29 * 24 * 3_600_000),
        ))
        .execute(&mut *conn)
        .unwrap();
    drop(conn);
    app.sign_in_ok("pat").await;
    let (status, list) = app.page(&format!("/sites/{site}/list")).await;
    assert_eq!(status, StatusCode::OK);
    let order: Vec<usize> = [
        "RISK, Dee",
        "YOUNG, Cal",
        "LONGWAIT, Adam",
        "SHORTWAIT, Beth",
        "SCREENING, Gus",
        "SCREENED, Fay",
    ]
    .iter()
    .map(|n| list.find(n).unwrap_or_else(|| panic!("{n} listed")))
    .collect();
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "waiting before being screened before screened; in each urgency, then youth, then longest wait: {order:?}"
    );
    assert!(list.contains(liaison::board::ORDER_EXPLAINED), "the order is explained");
    // Today's closures are a link away: the list itself reads only what is open.
    assert!(!list.contains("CLOSED, Eve"));
    assert!(
        list.contains(&format!(
            r#"<a href="/sites/{site}/list?status=closed&amp;who=&amp;youth=">1 closed today</a>"#
        )),
        "{list}"
    );
    let (_, closed_today) = app.page(&format!("/sites/{site}/list?status=closed")).await;
    assert!(
        closed_today.contains("1 closed today at Wembley Police Custody Suite"),
        "{closed_today}"
    );
    assert!(closed_today.contains("CLOSED, Eve") && !closed_today.contains("RISK, Dee"));
    assert!(
        closed_today.contains(r#"<option value="closed" selected>Closed today</option>"#),
        "{closed_today}"
    );
    assert!(list.contains("Over target"), "90 minutes against a 60-minute target");
    assert!(list.contains("Known – 1 earlier contact"));
    assert!(list.contains("Under 18") && list.contains("Risk to self"));
    assert_eq!(list.matches("Allocate to me").count(), 6);

    let (_, youth_only) = app.page(&format!("/sites/{site}/list?youth=yes")).await;
    assert!(youth_only.contains("YOUNG, Cal") && !youth_only.contains("LONGWAIT, Adam"));
    let res = app
        .submit(
            &format!("/sites/{site}/list"),
            &format!("/episodes/{risk_ep}/actions"),
            &[("action", "allocate"), ("back", "list")],
        )
        .await;
    assert_eq!(location(&res), format!("/sites/{site}/list"));
    let (_, mine) = app.page(&format!("/sites/{site}/list?who=mine")).await;
    assert!(mine.contains("RISK, Dee") && !mine.contains("YOUNG, Cal"), "{mine}");
    let (_, unallocated) = app
        .page(&format!("/sites/{site}/list?who=unallocated&status=waiting"))
        .await;
    assert!(!unallocated.contains("RISK, Dee") && unallocated.contains("YOUNG, Cal"));
    assert!(
        unallocated.contains(r#"<option value="waiting" selected"#),
        "{unallocated}"
    );
    // A status filter that names no status is an address that cannot be read, not an empty list.
    let (status, bad) = app.page(&format!("/sites/{site}/list?status=in_screening")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(bad.contains("The web address could not be read"), "{bad}");
}

async fn polls_get_the_fragment_and_are_audited_once_per_request(db: Db) {
    let app = TestApp::spawn(db).await;
    let uid = app.add_user("pat", Role::Practitioner, &["Brent L&D"]);
    let site = app.add_site("Brent L&D", "Wembley Police Custody Suite");
    for i in 0..3 {
        let p = app.add_person("P", &format!("Person{i}"), "1980-01-01", &uid);
        app.add_episode(&p, &site, &uid, 5, false);
    }
    app.sign_in_ok("pat").await;
    let path = format!("/sites/{site}/list");
    app.page(&path).await;
    let res = app
        .client
        .get(app.url(&format!("{path}?who=")))
        .header("HX-Request", "true")
        .header("X-Liaison-Background", "1")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let fragment = res.text().await.unwrap();
    assert!(fragment.starts_with("<div id=\"live-list\""), "{fragment}");
    assert!(fragment.contains("every 20s") && fragment.contains("PERSON2, P"));
    assert!(!fragment.contains("<html"), "a fragment, not a page");
    // One allocation form for the list, named by each row's button; its CSRF token is on the
    // page outside the list, which is the same for everyone (tests/it/board_kept.rs).
    assert_eq!(fragment.matches(r#"<form id="allocate""#).count(), 1, "{fragment}");
    assert!(!fragment.contains("csrf_token"), "{fragment}");
    assert_eq!(
        fragment.matches(r#"form="allocate" formaction="/episodes/"#).count(),
        3,
        "{fragment}"
    );
    let views: Vec<_> = app
        .audit_rows("view")
        .into_iter()
        .filter(|r| r.record_type.as_deref() == Some("site-list"))
        .collect();
    assert_eq!(views.len(), 2, "one row per request, not per person");
    assert!(views[0].detail.as_deref().unwrap().contains("refresh"));
}

async fn another_teams_list_and_person_are_refused(db: Db) {
    let app = TestApp::spawn(db).await;
    let uid = app.add_user("pat", Role::Practitioner, &["Brent L&D"]);
    app.add_user("lee", Role::Practitioner, &["Harrow L&D"]);
    let site = app.add_site("Brent L&D", "Wembley Police Custody Suite");
    let person = app.add_person("Jo", "Bloggs", "1980-01-01", &uid);
    app.add_episode(&person, &site, &uid, 5, false);
    app.sign_in_ok("lee").await;
    assert_eq!(app.page(&format!("/sites/{site}/list")).await.0, StatusCode::FORBIDDEN);
    let res = app
        .client
        .get(app.url(&format!("/sites/{site}/list")))
        .header("HX-Request", "true")
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::FORBIDDEN,
        "fragments are checked the same way"
    );
    let (status, body) = app.page(&format!("/people/{person}")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(!body.contains("Bloggs"));
    let denied = app
        .audit_rows("view")
        .into_iter()
        .filter(|r| r.outcome.code() == "denied")
        .count();
    assert_eq!(denied, 3);
}

async fn handover_notes_reach_the_next_practitioner(db: Db) {
    let app = TestApp::spawn(db).await;
    let uid = app.add_user("pat", Role::Practitioner, &["Brent L&D"]);
    app.vet(&uid);
    app.add_user("sam", Role::Practitioner, &["Brent L&D"]);
    let site = app.add_site("Brent L&D", "Wembley Police Custody Suite");
    let person = app.add_person("Jo", "Bloggs", "1980-01-01", &uid);
    let ep = app.add_episode(&person, &site, &uid, 5, false);
    app.sign_in_ok("pat").await;
    app.submit("/shift", "/shift", &[("sites", &site), ("phone", "020 7946 0000")])
        .await;
    let (_, handover) = app.page("/shift/end").await;
    assert!(handover.contains("BLOGGS, Jo"));
    let res = app
        .submit(
            "/shift/end",
            "/shift/end",
            &[(&format!("note-{ep}"), "Awaiting FME review at 22:00; AA not needed")],
        )
        .await;
    assert_eq!(location(&res), "/shift?done=ended");
    let (_, shift) = app.page("/shift?done=ended").await;
    assert!(shift.contains("Sign on for a shift"), "the shift ended");

    let sam = app.another_client();
    sam.sign_in_ok("sam").await;
    let (_, list) = sam.page(&format!("/sites/{site}/list")).await;
    assert!(list.contains("Handover: Awaiting FME review at 22:00; AA not needed"));
    let (_, page) = sam.page(&format!("/episodes/{ep}")).await;
    assert!(page.contains("Handover") && page.contains("Awaiting FME review"));
}

async fn the_person_page_shows_every_contact(db: Db) {
    let app = TestApp::spawn(db).await;
    let uid = app.add_user("pat", Role::Practitioner, &["Brent L&D"]);
    let other = app.add_user("lee", Role::Practitioner, &["Harrow L&D"]);
    let site = app.add_site("Brent L&D", "Wembley Police Custody Suite");
    let harrow = app.add_site("Harrow L&D", "Harrow Custody");
    let person = app.add_person("Jo", "Bloggs", "1980-01-01", &uid);
    let ours = app.add_episode(&person, &site, &uid, 5, false);
    let theirs = app.add_episode(&person, &harrow, &other, 60 * 24 * 10, false);
    app.sign_in_ok("pat").await;
    let (status, page) = app.page(&format!("/people/{person}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("BLOGGS, Jo") && page.contains("2 contacts, newest first"));
    assert!(
        page.contains(&format!("/episodes/{ours}")) && !page.contains(&format!("/episodes/{theirs}")),
        "only our episodes link through"
    );
    assert!(page.contains("Another team&#39;s contact") || page.contains("Another team's contact"));
    assert!(page.contains("Known to the service"));
    assert!(
        app.audit_rows("view")
            .iter()
            .any(|r| r.record_type.as_deref() == Some("person") && r.outcome.code() == "allowed")
    );
}
