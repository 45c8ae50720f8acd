//! L&D reports on an episode: drafted from what the episode records, edited section by
//! section, held back by the quality checklist and the effective-participation rule, signed
//! off by whom the kind allows, frozen, extended by addenda, printed with the marking, and
//! carrying only the identifiers their kind allows.

use diesel::prelude::*;
use liaison::db::schema::{people, report_waivers, screenings};
use liaison::domain::Role;
use liaison::reports::kinds::{COURT_REPORT, Input, ReportKind};
use reqwest::StatusCode;

use crate::both_databases;
use crate::harness::{Db, TestApp, location};

both_databases!(
    a_custody_summary_is_drafted_from_the_episode_and_signed_by_its_author,
    the_court_report_checklist_and_participation_rule_hold_back_sign_off,
    a_signed_report_is_frozen_extended_by_addenda_and_printed_with_its_marking,
);

pub(crate) struct Scene {
    pub app: TestApp,
    pub episode: String,
}

/// A man in Wembley custody, screened, with consent to share recorded by `pat`.
pub(crate) async fn scene(db: Db, tweak: impl FnOnce(&mut liaison::config::Config)) -> Scene {
    let app = TestApp::spawn_with(db, tweak).await;
    let uid = app.add_user("pat", Role::Practitioner, &["Brent L&D"]);
    app.add_user("sam", Role::SeniorPractitioner, &["Brent L&D"]);
    let site = app.add_site("Brent L&D", "Wembley Police Custody Suite");
    let person = app.add_person("Dan", "Demo-Reid", "1988-03-14", &uid);
    diesel::update(people::table.find(&person))
        .set(people::nhs_number.eq("9434765919"))
        .execute(&mut app.conn())
        .unwrap();
    let episode = app.add_episode(&person, &site, &uid, 40, false);
    diesel::insert_into(screenings::table)
        .values((
            screenings::episode_id.eq(&episode),
            screenings::consent.eq("given"),
            screenings::vulnerabilities.eq("learning-disability,suicide-self-harm"),
            screenings::presenting_concerns.eq("Struggled to follow the booking-in questions."),
            screenings::outcome.eq("assessment"),
            screenings::completed_by.eq(&uid),
            screenings::completed_at.eq(app.state.now()),
        ))
        .execute(&mut app.conn())
        .unwrap();
    app.sign_in_ok("pat").await;
    Scene { app, episode }
}

/// Records consent to share: `granted` agreed, every other scope refused.
pub(crate) async fn consent(s: &Scene, granted: &[&str]) {
    consent_on(&s.app, &s.episode, granted).await;
}

/// [`consent`] on any episode.
pub(crate) async fn consent_on(app: &TestApp, episode: &str, granted: &[&str]) {
    let path = format!("/episodes/{episode}/consent-to-share");
    let mut fields = vec![
        ("method".to_string(), "signed".to_string()),
        ("capacity".into(), "not-in-doubt".into()),
    ];
    for scope in liaison::domain::sharing::Scope::ALL {
        let answer = if granted.contains(&scope.code()) {
            "granted"
        } else {
            "refused"
        };
        fields.push((format!("scope-{}", scope.code()), answer.into()));
    }
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(app.submit(&path, &path, &fields).await.status(), StatusCode::SEE_OTHER);
}

pub(crate) fn report_path(s: &Scene, kind: &str) -> String {
    format!("/episodes/{}/reports/{kind}", s.episode)
}

pub(crate) async fn draft(s: &Scene, kind: &str) -> String {
    let path = report_path(s, kind);
    let res = s.app.submit(&path, &path, &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), path);
    path
}

pub(crate) async fn save(s: &Scene, kind: &str, section: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let path = format!("{}/sections/{section}", report_path(s, kind));
    s.app.submit(&report_path(s, kind), &path, fields).await
}

/// Writes every section of the court report in plain English, with no participation concern.
pub(crate) async fn write_court_report(s: &Scene) {
    write_all(s, &COURT_REPORT).await;
}

/// Writes every section of a report of this kind so that its checklist passes.
pub(crate) async fn write_all(s: &Scene, kind: &ReportKind) {
    for section in kind.sections {
        let mut fields: Vec<(&str, &str)> = vec![("body", "Seen in custody on 1 December 2026.")];
        for f in section.fields {
            match f.input {
                Input::Line if f.code == "rationale" => {}
                Input::Line => fields.push((f.code, "Custody record and his GP, 1 December 2026")),
                Input::Choice(list) => fields.push((f.code, list[0].0)),
                Input::Ticks(list) => fields.push((f.code, list[1].0)),
            }
        }
        let res = save(s, kind.code, section.code, &fields).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "section {}", section.code);
    }
}

async fn a_custody_summary_is_drafted_from_the_episode_and_signed_by_its_author(db: Db) {
    let s = scene(db, |_| {}).await;
    consent(&s, &["assessment", "police", "court"]).await;
    let (status, page) = s.app.page(&report_path(&s, "custody-summary")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("No custody summary has been drafted"));
    let path = draft(&s, "custody-summary").await;
    let (_, page) = s.app.page(&path).await;
    // Drawn from the screening, the site and the consent record.
    assert!(page.contains("Learning disability") && page.contains("Suicide or self-harm risk"));
    assert!(page.contains("Struggled to follow the booking-in questions."));
    assert!(page.contains("Station: Wembley Police Custody Suite"));
    assert!(page.contains("The person agreed to sharing with the police and custody (consent to share version 1"));
    // Drafting again makes no second report.
    draft(&s, "custody-summary").await;
    assert_eq!(s.app.count("reports"), 1);

    // Mostly choices: an unknown choice is refused at its field, keeping the other answers.
    let res = save(
        &s,
        "custody-summary",
        "appropriate-adult",
        &[("indicated", "maybe"), ("body", "Kept text")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let again = res.text().await.unwrap();
    assert!(again.contains("Select an answer for “Appropriate adult”") && again.contains("Kept text"));
    for (section, fields) in [
        (
            "appropriate-adult",
            vec![
                ("indicated", "indicated"),
                ("body", "Learning disability: needs an appropriate adult."),
            ],
        ),
        (
            "communication",
            vec![
                ("adjustments", "breaks"),
                ("adjustments", "plain-language"),
                ("body", "Short questions, one at a time."),
            ],
        ),
        (
            "risk",
            vec![
                ("risks", "self-harm"),
                ("source", "His account and the custody record, 1 December 2026"),
                ("body", "Thoughts of self-harm last week."),
            ],
        ),
        (
            "healthcare-review",
            vec![
                ("review", "advised"),
                ("body", "Ask the nurse to review before interview."),
            ],
        ),
        ("health-context", vec![("body", "None.")]),
    ] {
        assert_eq!(
            save(&s, "custody-summary", section, &fields).await.status(),
            StatusCode::SEE_OTHER,
            "{section}"
        );
    }
    let (_, page) = s.app.page(&path).await;
    assert!(page.contains("Regular breaks; Short questions in plain language"));
    assert!(page.contains("Indicated: the person appears vulnerable (PACE Code C)"));

    // The author signs a custody summary off herself: the checklist passes, so no waiver.
    let sign = format!("{path}/sign-off");
    let (_, checklist) = s.app.page(&sign).await;
    assert!(
        checklist.contains("Quality checklist") && !checklist.contains("Needs attention"),
        "{checklist}"
    );
    let res = s.app.submit(&sign, &sign, &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, page) = s.app.page(&path).await;
    assert!(page.contains("Final, version 1") && page.contains("Send the report"));
    assert!(
        s.app
            .audit_rows("update")
            .iter()
            .any(|r| r.detail.as_deref() == Some("Custody summary signed off: version 1"))
    );
}

async fn the_court_report_checklist_and_participation_rule_hold_back_sign_off(db: Db) {
    let s = scene(db, |_| {}).await;
    consent(&s, &["police", "court"]).await;
    let path = draft(&s, "court-report").await;

    // Nothing written yet: the checklist names what is missing and offers no way round the
    // participation questions.
    let sign = format!("{path}/sign-off");
    let senior = s.app.another_client();
    senior.sign_in_ok("sam").await;
    let (_, checklist) = senior.page(&sign).await;
    assert!(checklist.contains("Not written: Presentation and mental state"));
    assert!(checklist.contains("Answer every effective-participation question"));
    assert!(!checklist.contains("Sign off the report</button>"));

    write_court_report(&s).await;
    // Plain English: an unexplained abbreviation and a long sentence fail, and can be waived.
    let long = "He said that he had been feeling low for a long time and that he did not know why he was in the police station or what would happen to him next or who could help.";
    let res = save(
        &s,
        "court-report",
        "services",
        &[("body", &format!("Known to the CMHT. {long}"))],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, checklist) = senior.page(&sign).await;
    assert!(checklist.contains("Say what these stand for, or write them out: CMHT"));
    assert!(checklist.contains("Shorten: “He said that he had been…”"));

    // A participation concern recommends a formal psychiatric assessment by itself…
    let res = save(
        &s,
        "court-report",
        "participation",
        &[
            ("charge", "yes"),
            ("plea", "unclear"),
            ("plea-evidence", "Could not say what pleading guilty means"),
            ("proceedings", "yes"),
            ("instruct", "yes"),
            ("evidence", "yes"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, page) = s.app.page(&path).await;
    assert!(page.contains("Recommend a formal psychiatric assessment (CrimPR r.3.28)"));
    // …which cannot be removed without a rationale.
    let res = save(&s, "court-report", "options", &[("options", "bail-support")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("keep the recommendation of a formal psychiatric assessment, or say why")
    );
    let (_, page) = s.app.page(&path).await;
    assert!(
        page.contains("Recommend a formal psychiatric assessment (CrimPR r.3.28)"),
        "unchanged"
    );

    // The author may not sign off a court report; a direct POST is refused and audited.
    let res = s.app.submit(&path, &sign, &[]).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(s.app.audit_rows("update").iter().any(|r| r.outcome.code() == "denied"));
    // The senior must waive each failing item with a reason.
    let res = senior.submit(&sign, &sign, &[]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("or say why you are signing off without it")
    );
    assert_eq!(s.app.count_where("reports", "status = 'final'"), 0);
    let waive = [
        ("waive-sentences", "His own words, quoted for the court"),
        ("waive-abbreviations", "The court knows the CMHT"),
    ];
    let res = senior.submit(&sign, &sign, &waive).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let waived: Vec<(String, String)> = report_waivers::table
        .select((report_waivers::item, report_waivers::reason))
        .order(report_waivers::item.asc())
        .load(&mut s.app.conn())
        .unwrap();
    assert_eq!(
        waived,
        vec![
            ("abbreviations".into(), "The court knows the CMHT".into()),
            ("sentences".into(), "His own words, quoted for the court".into()),
        ]
    );
}

async fn a_signed_report_is_frozen_extended_by_addenda_and_printed_with_its_marking(db: Db) {
    let s = scene(db, |_| {}).await;
    consent(&s, &["court"]).await;
    let path = draft(&s, "court-report").await;
    write_court_report(&s).await;

    // The NHS number is not on a court report by default; an include needs a reason.
    let ids = format!("{path}/identifiers");
    let (_, print) = s.app.page(&format!("{path}/print")).await;
    assert!(print.contains("Dan Demo-Reid") && !print.contains("943 476 5919") && !print.contains("9434765919"));
    let res = s.app.submit(&ids, &ids, &[("identifier", "nhs-number")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Enter why the recipient needs it"));
    let res = s
        .app
        .submit(
            &ids,
            &ids,
            &[
                ("identifier", "nhs-number"),
                ("reason", "The court asked for it to match hospital records"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, print) = s.app.page(&format!("{path}/print")).await;
    assert!(print.contains("943 476 5919"));

    let senior = s.app.another_client();
    senior.sign_in_ok("sam").await;
    let sign = format!("{path}/sign-off");
    assert_eq!(senior.submit(&sign, &sign, &[]).await.status(), StatusCode::SEE_OTHER);
    // Frozen: no section can change, and the database refuses it too.
    let res = save(&s, "court-report", "social", &[("body", "Changed")]).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    // An addendum makes version 2 once signed off.
    let res = s
        .app
        .submit(
            &path,
            &format!("{path}/addenda"),
            &[("text", "He has since been given a hospital appointment.")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, page) = senior.page(&path).await;
    let aid = page
        .split("/addenda/")
        .nth(1)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_string();
    let add_sign = format!("{path}/addenda/{aid}/sign-off");
    assert_eq!(
        senior.submit(&add_sign, &add_sign, &[]).await.status(),
        StatusCode::SEE_OTHER
    );

    // Printed: the marking, the version, who printed it and when; version 1 is superseded.
    let (status, print) = s.app.page(&format!("{path}/print")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(print.contains("OFFICIAL-SENSITIVE") && print.contains("Final, version 2"));
    assert!(print.contains("Printed by pat Test at") && print.contains("hospital appointment"));
    assert!(print.contains("Brent L&amp;D"), "the letterhead");
    let (_, v1) = s.app.page(&format!("{path}/print?version=1")).await;
    assert!(v1.contains("Superseded: version 2 is the current version") && !v1.contains("hospital appointment"));
    let css_path = print
        .split("href=\"")
        .map(|h| h.split('"').next().unwrap())
        .find(|h| h.ends_with("/print.css"))
        .unwrap()
        .to_string();
    let (_, css) = s.app.page(&css_path).await;
    assert!(css.contains("counter(page)") && css.contains("counter(pages)") && css.contains("OFFICIAL-SENSITIVE"));
}
