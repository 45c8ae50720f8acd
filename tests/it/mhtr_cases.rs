//! MHTR cases: accepting an intake referral opens a case, the case page, and the
//! eligibility screen.

use chrono::{Datelike, Duration, NaiveDate};
use liaison::domain::Role;
use liaison::domain::local_time;
use liaison::domain::mhtr::{DeadlineKind, countdown, report_due_by};
use liaison::mhtr::case::{self, MhtrCase};
use liaison::mhtr::referral::{self, MhtrReferral};
use reqwest::StatusCode;

use crate::both_databases;
use crate::harness::{Db, TestApp, location};

both_databases!(
    accepting_opens_one_case_at_eligibility_with_the_report_deadline,
    accepting_needs_a_deadline_kind,
    an_eligible_screen_moves_the_case_to_assessment,
    an_ineligible_screen_closes_the_case_with_the_reason,
    bad_screens_are_refused_and_nothing_is_saved,
    the_screen_is_refused_once_the_case_has_moved_on,
    only_the_case_team_sees_the_case,
);

const LD_TEAM: &str = "Brent L&D";
const MHTR_TEAM: &str = "London Women's MHTR";
const COURT: &str = "Westminster Magistrates' Court";

struct Setup {
    /// The L&D practitioner "pat", signed in; kept for the audit trail and the database.
    app: TestApp,
    /// "maya" of the MHTR team, signed in.
    maya: TestApp,
    referral: MhtrReferral,
}

/// A woman referred by L&D with a sentencing hearing `hearing_days` from today.
async fn setup(db: Db, hearing_days: i64) -> Setup {
    let app = TestApp::spawn(db).await;
    let uid = app.add_user("pat", Role::Practitioner, &[LD_TEAM]);
    app.add_user("maya", Role::Practitioner, &[MHTR_TEAM]);
    let site = app.add_court(LD_TEAM, COURT);
    let person = app.add_person("Jo", "Bloggs", "1990-06-01", &uid);
    let episode = app.add_episode(&person, &site, &uid, 30, false);
    app.sign_in_ok("pat").await;
    let hearing: NaiveDate = local_time::local_date(app.state.now()) + Duration::days(hearing_days);
    let path = format!("/episodes/{episode}/mhtr-referral");
    let (day, month, year) = (
        hearing.day().to_string(),
        hearing.month().to_string(),
        hearing.year().to_string(),
    );
    let res = app
        .submit(
            &path,
            &path,
            &[
                ("reason", "Low mood; an MHTR may suit her"),
                ("agrees", "yes"),
                ("hearing-day", &day),
                ("hearing-month", &month),
                ("hearing-year", &year),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "referral saved");
    let referral = referral::for_person(&mut app.conn(), &person).unwrap().remove(0).0;
    let maya = app.another_client();
    maya.sign_in_ok("maya").await;
    Setup { app, maya, referral }
}

fn intake_page(r: &MhtrReferral) -> String {
    format!("/mhtr/intake/{}", r.id)
}

/// Accepts the referral with a five-working-day deadline; returns the case opened.
async fn accept(s: &Setup) -> MhtrCase {
    let page = intake_page(&s.referral);
    let res = s
        .maya
        .submit(
            &page,
            &page,
            &[("decision", "accept"), ("deadline_kind", "five-working-days")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let c = case::for_referral(&mut s.app.conn(), &s.referral.id)
        .unwrap()
        .expect("case opened");
    assert_eq!(location(&res), format!("/mhtr/cases/{}", c.id));
    c
}

fn reload(app: &TestApp, c: &MhtrCase) -> MhtrCase {
    case::find(&mut app.conn(), &c.id).unwrap().unwrap()
}

fn eligibility_path(c: &MhtrCase) -> String {
    format!("/mhtr/cases/{}/eligibility", c.id)
}

const ELIGIBLE: [(&str, &str); 4] = [
    ("identifies_as_woman", "yes"),
    ("plea", "guilty"),
    ("offence_in_range", "yes"),
    ("gp", "registered"),
];

async fn accepting_opens_one_case_at_eligibility_with_the_report_deadline(db: Db) {
    let s = setup(db, 10).await;
    let c = accept(&s).await;
    assert_eq!(s.app.count("mhtr_cases"), 1);
    assert_eq!(c.status.code(), "eligibility");
    assert_eq!(c.referral_source, "court-ld");
    assert_eq!(c.court.as_deref(), Some(COURT));
    assert_eq!(c.deadline_kind, "five-working-days");
    assert_eq!(c.next_hearing, s.referral.hearing_date.map(String::from));
    let referred_on = local_time::local_date(s.referral.created_at);
    let due = report_due_by(DeadlineKind::FiveWorkingDays, referred_on, s.referral.hearing());
    assert_eq!(
        c.report_due.as_deref(),
        Some(due.format("%Y-%m-%d").to_string().as_str())
    );
    assert_eq!(c.team_id, s.app.team_id(MHTR_TEAM));

    let events = case::events(&mut s.app.conn(), &c.id).unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(
        (events[0].from_status.as_str(), events[0].to_status.as_str()),
        ("referred", "eligibility")
    );
    assert_eq!(events[0].author, "maya Test");
    assert!(
        s.app
            .audit_rows("create")
            .iter()
            .any(|a| a.record_type.as_deref() == Some("mhtr-case") && a.record_id.as_deref() == Some(c.id.as_str()))
    );

    let (status, html) = s.maya.page(&format!("/mhtr/cases/{}", c.id)).await;
    assert_eq!(status, StatusCode::OK);
    let today = local_time::local_date(s.app.state.now());
    for shown in [
        "BLOGGS, Jo",
        "Jo Bloggs",
        "Eligibility screening",
        "Westminster Magistrates",
        "10 days to hearing",
        countdown(due, today).as_str(),
        "Within 5 working days",
        "Record the eligibility screen",
        "In intake → Eligibility screening",
    ] {
        assert!(html.contains(shown), "{shown}: {html}");
    }
    let age = liaison::domain::person::age_on(NaiveDate::from_ymd_opt(1990, 6, 1).unwrap(), today);
    let age_row =
        format!(r#"<dt class="app-summary-list__key">Age</dt><dd class="app-summary-list__value">{age}</dd>"#);
    assert!(html.contains(&age_row), "age computed: {html}");
    assert!(
        s.app
            .audit_rows("view")
            .iter()
            .any(|a| a.record_type.as_deref() == Some("mhtr-case")
                && a.outcome.code() == "allowed"
                && a.record_id.as_deref() == Some(c.id.as_str()))
    );

    // The intake page now links to the case, and a second decision is still refused.
    let (_, html) = s.maya.page(&intake_page(&s.referral)).await;
    assert!(html.contains(&format!("/mhtr/cases/{}", c.id)));
    let page = intake_page(&s.referral);
    let res = s
        .maya
        .submit(&page, &page, &[("decision", "accept"), ("deadline_kind", "same-day")])
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert_eq!(s.app.count("mhtr_cases"), 1);
}

async fn accepting_needs_a_deadline_kind(db: Db) {
    let s = setup(db, 3).await;
    let page = intake_page(&s.referral);
    let (_, html) = s.maya.page(&page).await;
    assert!(html.contains("Within 15 working days (complex case)"));
    let res = s.maya.submit(&page, &page, &[("decision", "accept")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Select how long the court has given for the suitability report")
    );
    assert_eq!(s.app.count("mhtr_cases"), 0);
    assert_eq!(s.app.count("mhtr_case_events"), 0);
    assert_eq!(
        referral::find(&mut s.app.conn(), &s.referral.id)
            .unwrap()
            .unwrap()
            .status
            .code(),
        "new"
    );

    // A same-day stand-down is due at the hearing.
    let res = s
        .maya
        .submit(&page, &page, &[("decision", "accept"), ("deadline_kind", "same-day")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let c = case::for_referral(&mut s.app.conn(), &s.referral.id).unwrap().unwrap();
    assert_eq!(c.report_due, s.referral.hearing_date.map(String::from));
    let (_, html) = s.maya.page(&format!("/mhtr/cases/{}", c.id)).await;
    assert!(html.contains("Due in 3 days"), "{html}");
}

async fn an_eligible_screen_moves_the_case_to_assessment(db: Db) {
    let s = setup(db, 10).await;
    let c = accept(&s).await;
    let path = eligibility_path(&c);
    let (status, html) = s.maya.page(&path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("including trans women and non-binary people assigned female at birth"));
    assert!(html.contains("1 Jun 1990"), "date of birth shown, not typed");
    let res = s.maya.submit(&path, &path, &ELIGIBLE).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), format!("/mhtr/cases/{}", c.id));
    let after = reload(&s.app, &c);
    assert_eq!(after.status.code(), "assessment");
    assert_eq!(after.eligibility_outcome.as_deref(), Some("eligible"));
    assert!(after.eligibility_at.is_some());
    assert!(after.closed_at.is_none());
    let events = case::events(&mut s.app.conn(), &c.id).unwrap();
    assert_eq!(events.len(), 2);
    assert_eq!(
        (events[1].from_status.as_str(), events[1].to_status.as_str()),
        ("eligibility", "assessment")
    );
    assert!(
        s.app
            .audit_rows("update")
            .iter()
            .any(|a| a.record_id.as_deref() == Some(c.id.as_str())
                && a.detail.as_deref() == Some("eligibility eligible"))
    );
    let (_, html) = s.maya.page(&format!("/mhtr/cases/{}", c.id)).await;
    assert!(html.contains("Suitability assessment") && html.contains("Eligible"));
}

async fn an_ineligible_screen_closes_the_case_with_the_reason(db: Db) {
    let s = setup(db, 10).await;
    let c = accept(&s).await;
    let path = eligibility_path(&c);
    let mut fields = ELIGIBLE.to_vec();
    fields[1] = ("plea", "not-guilty");
    fields.push(("outcome", "signposted"));
    let res = s.maya.submit(&path, &path, &fields).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let after = reload(&s.app, &c);
    assert_eq!(after.status.code(), "closed");
    assert_eq!(after.exit_reason.as_deref(), Some("signposted"));
    assert_eq!(after.eligibility_outcome.as_deref(), Some("signposted"));
    assert_eq!(
        after.eligibility_reasons.as_deref(),
        Some("Has not pleaded or been found guilty")
    );
    assert!(after.closed_at.is_some());
    let events = case::events(&mut s.app.conn(), &c.id).unwrap();
    assert_eq!(events.last().map(|e| e.to_status.as_str()), Some("closed"));
    let (_, html) = s.maya.page(&format!("/mhtr/cases/{}", c.id)).await;
    assert!(html.contains("Signposted to other support"));
    assert!(html.contains("Has not pleaded or been found guilty"));
    assert!(html.contains("This case has ended"));
}

async fn bad_screens_are_refused_and_nothing_is_saved(db: Db) {
    let s = setup(db, 10).await;
    let c = accept(&s).await;
    let path = eligibility_path(&c);

    let res = s.maya.submit(&path, &path, &[("plea", "guilty")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("Select whether she is within the service"));
    assert!(html.contains("Select whether she is registered with a GP or willing to register"));
    assert!(html.contains(r#"value="guilty" checked"#), "answers kept: {html}");

    // Ineligible without the practitioner's decision.
    let mut fields = ELIGIBLE.to_vec();
    fields[2] = ("offence_in_range", "no");
    let res = s.maya.submit(&path, &path, &fields).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Select what happens next"));

    // A plea that is not on the list.
    let mut fields = ELIGIBLE.to_vec();
    fields[1] = ("plea", "maybe");
    let res = s.maya.submit(&path, &path, &fields).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let after = reload(&s.app, &c);
    assert_eq!(after.status.code(), "eligibility");
    assert!(after.eligibility_outcome.is_none() && after.eligibility_at.is_none());
    assert_eq!(s.app.count("mhtr_case_events"), 1);
}

async fn the_screen_is_refused_once_the_case_has_moved_on(db: Db) {
    let s = setup(db, 10).await;
    let c = accept(&s).await;
    let path = eligibility_path(&c);
    assert_eq!(
        s.maya.submit(&path, &path, &ELIGIBLE).await.status(),
        StatusCode::SEE_OTHER
    );

    assert_eq!(s.maya.page(&path).await.0, StatusCode::CONFLICT);
    let case_page = format!("/mhtr/cases/{}", c.id);
    let res = s.maya.submit(&case_page, &path, &ELIGIBLE).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(res.text().await.unwrap().contains("suitability assessment"));
    assert_eq!(reload(&s.app, &c).status.code(), "assessment");
    assert_eq!(s.app.count("mhtr_case_events"), 2);
}

async fn only_the_case_team_sees_the_case(db: Db) {
    let s = setup(db, 10).await;
    let c = accept(&s).await;
    let case_page = format!("/mhtr/cases/{}", c.id);
    let path = eligibility_path(&c);
    let denied = |username: &str, action: &str| {
        s.app
            .audit_rows(action)
            .iter()
            .filter(|r| {
                r.outcome.code() == "denied"
                    && r.username.as_deref() == Some(username)
                    && r.record_type.as_deref() == Some("mhtr-case")
            })
            .count()
    };

    // pat referred her, but is in the L&D team, not the MHTR team.
    assert_eq!(s.app.page(&case_page).await.0, StatusCode::FORBIDDEN);
    assert_eq!(denied("pat", "view"), 1);

    // A member of another MHTR team.
    s.app.add_user("nia", Role::Practitioner, &["Kent Women's MHTR"]);
    let nia = s.app.another_client();
    nia.sign_in_ok("nia").await;
    assert_eq!(nia.page(&case_page).await.0, StatusCode::FORBIDDEN);
    assert_eq!(nia.page(&path).await.0, StatusCode::FORBIDDEN);
    let res = nia.submit("/", &path, &ELIGIBLE).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(denied("nia", "view"), 2);
    assert_eq!(denied("nia", "update"), 1);
    assert_eq!(reload(&s.app, &c).status.code(), "eligibility");

    // An analyst in the case's team sees no identifiable records.
    s.app.add_user("ana", Role::Analyst, &[MHTR_TEAM]);
    let ana = s.app.another_client();
    ana.sign_in_ok("ana").await;
    assert_eq!(ana.page(&case_page).await.0, StatusCode::FORBIDDEN);
}
