//! Treatment under an MHTR: sessions and attendance, outcome measures, Women's Centre
//! liaison, compliance events (non-attendance emailed to the responsible officer through the
//! outbox) and completion.

use std::time::Duration as WaitFor;

use chrono::{Datelike, Duration, NaiveDate};
use diesel::prelude::*;
use liaison::db::schema::{
    mhtr_centre_contacts, mhtr_compliance_events, mhtr_measures, mhtr_orders, mhtr_sessions, outbox,
};
use liaison::domain::Role;
use liaison::domain::local_time;
use liaison::domain::mhtr::{DEFAULT_MEASURES, MhtrStatus};
use reqwest::StatusCode;

use crate::both_databases;
use crate::harness::{Db, TestApp};
use crate::smtp_server::SmtpServer;

both_databases!(
    sessions_are_planned_and_attendance_recorded_with_reasons_for_missed_ones,
    outcome_measures_are_range_checked_and_shown_at_start_and_end,
    the_service_records_the_outcome_measures_it_is_configured_for,
    womens_centre_contacts_are_chosen_from_the_directory,
    reported_non_attendance_emails_a_secure_officer_her_name_and_missed_dates,
    reported_non_attendance_to_a_standard_address_carries_no_personal_data,
    completing_treatment_asks_first_then_completes_the_case,
    treatment_is_refused_before_sentence,
    a_completed_treatment_stays_readable_but_takes_no_more_entries,
    other_teams_cannot_see_or_record_treatment,
);

const TEAM: &str = "London Women's MHTR";
const WAIT: WaitFor = WaitFor::from_secs(10);

struct Setup {
    app: TestApp,
    server: SmtpServer,
    case_id: String,
}

/// "maya" of the MHTR team, signed in, with Jo Bloggs's case at `status`; in treatment it has
/// an order whose responsible officer is at `officer_email`.
async fn setup(db: Db, status: MhtrStatus, officer_email: &str) -> Setup {
    setup_measuring(db, status, officer_email, &DEFAULT_MEASURES).await
}

/// As [`setup`], for a service that records `measures`.
async fn setup_measuring(db: Db, status: MhtrStatus, officer_email: &str, measures: &[&str]) -> Setup {
    let server = SmtpServer::start();
    let url = server.url();
    let measures: Vec<String> = measures.iter().map(|m| m.to_string()).collect();
    let app = TestApp::spawn_with(db, move |c| {
        c.smtp_url = Some(url);
        c.secure_domains = vec!["cjsm.net".into(), "nhs.net".into()];
        c.mhtr_outcome_measures = measures;
    })
    .await;
    let uid = app.add_user("maya", Role::Practitioner, &[TEAM]);
    let person = app.add_person("Jo", "Bloggs", "1990-06-01", &uid);
    let case_id = app.add_mhtr_case(TEAM, &person, status, &uid);
    if status == MhtrStatus::Treatment {
        let sentenced = local_time::local_date(app.state.now()) - Duration::days(30);
        diesel::insert_into(mhtr_orders::table)
            .values((
                mhtr_orders::case_id.eq(&case_id),
                mhtr_orders::sentenced_on.eq(sentenced.format("%Y-%m-%d").to_string()),
                mhtr_orders::order_type.eq("community-order"),
                mhtr_orders::requirement_months.eq(6),
                mhtr_orders::responsible_officer.eq("Sam Okoro"),
                mhtr_orders::responsible_officer_email.eq(officer_email),
                mhtr_orders::treating_practitioner.eq("Dr Ana Silva"),
                mhtr_orders::recorded_by.eq(&uid),
                mhtr_orders::recorded_at.eq(0),
            ))
            .execute(&mut app.conn())
            .unwrap();
    }
    app.sign_in_ok("maya").await;
    Setup { app, server, case_id }
}

fn parts(d: NaiveDate) -> [String; 3] {
    [d.day().to_string(), d.month().to_string(), d.year().to_string()]
}

impl Setup {
    fn path(&self, page: &str) -> String {
        format!("/mhtr/cases/{}/treatment{page}", self.case_id)
    }

    fn days_ago(&self, days: i64) -> [String; 3] {
        parts(local_time::local_date(self.app.state.now()) - Duration::days(days))
    }

    async fn post(&self, page: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        self.app.submit(&self.path(""), &self.path(page), fields).await
    }

    /// Plans a session `days_ago`; returns its id.
    async fn plan(&self, days_ago: i64) -> String {
        let d = self.days_ago(days_ago);
        let fields = [
            ("planned-day", &d[0]),
            ("planned-month", &d[1]),
            ("planned-year", &d[2]),
        ];
        let fields: Vec<(&str, &str)> = fields.iter().map(|(n, v)| (*n, v.as_str())).collect();
        let res = self.post("/sessions", &fields).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let stored = local_time::local_date(self.app.state.now()) - Duration::days(days_ago);
        mhtr_sessions::table
            .filter(mhtr_sessions::planned_on.eq(stored.format("%Y-%m-%d").to_string()))
            .select(mhtr_sessions::id)
            .first(&mut self.app.conn())
            .unwrap()
    }

    async fn attendance(&self, session: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        self.post(&format!("/sessions/{session}"), fields).await
    }

    fn attendance_of(&self, session: &str) -> Option<String> {
        mhtr_sessions::table
            .find(session)
            .select(mhtr_sessions::attendance)
            .first(&mut self.app.conn())
            .unwrap()
    }

    /// A session she missed, then non-attendance reported.
    async fn report_missed_session(&self) -> reqwest::Response {
        let session = self.plan(7).await;
        let res = self
            .attendance(
                session.as_str(),
                &[("attendance", "did-not-attend"), ("reason", "No contact")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let today = self.days_ago(0);
        self.post(
            "/compliance",
            &[
                ("kind", "non-attendance-reported"),
                ("occurred-day", &today[0]),
                ("occurred-month", &today[1]),
                ("occurred-year", &today[2]),
                ("compliance_notes", "Second missed session"),
            ],
        )
        .await
    }

    fn outbox(&self) -> Vec<(String, String, String, String)> {
        outbox::table
            .select((outbox::id, outbox::recipient, outbox::subject, outbox::body_text))
            .load(&mut self.app.conn())
            .unwrap()
    }
}

async fn sessions_are_planned_and_attendance_recorded_with_reasons_for_missed_ones(db: Db) {
    let s = setup(db, MhtrStatus::Treatment, "sam.okoro@probation.cjsm.net").await;
    let first = s.plan(14).await;
    let second = s.plan(7).await;
    s.plan(0).await;
    assert_eq!(s.app.count("mhtr_sessions"), 3);

    let res = s.attendance(&first, &[("attendance", "attended")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = s.attendance(&second, &[("attendance", "did-not-attend")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Enter the reason"));
    assert_eq!(s.attendance_of(&second), None);
    let res = s
        .attendance(&second, &[("attendance", "did-not-attend"), ("reason", "Unwell")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    let res = s
        .post(
            "/sessions",
            &[("planned-day", "31"), ("planned-month", "2"), ("planned-year", "2027")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(s.app.count("mhtr_sessions"), 3);

    let (status, html) = s.app.page(&s.path("")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("1 of 3 sessions attended"));
    assert!(html.contains("Did not attend") && html.contains("Unwell"));
    let (_, case_page) = s.app.page(&format!("/mhtr/cases/{}", s.case_id)).await;
    assert!(case_page.contains("1 of 3 sessions attended"));
}

async fn outcome_measures_are_range_checked_and_shown_at_start_and_end(db: Db) {
    let s = setup(db, MhtrStatus::Treatment, "sam.okoro@probation.cjsm.net").await;
    let d = s.days_ago(20);
    let measure = |phase: &'static str, score: &'static str| {
        vec![
            ("measure", "core-10"),
            ("phase", phase),
            ("score", score),
            ("taken-day", d[0].as_str()),
            ("taken-month", d[1].as_str()),
            ("taken-year", d[2].as_str()),
        ]
    };
    let res = s.post("/measures", &measure("start", "41")).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("CORE-10 score must be between 0 and 40")
    );
    assert_eq!(s.app.count("mhtr_measures"), 0);

    assert_eq!(
        s.post("/measures", &measure("start", "30")).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        s.post("/measures", &measure("end", "12")).await.status(),
        StatusCode::SEE_OTHER
    );
    let res = s.post("/measures", &measure("end", "10")).await;
    assert_eq!(
        res.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "one end score per measure"
    );
    let scores: Vec<(String, i32)> = mhtr_measures::table
        .order(mhtr_measures::phase.desc())
        .select((mhtr_measures::phase, mhtr_measures::score))
        .load(&mut s.app.conn())
        .unwrap();
    assert_eq!(scores, [("start".to_string(), 30), ("end".to_string(), 12)]);

    let (_, html) = s.app.page(&s.path("")).await;
    assert!(html.contains("30 on ") && html.contains("12 on ") && html.contains("-18"));
}

async fn the_service_records_the_outcome_measures_it_is_configured_for(db: Db) {
    let s = setup_measuring(
        db,
        MhtrStatus::Treatment,
        "sam.okoro@probation.cjsm.net",
        &["phq-9", "gad-7"],
    )
    .await;
    let (_, page) = s.app.page(&s.path("")).await;
    assert!(
        page.contains("PHQ-9 0 to 27") && page.contains("GAD-7 0 to 21"),
        "{page}"
    );
    assert!(
        !page.contains("CORE-10"),
        "a measure the service does not record is not offered"
    );
    let d = s.days_ago(20);
    let measure = |code: &'static str, score: &'static str| {
        vec![
            ("measure", code),
            ("phase", "start"),
            ("score", score),
            ("taken-day", d[0].as_str()),
            ("taken-month", d[1].as_str()),
            ("taken-year", d[2].as_str()),
        ]
    };
    let res = s.post("/measures", &measure("core-10", "12")).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = s.post("/measures", &measure("phq-9", "28")).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("PHQ-9 score must be between 0 and 27")
    );
    assert_eq!(s.app.count("mhtr_measures"), 0);
    let res = s.post("/measures", &measure("phq-9", "19")).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    let (status, csv) = s.app.page("/mhtr/extract.csv?pseudonymised=yes").await;
    assert_eq!(status, StatusCode::OK);
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').map(|c| c.trim_matches('"')).collect();
    let row: Vec<&str> = lines.next().unwrap().split(',').map(|c| c.trim_matches('"')).collect();
    for column in ["phq_9_start", "phq_9_end", "gad_7_start", "gad_7_end"] {
        assert!(header.contains(&column), "{column} in {header:?}");
    }
    assert!(!header.contains(&"core_10_start"));
    let at = header.iter().position(|c| *c == "phq_9_start").unwrap();
    assert_eq!(row[at], "19");
}

async fn womens_centre_contacts_are_chosen_from_the_directory(db: Db) {
    let s = setup(db, MhtrStatus::Treatment, "sam.okoro@probation.cjsm.net").await;
    s.app.add_service(
        "Hibiscus",
        "Women's Centre",
        "womens-centre",
        &["hello@hibiscus.example.org"],
    );
    let (_, html) = s.app.page(&s.path("")).await;
    assert!(
        html.contains("<option value=\"Hibiscus – Women&#39;s Centre\"") || html.contains("Hibiscus – Women's Centre")
    );
    let d = s.days_ago(2);
    let contact = |centre: &'static str| {
        vec![
            ("centre", centre),
            ("contacted-day", d[0].as_str()),
            ("contacted-month", d[1].as_str()),
            ("contacted-year", d[2].as_str()),
            ("method", "phone"),
            ("centre_notes", "Agreed a keyworker"),
        ]
    };
    let res = s.post("/centre-contacts", &contact("Somewhere else")).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = s.post("/centre-contacts", &contact("Hibiscus – Women's Centre")).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let stored: Vec<(String, String)> = mhtr_centre_contacts::table
        .select((mhtr_centre_contacts::centre, mhtr_centre_contacts::method))
        .load(&mut s.app.conn())
        .unwrap();
    assert_eq!(stored, [("Hibiscus – Women's Centre".to_string(), "phone".to_string())]);
    let (_, html) = s.app.page(&s.path("")).await;
    assert!(html.contains("Agreed a keyworker"));
}

async fn reported_non_attendance_emails_a_secure_officer_her_name_and_missed_dates(db: Db) {
    let s = setup(db, MhtrStatus::Treatment, "sam.okoro@probation.cjsm.net").await;
    // Nothing to report before a session is missed.
    let today = s.days_ago(0);
    let early = [
        ("kind", "non-attendance-reported"),
        ("occurred-day", today[0].as_str()),
        ("occurred-month", today[1].as_str()),
        ("occurred-year", today[2].as_str()),
    ];
    assert_eq!(
        s.post("/compliance", &early).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(s.app.count("outbox"), 0);

    let res = s.report_missed_session().await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let queued = s.outbox();
    assert_eq!(queued.len(), 1);
    let (id, recipient, subject, body) = &queued[0];
    assert_eq!(recipient, "sam.okoro@probation.cjsm.net");
    assert!(!subject.contains("Jo") && !subject.contains("Bloggs"), "{subject}");
    assert!(body.contains("Jo Bloggs"));
    let missed = local_time::local_date(s.app.state.now()) - Duration::days(7);
    assert!(body.contains(&missed.format("%-d %b %Y").to_string()));
    assert!(body.contains("maya Test") && body.contains(TEAM));
    assert!(!body.contains("Second missed session"), "notes stay in the record");
    let stored: Option<String> = mhtr_compliance_events::table
        .select(mhtr_compliance_events::outbox_id)
        .first(&mut s.app.conn())
        .unwrap();
    assert_eq!(stored.as_ref(), Some(id));

    assert_eq!(s.app.outbox_pass(), 1);
    let sent = s.server.wait_for_messages(1, WAIT);
    assert_eq!(sent[0].rcpt_to, ["sam.okoro@probation.cjsm.net"]);
    let (_, html) = s.app.page(&s.path("")).await;
    assert!(html.contains("Emailed to the responsible officer"));
}

async fn reported_non_attendance_to_a_standard_address_carries_no_personal_data(db: Db) {
    let s = setup(db, MhtrStatus::Treatment, "sam.okoro@probation.example.org").await;
    assert_eq!(s.report_missed_session().await.status(), StatusCode::SEE_OTHER);
    let queued = s.outbox();
    assert_eq!(queued.len(), 1);
    let (_, recipient, subject, body) = &queued[0];
    assert_eq!(recipient, "sam.okoro@probation.example.org");
    for text in [subject, body] {
        assert!(
            !text.contains("Jo") && !text.contains("Bloggs") && !text.contains("1990"),
            "{text}"
        );
    }
    assert!(body.contains("contains no personal information") && body.contains("MHTR-"));
    assert_eq!(s.app.outbox_pass(), 1);
    s.server.wait_for_messages(1, WAIT);
}

async fn completing_treatment_asks_first_then_completes_the_case(db: Db) {
    let s = setup(db, MhtrStatus::Treatment, "sam.okoro@probation.cjsm.net").await;
    let (status, html) = s.app.page(&s.path("/complete")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("It cannot be undone"));
    let complete = s.path("/complete");
    let res = s.app.submit(&complete, &complete, &[("outcome", "")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(s.app.mhtr_case(&s.case_id).status.code(), "treatment");

    // No end-of-treatment scores and no reason: refused at the reason, nothing completed.
    let res = s
        .app
        .submit(
            &complete,
            &complete,
            &[("outcome", "completed-some-missed"), ("notes", "Engaged well")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = res.text().await.unwrap();
    assert!(
        refused.contains("Record the end-of-treatment outcome measure scores or say why they were not taken"),
        "{refused}"
    );
    assert!(refused.contains("Engaged well"), "the answers are kept");
    assert_eq!(s.app.mhtr_case(&s.case_id).status.code(), "treatment");
    let res = s
        .app
        .submit(
            &complete,
            &complete,
            &[
                ("outcome", "completed-some-missed"),
                ("measures_reason", "She declined the final questionnaire"),
                ("notes", "Engaged well"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(s.app.mhtr_case(&s.case_id).status.code(), "completed");
    let (outcome, at): (Option<String>, Option<i64>) = mhtr_orders::table
        .find(&s.case_id)
        .select((mhtr_orders::completion_outcome, mhtr_orders::completed_at))
        .first(&mut s.app.conn())
        .unwrap();
    assert_eq!(outcome.as_deref(), Some("completed-some-missed"));
    assert!(at.is_some());
    let (_, case_page) = s.app.page(&format!("/mhtr/cases/{}", s.case_id)).await;
    assert!(case_page.contains("Completed, with some sessions missed"));
}

async fn treatment_is_refused_before_sentence(db: Db) {
    let s = setup(db, MhtrStatus::AwaitingSentence, "").await;
    assert_eq!(s.app.page(&s.path("")).await.0, StatusCode::CONFLICT);
    let d = s.days_ago(0);
    let plan = [
        ("planned-day", d[0].as_str()),
        ("planned-month", d[1].as_str()),
        ("planned-year", d[2].as_str()),
    ];
    let res = s.app.submit("/", &s.path("/sessions"), &plan).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert_eq!(s.app.count("mhtr_sessions"), 0);
}

async fn a_completed_treatment_stays_readable_but_takes_no_more_entries(db: Db) {
    let t = setup(db, MhtrStatus::Treatment, "sam.okoro@probation.cjsm.net").await;
    let d = t.days_ago(0);
    let plan = [
        ("planned-day", d[0].as_str()),
        ("planned-month", d[1].as_str()),
        ("planned-year", d[2].as_str()),
    ];
    t.plan(3).await;
    let complete = t.path("/complete");
    // "All planned sessions" while the one planned has no attendance recorded: refused.
    let reason = ("measures_reason", "Treatment ended before the end scores were due");
    let res = t
        .app
        .submit(&complete, &complete, &[("outcome", "completed-all-sessions"), reason])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("0 planned sessions of 1 recorded as attended")
    );
    let res = t
        .app
        .submit(&complete, &complete, &[("outcome", "ended-early-by-agreement"), reason])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (status, html) = t.app.page(&t.path("")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Treatment can no longer be recorded") && !html.contains("Plan session"));
    let res = t.app.submit(&t.path(""), &t.path("/sessions"), &plan).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert_eq!(t.app.count("mhtr_sessions"), 1);
}

async fn other_teams_cannot_see_or_record_treatment(db: Db) {
    let s = setup(db, MhtrStatus::Treatment, "sam.okoro@probation.cjsm.net").await;
    let session = s.plan(1).await;
    s.app.add_user("nia", Role::Practitioner, &["Kent Women's MHTR"]);
    let nia = s.app.another_client();
    nia.sign_in_ok("nia").await;
    for page in ["", "/complete"] {
        assert_eq!(nia.page(&s.path(page)).await.0, StatusCode::FORBIDDEN);
    }
    let session_page = s.path(&format!("/sessions/{session}"));
    assert_eq!(nia.page(&session_page).await.0, StatusCode::FORBIDDEN);
    let posts = [
        (session_page.clone(), vec![("attendance", "attended")]),
        (s.path("/sessions"), vec![("planned-day", "1")]),
        (s.path("/measures"), vec![("measure", "core-10")]),
        (s.path("/centre-contacts"), vec![("centre", "x")]),
        (s.path("/compliance"), vec![("kind", "warning")]),
        (s.path("/complete"), vec![("outcome", "completed-all-sessions")]),
    ];
    for (path, fields) in &posts {
        assert_eq!(
            nia.submit("/", path, fields).await.status(),
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    let denied = |action: &str| {
        s.app
            .audit_rows(action)
            .iter()
            .filter(|r| {
                r.outcome.code() == "denied"
                    && r.username.as_deref() == Some("nia")
                    && r.record_type.as_deref() == Some("mhtr-case")
                    && r.record_id.as_deref() == Some(s.case_id.as_str())
            })
            .count()
    };
    assert_eq!((denied("view"), denied("update")), (3, posts.len()));
    assert_eq!(s.attendance_of(&session), None);
    assert_eq!(s.app.mhtr_case(&s.case_id).status.code(), "treatment");
}
