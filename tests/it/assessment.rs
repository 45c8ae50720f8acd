//! The full assessment: sections saved as drafts or complete, autosave over htmx, completing
//! the assessment, read-only once assessed, and the same team check everywhere.

use diesel::prelude::*;
use liaison::db::schema::{assessment_sections, episodes};
use liaison::domain::Role;
use liaison::domain::codes::ASSESSMENT_SECTIONS;
use reqwest::{Response, StatusCode};

use crate::both_databases;
use crate::harness::{Db, TestApp, csrf_token, location};

both_databases!(
    a_draft_is_kept_and_shown_in_progress,
    completing_a_section_checks_every_answer_and_saves_nothing_on_a_problem,
    completing_every_section_then_the_assessment_marks_it_assessed,
    the_assessment_cannot_be_completed_with_a_section_missing,
    autosave_over_htmx_saves_a_draft_and_leaves_completed_sections_alone,
    another_team_is_refused_the_page_the_section_and_the_autosave,
    the_assessment_is_refused_before_it_is_started,
);

const MSE: &str = "mental-state-examination";

/// A practitioner signed in, and an episode of their team already in assessment.
async fn in_assessment(db: Db) -> (TestApp, String) {
    let app = TestApp::spawn(db).await;
    let uid = app.add_user("pat", Role::Practitioner, &["Brent L&D"]);
    let site = app.add_site("Brent L&D", "Wembley Police Custody Suite");
    let person = app.add_person("Jo", "Bloggs", "1990-06-01", &uid);
    let ep = app.add_episode(&person, &site, &uid, 30, false);
    set_status(&app, &ep, "in-assessment");
    app.sign_in_ok("pat").await;
    (app, ep)
}

fn set_status(app: &TestApp, ep: &str, status: &str) {
    diesel::update(episodes::table.find(ep))
        .set(episodes::status.eq(status))
        .execute(&mut app.conn())
        .unwrap();
}

/// The stored (content, complete) of a section, if saved.
fn stored(app: &TestApp, ep: &str, section: &str) -> Option<(String, bool)> {
    assessment_sections::table
        .find((ep, section))
        .select((assessment_sections::content, assessment_sections::complete))
        .first(&mut app.conn())
        .optional()
        .unwrap()
}

fn section_path(ep: &str, section: &str) -> String {
    format!("/episodes/{ep}/assessment/{section}")
}

/// Posts a section form from its own page with the given intent.
async fn save_section(app: &TestApp, ep: &str, section: &str, intent: &str, fields: &[(&str, &str)]) -> Response {
    let path = section_path(ep, section);
    let mut form = fields.to_vec();
    form.push(("intent", intent));
    app.submit(&path, &path, &form).await
}

/// Every field of a section answered: risk levels "medium", text elsewhere.
fn full_answers(section: &str) -> Vec<(&'static str, &'static str)> {
    let s = ASSESSMENT_SECTIONS.iter().find(|s| s.code == section).unwrap();
    s.fields
        .iter()
        .map(|(field, _)| {
            let level = section == "risk" && !field.ends_with("-rationale");
            (*field, if level { "medium" } else { "Seen and discussed" })
        })
        .collect()
}

async fn complete_section(app: &TestApp, ep: &str, section: &str) {
    let res = save_section(app, ep, section, "complete", &full_answers(section)).await;
    assert_eq!(
        res.status(),
        StatusCode::SEE_OTHER,
        "{section}: {}",
        res.text().await.unwrap()
    );
    assert_eq!(location(&res), format!("/episodes/{ep}/assessment"));
}

/// The task list row of a section, from its id to the end of the item.
fn task_row<'a>(html: &'a str, section: &str) -> &'a str {
    let start = html
        .find(&format!("id=\"{section}\""))
        .unwrap_or_else(|| panic!("no {section} row"));
    let rest = &html[start..];
    &rest[..rest.find("</li>").unwrap_or(rest.len())]
}

async fn a_draft_is_kept_and_shown_in_progress(db: Db) {
    let (app, ep) = in_assessment(db).await;
    let res = save_section(
        &app,
        &ep,
        MSE,
        "draft",
        &[("speech", "Pressured and rapid"), ("mood-affect", "")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), format!("{}?saved=1", section_path(&ep, MSE)));
    let (status, html) = app.page(&location(&res)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Draft saved"), "banner");
    assert!(html.contains("Pressured and rapid"), "the draft is shown again");
    assert!(html.contains("Last saved ") && html.contains(" by pat Test"), "{html}");
    assert!(
        html.contains(&format!("data-hx-post=\"{}/autosave\"", section_path(&ep, MSE))),
        "autosave is on for a draft"
    );
    let (content, complete) = stored(&app, &ep, MSE).unwrap();
    assert!(!complete);
    assert_eq!(content, r#"{"speech":"Pressured and rapid"}"#);
    let (_, list) = app.page(&format!("/episodes/{ep}/assessment")).await;
    assert!(task_row(&list, MSE).contains("In progress"), "{list}");
    assert!(task_row(&list, "risk").contains("Not started"));
    assert!(list.contains("0 of 5 sections completed"));
    let saves: Vec<_> = app
        .audit_rows("update")
        .into_iter()
        .filter(|r| r.record_type.as_deref() == Some("assessment"))
        .collect();
    assert_eq!(saves.len(), 1);
    assert_eq!(saves[0].record_id.as_deref(), Some(ep.as_str()));
    assert_eq!(saves[0].detail.as_deref(), Some("mental-state-examination draft"));
    let views = app.audit_rows("view");
    assert!(views.iter().any(|r| r.detail.as_deref() == Some("assessment section")));
    assert!(
        views
            .iter()
            .any(|r| r.detail.as_deref() == Some("assessment task list"))
    );
    assert_eq!(
        app.page(&section_path(&ep, "no-such-section")).await.0,
        StatusCode::NOT_FOUND
    );
}

async fn completing_a_section_checks_every_answer_and_saves_nothing_on_a_problem(db: Db) {
    let (app, ep) = in_assessment(db).await;
    save_section(&app, &ep, MSE, "draft", &[("speech", "Quiet")]).await;
    let before = stored(&app, &ep, MSE);
    let mut answers = full_answers(MSE);
    answers.retain(|(f, _)| *f != "cognition");
    answers.retain(|(f, _)| *f != "speech");
    answers.push(("speech", "Slow, with long pauses"));
    let res = save_section(&app, &ep, MSE, "complete", &answers).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("There is a problem") && html.contains("Enter cognition"),
        "{html}"
    );
    assert!(html.contains("Slow, with long pauses"), "answers kept");
    assert!(html.contains("<title>Error: "));
    assert_eq!(stored(&app, &ep, MSE), before, "the stored draft is unchanged");

    let mut risk = full_answers("risk");
    risk.retain(|(f, _)| *f != "to-others");
    risk.push(("to-others", "extreme"));
    let res = save_section(&app, &ep, "risk", "complete", &risk).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("Select the level of risk to others"), "{html}");
    assert_eq!(stored(&app, &ep, "risk"), None, "nothing saved");
    let mut risk = full_answers("risk");
    risk.retain(|(f, _)| *f != "from-others-rationale");
    let res = save_section(&app, &ep, "risk", "complete", &risk).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Enter reasons for the risk from others rating")
    );
    assert_eq!(stored(&app, &ep, "risk"), None);
}

async fn completing_every_section_then_the_assessment_marks_it_assessed(db: Db) {
    let (app, ep) = in_assessment(db).await;
    for section in ASSESSMENT_SECTIONS {
        complete_section(&app, &ep, section.code).await;
    }
    let (content, complete) = stored(&app, &ep, "risk").unwrap();
    assert!(complete);
    let json: serde_json::Value = serde_json::from_str(&content).unwrap();
    assert_eq!(json["to-self"], "medium");
    assert_eq!(json["to-self-rationale"], "Seen and discussed");
    let list_path = format!("/episodes/{ep}/assessment");
    let (_, list) = app.page(&list_path).await;
    assert!(list.contains("5 of 5 sections completed"), "{list}");
    let (_, section) = app.page(&section_path(&ep, "risk")).await;
    assert!(
        section.contains("marked as complete") && !section.contains("/autosave"),
        "no autosave on a completed section"
    );

    let res = app.submit(&list_path, &format!("{list_path}/complete"), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), format!("/episodes/{ep}"));
    let episode = app.episode(&ep);
    assert_eq!(episode.status.code(), "assessed");
    assert!(episode.assessed_at.is_some_and(|at| at <= app.state.now()));
    let timeline = liaison::records::timeline::for_episode(&mut app.conn(), &ep).unwrap();
    assert!(
        timeline.iter().any(|e| e.body.contains("Full assessment completed")),
        "{timeline:?}"
    );
    let completion = app
        .audit_rows("update")
        .into_iter()
        .find(|r| r.record_type.as_deref() == Some("episode"))
        .unwrap();
    assert_eq!(completion.record_id.as_deref(), Some(ep.as_str()));
    assert!(completion.detail.unwrap().contains("status -> assessed"));

    let (status, read_only) = app.page(&list_path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(read_only.contains("can no longer be changed") && read_only.contains("Seen and discussed"));
    assert!(read_only.contains("Medium"), "risk levels in words");
    assert!(!read_only.contains("Mark assessment as complete"));
    let (_, section) = app.page(&section_path(&ep, MSE)).await;
    assert!(!section.contains("<textarea") && section.contains("Seen and discussed"));
    let res = save_section(&app, &ep, MSE, "draft", &[("speech", "Changed")]).await;
    assert_eq!(res.status(), StatusCode::CONFLICT, "no changes once assessed");
    assert!(stored(&app, &ep, MSE).unwrap().1);
}

async fn the_assessment_cannot_be_completed_with_a_section_missing(db: Db) {
    let (app, ep) = in_assessment(db).await;
    for section in ASSESSMENT_SECTIONS.iter().filter(|s| s.code != "care-pathway") {
        complete_section(&app, &ep, section.code).await;
    }
    save_section(&app, &ep, "care-pathway", "draft", &[("plan", "Refer to the CMHT")]).await;
    let list_path = format!("/episodes/{ep}/assessment");
    let res = app.submit(&list_path, &format!("{list_path}/complete"), &[]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("Complete the care pathway section"), "{html}");
    assert!(!html.contains("Complete the risk section"));
    assert!(task_row(&html, "care-pathway").contains("In progress"));
    let episode = app.episode(&ep);
    assert_eq!(episode.status.code(), "in-assessment");
    assert_eq!(episode.assessed_at, None);
}

/// Posts to the autosave endpoint the way htmx does: the token in the header, not the form.
async fn autosave(app: &TestApp, ep: &str, section: &str, token: &str, fields: &[(&str, &str)]) -> Response {
    app.client
        .post(app.url(&format!("{}/autosave", section_path(ep, section))))
        .header("HX-Request", "true")
        .header("X-CSRF-Token", token)
        .form(fields)
        .send()
        .await
        .unwrap()
}

async fn autosave_over_htmx_saves_a_draft_and_leaves_completed_sections_alone(db: Db) {
    let (app, ep) = in_assessment(db).await;
    let (_, html) = app.page(&section_path(&ep, "background")).await;
    let token = csrf_token(&html);
    let res = autosave(
        &app,
        &ep,
        "background",
        &token,
        &[("forensic", "Two previous cautions")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let fragment = res.text().await.unwrap();
    assert!(
        fragment.starts_with("Draft saved at "),
        "a fragment, not a page: {fragment}"
    );
    let (content, complete) = stored(&app, &ep, "background").unwrap();
    assert_eq!(content, r#"{"forensic":"Two previous cautions"}"#);
    assert!(!complete, "autosave never completes a section");
    let (_, list) = app.page(&format!("/episodes/{ep}/assessment")).await;
    assert!(task_row(&list, "background").contains("In progress"));

    complete_section(&app, &ep, "care-pathway").await;
    let res = autosave(&app, &ep, "care-pathway", &token, &[("plan", "")]).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("Not saved automatically"));
    assert!(stored(&app, &ep, "care-pathway").unwrap().1, "still complete");
    let autosaves = app
        .audit_rows("update")
        .into_iter()
        .filter(|r| r.detail.as_deref() == Some("background draft (autosave)"))
        .count();
    assert_eq!(autosaves, 1);
    let without_token = app
        .client
        .post(app.url(&format!("{}/autosave", section_path(&ep, "background"))))
        .header("HX-Request", "true")
        .form(&[("forensic", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(
        without_token.status(),
        StatusCode::FORBIDDEN,
        "CSRF applies to autosave"
    );
}

async fn another_team_is_refused_the_page_the_section_and_the_autosave(db: Db) {
    let (app, ep) = in_assessment(db).await;
    app.add_user("lee", Role::Practitioner, &["Harrow L&D"]);
    let lee = app.another_client();
    lee.sign_in_ok("lee").await;
    let (status, body) = lee.page(&format!("/episodes/{ep}/assessment")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(!body.contains("Bloggs"));
    assert_eq!(lee.page(&section_path(&ep, "risk")).await.0, StatusCode::FORBIDDEN);
    let (_, home) = lee.page("/").await;
    let token = csrf_token(&home);
    let res = autosave(&lee, &ep, "risk", &token, &[("to-self-rationale", "x")]).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = lee
        .submit(
            "/",
            &section_path(&ep, "risk"),
            &[("intent", "draft"), ("to-self-rationale", "x")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = lee
        .submit("/", &format!("/episodes/{ep}/assessment/complete"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(stored(&app, &ep, "risk"), None);
    let denied = app
        .audit_rows("")
        .into_iter()
        .filter(|r| r.outcome.code() == "denied" && r.username.as_deref() == Some("lee"))
        .count();
    assert_eq!(denied, 5, "every refusal is audited");
}

async fn the_assessment_is_refused_before_it_is_started(db: Db) {
    let (app, ep) = in_assessment(db).await;
    set_status(&app, &ep, "awaiting-assessment");
    let (status, body) = app.page(&format!("/episodes/{ep}/assessment")).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(body.contains("Start the full assessment first"), "{body}");
    assert_eq!(app.page(&section_path(&ep, MSE)).await.0, StatusCode::CONFLICT);
    let res = app
        .submit(
            &format!("/episodes/{ep}"),
            &section_path(&ep, MSE),
            &[("intent", "draft"), ("speech", "x")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert_eq!(app.count("assessment_sections"), 0);
}
