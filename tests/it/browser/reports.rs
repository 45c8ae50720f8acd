//! The walk through L&D reports, in Chromium with JavaScript on and off and axe on
//! every new page: consent to share with the police and court but not the CPS; a custody
//! summary drafted, checked, signed by its author and sent; a court report with an
//! effective-participation concern, signed off by a senior and sent to the court legal
//! adviser; the CPS refused until a public-interest basis is recorded; the IG lead's queue.

use diesel::prelude::*;
use liaison::db::schema::{reports, screenings};
use liaison::domain::Role;
use liaison::reports::kinds::{Input, ReportKind};
use liaison::reports::{Answers, Kind};

use super::{Browser, browser_available, sign_in};
use crate::harness::{Db, TestApp};

with_and_without_javascript!(a_custody_summary_a_court_report_and_a_share_without_consent);

async fn submit(b: &Browser) {
    b.click("main form button.app-button[type=submit]").await;
}

/// Writes every section of the kind still empty, straight into the store, so the walk can
/// spend its time on the pages that matter.
fn write_the_rest(app: &TestApp, kind: &ReportKind) {
    let mut conn = app.conn();
    let id: liaison::domain::ids::ReportId = reports::table
        .filter(reports::kind.eq(kind.code))
        .select(reports::id)
        .first(&mut conn)
        .unwrap();
    let full = liaison::reports::load(&mut conn, &id).unwrap().unwrap();
    for section in kind.sections {
        let stored = full.sections.iter().find(|s| s.code == section.code).unwrap();
        let mut answers = Answers::parse(&stored.answers);
        for f in section.fields {
            match f.input {
                Input::Line if f.code == "rationale" || !answers.text(f.code).is_empty() => {}
                Input::Line => answers.set_text(f.code, "Custody record, 1 December 2026"),
                Input::Choice(list) if answers.text(f.code).is_empty() => answers.set_text(f.code, list[0].0),
                Input::Ticks(list) if answers.ticks(f.code).is_empty() => answers.set_ticks(f.code, &[list[1].0]),
                _ => {}
            }
        }
        let body = if stored.body.trim().is_empty() {
            "Seen in custody today."
        } else {
            &stored.body
        };
        liaison::reports::update_section(&mut conn, app.state.now(), &id, section.code, (body, &answers)).unwrap();
    }
}

async fn a_custody_summary_a_court_report_and_a_share_without_consent(javascript: bool) {
    if !browser_available() {
        return;
    }
    let app = TestApp::spawn(Db::Sqlite).await;
    let uid = app.add_user("pat", Role::Practitioner, &["Brent L&D"]);
    app.add_user("sam", Role::SeniorPractitioner, &["Brent L&D"]);
    app.add_user("robin", Role::IgLead, &[]);
    let site = app.add_site("Brent L&D", "Wembley Police Custody Suite");
    let person = app.add_person("Dan", "Demo-Reid", "1988-03-14", &uid);
    let episode = app.add_episode(&person, &site, &uid, 20, false);
    diesel::insert_into(screenings::table)
        .values((
            screenings::episode_id.eq(&episode),
            screenings::consent.eq("given"),
            screenings::vulnerabilities.eq("learning-disability"),
            screenings::presenting_concerns.eq("Struggled with the booking-in questions."),
            screenings::outcome.eq("assessment"),
            screenings::completed_by.eq(&uid),
            screenings::completed_at.eq(app.state.now()),
        ))
        .execute(&mut app.conn())
        .unwrap();
    app.add_service(
        "Metropolitan Police",
        "Wembley custody",
        "custody-suite",
        &["wembley.custody@cjsm.net"],
    );
    app.add_service(
        "Willesden Magistrates' Court",
        "Legal advisers",
        "court-legal-adviser",
        &["legal.willesden@cjsm.net"],
    );
    app.add_service(
        "CPS London North",
        "Charging",
        "cps-area",
        &["charging.london@cjsm.net"],
    );
    let b = Browser::launch(javascript).await;
    sign_in(&b, &app, "pat").await;

    // Consent: police and court agreed, the CPS refused.
    b.goto(&app.url(&format!("/episodes/{episode}/consent-to-share"))).await;
    b.click("input[name=method][value=signed]").await;
    b.click("input[name=capacity][value=not-in-doubt]").await;
    for scope in liaison::domain::sharing::Scope::ALL {
        let answer = if matches!(scope.code(), "police" | "court") {
            "granted"
        } else {
            "refused"
        };
        b.click(&format!("input[name=scope-{}][value={answer}]", scope.code()))
            .await;
    }
    submit(&b).await;
    b.wait_text("Version 1, recorded by").await;

    // The custody summary, drafted from the episode, a section changed, checked and signed.
    b.click("main a[href$='/reports/custody-summary']").await;
    b.wait_text("No custody summary has been drafted").await;
    b.assert_accessible("custody summary, not drafted").await;
    submit(&b).await;
    b.wait_text("Struggled with the booking-in questions.").await;
    b.assert_accessible("custody summary draft").await;
    b.click("main a[href$='/sections/appropriate-adult']").await;
    b.wait_text("Appropriate adult").await;
    b.assert_accessible("custody summary section").await;
    b.click("input[name=indicated][value=indicated]").await;
    b.fill("body", "Learning disability: he needs an appropriate adult.")
        .await;
    submit(&b).await;
    b.wait_text("Indicated: the person appears vulnerable (PACE Code C)")
        .await;
    write_the_rest(&app, &liaison::reports::kinds::CUSTODY_SUMMARY);
    b.click("main a[href$='/identifiers']").await;
    b.wait_text("Share the minimum necessary").await;
    b.assert_accessible("report identifiers").await;
    b.goto(&app.url(&format!("/episodes/{episode}/reports/custody-summary/sign-off")))
        .await;
    b.wait_text("Quality checklist").await;
    b.assert_accessible("custody summary checklist").await;
    submit(&b).await;
    b.wait_text("Final, version 1").await;
    b.click("main a[href$='/send']").await;
    b.wait_text("Who should receive it?").await;
    b.assert_accessible("send the custody summary").await;
    b.click("input[name=recipient][value='wembley.custody@cjsm.net']").await;
    submit(&b).await;
    b.wait_text("Shared: Custody summary").await;

    // The court report: a participation concern adds the psychiatric assessment.
    b.goto(&app.url(&format!("/episodes/{episode}/reports/court-report")))
        .await;
    submit(&b).await;
    b.wait_text("Vulnerabilities and effective participation").await;
    b.click("main a[href$='/sections/participation']").await;
    b.wait_text("Can the person decide whether to plead guilty?").await;
    b.assert_accessible("effective participation").await;
    for (limb, answer) in [
        ("charge", "yes"),
        ("plea", "unclear"),
        ("proceedings", "yes"),
        ("instruct", "yes"),
        ("evidence", "yes"),
    ] {
        b.click(&format!("input[name={limb}][value={answer}]")).await;
    }
    b.fill("plea-evidence", "Could not say what pleading guilty means")
        .await;
    submit(&b).await;
    b.wait_text("Recommend a formal psychiatric assessment (CrimPR r.3.28)")
        .await;
    write_the_rest(&app, &liaison::reports::kinds::COURT_REPORT);
    b.click("main a[href$='/print']").await;
    b.wait_text("OFFICIAL-SENSITIVE").await;
    b.assert_accessible("printable court report").await;

    // A senior signs it off and sends it to the court legal adviser.
    let senior = Browser::launch(javascript).await;
    sign_in(&senior, &app, "sam").await;
    senior
        .goto(&app.url(&format!("/episodes/{episode}/reports/court-report/sign-off")))
        .await;
    senior.wait_text("Quality checklist").await;
    senior.assert_accessible("court report checklist").await;
    submit(&senior).await;
    senior.wait_text("Final, version 1").await;
    senior.click("main a[href$='/send']").await;
    senior
        .click("input[name=recipient][value='legal.willesden@cjsm.net']")
        .await;
    submit(&senior).await;
    senior.wait_text("Shared: Court report").await;

    // Information to the CPS is refused on consent, then sent on the public interest.
    senior
        .goto(&app.url(&format!("/episodes/{episode}/reports/cps-information")))
        .await;
    submit(&senior).await;
    senior.wait_text("Health context").await;
    write_the_rest(&app, &liaison::reports::kinds::CPS_INFORMATION);
    let cps = app.conn_report(Kind::CpsInformation);
    liaison::reports::sign_off(&mut app.conn(), app.state.now(), &cps, &uid, &[]).unwrap();
    senior
        .goto(&app.url(&format!("/episodes/{episode}/reports/cps-information/send")))
        .await;
    senior
        .click("input[name=recipient][value='charging.london@cjsm.net']")
        .await;
    submit(&senior).await;
    senior.wait_text("was refused or withdrawn").await;
    senior.assert_accessible("send to the CPS, refused").await;
    senior.click("input[name=basis][value=public-interest]").await;
    senior
        .fill(
            "basis_detail",
            "Threats to harm his neighbour; the CPS is deciding on bail",
        )
        .await;
    senior.fill("consulted", "Dr Rao, consultant psychiatrist").await;
    submit(&senior).await;
    senior.wait_text("Waiting for IG review").await;

    let ig = Browser::launch(javascript).await;
    sign_in(&ig, &app, "robin").await;
    ig.goto(&app.url("/governance/access-reviews")).await;
    ig.wait_text("Information to the CPS").await;
    ig.assert_accessible("IG queue with the CPS share").await;
    ig.goto(&app.url("/account/sessions")).await;
    ig.wait_text("Where you are signed in now").await;
    ig.assert_accessible("your sessions").await;
    ig.goto(&app.url("/shared/not-a-real-link")).await;
    ig.wait_text("This link is not valid").await;
    ig.assert_accessible("a report link that does not work").await;
}

impl TestApp {
    /// The id of the one report of this kind.
    fn conn_report(&self, kind: Kind) -> liaison::domain::ids::ReportId {
        reports::table
            .filter(reports::kind.eq(kind.code()))
            .select(reports::id)
            .first(&mut self.conn())
            .unwrap()
    }
}
