//! Recording adult and child safeguarding concerns: the flag on the person, the agency's
//! answer later, sending it on as a referral, and the team check.

use chrono::Duration;
use liaison::domain::Role;
use liaison::domain::local_time;
use reqwest::StatusCode;

use crate::both_databases;
use crate::harness::{Db, TestApp, location};

both_databases!(
    a_child_concern_flags_the_person_everywhere,
    bad_answers_are_refused_and_kept,
    the_outcome_and_reference_can_be_added_later,
    a_closed_episode_can_still_have_a_concern_recorded,
    send_as_a_referral_links_to_the_safeguarding_services,
    another_team_cannot_see_or_record_concerns,
);

const RED_SAFEGUARDING_TAG: &str = r#"<strong class="app-tag app-tag--red">Safeguarding</strong>"#;

struct Setup {
    app: TestApp,
    site: String,
    person: String,
    ep: String,
}

/// A practitioner signed in, with an episode for a 16-year-old at their team's custody suite.
async fn signed_in_with_youth_episode(db: Db) -> Setup {
    let app = TestApp::spawn(db).await;
    let uid = app.add_user("pat", Role::Practitioner, &["Brent L&D"]);
    let site = app.add_site("Brent L&D", "Wembley Police Custody Suite");
    let dob = local_time::local_date(app.state.now()) - Duration::days(16 * 365);
    let person = app.add_person("Sam", "Young", &dob.format("%Y-%m-%d").to_string(), &uid);
    let ep = app.add_episode(&person, &site, &uid, 5, true);
    app.sign_in_ok("pat").await;
    Setup { app, site, person, ep }
}

fn form_path(ep: &str) -> String {
    format!("/episodes/{ep}/safeguarding")
}

async fn record(app: &TestApp, ep: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let path = form_path(ep);
    app.submit(&path, &path, fields).await
}

const CHILD_CONCERN: [(&str, &str); 7] = [
    ("kind", "child"),
    ("agency", "Brent Children's Social Care"),
    ("raised-day", "3"),
    ("raised-month", "5"),
    ("raised-year", "2025"),
    ("agency_reference", "BCS-123"),
    ("outcome", ""),
];

fn concerns(app: &TestApp, ep: &str) -> Vec<liaison::safeguarding::Concern> {
    liaison::safeguarding::for_episode(&mut app.conn(), ep).unwrap()
}

async fn a_child_concern_flags_the_person_everywhere(db: Db) {
    let Setup { app, site, person, ep } = signed_in_with_youth_episode(db).await;
    let list = format!("/sites/{site}/list");
    assert!(
        !app.page(&list).await.1.contains(RED_SAFEGUARDING_TAG),
        "not flagged yet"
    );

    let (status, html) = app.page(&form_path(&ep)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains(r#"value="child" checked"#),
        "child preselected for an under-18"
    );
    assert!(html.contains(r#"id="raised-day""#) && html.contains(r#"id="raised-year""#));

    let res = record(&app, &ep, &CHILD_CONCERN).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), format!("/episodes/{ep}"));

    let saved = concerns(&app, &ep);
    assert_eq!(saved.len(), 1);
    let c = &saved[0];
    assert_eq!(
        (c.kind.as_str(), c.agency.as_str(), c.raised_on.iso().as_str()),
        ("child", "Brent Children's Social Care", "2025-05-03")
    );
    assert_eq!(c.agency_reference.as_deref(), Some("BCS-123"));
    assert_eq!(c.outcome, None, "a blank outcome is no outcome");
    assert!(app.episode(&ep).safeguarding, "episode flagged");

    assert!(
        app.page(&list).await.1.contains(RED_SAFEGUARDING_TAG),
        "flag on the live list"
    );
    let (_, person_page) = app.page(&format!("/people/{person}")).await;
    assert!(person_page.contains("Safeguarding concern<"), "{person_page}");
    let (_, episode_page) = app.page(&format!("/episodes/{ep}")).await;
    assert!(
        episode_page.contains(
            "Safeguarding concern (child) raised with Brent Children's Social Care on 3 May 2025, reference BCS-123"
        ),
        "timeline entry"
    );
    let created: Vec<_> = app
        .audit_rows("create")
        .into_iter()
        .filter(|r| r.record_type.as_deref() == Some("safeguarding-concern"))
        .collect();
    assert_eq!(created.len(), 1);
    assert_eq!(created[0].record_id.as_deref(), Some(c.id.as_str()));
    assert_eq!(created[0].outcome.code(), "allowed");

    let (_, html) = app.page(&form_path(&ep)).await;
    assert!(html.contains("Concerns already recorded") && html.contains("BCS-123"));
}

async fn bad_answers_are_refused_and_kept(db: Db) {
    let Setup { app, ep, .. } = signed_in_with_youth_episode(db).await;
    let tomorrow = local_time::local_date(app.state.now()) + Duration::days(1);
    let (day, month, year) = (
        tomorrow.format("%d").to_string(),
        tomorrow.format("%m").to_string(),
        tomorrow.format("%Y").to_string(),
    );
    let res = record(
        &app,
        &ep,
        &[
            ("kind", "adult"),
            ("agency", "  "),
            ("raised-day", &day),
            ("raised-month", &month),
            ("raised-year", &year),
            ("agency_reference", "REF-9"),
            ("outcome", "Awaiting a call back"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("There is a problem"));
    assert!(html.contains("Enter the agency the concern was raised with"));
    assert!(html.contains("Date raised must be today or in the past"));
    assert!(html.contains(r#"value="adult" checked"#), "choice kept");
    assert!(
        html.contains(&format!(r#"name="raised-day" value="{day}""#)),
        "date kept"
    );
    assert!(html.contains(r#"value="REF-9""#) && html.contains("Awaiting a call back"));

    let res = record(
        &app,
        &ep,
        &[
            ("kind", "child"),
            ("agency", "Brent Children's Social Care"),
            ("raised-day", "31"),
            ("raised-month", "2"),
            ("raised-year", "2025"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("Date raised must be a real date"));
    assert!(html.contains(r#"value="Brent Children's Social Care""#), "agency kept");

    let res = record(&app, &ep, &[("agency", "Brent Council")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("Select whether the concern is about an adult or a child"));
    assert!(html.contains("Enter the date the concern was raised"));

    assert_eq!(app.count("safeguarding_concerns"), 0, "nothing saved");
    assert!(!app.episode(&ep).safeguarding, "flag unchanged");
}

async fn the_outcome_and_reference_can_be_added_later(db: Db) {
    let Setup { app, ep, .. } = signed_in_with_youth_episode(db).await;
    let first = [
        ("kind", "child"),
        ("agency", "Brent Children's Social Care"),
        ("raised-day", "3"),
        ("raised-month", "May"),
        ("raised-year", "2025"),
    ];
    assert_eq!(record(&app, &ep, &first).await.status(), StatusCode::SEE_OTHER);
    let concern_id = concerns(&app, &ep)[0].id.clone();
    let path = format!("/episodes/{ep}/safeguarding/{concern_id}");

    let (status, html) = app.page(&path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Not recorded yet"));

    let too_long = "x".repeat(61);
    let res = app
        .submit(&path, &path, &[("agency_reference", &too_long), ("outcome", "Kept")])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("Agency reference number must be 60 characters or fewer"));
    assert!(html.contains("Kept"), "outcome kept");
    assert_eq!(concerns(&app, &ep)[0].outcome, None);

    let res = app
        .submit(
            &path,
            &path,
            &[
                ("agency_reference", "BCS-123"),
                ("outcome", "Strategy meeting arranged"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), format!("/episodes/{ep}"));
    let c = &concerns(&app, &ep)[0];
    assert_eq!(c.outcome.as_deref(), Some("Strategy meeting arranged"));
    assert_eq!(c.agency_reference.as_deref(), Some("BCS-123"));
    let (_, page) = app.page(&format!("/episodes/{ep}")).await;
    assert!(page.contains("Safeguarding outcome recorded: Strategy meeting arranged"));
    let updates: Vec<_> = app
        .audit_rows("update")
        .into_iter()
        .filter(|r| r.record_id.as_deref() == Some(concern_id.as_str()))
        .collect();
    assert_eq!(updates.len(), 1);
    assert_eq!(updates[0].record_type.as_deref(), Some("safeguarding-concern"));
    assert_eq!(updates[0].detail.as_deref(), Some("changed: outcome, agency reference"));

    // Saving the same answer again changes nothing and records nothing.
    let res = app
        .submit(
            &path,
            &path,
            &[
                ("agency_reference", "BCS-123"),
                ("outcome", "Strategy meeting arranged"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let again = app.audit_rows("update");
    assert_eq!(
        again
            .iter()
            .filter(|r| r.record_id.as_deref() == Some(concern_id.as_str()))
            .count(),
        1
    );

    // A concern is only reached through its own episode.
    let e = app.episode(&ep);
    let other = app.add_episode(&e.person_id, &e.site_id, &e.created_by, 5, true);
    let wrong = format!("/episodes/{other}/safeguarding/{concern_id}");
    assert_eq!(app.page(&wrong).await.0, StatusCode::NOT_FOUND);
}

async fn a_closed_episode_can_still_have_a_concern_recorded(db: Db) {
    let Setup { app, ep, .. } = signed_in_with_youth_episode(db).await;
    let page = format!("/episodes/{ep}");
    let res = app
        .submit(
            &page,
            &format!("{page}/close"),
            &[("outcome", "declined"), ("not_seen_reason", "declined")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.episode(&ep).status.code(), "closed");

    assert_eq!(app.page(&form_path(&ep)).await.0, StatusCode::OK);
    let res = record(&app, &ep, &CHILD_CONCERN).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let e = app.episode(&ep);
    assert!(e.safeguarding);
    assert_eq!(e.status.code(), "closed", "still closed");
}

async fn send_as_a_referral_links_to_the_safeguarding_services(db: Db) {
    let Setup { app, ep, .. } = signed_in_with_youth_episode(db).await;
    // Directory order is by organisation, so the adult service would come first unsorted.
    let adults = app.add_service(
        "Brent Adults and Communities",
        "Adult safeguarding hub",
        "adult-safeguarding",
        &["adults@brent.gov.uk"],
    );
    let mash = app.add_service(
        "Brent Children's Trust",
        "Multi-agency safeguarding hub",
        "childrens-safeguarding",
        &["mash@brent.gov.uk"],
    );
    let housing = app.add_service("Brent Housing", "Housing options", "housing", &["housing@brent.gov.uk"]);

    let (_, html) = app.page(&form_path(&ep)).await;
    assert!(html.contains("Send as a referral"));
    let mash_link = format!("/episodes/{ep}/referrals/new?services={mash}");
    let adults_link = format!("/episodes/{ep}/referrals/new?services={adults}");
    let (at_mash, at_adults) = (html.find(&mash_link), html.find(&adults_link));
    assert!(at_mash.is_some() && at_adults.is_some(), "{html}");
    assert!(at_mash < at_adults, "children's safeguarding first for a child concern");
    assert!(
        !html.contains(&format!("services={housing}")),
        "only safeguarding services"
    );

    let (status, form) = app.page(&mash_link).await;
    assert_eq!(status, StatusCode::OK, "the link opens the referral form");
    assert!(form.contains("Multi-agency safeguarding hub"));

    // On the outcome page of an adult concern, the adult service comes first.
    let adult = [
        ("kind", "adult"),
        ("agency", "Brent Adult Social Care"),
        ("raised-day", "3"),
        ("raised-month", "5"),
        ("raised-year", "2025"),
    ];
    assert_eq!(record(&app, &ep, &adult).await.status(), StatusCode::SEE_OTHER);
    let concern_id = concerns(&app, &ep)[0].id.clone();
    let (_, html) = app.page(&format!("/episodes/{ep}/safeguarding/{concern_id}")).await;
    assert!(html.find(&adults_link) < html.find(&mash_link) && html.contains(&mash_link));
}

async fn another_team_cannot_see_or_record_concerns(db: Db) {
    let Setup { app, ep, .. } = signed_in_with_youth_episode(db).await;
    assert_eq!(record(&app, &ep, &CHILD_CONCERN).await.status(), StatusCode::SEE_OTHER);
    let concern_id = concerns(&app, &ep)[0].id.clone();
    let concern_path = format!("/episodes/{ep}/safeguarding/{concern_id}");

    app.add_user("lee", Role::Practitioner, &["Harrow L&D"]);
    let other = app.another_client();
    other.sign_in_ok("lee").await;
    let denied_before = denied_views(&app, &ep);
    assert_eq!(other.page(&form_path(&ep)).await.0, StatusCode::FORBIDDEN);
    let res = other.submit("/", &form_path(&ep), &CHILD_CONCERN).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(other.page(&concern_path).await.0, StatusCode::FORBIDDEN);
    let res = other
        .submit("/", &concern_path, &[("outcome", "Closed by the agency")])
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    assert_eq!(denied_views(&app, &ep), denied_before + 4, "each refusal audited");
    assert_eq!(concerns(&app, &ep).len(), 1, "nothing added");
    assert_eq!(concerns(&app, &ep)[0].outcome, None, "nothing changed");
}

/// Refusals of views and of changes alike.
fn denied_views(app: &TestApp, ep: &str) -> usize {
    app.audit_rows("")
        .iter()
        .filter(|r| r.outcome.code() == "denied" && r.record_id.as_deref() == Some(ep))
        .count()
}
