//! MHTR court outcomes – an MHTR made, another sentence, an adjournment that moves the
//! report deadline – and closing a case early.

use chrono::{Datelike, Duration, NaiveDate};
use liaison::domain::Role;
use liaison::domain::local_time;
use liaison::domain::mhtr::{DeadlineKind, MhtrStatus, adjourn, countdown};
use reqwest::StatusCode;

use crate::both_databases;
use crate::harness::{Db, TestApp, location};

both_databases!(
    an_mhtr_made_awaiting_sentence_starts_treatment_with_the_order,
    an_mhtr_made_before_the_report_is_sent_is_refused_and_nothing_is_saved,
    an_adjournment_moves_the_hearing_and_the_report_deadline_but_not_the_status,
    another_sentence_closes_the_case,
    bad_court_outcomes_are_explained_and_nothing_is_saved,
    closing_needs_a_reason_that_fits_the_stage,
    other_teams_cannot_see_or_record_court_outcomes,
);

const TEAM: &str = "London Women's MHTR";

struct Setup {
    app: TestApp,
    case_id: String,
}

/// "maya" of the MHTR team, signed in, with a case for Jo Bloggs at `status`.
async fn setup(db: Db, status: MhtrStatus) -> Setup {
    let app = TestApp::spawn(db).await;
    let uid = app.add_user("maya", Role::Practitioner, &[TEAM]);
    let person = app.add_person("Jo", "Bloggs", "1990-06-01", &uid);
    let case_id = app.add_mhtr_case(TEAM, &person, status, &uid);
    app.sign_in_ok("maya").await;
    Setup { app, case_id }
}

impl Setup {
    fn path(&self, page: &str) -> String {
        format!("/mhtr/cases/{}/{page}", self.case_id)
    }

    fn today(&self) -> NaiveDate {
        local_time::local_date(self.app.state.now())
    }

    async fn court(&self, fields: &[(&str, &str)]) -> reqwest::Response {
        let path = self.path("court");
        let case_page = format!("/mhtr/cases/{}", self.case_id);
        self.app.submit(&case_page, &path, fields).await
    }

    fn saved(&self) -> (i64, i64) {
        (self.app.count("mhtr_hearings"), self.app.count("mhtr_orders"))
    }
}

fn parts(d: NaiveDate) -> [String; 3] {
    [d.day().to_string(), d.month().to_string(), d.year().to_string()]
}

/// A good "MHTR made" form heard today, with `changes` replacing or adding fields.
fn mhtr_made<'a>(today: &'a [String; 3], changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("heard-day", today[0].as_str()),
        ("heard-month", today[1].as_str()),
        ("heard-year", today[2].as_str()),
        ("outcome", "mhtr-made"),
        ("order_type", "community-order"),
        ("requirement_months", "12"),
        ("responsible_officer", "Sam Okoro"),
        ("responsible_officer_email", "sam.okoro@probation.cjsm.net"),
        ("treating_practitioner", "Dr Ana Silva"),
    ];
    for (name, value) in changes {
        fields.retain(|(n, _)| n != name);
        fields.push((name, value));
    }
    fields
}

async fn an_mhtr_made_awaiting_sentence_starts_treatment_with_the_order(db: Db) {
    let s = setup(db, MhtrStatus::AwaitingSentence).await;
    let (status, html) = s.app.page(&s.path("court")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("MHTR made") && html.contains("Adjourned to a new date"));
    let today = parts(s.today());
    let res = s.court(&mhtr_made(&today, &[])).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), format!("/mhtr/cases/{}", s.case_id));

    assert_eq!(s.app.mhtr_case(&s.case_id).status.code(), "treatment");
    assert_eq!(s.saved(), (1, 1));
    let order = liaison::mhtr::case::court::order(&mut s.app.conn(), &s.case_id)
        .unwrap()
        .expect("order stored");
    assert_eq!(order.order_type, "community-order");
    assert_eq!(order.requirement_months, 12);
    assert_eq!(order.responsible_officer, "Sam Okoro");
    assert_eq!(order.responsible_officer_email, "sam.okoro@probation.cjsm.net");
    assert_eq!(order.treating_practitioner, "Dr Ana Silva");
    assert_eq!(order.sentenced_on.iso(), s.today().format("%Y-%m-%d").to_string());

    let (_, case_page) = s.app.page(&format!("/mhtr/cases/{}", s.case_id)).await;
    assert!(case_page.contains("Community order") && case_page.contains("12 months"));
    assert!(case_page.contains("Sam Okoro"));
    assert!(case_page.contains("None: she has been sentenced") && case_page.contains("Sent to probation"));
    // Once sentenced, no more outcomes are offered and none can be posted.
    let (_, court_page) = s.app.page(&s.path("court")).await;
    assert!(court_page.contains("No court outcome can be recorded now"));
    let res = s.court(&mhtr_made(&today, &[])).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert_eq!(s.saved(), (1, 1));
    let audited = s.app.audit_rows("update");
    assert!(audited.iter().any(|r| {
        r.record_type.as_deref() == Some("mhtr-case")
            && r.detail
                .as_deref()
                .is_some_and(|d| d.starts_with("court outcome mhtr-made"))
    }));
}

async fn an_mhtr_made_before_the_report_is_sent_is_refused_and_nothing_is_saved(db: Db) {
    let s = setup(db, MhtrStatus::Negotiation).await;
    let (_, html) = s.app.page(&s.path("court")).await;
    assert!(!html.contains("MHTR made"), "not offered at negotiation");
    let today = parts(s.today());
    let res = s.court(&mhtr_made(&today, &[])).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let body = res.text().await.unwrap();
    assert!(body.contains("You cannot record an MHTR as made when the case is at secondary care negotiation"));
    assert_eq!(s.saved(), (0, 0));
    assert_eq!(s.app.mhtr_case(&s.case_id).status.code(), "negotiation");
}

async fn an_adjournment_moves_the_hearing_and_the_report_deadline_but_not_the_status(db: Db) {
    let s = setup(db, MhtrStatus::Negotiation).await;
    let today = s.today();
    let new_hearing = today + Duration::days(30);
    let (heard, to) = (parts(today), parts(new_hearing));
    let res = s
        .court(&[
            ("heard-day", &heard[0]),
            ("heard-month", &heard[1]),
            ("heard-year", &heard[2]),
            ("outcome", "adjourned"),
            ("adjourned-day", &to[0]),
            ("adjourned-month", &to[1]),
            ("adjourned-year", &to[2]),
        ])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    let c = s.app.mhtr_case(&s.case_id);
    let due = adjourn(DeadlineKind::FifteenWorkingDays, today, new_hearing);
    assert_eq!(c.status.code(), "negotiation");
    assert_eq!(c.next_hearing_date(), Some(new_hearing));
    assert_eq!(c.report_due_date(), Some(due));
    assert_eq!(s.saved(), (1, 0));
    let events = liaison::mhtr::case::events(&mut s.app.conn(), &s.case_id).unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(
        (events[0].from_status.as_str(), events[0].to_status.as_str()),
        ("negotiation", "negotiation")
    );
    assert!(events[0].note.as_deref().unwrap().starts_with("Adjourned to"));

    let (_, case_page) = s.app.page(&format!("/mhtr/cases/{}", s.case_id)).await;
    assert!(case_page.contains(&countdown(due, today)));
    assert!(case_page.contains(&due.format("%-d %b %Y").to_string()));
    assert!(case_page.contains("Adjourned to a new date"));
}

async fn another_sentence_closes_the_case(db: Db) {
    let s = setup(db, MhtrStatus::AwaitingSentence).await;
    let today = parts(s.today());
    let res = s
        .court(&[
            ("heard-day", &today[0]),
            ("heard-month", &today[1]),
            ("heard-year", &today[2]),
            ("outcome", "other-sentence"),
            ("notes", "Fine and costs"),
        ])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let c = s.app.mhtr_case(&s.case_id);
    assert_eq!(c.status.code(), "closed");
    assert_eq!(c.exit_reason.as_deref(), Some("other-sentence"));
    assert!(c.closed_at.is_some());
    assert_eq!(s.saved(), (1, 0));
}

async fn bad_court_outcomes_are_explained_and_nothing_is_saved(db: Db) {
    let s = setup(db, MhtrStatus::AwaitingSentence).await;
    let today = parts(s.today());
    let yesterday = parts(s.today() - Duration::days(1));
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (mhtr_made(&today, &[("order_type", "")]), "Select the type of order"),
        (
            mhtr_made(&today, &[("requirement_months", "0")]),
            "Requirement length must be between 1 and 36 months",
        ),
        (
            mhtr_made(&today, &[("requirement_months", "40")]),
            "Requirement length must be between 1 and 36 months",
        ),
        (
            mhtr_made(&today, &[("requirement_months", "x")]),
            "Requirement length must be a whole number of months",
        ),
        (
            mhtr_made(&today, &[("responsible_officer_email", "sam at probation")]),
            "Enter an email address in the correct format",
        ),
        (
            mhtr_made(
                &today,
                &[
                    ("outcome", "adjourned"),
                    ("adjourned-day", &yesterday[0]),
                    ("adjourned-month", &yesterday[1]),
                    ("adjourned-year", &yesterday[2]),
                ],
            ),
            "New hearing date must be",
        ),
        (mhtr_made(&today, &[("outcome", "")]), "Select what the court decided"),
    ];
    for (fields, message) in cases {
        let res = s.court(&fields).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{message}");
        let html = res.text().await.unwrap();
        assert!(
            html.contains("There is a problem") && html.contains(message),
            "{message}"
        );
        // The other answers are kept.
        assert!(html.contains("value=\"Sam Okoro\""), "{message}");
    }
    assert_eq!(s.saved(), (0, 0));
    let c = s.app.mhtr_case(&s.case_id);
    assert_eq!(c.status.code(), "awaiting-sentence");
    assert!(
        liaison::mhtr::case::events(&mut s.app.conn(), &s.case_id)
            .unwrap()
            .is_empty()
    );
}

async fn closing_needs_a_reason_that_fits_the_stage(db: Db) {
    let s = setup(db, MhtrStatus::AwaitingSentence).await;
    let (status, html) = s.app.page(&s.path("close")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Consent declined or withdrawn") && !html.contains("Order revoked"));
    assert!(html.contains("cannot be reopened"));
    let close = s.path("close");

    // Revocation only happens in treatment.
    let res = s.app.submit(&close, &close, &[("reason", "revoked")]).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(res.text().await.unwrap().contains("can be recorded only in treatment"));
    let res = s.app.submit(&close, &close, &[("reason", "other")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Enter why the case is closing"));
    let res = s.app.submit(&close, &close, &[("reason", "")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(s.app.mhtr_case(&s.case_id).status.code(), "awaiting-sentence");

    let res = s
        .app
        .submit(
            &close,
            &close,
            &[("reason", "consent-declined"), ("note", "Withdrew consent")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let c = s.app.mhtr_case(&s.case_id);
    assert_eq!(c.status.code(), "closed");
    assert_eq!(c.exit_reason.as_deref(), Some("consent-declined"));
    assert_eq!(c.exit_note.as_deref(), Some("Withdrew consent"));
    assert_eq!(s.app.page(&close).await.0, StatusCode::CONFLICT);
}

async fn other_teams_cannot_see_or_record_court_outcomes(db: Db) {
    let s = setup(db, MhtrStatus::AwaitingSentence).await;
    s.app.add_user("nia", Role::Practitioner, &["Kent Women's MHTR"]);
    let nia = s.app.another_client();
    nia.sign_in_ok("nia").await;
    let today = parts(s.today());
    for page in ["court", "close"] {
        assert_eq!(nia.page(&s.path(page)).await.0, StatusCode::FORBIDDEN);
    }
    let res = nia.submit("/", &s.path("court"), &mhtr_made(&today, &[])).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = nia
        .submit("/", &s.path("close"), &[("reason", "other"), ("note", "x")])
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
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
    assert_eq!((denied("view"), denied("update")), (2, 2));
    assert_eq!(s.saved(), (0, 0));
    assert_eq!(s.app.mhtr_case(&s.case_id).status.code(), "awaiting-sentence");
}
