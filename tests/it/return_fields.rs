//! What a commissioner return needs, captured in the journeys practitioners already use: the
//! criminal justice stage at intake, why a person was not seen when an episode closes before
//! screening, and vulnerabilities from the shared list with "none identified" on its own.

use liaison::domain::Role;
use reqwest::StatusCode;

use crate::both_databases;
use crate::harness::{Db, TestApp, location};
use crate::input::shown_at_field;

both_databases!(
    intake_stores_the_stage_and_refuses_an_unknown_one,
    closing_an_unseen_episode_asks_why_the_person_was_not_seen,
    a_screened_episode_closes_without_the_question,
    none_identified_cannot_be_ticked_with_a_vulnerability,
);

struct Scene {
    app: TestApp,
    uid: String,
    site: String,
    person: String,
}

async fn signed_in(db: Db) -> Scene {
    let app = TestApp::spawn(db).await;
    let uid = app.add_user("pat", Role::Practitioner, &["Brent L&D"]);
    let site = app.add_site("Brent L&D", "Wembley Police Custody Suite");
    let person = app.add_person("Jo", "Bloggs", "1990-06-01", &uid);
    app.sign_in_ok("pat").await;
    Scene { app, uid, site, person }
}

async fn intake_stores_the_stage_and_refuses_an_unknown_one(db: Db) {
    let Scene { app, site, person, .. } = signed_in(db).await;
    let form = format!("/episodes/new?person={person}");
    let (_, html) = app.page(&form).await;
    assert!(html.contains("Criminal justice stage"));
    assert!(
        html.contains(r#"<option value="pre-charge" selected>Pre-charge</option>"#),
        "custody starts before charge"
    );

    let alert = liaison::domain::local_time::local_input_value(app.state.now() - 10 * 60_000);
    let mut fields = vec![
        ("person", person.as_str()),
        ("site_id", site.as_str()),
        ("cj_stage", "acquitted"),
        ("alert_at", alert.as_str()),
        ("referral_source", "E1"),
        ("concern", "Crying in cell"),
        ("location", "Cell 4"),
    ];
    let res = app.submit(&form, "/episodes", &fields).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(
        shown_at_field(&html, "cj_stage", "Select the criminal justice stage"),
        "{html}"
    );
    assert!(
        html.contains("Crying in cell") && html.contains(r#"value="Cell 4""#),
        "answers kept"
    );
    assert_eq!(app.count("episodes"), 0, "nothing saved");

    fields[2] = ("cj_stage", "post-plea-pre-sentence");
    let res = app.submit(&form, "/episodes", &fields).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let path = location(&res);
    let id = path.trim_start_matches("/episodes/");
    assert_eq!(app.episode(id).cj_stage.as_deref(), Some("post-plea-pre-sentence"));
    let (_, page) = app.page(&path).await;
    assert!(page.contains("Criminal justice stage") && page.contains("After plea, before sentence"));

    // At a court the form starts after charge.
    let court_user = app.add_user("cal", Role::Practitioner, &["Harrow L&D"]);
    app.add_court("Harrow L&D", "Harrow Magistrates Court");
    let theirs = app.add_person("Al", "Court", "1985-01-01", &court_user);
    let cal = app.another_client();
    cal.sign_in_ok("cal").await;
    let (_, html) = cal.page(&format!("/episodes/new?person={theirs}")).await;
    assert!(
        html.contains(r#"<option value="post-charge-pre-plea" selected>"#),
        "{html}"
    );
}

async fn close(app: &TestApp, ep: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let page = format!("/episodes/{ep}");
    app.submit(&page, &format!("{page}/close"), fields).await
}

async fn closing_an_unseen_episode_asks_why_the_person_was_not_seen(db: Db) {
    let Scene { app, uid, site, person } = signed_in(db).await;
    let ep = app.add_episode(&person, &site, &uid, 30, false);
    let (_, html) = app.page(&format!("/episodes/{ep}/close")).await;
    assert!(html.contains("Why was the person not seen?"));
    assert!(html.contains("No cover or out of hours"));

    let res = close(&app, &ep, &[("outcome", "released-before-seen"), ("note", "Bailed")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(shown_at_field(
        &html,
        "not_seen_reason",
        "Select why the person was not seen"
    ));
    assert!(html.contains(r#"value="released-before-seen" checked"#), "outcome kept");
    let res = close(&app, &ep, &[("outcome", "declined"), ("not_seen_reason", "bored")]).await;
    assert_eq!(
        res.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "not a reason on the list"
    );
    let e = app.episode(&ep);
    assert_eq!(e.status.code(), "waiting", "still open");
    assert!(e.closed_at.is_none() && e.not_seen_reason.is_none());

    let res = close(
        &app,
        &ep,
        &[
            ("outcome", "other"),
            ("note", "Nobody on shift"),
            ("not_seen_reason", "no-cover"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let e = app.episode(&ep);
    assert_eq!(e.status.code(), "closed");
    assert_eq!(e.not_seen_reason.as_deref(), Some("no-cover"));
    let (_, page) = app.page(&format!("/episodes/{ep}")).await;
    assert!(page.contains("Why the person was not seen") && page.contains("No cover or out of hours"));
    assert!(page.contains("Other – Nobody on shift. Not seen: no cover or out of hours"));
    assert!(
        app.audit_rows("update")
            .iter()
            .any(|r| r.record_id.as_deref() == Some(ep.as_str())
                && r.detail.as_deref() == Some("closed: other; not seen: no-cover"))
    );
}

async fn start_screening(app: &TestApp, ep: &str) {
    let path = format!("/episodes/{ep}");
    let res = app
        .submit(&path, &format!("{path}/actions"), &[("action", "start-screening")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
}

async fn a_screened_episode_closes_without_the_question(db: Db) {
    let Scene { app, uid, site, person } = signed_in(db).await;
    let ep = app.add_episode(&person, &site, &uid, 30, false);
    start_screening(&app, &ep).await;
    let (_, html) = app.page(&format!("/episodes/{ep}/close")).await;
    assert!(html.contains("Why is the episode being closed?"));
    assert!(!html.contains("Why was the person not seen?"), "screening has started");

    // A reason sent anyway is not stored: the person was seen.
    let fields = [("outcome", "declined"), ("not_seen_reason", "declined")];
    assert_eq!(close(&app, &ep, &fields).await.status(), StatusCode::SEE_OTHER);
    let e = app.episode(&ep);
    assert_eq!(e.status.code(), "closed");
    assert!(e.not_seen_reason.is_none());
    let (_, page) = app.page(&format!("/episodes/{ep}")).await;
    assert!(!page.contains("Why the person was not seen"));
}

async fn none_identified_cannot_be_ticked_with_a_vulnerability(db: Db) {
    let Scene { app, uid, site, person } = signed_in(db).await;
    let ep = app.add_episode(&person, &site, &uid, 30, false);
    start_screening(&app, &ep).await;
    let form = format!("/episodes/{ep}/screening");
    let mut fields = vec![
        ("consent", "given"),
        ("vulnerabilities", "none-identified"),
        ("vulnerabilities", "drug-misuse"),
        ("presenting_concerns", "Calm, coherent, no concerns found"),
        ("outcome", "no-further-action"),
    ];
    let res = app.submit(&form, &form, &fields).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    let both = "Select either the vulnerabilities found or none identified, not both";
    assert!(shown_at_field(&html, "vulnerabilities", both), "{html}");
    assert!(html.contains(r#"value="drug-misuse" checked"#) && html.contains(r#"value="none-identified" checked"#));
    assert!(html.contains("Calm, coherent, no concerns found"), "answers kept");

    fields.retain(|(k, _)| *k != "vulnerabilities");
    let res = app.submit(&form, &form, &fields).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    let missing = "Select the vulnerabilities found, or none identified";
    assert!(shown_at_field(&html, "vulnerabilities", missing));
    assert_eq!(app.count("screenings"), 0, "nothing saved");
    assert_eq!(app.episode(&ep).status.code(), "in-screening");

    fields.push(("vulnerabilities", "none-identified"));
    assert_eq!(app.submit(&form, &form, &fields).await.status(), StatusCode::SEE_OTHER);
    let (_, page) = app.page(&format!("/episodes/{ep}")).await;
    assert!(page.contains("None identified"));
}
