//! The MHTR suitability report: drafted from what the case records, edited, signed off by a
//! senior or the consultant clinical psychologist, frozen (in the app and in the database),
//! amended by signed addenda, printed, and sent to probation through the outbox.

use std::time::Duration;

use diesel::prelude::*;
use liaison::db::DbConnection;
use liaison::db::schema::{
    mhtr_assessment_sections, mhtr_cases, mhtr_consents, mhtr_negotiation_contacts, mhtr_psychology_reviews, outbox,
    report_sections, report_sends, reports,
};
use liaison::domain::Role;
use liaison::domain::mhtr::MhtrStatus;
use liaison::reports::kinds::MHTR_SUITABILITY;
use reqwest::StatusCode;

use crate::both_databases;
use crate::harness::{Db, TestApp, location};
use crate::smtp_server::SmtpServer;

const TEAM: &str = "London Women's MHTR";
const SECURE: &str = "court.team@justice.gov.uk.cjsm.net";
const STANDARD: &str = "office@probation.example.org";
const WAIT: Duration = Duration::from_secs(10);

both_databases!(
    the_draft_is_prefilled_from_the_recorded_assessment_consent_and_pathway,
    a_draft_with_nothing_recorded_is_empty_and_only_drafted_at_recommendation,
    a_practitioner_edits_a_section_but_cannot_sign_off,
    the_psychologist_signs_off_version_1_and_the_report_is_frozen_in_the_app_and_database,
    a_signed_addendum_makes_version_2_shown_on_the_print_page,
    probation_receives_the_report_by_email_at_a_secure_address,
    a_standard_address_gets_a_notice_without_personal_data_and_a_later_send_moves_nothing,
    a_report_is_not_sent_before_sign_off_or_to_an_address_outside_the_directory,
    a_report_is_not_shared_once_her_consent_is_withdrawn,
    other_teams_are_refused_on_every_route,
);

struct Setup {
    /// "maya", a practitioner of the MHTR team, signed in.
    app: TestApp,
    /// "priya", the team's consultant clinical psychologist, signed in.
    priya: TestApp,
    server: SmtpServer,
    maya_id: String,
    priya_id: String,
    person: String,
    case: String,
}

async fn setup(db: Db) -> Setup {
    let server = SmtpServer::start();
    let url = server.url();
    let app = TestApp::spawn_with(db, move |c| c.smtp_url = Some(url)).await;
    let maya_id = app.add_user("maya", Role::Practitioner, &[TEAM]);
    let priya_id = app.add_user("priya", Role::ConsultantPsychologist, &[TEAM]);
    let person = app.add_person("Jo", "Bloggs", "1990-06-01", &maya_id);
    let case = app.add_mhtr_case(TEAM, &person, MhtrStatus::Recommendation, &maya_id);
    app.add_service("Highbury Probation", "Court team", "probation", &[SECURE, STANDARD]);
    app.add_service("Islington CMHT", "Duty", "cmht", &["cmht@nhs.net"]);
    app.sign_in_ok("maya").await;
    let priya = app.another_client();
    priya.sign_in_ok("priya").await;
    Setup {
        app,
        priya,
        server,
        maya_id,
        priya_id,
        person,
        case,
    }
}

fn report_path(case: &str) -> String {
    format!("/mhtr/cases/{case}/report")
}

impl Setup {
    fn path(&self, tail: &str) -> String {
        format!("{}{tail}", report_path(&self.case))
    }

    async fn draft(&self) {
        let res = self.app.submit("/", &self.path(""), &[]).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&res), self.path(""));
    }

    fn section(&self, code: &str) -> String {
        report_sections::table
            .inner_join(reports::table)
            .filter(reports::subject_id.eq(&self.case))
            .filter(report_sections::code.eq(code))
            .select(report_sections::body)
            .first(&mut self.app.conn())
            .unwrap()
    }

    fn report_status(&self) -> String {
        reports::table
            .filter(reports::subject_id.eq(&self.case))
            .select(reports::status)
            .first(&mut self.app.conn())
            .unwrap()
    }

    /// With her consent given: drafts the report, writes every section, and has priya sign
    /// it off.
    async fn signed_off(&self) {
        self.consent("given", 1);
        self.draft().await;
        for s in MHTR_SUITABILITY.sections {
            let text = format!("{} written by maya.", s.title);
            let res = self
                .app
                .submit("/", &self.path(&format!("/sections/{}", s.code)), &[("body", &text)])
                .await;
            assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", s.code);
        }
        let res = self.priya.submit("/", &self.path("/sign-off"), &[]).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
    }

    /// Records her consent decision straight in the database, `at` for ordering.
    fn consent(&self, decision: &str, at: i64) {
        diesel::insert_into(mhtr_consents::table)
            .values((
                mhtr_consents::id.eq(format!("consent-{at}")),
                mhtr_consents::case_id.eq(&self.case),
                mhtr_consents::decision.eq(decision),
                mhtr_consents::decided_on.eq("2026-11-20"),
                mhtr_consents::capacity_note.eq("Has capacity to decide"),
                mhtr_consents::witness.eq("Sam Witness"),
                mhtr_consents::recorded_by.eq(&self.maya_id),
                mhtr_consents::recorded_at.eq(at),
            ))
            .execute(&mut self.app.conn())
            .unwrap();
    }

    async fn send(&self, recipient: &str) -> reqwest::Response {
        self.app
            .submit("/", &self.path("/send"), &[("recipient", recipient)])
            .await
    }

    fn status(&self) -> String {
        self.app.mhtr_case(&self.case).status.code().to_string()
    }
}

/// The assessment, consent, proposed treatment, a secondary care contact and the
/// psychologist's review, as the earlier steps record them.
fn record_pathway(s: &Setup) {
    let priya_id = s.priya_id.as_str();
    let mut conn = s.app.conn();
    let c: &mut DbConnection = &mut conn;
    for (section, content) in [
        (
            "presenting-needs",
            r#"{"needs":"Low mood since her mother died","current-support":"GP only"}"#,
        ),
        (
            "risks",
            r#"{"to-self":"Past overdose in 2024","to-others":"","from-others":"Ex-partner"}"#,
        ),
        ("motivation", r#"{"motivation":"Wants help and will attend"}"#),
    ] {
        diesel::insert_into(mhtr_assessment_sections::table)
            .values((
                mhtr_assessment_sections::case_id.eq(&s.case),
                mhtr_assessment_sections::section.eq(section),
                mhtr_assessment_sections::content.eq(content),
                mhtr_assessment_sections::complete.eq(true),
                mhtr_assessment_sections::updated_by.eq(&s.maya_id),
                mhtr_assessment_sections::updated_at.eq(1),
            ))
            .execute(c)
            .unwrap();
    }
    s.consent("declined", 1);
    s.consent("given", 2);
    diesel::update(mhtr_cases::table.find(&s.case))
        .set((
            mhtr_cases::treatment_type.eq("primary-care-psychological-therapy"),
            mhtr_cases::planned_sessions.eq(12),
            mhtr_cases::treating_team.eq("Islington primary care MHTR"),
            mhtr_cases::referral_reason.eq("Shoplifting while low in mood"),
        ))
        .execute(c)
        .unwrap();
    let service: String = liaison::db::schema::partner_services::table
        .filter(liaison::db::schema::partner_services::service_type.eq("cmht"))
        .select(liaison::db::schema::partner_services::id)
        .first(c)
        .unwrap();
    diesel::insert_into(mhtr_negotiation_contacts::table)
        .values((
            mhtr_negotiation_contacts::id.eq("contact-1"),
            mhtr_negotiation_contacts::case_id.eq(&s.case),
            mhtr_negotiation_contacts::service_id.eq(service),
            mhtr_negotiation_contacts::clinician.eq("Dr Chen"),
            mhtr_negotiation_contacts::contacted_on.eq("2026-11-21"),
            mhtr_negotiation_contacts::method.eq("phone"),
            mhtr_negotiation_contacts::agreed.eq("Will take her on for care coordination"),
            mhtr_negotiation_contacts::recorded_by.eq(&s.maya_id),
            mhtr_negotiation_contacts::recorded_at.eq(1),
        ))
        .execute(c)
        .unwrap();
    diesel::insert_into(mhtr_psychology_reviews::table)
        .values((
            mhtr_psychology_reviews::id.eq("review-1"),
            mhtr_psychology_reviews::case_id.eq(&s.case),
            mhtr_psychology_reviews::reviewer_id.eq(priya_id),
            mhtr_psychology_reviews::reviewed_on.eq("2026-11-22"),
            mhtr_psychology_reviews::decision.eq("supported"),
            mhtr_psychology_reviews::notes.eq(Some("Suitable for primary care therapy")),
            mhtr_psychology_reviews::recorded_by.eq(priya_id),
            mhtr_psychology_reviews::recorded_at.eq(1),
        ))
        .execute(c)
        .unwrap();
}

async fn the_draft_is_prefilled_from_the_recorded_assessment_consent_and_pathway(db: Db) {
    let s = setup(db).await;
    record_pathway(&s);
    let (status, page) = s.app.page(&s.path("")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Draft the report"));
    s.draft().await;

    let referral = s.section("referral");
    assert!(referral.contains("Court-based probation") && referral.contains("Highbury Corner Magistrates"));
    assert!(referral.contains("Reason for referral: Shoplifting while low in mood"));
    let needs = s.section("needs-history");
    assert!(
        needs.contains("Presenting needs: Low mood since her mother died"),
        "{needs}"
    );
    assert!(needs.contains("Current support and services involved: GP only"));
    let risks = s.section("risks");
    assert!(risks.contains("Risk to self: Past overdose in 2024") && risks.contains("Risk from others: Ex-partner"));
    assert!(!risks.contains("Risk to others"), "empty answers are left out");
    assert!(
        s.section("protective-motivation")
            .contains("Wants help and will attend")
    );
    assert_eq!(s.section("substance-trauma-safeguarding"), "");
    let consent = s.section("consent-capacity");
    assert!(
        consent.contains("given, on 20 Nov 2026") && !consent.contains("declined"),
        "latest consent: {consent}"
    );
    assert!(consent.contains("Has capacity to decide") && consent.contains("Sam Witness"));
    let pathway = s.section("treatment-pathway");
    for part in [
        "Psychological therapy – primary care",
        "Planned sessions: 12",
        "Islington primary care MHTR",
        "Islington CMHT – Duty, Dr Chen (phone): Will take her on for care coordination",
        "Reviewed by priya Test, consultant clinical psychologist, on 22 Nov 2026: supports the pathway",
    ] {
        assert!(pathway.contains(part), "{part} in {pathway}");
    }
    assert!(s.section("recommendation").contains("12 sessions"));

    let (_, page) = s.app.page(&s.path("")).await;
    assert!(page.contains("Low mood since her mother died") && page.contains("Draft: not signed off"));
    let audited = s.app.audit_rows("create");
    assert!(
        audited
            .iter()
            .any(|r| r.detail.as_deref() == Some("suitability report drafted"))
    );
    // Drafting twice is refused; the case page shows the report's status.
    assert_eq!(s.app.submit("/", &s.path(""), &[]).await.status(), StatusCode::CONFLICT);
    assert_eq!(s.app.count("reports"), 1);
    let (_, case_page) = s.app.page(&format!("/mhtr/cases/{}", s.case)).await;
    assert!(case_page.contains("Suitability report") && case_page.contains("Not sent yet"));
}

async fn a_draft_with_nothing_recorded_is_empty_and_only_drafted_at_recommendation(db: Db) {
    let s = setup(db).await;
    s.draft().await;
    assert_eq!(s.app.count("report_sections"), MHTR_SUITABILITY.sections.len() as i64);
    assert_eq!(s.section("risks"), "");
    assert!(s.section("referral").contains("Court-based probation"));

    let early = s
        .app
        .add_mhtr_case(TEAM, &s.person, MhtrStatus::Negotiation, &s.maya_id);
    let (_, page) = s.app.page(&report_path(&early)).await;
    assert!(!page.contains("Draft the report") && page.contains("when the case reaches recommendation"));
    let res = s.app.submit("/", &report_path(&early), &[]).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert_eq!(s.app.count("reports"), 1);
}

async fn a_practitioner_edits_a_section_but_cannot_sign_off(db: Db) {
    let s = setup(db).await;
    s.draft().await;
    let (status, form) = s.app.page(&s.path("/sections/risks")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains("Risk to herself"), "the kind's hint is shown");
    let res = s
        .app
        .submit(
            "/",
            &s.path("/sections/risks"),
            &[("body", "  No current risk to self.  ")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(s.section("risks"), "No current risk to self.");
    let long = "x".repeat(20_001);
    let res = s.app.submit("/", &s.path("/sections/risks"), &[("body", &long)]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(s.section("risks"), "No current risk to self.", "nothing saved");
    assert_eq!(s.app.page(&s.path("/sections/nope")).await.0, StatusCode::NOT_FOUND);

    let (status, confirm) = s.app.page(&s.path("/sign-off")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        confirm.contains("You cannot sign this off")
            && confirm.contains("senior practitioner or the consultant clinical psychologist")
    );
    let res = s.app.submit("/", &s.path("/sign-off"), &[]).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let refused = s.app.audit_rows("update");
    assert!(refused.iter().any(|r| r.outcome.code() == "denied"
        && r.username.as_deref() == Some("maya")
        && r.detail.as_deref().is_some_and(|d| d.starts_with("report sign-off"))));
    assert_eq!(s.report_status(), "draft");

    // The psychologist is told which sections are still empty, and cannot sign off yet.
    let (_, confirm) = s.priya.page(&s.path("/sign-off")).await;
    assert!(confirm.contains("Write every section") && confirm.contains("Substance use, trauma and safeguarding"));
    assert_eq!(
        s.priya.submit("/", &s.path("/sign-off"), &[]).await.status(),
        StatusCode::CONFLICT
    );
    assert_eq!(s.report_status(), "draft");
}

async fn the_psychologist_signs_off_version_1_and_the_report_is_frozen_in_the_app_and_database(db: Db) {
    let s = setup(db).await;
    s.draft().await;
    for sec in MHTR_SUITABILITY.sections {
        s.app
            .submit(
                "/",
                &s.path(&format!("/sections/{}", sec.code)),
                &[("body", "Written.")],
            )
            .await;
    }
    let (_, confirm) = s.priya.page(&s.path("/sign-off")).await;
    assert!(confirm.contains("cannot be changed") && confirm.contains("Sign off the report"));
    let res = s.priya.submit("/", &s.path("/sign-off"), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(s.report_status(), "final");
    let report_id: liaison::domain::ids::ReportId =
        reports::table.select(reports::id).first(&mut s.app.conn()).unwrap();
    assert_eq!(
        liaison::reports::latest_version(&mut s.app.conn(), &report_id).unwrap(),
        Some(1)
    );
    let (_, page) = s.app.page(&s.path("")).await;
    assert!(page.contains("Final, version 1") && page.contains("Signed off by priya Test on"));
    assert_eq!(
        s.priya.submit("/", &s.path("/sign-off"), &[]).await.status(),
        StatusCode::CONFLICT
    );

    // The app refuses changes with a clear message...
    let (status, refused) = s.app.page(&s.path("/sections/risks")).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(refused.contains("signed off and is final"));
    let res = s
        .app
        .submit("/", &s.path("/sections/risks"), &[("body", "Changed")])
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert_eq!(s.section("risks"), "Written.");

    // ...and the database refuses them whatever the path.
    let mut conn = s.app.conn();
    let c: &mut DbConnection = &mut conn;
    let section = diesel::update(report_sections::table.filter(report_sections::report_id.eq(&report_id)))
        .set(report_sections::body.eq("Tampered"))
        .execute(c);
    assert!(section.is_err(), "a trigger refuses changing a final report's section");
    let report = diesel::update(reports::table.find(&report_id))
        .set(reports::status.eq("draft"))
        .execute(c);
    assert!(report.is_err(), "a trigger refuses reopening a final report");
    drop(conn);
    assert_eq!(s.section("risks"), "Written.");
}

async fn a_signed_addendum_makes_version_2_shown_on_the_print_page(db: Db) {
    let s = setup(db).await;
    s.signed_off().await;
    let res = s.app.submit("/", &s.path("/addenda"), &[("text", "   ")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Enter the addendum"));
    assert_eq!(s.app.count("report_addenda"), 0);

    let res = s
        .app
        .submit(
            "/",
            &s.path("/addenda"),
            &[("text", "She has since started at a Women's Centre.")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let aid: String = liaison::db::schema::report_addenda::table
        .select(liaison::db::schema::report_addenda::id)
        .first(&mut s.app.conn())
        .unwrap();
    let (_, print) = s.app.page(&s.path("/print")).await;
    assert!(
        !print.contains("Women's Centre"),
        "an unsigned addendum is not part of any version"
    );

    let sign = s.path(&format!("/addenda/{aid}/sign-off"));
    assert!(s.app.page(&sign).await.1.contains("You cannot sign this off"));
    assert_eq!(s.app.submit("/", &sign, &[]).await.status(), StatusCode::FORBIDDEN);
    assert!(s.priya.page(&sign).await.1.contains("becomes version 2"));
    assert_eq!(s.priya.submit("/", &sign, &[]).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(s.priya.submit("/", &sign, &[]).await.status(), StatusCode::CONFLICT);

    let (status, print) = s.app.page(&s.path("/print")).await;
    assert_eq!(status, StatusCode::OK);
    for part in [
        "Final, version 2",
        "Addendum: version 2",
        "She has since started at a Women's Centre.",
        "Signed off by priya Test on",
        "Jo Bloggs",
        "Risks written by maya.",
    ] {
        assert!(print.contains(part), "{part} on the print page");
    }
    assert!(
        !print.contains("app-nav") && !print.contains("Sign out"),
        "no navigation"
    );
    assert!(print.contains("media=\"print\""));
    assert!(print.contains("Printed by maya Test at"), "printed by and when");
    assert!(
        s.app
            .audit_rows("view")
            .iter()
            .any(|r| r.detail.as_deref() == Some("MHTR suitability report (printable)"))
    );
    // Version 1 stays readable as it was signed off: without the later addendum.
    let (status, v1) = s.app.page(&s.path("/print?version=1")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        v1.contains("Final, version 1") && v1.contains("Risks written by maya."),
        "{v1}"
    );
    assert!(!v1.contains("Women's Centre") && !v1.contains("Addendum: version 2"));
    for missing in ["3", "0", "x"] {
        let (status, _) = s.app.page(&s.path(&format!("/print?version={missing}"))).await;
        assert!(status.is_client_error(), "version {missing}: {status}");
    }
}

fn outbox_row(s: &Setup, recipient: &str) -> (String, String, String) {
    outbox::table
        .filter(outbox::recipient.eq(recipient))
        .select((outbox::subject, outbox::body_text, outbox::body_html.assume_not_null()))
        .first(&mut s.app.conn())
        .unwrap()
}

async fn probation_receives_the_report_by_email_at_a_secure_address(db: Db) {
    let s = setup(db).await;
    s.signed_off().await;
    let (status, form) = s.app.page(&s.path("/send")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains(SECURE) && form.contains("(secure)") && form.contains("(standard)"));
    assert!(!form.contains("cmht@nhs.net"), "only probation services are offered");

    let res = s.send(SECURE).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(s.app.count("outbox"), 1);
    assert_eq!(s.app.count("report_sends"), 1);
    let (subject, text, html) = outbox_row(&s, SECURE);
    assert!(subject.starts_with("MHTR suitability report RPT-") && subject.contains("(version 1) from London Women"));
    assert!(!subject.contains("Bloggs") && !subject.contains("Jo "));
    for body in [&text, &html] {
        assert!(body.contains("Jo Bloggs") && body.contains("1 Jun 1990"));
        assert!(body.contains("Recommendation to the court written by maya."));
    }
    let sent: (i32, String) = report_sends::table
        .select((report_sends::version, report_sends::recipient))
        .first(&mut s.app.conn())
        .unwrap();
    assert_eq!(sent, (1, SECURE.to_string()));
    assert_eq!(s.status(), "awaiting-sentence");

    assert_eq!(s.app.outbox_pass(), 1);
    let messages = s.server.wait_for_messages(1, WAIT);
    let m = &messages[0];
    assert!(m.rcpt_to.iter().any(|r| r.contains(SECURE)));
    assert!(!m.subject().unwrap().contains("Bloggs"));
    let delivered = m.text_part().unwrap();
    assert!(delivered.contains("Jo Bloggs") && delivered.contains("Risks written by maya."));
    assert!(m.html_part().unwrap().contains("Signed off by priya Test"));

    let (_, case_page) = s.app.page(&format!("/mhtr/cases/{}", s.case)).await;
    assert!(case_page.contains(&format!("Version 1 to {SECURE}")));
    assert!(
        case_page.contains(&format!(
            r#"href="/mhtr/cases/{}/report/print?version=1">view version 1 as sent"#,
            s.case
        )),
        "each send links to the version sent"
    );
}

async fn a_standard_address_gets_a_notice_without_personal_data_and_a_later_send_moves_nothing(db: Db) {
    let s = setup(db).await;
    s.signed_off().await;
    assert_eq!(s.send(STANDARD).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(s.status(), "awaiting-sentence");
    let (subject, text, html) = outbox_row(&s, STANDARD);
    for part in [&subject, &text, &html] {
        for secret in [
            "Bloggs",
            "Jo ",
            "1 Jun 1990",
            "1990-06-01",
            "written by maya",
            "Highbury Corner",
        ] {
            assert!(!part.contains(secret), "{secret} in a notice to a standard address");
        }
    }
    assert!(text.contains("not secure") && text.contains("RPT-"));

    // After an addendum, version 2 goes out without another transition.
    s.app
        .submit("/", &s.path("/addenda"), &[("text", "Update for the court.")])
        .await;
    let aid: String = liaison::db::schema::report_addenda::table
        .select(liaison::db::schema::report_addenda::id)
        .first(&mut s.app.conn())
        .unwrap();
    s.priya
        .submit("/", &s.path(&format!("/addenda/{aid}/sign-off")), &[])
        .await;
    assert_eq!(s.send(SECURE).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(s.status(), "awaiting-sentence");
    let versions: Vec<i32> = report_sends::table
        .order(report_sends::version.asc())
        .select(report_sends::version)
        .load(&mut s.app.conn())
        .unwrap();
    assert_eq!(versions, vec![1, 2]);
    let (subject, text, _) = outbox_row(&s, SECURE);
    assert!(subject.contains("(version 2)") && text.contains("Update for the court."));
    let events = liaison::mhtr::case::events(&mut s.app.conn(), &s.case).unwrap();
    assert_eq!(events.len(), 1, "one transition, at the first send");
}

async fn a_report_is_not_sent_before_sign_off_or_to_an_address_outside_the_directory(db: Db) {
    let s = setup(db).await;
    assert_eq!(s.app.page(&s.path("/send")).await.0, StatusCode::CONFLICT);
    s.draft().await;
    let (status, page) = s.app.page(&s.path("/send")).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(page.contains("only a signed-off report can be sent"));
    assert_eq!(s.send(SECURE).await.status(), StatusCode::CONFLICT);
    assert_eq!((s.app.count("outbox"), s.status().as_str()), (0, "recommendation"));

    s.signed_off_after_draft().await;
    for bad in ["", "cmht@nhs.net", "someone@cjsm.net"] {
        let res = s.send(bad).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert!(res.text().await.unwrap().contains("Select a probation address"));
    }
    assert_eq!((s.app.count("outbox"), s.app.count("report_sends")), (0, 0));
    assert_eq!(s.status(), "recommendation");
}

async fn a_report_is_not_shared_once_her_consent_is_withdrawn(db: Db) {
    let s = setup(db).await;
    s.signed_off().await;
    s.consent("withdrawn", 2);
    let (status, page) = s.app.page(&s.path("/send")).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(page.contains("withdrawn it, so the report cannot be shared"), "{page}");
    assert_eq!(s.send(SECURE).await.status(), StatusCode::CONFLICT);
    assert_eq!((s.app.count("outbox"), s.app.count("report_sends")), (0, 0));
    assert_eq!(s.status(), "recommendation");
}

impl Setup {
    /// Writes every section of the existing draft and has priya sign it off (her consent
    /// given first).
    async fn signed_off_after_draft(&self) {
        self.consent("given", 1);
        for sec in MHTR_SUITABILITY.sections {
            self.app
                .submit(
                    "/",
                    &self.path(&format!("/sections/{}", sec.code)),
                    &[("body", "Written.")],
                )
                .await;
        }
        assert_eq!(
            self.priya.submit("/", &self.path("/sign-off"), &[]).await.status(),
            StatusCode::SEE_OTHER
        );
    }
}

async fn other_teams_are_refused_on_every_route(db: Db) {
    let s = setup(db).await;
    s.signed_off().await;
    s.app.add_user("nia", Role::SeniorPractitioner, &["Kent Women's MHTR"]);
    let nia = s.app.another_client();
    nia.sign_in_ok("nia").await;
    for tail in [
        "",
        "/sections/risks",
        "/sign-off",
        "/print",
        "/send",
        "/addenda/x/sign-off",
    ] {
        assert_eq!(nia.page(&s.path(tail)).await.0, StatusCode::FORBIDDEN, "GET {tail}");
    }
    for (tail, fields) in [
        ("", vec![]),
        ("/sections/risks", vec![("body", "x")]),
        ("/sign-off", vec![]),
        ("/addenda", vec![("text", "x")]),
        ("/addenda/x/sign-off", vec![]),
        ("/send", vec![("recipient", SECURE)]),
    ] {
        assert_eq!(
            nia.submit("/", &s.path(tail), &fields).await.status(),
            StatusCode::FORBIDDEN,
            "POST {tail}"
        );
    }
    let denied = |action: &str| {
        s.app
            .audit_rows(action)
            .iter()
            .filter(|r| r.outcome.code() == "denied" && r.username.as_deref() == Some("nia"))
            .count()
    };
    assert_eq!(denied("view"), 6);
    assert_eq!(denied("create") + denied("update"), 6);
    assert_eq!((s.app.count("outbox"), s.app.count("report_addenda")), (0, 0));
}
