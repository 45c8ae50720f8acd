//! Who holds a person: allocating from a stale list asks before taking someone else's person,
//! a takeover goes on the timeline, the list's filters survive an allocation, and signing off
//! releases what the practitioner held.

use diesel::prelude::*;
use liaison::db::schema::episodes;
use liaison::domain::Role;
use reqwest::StatusCode;

use crate::both_databases;
use crate::harness::{Db, TestApp, location};

both_databases!(
    a_stale_allocation_asks_first_and_a_takeover_is_on_the_timeline,
    signing_off_releases_allocations_and_the_list_says_who_is_off_duty,
    every_site_of_the_shift_on_one_list,
);

fn allocated_to(app: &TestApp, episode: &str) -> Option<String> {
    episodes::table
        .find(episode)
        .select(episodes::allocated_to)
        .first(&mut *app.conn())
        .unwrap()
}

async fn a_stale_allocation_asks_first_and_a_takeover_is_on_the_timeline(db: Db) {
    let app = TestApp::spawn(db).await;
    let pat = app.add_user("pat", Role::Practitioner, &["Brent L&D"]);
    let sam = app.add_user("sam", Role::Practitioner, &["Brent L&D"]);
    let site = app.add_site("Brent L&D", "Wembley Police Custody Suite");
    let person = app.add_person("Jo", "Bloggs", "1980-01-01", &pat);
    let ep = app.add_episode(&person, &site, &pat, 5, false);
    let other = app.add_episode(
        &app.add_person("Al", "Other", "1981-01-01", &pat),
        &site,
        &pat,
        3,
        false,
    );
    app.sign_in_ok("pat").await;
    let filtered = format!("/sites/{site}/list?status=waiting&who=&youth=");
    let (_, list) = app.page(&filtered).await;
    assert!(
        list.contains(r#"name="filters" value="status=waiting&amp;who=&amp;youth=""#),
        "{list}"
    );

    // An unallocated person: allocated at once, back to the same filtered list.
    let allocate_from_list = [
        ("action", "allocate"),
        ("back", "list"),
        ("filters", "status=waiting&who=&youth="),
        ("from", ""),
    ];
    let res = app
        .submit(&filtered, &format!("/episodes/{other}/actions"), &allocate_from_list)
        .await;
    assert_eq!(location(&res), filtered, "the filter is kept");
    assert_eq!(allocated_to(&app, &other).as_deref(), Some(pat.as_str()));

    // Sam takes Jo while Pat's list still shows Jo unallocated.
    let sam_client = app.another_client();
    sam_client.sign_in_ok("sam").await;
    let res = sam_client
        .submit(
            &format!("/episodes/{ep}"),
            &format!("/episodes/{ep}/actions"),
            &[("action", "allocate"), ("from", "")],
        )
        .await;
    assert_eq!(location(&res), format!("/episodes/{ep}"));
    assert_eq!(allocated_to(&app, &ep).as_deref(), Some(sam.as_str()));

    let res = app
        .submit(&filtered, &format!("/episodes/{ep}/actions"), &allocate_from_list)
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let ask = res.text().await.unwrap();
    assert!(ask.contains("BLOGGS, Jo is allocated to sam Test"), "{ask}");
    assert!(ask.contains("Take over from sam Test") && ask.contains(&format!(r#"value="{sam}""#)));
    assert_eq!(
        allocated_to(&app, &ep).as_deref(),
        Some(sam.as_str()),
        "nothing taken yet"
    );
    assert_eq!(app.count_where("timeline_entries", "kind = 'handover'"), 0);

    let res = app
        .submit(
            &filtered,
            &format!("/episodes/{ep}/actions"),
            &[
                ("action", "allocate"),
                ("back", "list"),
                ("filters", "status=waiting&who=&youth="),
                ("from", &sam),
            ],
        )
        .await;
    assert_eq!(location(&res), filtered);
    assert_eq!(allocated_to(&app, &ep).as_deref(), Some(pat.as_str()));
    let (_, page) = app.page(&format!("/episodes/{ep}")).await;
    assert!(
        page.contains("Allocation taken over from sam Test by pat Test."),
        "the takeover is on the timeline: {page}"
    );
    // The episode page names who holds it on its takeover button.
    let (_, on_sams_page) = sam_client.page(&format!("/episodes/{ep}")).await;
    assert!(on_sams_page.contains("Take over from pat Test"), "{on_sams_page}");
    // A filter that is not the list's own never reaches the address.
    let res = app
        .submit(
            &filtered,
            &format!("/episodes/{other}/actions"),
            &[("action", "allocate"), ("back", "list"), ("filters", "x=1/../../evil")],
        )
        .await;
    assert_eq!(location(&res), format!("/sites/{site}/list"));
}

async fn signing_off_releases_allocations_and_the_list_says_who_is_off_duty(db: Db) {
    let app = TestApp::spawn(db).await;
    let pat = app.add_user("pat", Role::Practitioner, &["Brent L&D"]);
    app.vet(&pat);
    let lee = app.add_user("lee", Role::Practitioner, &["Brent L&D"]);
    let site = app.add_site("Brent L&D", "Wembley Police Custody Suite");
    let mine = app.add_episode(
        &app.add_person("Jo", "Bloggs", "1980-01-01", &pat),
        &site,
        &pat,
        5,
        false,
    );
    let leftover = app.add_episode(&app.add_person("Al", "Held", "1981-01-01", &pat), &site, &pat, 9, false);
    diesel::update(episodes::table.find(&leftover))
        .set(episodes::allocated_to.eq(&lee))
        .execute(&mut *app.conn())
        .unwrap();
    app.sign_in_ok("pat").await;
    app.submit("/shift", "/shift", &[("sites", &site), ("phone", "020 7946 0000")])
        .await;
    app.submit(
        &format!("/episodes/{mine}"),
        &format!("/episodes/{mine}/actions"),
        &[("action", "allocate"), ("from", "")],
    )
    .await;
    let (_, list) = app.page(&format!("/sites/{site}/list")).await;
    assert_eq!(
        list.matches("Not on duty").count(),
        1,
        "only Lee, who has no shift open, is marked: {list}"
    );
    assert!(list.contains("lee Test<br><strong class=\"app-tag"), "{list}");

    let (_, handover) = app.page("/shift/end").await;
    assert!(handover.contains("Signing off releases everyone allocated to you"));
    let res = app.submit("/shift/end", "/shift/end", &[]).await;
    assert_eq!(location(&res), "/shift?done=ended");
    assert_eq!(allocated_to(&app, &mine), None, "released at sign-off");
    assert_eq!(
        allocated_to(&app, &leftover).as_deref(),
        Some(lee.as_str()),
        "not Pat's"
    );
    assert_eq!(
        app.count_where(
            "timeline_entries",
            &format!("episode_id = '{mine}' AND kind = 'handover' AND body LIKE 'Allocation released at sign-off%'")
        ),
        1
    );
    assert!(
        app.audit_rows("update")
            .iter()
            .any(|r| r.detail.as_deref() == Some("signed off; 0 handover notes; 1 allocation released")),
        "audited"
    );
}

async fn every_site_of_the_shift_on_one_list(db: Db) {
    let app = TestApp::spawn(db).await;
    let pat = app.add_user("pat", Role::Practitioner, &["Brent L&D"]);
    app.vet(&pat);
    let custody = app.add_site("Brent L&D", "Wembley Police Custody Suite");
    let court = app.add_court("Brent L&D", "Willesden Magistrates' Court");
    let elsewhere = app.add_site("Brent L&D", "Kilburn custody");
    let waiting_long = app.add_episode(
        &app.add_person("Al", "Court", "1981-01-01", &pat),
        &court,
        &pat,
        50,
        false,
    );
    app.add_episode(
        &app.add_person("Jo", "Custody", "1980-01-01", &pat),
        &custody,
        &pat,
        5,
        false,
    );
    app.add_episode(
        &app.add_person("Ed", "Elsewhere", "1982-01-01", &pat),
        &elsewhere,
        &pat,
        90,
        false,
    );
    app.sign_in_ok("pat").await;
    let res = app.get("/shift/list").await;
    assert_eq!(location(&res), "/shift", "no shift, no sites: sent to sign on");
    app.submit(
        "/shift",
        "/shift",
        &[("sites", &custody), ("sites", &court), ("phone", "020 7946 0000")],
    )
    .await;
    let (_, site_list) = app.page(&format!("/sites/{custody}/list")).await;
    assert!(
        site_list.contains(r#"href="/shift/list""#),
        "the site's list links to the shift's"
    );

    let (status, list) = app.page("/shift/list").await;
    assert_eq!(status, StatusCode::OK);
    let (al, jo) = (
        list.find("COURT, Al").expect("Al"),
        list.find("CUSTODY, Jo").expect("Jo"),
    );
    assert!(al < jo, "the longest wait first, across sites");
    assert!(!list.contains("ELSEWHERE, Ed"), "only the shift's sites");
    assert!(list.contains("Willesden Magistrates&#39; Court<br>") || list.contains("Willesden Magistrates' Court<br>"));
    assert!(
        list.contains("2 open at your shift&#39;s sites") || list.contains("2 open at your shift's sites"),
        "{list}"
    );
    assert!(
        app.audit_rows("view")
            .iter()
            .any(|r| r.record_type.as_deref() == Some("site-list") && r.record_id.as_deref() == Some("shift")),
        "the view is audited once"
    );
    let res = app
        .client
        .get(app.url("/shift/list?status=waiting"))
        .header("HX-Request", "true")
        .send()
        .await
        .unwrap();
    let fragment = res.text().await.unwrap();
    assert!(
        fragment.starts_with("<div id=\"live-list\" data-hx-get=\"/shift/list?status=waiting"),
        "{fragment}"
    );
    assert!(fragment.contains(r#"name="back" value="shift""#));

    let res = app
        .submit(
            "/shift/list",
            &format!("/episodes/{waiting_long}/actions"),
            &[
                ("action", "allocate"),
                ("back", "shift"),
                ("filters", "status=waiting&who=&youth="),
                ("from", ""),
            ],
        )
        .await;
    assert_eq!(location(&res), "/shift/list?status=waiting&who=&youth=");
    assert_eq!(allocated_to(&app, &waiting_long).as_deref(), Some(pat.as_str()));
}
