//! Intake with duplicate detection, the episode page, actions and the timeline.

use liaison::domain::Role;
use reqwest::StatusCode;

use crate::both_databases;
use crate::harness::{Db, TestApp, location};

both_databases!(
    search_finds_people_tolerantly_and_explains_why,
    intake_validates_and_records_one_episode,
    another_teams_episode_is_refused_and_audited,
    actions_follow_the_transition_table,
    timeline_entries_are_appended_and_corrections_point_back,
    an_unknown_stored_status_fails_loudly,
);

async fn search_finds_people_tolerantly_and_explains_why(db: Db) {
    let app = TestApp::spawn(db).await;
    let uid = app.add_user("pat", Role::Practitioner, &["Brent L&D"]);
    app.add_person("Siobhán", "O'Brien-Kelly", "1990-03-27", &uid);
    app.add_person("Robert", "Smith", "1985-01-02", &uid);
    app.sign_in_ok("pat").await;
    let search = |q: &str| format!("/people/search?{q}");
    let (status, html) = app
        .page(&search(
            "given_name=siobhan&family_name=obrien+kelly&dob-day=27&dob-month=3&dob-year=1990",
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("O&#39;BRIEN-KELLY, Siobhán") || html.contains("O'BRIEN-KELLY, Siobhán"),
        "{html}"
    );
    assert!(html.contains("Name and date of birth match"));
    let (_, html) = app
        .page(&search(
            "given_name=Smith&family_name=Bob&dob-day=2&dob-month=1&dob-year=1985",
        ))
        .await;
    assert!(html.contains("first and last names are swapped"), "{html}");
    let (_, html) = app
        .page(&search(
            "given_name=Bob&family_name=Smyth&dob-day=2&dob-month=1&dob-year=1985",
        ))
        .await;
    assert!(html.contains("spelled slightly differently"), "{html}");
    let (_, html) = app
        .page(&search(
            "given_name=Robert&family_name=Smith&dob-day=3&dob-month=1&dob-year=1985",
        ))
        .await;
    assert!(html.contains("0 possible matches"), "{html}");
    let (status, html) = app.page(&search("nhs_number=1234567890")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("There is a problem"));
    let searches = app.audit_rows("search");
    assert_eq!(searches.len(), 4, "each search is audited");
}

async fn intake_validates_and_records_one_episode(db: Db) {
    let app = TestApp::spawn(db).await;
    let uid = app.add_user("pat", Role::Practitioner, &["Brent L&D"]);
    let site = app.add_site("Brent L&D", "Wembley Police Custody Suite");
    let person = app.add_person("Jo", "Bloggs", "2010-06-01", &uid);
    app.sign_in_ok("pat").await;
    let form_page = format!("/episodes/new?person={person}");
    let res = app
        .submit(
            &form_page,
            "/episodes",
            &[
                ("person", &person),
                ("site_id", &site),
                ("alert_at", "soon"),
                ("concern", ""),
                ("location", "Cell 4"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    for message in [
        "Enter the date and time of the alert",
        "Select who raised the concern",
        "Enter the concern raised",
    ] {
        assert!(html.contains(message), "{message}");
    }
    assert!(html.contains(r#"value="Cell 4""#), "answers kept");
    assert_eq!(app.count("episodes"), 0);

    let alert = liaison::domain::local_time::local_input_value(app.state.now() - 10 * 60_000);
    let fields = [
        ("person", person.as_str()),
        ("site_id", &site),
        ("cj_stage", "pre-charge"),
        ("alert_at", &alert),
        ("referral_source", "E1"),
        ("concern", "Crying in cell"),
        ("location", "Cell 4"),
    ];
    let res = app.submit(&form_page, "/episodes", &fields).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let episode_path = location(&res);
    let again = app.submit(&form_page, "/episodes", &fields).await;
    assert_eq!(
        location(&again),
        episode_path,
        "a double submit returns the same episode"
    );
    assert_eq!(app.count("episodes"), 1);
    let id = episode_path.trim_start_matches("/episodes/");
    assert!(app.episode(id).youth, "16 at the alert: a youth");
    let (_, page) = app.page(&episode_path).await;
    assert!(page.contains("Under 18") && page.contains("Crying in cell") && page.contains("Start screening"));
}

async fn another_teams_episode_is_refused_and_audited(db: Db) {
    let app = TestApp::spawn(db).await;
    let uid = app.add_user("pat", Role::Practitioner, &["Brent L&D"]);
    app.add_user("lee", Role::Practitioner, &["Harrow L&D"]);
    app.add_user("kim", Role::Analyst, &["Brent L&D"]);
    let site = app.add_site("Brent L&D", "Wembley Police Custody Suite");
    let person = app.add_person("Jo", "Bloggs", "1990-06-01", &uid);
    let ep = app.add_episode(&person, &site, &uid, 5, false);
    app.sign_in_ok("lee").await;
    let (status, body) = app.page(&format!("/episodes/{ep}")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(!body.contains("Bloggs"));
    let res = app
        .client
        .get(app.url(&format!("/episodes/{ep}")))
        .header("HX-Request", "true")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let analyst = app.another_client();
    analyst.sign_in_ok("kim").await;
    assert_eq!(
        analyst.page(&format!("/episodes/{ep}")).await.0,
        StatusCode::FORBIDDEN,
        "analysts see no identifiable record"
    );
    let denied: Vec<_> = app
        .audit_rows("view")
        .into_iter()
        .filter(|r| r.outcome.code() == "denied" && r.record_id.as_deref() == Some(ep.as_str()))
        .collect();
    assert_eq!(denied.len(), 3);
}

async fn actions_follow_the_transition_table(db: Db) {
    let app = TestApp::spawn(db).await;
    let uid = app.add_user("pat", Role::Practitioner, &["Brent L&D"]);
    let site = app.add_site("Brent L&D", "Wembley Police Custody Suite");
    let person = app.add_person("Jo", "Bloggs", "1990-06-01", &uid);
    let ep = app.add_episode(&person, &site, &uid, 5, false);
    app.sign_in_ok("pat").await;
    let path = format!("/episodes/{ep}");
    let actions = format!("{path}/actions");
    let res = app.submit(&path, &actions, &[("action", "start-assessment")]).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(res.text().await.unwrap().contains("You cannot"), "a clear refusal");
    assert_eq!(app.episode(&ep).status.code(), "waiting", "nothing changed");

    let res = app.submit(&path, &actions, &[("action", "start-screening")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let e = app.episode(&ep);
    assert_eq!(e.status.code(), "in-screening");
    assert!(e.screening_started_at.is_some());
    assert_eq!(e.allocated_to.as_deref(), Some(uid.as_str()), "starting allocates");
    let (_, page) = app.page(&path).await;
    assert!(
        page.contains("Status changed from waiting for screening to in screening"),
        "on the timeline"
    );
    assert!(
        app.audit_rows("update")
            .iter()
            .any(|r| r.record_id.as_deref() == Some(ep.as_str()))
    );
    assert!(
        app.audit_rows("view")
            .iter()
            .any(|r| r.record_id.as_deref() == Some(ep.as_str()) && r.outcome.code() == "allowed")
    );
}

async fn timeline_entries_are_appended_and_corrections_point_back(db: Db) {
    let app = TestApp::spawn(db).await;
    let uid = app.add_user("pat", Role::Practitioner, &["Brent L&D"]);
    let site = app.add_site("Brent L&D", "Wembley Police Custody Suite");
    let person = app.add_person("Jo", "Bloggs", "1990-06-01", &uid);
    let ep = app.add_episode(&person, &site, &uid, 5, false);
    app.sign_in_ok("pat").await;
    let path = format!("/episodes/{ep}");
    let post = format!("{path}/timeline");
    let res = app
        .submit(
            &path,
            &post,
            &[("kind", "judgement"), ("body", "Calmer after custody nurse review")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = app.submit(&path, &post, &[("kind", "note"), ("body", "  ")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Enter what happened"));
    let entries = liaison::records::timeline::for_episode(&mut app.conn(), &ep).unwrap();
    assert_eq!(entries.len(), 1);
    let first = entries[0].id.clone();
    let res = app
        .submit(
            &path,
            &post,
            &[
                ("kind", "note"),
                ("body", "It was the forensic medical examiner, not the nurse"),
                ("corrects", &first),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let entries = liaison::records::timeline::for_episode(&mut app.conn(), &ep).unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0].kind.code(), "correction");
    assert_eq!(entries[0].corrects_id.as_deref(), Some(first.as_str()));
    assert_eq!(
        entries[1].body, "Calmer after custody nurse review",
        "the original is untouched"
    );
    let (_, page) = app.page(&path).await;
    assert!(page.contains("Corrects"));
    let mut conn = app.conn();
    use diesel::RunQueryDsl;
    assert!(
        diesel::sql_query("UPDATE timeline_entries SET body = 'x'")
            .execute(&mut *conn)
            .is_err(),
        "the database refuses edits"
    );
}

/// A status the code does not know is an error with a reference, never read as "waiting".
async fn an_unknown_stored_status_fails_loudly(db: Db) {
    use diesel::prelude::*;
    use liaison::db::schema::episodes;
    let app = TestApp::spawn(db).await;
    let uid = app.add_user("pat", Role::Practitioner, &["Brent L&D"]);
    let site = app.add_site("Brent L&D", "Wembley Police Custody Suite");
    let person = app.add_person("Jo", "Bloggs", "1990-06-01", &uid);
    let ep = app.add_episode(&person, &site, &uid, 5, false);
    diesel::update(episodes::table.find(&ep))
        .set(episodes::status.eq("waiting-for-godot"))
        .execute(&mut app.conn())
        .unwrap();
    app.sign_in_ok("pat").await;
    let (status, html) = app.page(&format!("/episodes/{ep}")).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(html.contains("tell the service desk this reference"));
    assert!(!html.contains("Waiting for screening") && !html.contains("waiting-for-godot"));
}
