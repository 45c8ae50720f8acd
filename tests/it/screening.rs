//! Screening: validation, the status it leads to, the flags it sets, and the appropriate adult
//! a young person must have first.

use liaison::domain::Role;
use reqwest::StatusCode;

use crate::both_databases;
use crate::harness::{Db, TestApp, location};

both_databases!(
    adult_screening_sets_flags_and_moves_on_by_outcome,
    invalid_screening_is_shown_again_and_nothing_is_saved,
    youth_screening_needs_an_appropriate_adult_first,
    screening_is_refused_unless_the_episode_is_in_screening,
    appropriate_adult_is_refused_for_an_adult,
    another_team_cannot_screen,
    a_recorded_concern_cannot_be_unticked_away,
);

/// A practitioner of Brent L&D signed in, with an episode for a person born on `dob`.
async fn signed_in_with_episode(db: Db, dob: &str, youth: bool) -> (TestApp, String, String) {
    let app = TestApp::spawn(db).await;
    let uid = app.add_user("pat", Role::Practitioner, &["Brent L&D"]);
    let site = app.add_site("Brent L&D", "Wembley Police Custody Suite");
    let person = app.add_person("Jo", "Bloggs", dob, &uid);
    let ep = app.add_episode(&person, &site, &uid, 5, youth);
    app.sign_in_ok("pat").await;
    (app, uid, ep)
}

async fn start_screening(app: &TestApp, ep: &str) {
    let path = format!("/episodes/{ep}");
    let res = app
        .submit(&path, &format!("{path}/actions"), &[("action", "start-screening")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
}

const GOOD_SCREENING: &[(&str, &str)] = &[
    ("consent", "given"),
    ("vulnerabilities", "mental-health"),
    ("vulnerabilities", "alcohol-misuse"),
    ("presenting_concerns", "Low mood, says he has not slept for days"),
    ("risks", "self"),
    ("risks", "from-others"),
    ("safeguarding", "yes"),
    ("outcome", "full-assessment-needed"),
];

fn with_outcome(outcome: &'static str) -> Vec<(&'static str, &'static str)> {
    GOOD_SCREENING
        .iter()
        .map(|&(k, v)| if k == "outcome" { (k, outcome) } else { (k, v) })
        .collect()
}

async fn adult_screening_sets_flags_and_moves_on_by_outcome(db: Db) {
    let (app, uid, ep) = signed_in_with_episode(db, "1990-06-01", false).await;
    start_screening(&app, &ep).await;
    let form = format!("/episodes/{ep}/screening");
    let (status, html) = app.page(&form).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Record screening") && !html.contains("Appropriate adult"),
        "{html}"
    );
    assert!(
        app.audit_rows("view")
            .iter()
            .any(|r| r.detail.as_deref() == Some("screening form") && r.record_id.as_deref() == Some(ep.as_str()))
    );

    let res = app.submit(&form, &form, GOOD_SCREENING).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), format!("/episodes/{ep}"));
    let e = app.episode(&ep);
    assert_eq!(e.status.code(), "awaiting-assessment");
    assert!(e.screened_at.is_some());
    assert!(e.risk_to_self && !e.risk_to_others && e.risk_from_others && e.safeguarding);
    let saved = liaison::episodes::screening::find(&mut app.conn(), &ep)
        .unwrap()
        .unwrap();
    assert_eq!(saved.vulnerabilities, "mental-health,alcohol-misuse");
    assert_eq!(saved.consent, "given");
    assert_eq!(saved.completed_by, uid);
    let (_, page) = app.page(&format!("/episodes/{ep}")).await;
    assert!(
        page.contains("Status changed from in screening to awaiting assessment: Full assessment needed"),
        "on the timeline"
    );
    assert!(
        app.audit_rows("create")
            .iter()
            .any(|r| r.record_type.as_deref() == Some("screening") && r.record_id.as_deref() == Some(ep.as_str()))
    );
    assert_eq!(
        app.page(&form).await.0,
        StatusCode::CONFLICT,
        "a screening is recorded once"
    );

    let person = app.add_person("Sam", "Jones", "1980-01-01", &uid);
    let site = app.episode(&ep).site_id;
    let other = app.add_episode(&person, &site, &uid, 5, false);
    start_screening(&app, &other).await;
    let form = format!("/episodes/{other}/screening");
    let res = app.submit(&form, &form, &with_outcome("signposted")).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.episode(&other).status.code(), "screened");
}

async fn invalid_screening_is_shown_again_and_nothing_is_saved(db: Db) {
    let (app, _, ep) = signed_in_with_episode(db, "1990-06-01", false).await;
    start_screening(&app, &ep).await;
    let form = format!("/episodes/{ep}/screening");
    let long = "x".repeat(4001);
    let res = app
        .submit(
            &form,
            &form,
            &[
                ("vulnerabilities", "accommodation"),
                ("presenting_concerns", &long),
                ("risks", "others"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    for message in [
        "There is a problem",
        "Select whether the person consented to screening",
        "Presenting concerns must be 4000 characters or fewer",
        "Select the outcome of the screening",
    ] {
        assert!(html.contains(message), "{message}");
    }
    assert!(
        html.contains(r#"value="accommodation" checked"#),
        "ticked vulnerability kept"
    );
    assert!(html.contains(r#"value="others" checked"#), "ticked risk kept");
    assert!(html.contains(&long), "text kept");

    let res = app
        .submit(
            &form,
            &form,
            &[
                ("consent", "given"),
                ("presenting_concerns", "  "),
                ("outcome", "declined"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("Enter the presenting concerns"));
    assert!(html.contains(r#"value="declined" checked"#), "chosen outcome kept");

    assert_eq!(app.count("screenings"), 0);
    let e = app.episode(&ep);
    assert_eq!(e.status.code(), "in-screening");
    assert!(!e.risk_to_others && e.screened_at.is_none());
}

async fn youth_screening_needs_an_appropriate_adult_first(db: Db) {
    let (app, _, ep) = signed_in_with_episode(db, "2011-02-03", true).await;
    start_screening(&app, &ep).await;
    let form = format!("/episodes/{ep}/screening");
    let (_, html) = app.page(&form).await;
    for text in [
        "No appropriate adult is recorded yet",
        "Youth offending team (YOT)",
        "CAMHS",
        "Children&#39;s safeguarding",
    ] {
        assert!(
            html.contains(text) || html.contains(&text.replace("&#39;", "'")),
            "{text}"
        );
    }

    let res = app.submit(&form, &form, GOOD_SCREENING).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("Record an appropriate adult before completing screening for someone under 18"));
    assert!(
        html.contains(r##"href="#appropriate_adult""##),
        "the summary links to the panel"
    );
    assert!(
        html.contains("Low mood, says he has not slept for days"),
        "answers kept"
    );
    assert_eq!(app.count("screenings"), 0);
    assert_eq!(app.episode(&ep).status.code(), "in-screening");

    let adult = format!("/episodes/{ep}/appropriate-adult");
    let res = app
        .submit(
            &adult,
            &adult,
            &[("name", ""), ("relationship", "aunt"), ("phone", "call me")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    for message in [
        "Enter the appropriate adult&#39;s name",
        "Select who the appropriate adult is to the young person",
        "Enter a phone number, like",
        "Select whether the appropriate adult is present now",
    ] {
        assert!(
            html.contains(message) || html.contains(&message.replace("&#39;", "'")),
            "{message}"
        );
    }
    assert_eq!(app.count("appropriate_adults"), 0);

    let res = app
        .submit(
            &adult,
            &adult,
            &[
                ("name", "Mary Bloggs"),
                ("relationship", "parent"),
                ("phone", "07700 900 982"),
                ("present", "yes"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), form, "back to the screening");
    let (_, html) = app.page(&form).await;
    assert!(
        html.contains("Mary Bloggs") && html.contains("07700 900 982") && html.contains("Change the appropriate adult")
    );
    assert!(
        app.audit_rows("create")
            .iter()
            .any(|r| r.record_type.as_deref() == Some("appropriate-adult"))
    );

    let res = app.submit(&form, &form, GOOD_SCREENING).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.episode(&ep).status.code(), "awaiting-assessment");
    let (_, page) = app.page(&format!("/episodes/{ep}")).await;
    assert!(page.contains("Appropriate adult recorded: Mary Bloggs (parent), present"));
}

async fn screening_is_refused_unless_the_episode_is_in_screening(db: Db) {
    let (app, _, ep) = signed_in_with_episode(db, "1990-06-01", false).await;
    let form = format!("/episodes/{ep}/screening");
    let (status, html) = app.page(&form).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(html.contains("Start screening before recording it"));
    let res = app.submit(&format!("/episodes/{ep}"), &form, GOOD_SCREENING).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert_eq!(app.count("screenings"), 0);
    assert_eq!(app.episode(&ep).status.code(), "waiting");
}

async fn appropriate_adult_is_refused_for_an_adult(db: Db) {
    let (app, _, ep) = signed_in_with_episode(db, "1990-06-01", false).await;
    let adult = format!("/episodes/{ep}/appropriate-adult");
    let (status, html) = app.page(&adult).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(html.contains("only recorded for someone who was under 18"));
    let res = app
        .submit(
            &format!("/episodes/{ep}"),
            &adult,
            &[
                ("name", "Mary Bloggs"),
                ("relationship", "parent"),
                ("phone", "07700 900 982"),
                ("present", "yes"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert_eq!(app.count("appropriate_adults"), 0);
}

async fn another_team_cannot_screen(db: Db) {
    let (app, _, ep) = signed_in_with_episode(db, "1990-06-01", false).await;
    start_screening(&app, &ep).await;
    app.add_user("lee", Role::Practitioner, &["Harrow L&D"]);
    let other = app.another_client();
    other.sign_in_ok("lee").await;
    let form = format!("/episodes/{ep}/screening");
    let (status, body) = other.page(&form).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(!body.contains("Bloggs"));
    let res = other.submit("/", &form, GOOD_SCREENING).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        other.page(&format!("/episodes/{ep}/appropriate-adult")).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(app.count("screenings"), 0);
    assert!(
        app.audit_rows("view")
            .iter()
            .any(|r| r.outcome.code() == "denied" && r.record_id.as_deref() == Some(ep.as_str()))
    );
}

async fn a_recorded_concern_cannot_be_unticked_away(db: Db) {
    let (app, _, ep) = signed_in_with_episode(db, "1990-06-01", false).await;
    let page = format!("/episodes/{ep}");
    start_screening(&app, &ep).await;
    let concern = format!("/episodes/{ep}/safeguarding");
    let res = app
        .submit(
            &concern,
            &concern,
            &[
                ("kind", "adult"),
                ("agency", "Brent Adult Social Care"),
                ("raised-day", "3"),
                ("raised-month", "5"),
                ("raised-year", "2025"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(app.episode(&ep).safeguarding, "recording a concern flags the episode");

    // The screening form comes pre-ticked; unticking it is refused at the box, nothing saved.
    let form = format!("/episodes/{ep}/screening");
    let (_, html) = app.page(&form).await;
    assert!(html.contains(r#"name="safeguarding" value="yes" checked"#), "{html}");
    let unticked: Vec<_> = GOOD_SCREENING
        .iter()
        .copied()
        .filter(|(k, _)| *k != "safeguarding")
        .collect();
    let res = app.submit(&form, &form, &unticked).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = res.text().await.unwrap();
    assert!(
        refused.contains("A safeguarding concern is recorded for this episode, so keep this box ticked"),
        "{refused}"
    );
    assert!(refused.contains(r##"href="#safeguarding""##));
    let e = app.episode(&ep);
    assert!(e.safeguarding && e.screened_at.is_none(), "nothing saved");
    let (_, shown) = app.page(&page).await;
    assert!(!shown.contains("No safeguarding concerns recorded"));
    assert!(shown.contains("Safeguarding concern (adult) – Brent Adult Social Care"));
}
