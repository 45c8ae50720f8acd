//! Closing an episode with an outcome, and reopening it where the pathway left off.

use liaison::domain::Role;
use reqwest::StatusCode;

use crate::both_databases;
use crate::harness::{Db, TestApp, location};

both_databases!(
    closing_records_the_outcome_and_the_time,
    other_needs_a_note_and_a_closed_episode_cannot_be_closed_again,
    reopening_resumes_where_the_episode_left_off,
    another_team_cannot_close,
);

async fn signed_in_with_episode(db: Db) -> (TestApp, String) {
    let app = TestApp::spawn(db).await;
    let uid = app.add_user("pat", Role::Practitioner, &["Brent L&D"]);
    let site = app.add_site("Brent L&D", "Wembley Police Custody Suite");
    let person = app.add_person("Jo", "Bloggs", "1990-06-01", &uid);
    let ep = app.add_episode(&person, &site, &uid, 5, false);
    app.sign_in_ok("pat").await;
    (app, ep)
}

async fn close(app: &TestApp, ep: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let page = format!("/episodes/{ep}");
    app.submit(&page, &format!("{page}/close"), fields).await
}

async fn closing_records_the_outcome_and_the_time(db: Db) {
    let (app, ep) = signed_in_with_episode(db).await;
    let (status, html) = app.page(&format!("/episodes/{ep}/close")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Closing ends this contact"), "says what closing does");

    let res = close(
        &app,
        &ep,
        &[
            ("outcome", "released-before-seen"),
            ("note", "Bailed at 14:00"),
            ("not_seen_reason", "released-before-seen"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), format!("/episodes/{ep}"));
    let e = app.episode(&ep);
    assert_eq!(e.status.code(), "closed");
    assert!(e.closed_at.is_some());
    assert_eq!(e.closure_outcome.as_deref(), Some("released-before-seen"));
    assert_eq!(e.closure_note.as_deref(), Some("Bailed at 14:00"));
    let (_, page) = app.page(&format!("/episodes/{ep}")).await;
    assert!(page.contains("Released before seen – Bailed at 14:00"), "{page}");
    assert!(page.contains("Status changed from waiting for screening to closed: Released before seen"));
    assert!(
        app.audit_rows("update")
            .iter()
            .any(|r| r.record_id.as_deref() == Some(ep.as_str())
                && r.detail.as_deref() == Some("closed: released-before-seen; not seen: released-before-seen"))
    );
}

async fn other_needs_a_note_and_a_closed_episode_cannot_be_closed_again(db: Db) {
    let (app, ep) = signed_in_with_episode(db).await;
    let res = close(&app, &ep, &[("outcome", "other"), ("note", " ")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("Enter why the episode is being closed"));
    assert!(html.contains(r#"value="other" checked"#), "choice kept");
    let res = close(&app, &ep, &[]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Select why the episode is being closed")
    );
    assert_eq!(app.episode(&ep).status.code(), "waiting", "nothing changed");

    let res = close(
        &app,
        &ep,
        &[
            ("outcome", "other"),
            ("note", "Moved to Scotland"),
            ("not_seen_reason", "transferred"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = close(&app, &ep, &[("outcome", "declined")]).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(res.text().await.unwrap().contains("This episode is already closed"));
    assert_eq!(app.page(&format!("/episodes/{ep}/close")).await.0, StatusCode::CONFLICT);
    assert_eq!(app.episode(&ep).closure_outcome.as_deref(), Some("other"));
}

async fn reopening_resumes_where_the_episode_left_off(db: Db) {
    let (app, ep) = signed_in_with_episode(db).await;
    let page = format!("/episodes/{ep}");
    let reopen = format!("{page}/reopen");
    assert_eq!(app.page(&reopen).await.0, StatusCode::CONFLICT, "an open episode");

    // Screened with "full assessment needed", then closed: it resumes awaiting assessment.
    let res = app
        .submit(&page, &format!("{page}/actions"), &[("action", "start-screening")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let screening = format!("{page}/screening");
    let res = app
        .submit(
            &screening,
            &screening,
            &[
                ("consent", "given"),
                ("vulnerabilities", "mental-health"),
                ("presenting_concerns", "Hearing voices"),
                ("outcome", "full-assessment-needed"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        close(&app, &ep, &[("outcome", "declined")]).await.status(),
        StatusCode::SEE_OTHER
    );

    let (status, html) = app.page(&reopen).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("awaiting assessment"), "says where it resumes");
    let res = app.submit(&reopen, &reopen, &[("reason", "  ")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Enter why the episode is being reopened")
    );
    assert_eq!(app.episode(&ep).status.code(), "closed");

    let res = app
        .submit(&reopen, &reopen, &[("reason", "Now willing to be assessed")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), page);
    let e = app.episode(&ep);
    assert_eq!(e.status.code(), "awaiting-assessment");
    assert!(e.closed_at.is_none() && e.closure_outcome.is_none());
    let (_, html) = app.page(&page).await;
    assert!(html.contains("Status changed from closed to awaiting assessment: Now willing to be assessed"));

    // Never screened: it resumes waiting.
    let ep2 = {
        let e = app.episode(&ep);
        app.add_episode(&e.person_id, &e.site_id, &e.created_by, 5, false)
    };
    assert_eq!(
        close(&app, &ep2, &[("outcome", "declined"), ("not_seen_reason", "declined")])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(app.episode(&ep2).not_seen_reason.as_deref(), Some("declined"));
    let reopen2 = format!("/episodes/{ep2}/reopen");
    let res = app
        .submit(&reopen2, &reopen2, &[("reason", "Changed their mind")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let e2 = app.episode(&ep2);
    assert_eq!(e2.status.code(), "waiting");
    assert!(e2.not_seen_reason.is_none(), "the reason goes with the closure");
    assert!(
        app.audit_rows("update")
            .iter()
            .any(|r| r.record_id.as_deref() == Some(ep2.as_str())
                && r.detail.as_deref() == Some("reopened: status -> waiting"))
    );
}

async fn another_team_cannot_close(db: Db) {
    let (app, ep) = signed_in_with_episode(db).await;
    app.add_user("lee", Role::Practitioner, &["Harrow L&D"]);
    let other = app.another_client();
    other.sign_in_ok("lee").await;
    assert_eq!(
        other.page(&format!("/episodes/{ep}/close")).await.0,
        StatusCode::FORBIDDEN
    );
    let res = other
        .submit("/", &format!("/episodes/{ep}/close"), &[("outcome", "declined")])
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.episode(&ep).status.code(), "waiting");
}
