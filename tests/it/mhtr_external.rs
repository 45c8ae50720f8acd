//! Referrals entered from outside the app, the intake queue they share with L&D referrals,
//! and the intake decision on them.

use chrono::{Datelike, Duration, NaiveDate};
use diesel::prelude::*;
use liaison::db::schema::{mhtr_case_events, mhtr_cases, outbox};
use liaison::domain::Role;
use liaison::domain::local_time;
use liaison::domain::mhtr::{DeadlineKind, MhtrStatus, countdown, report_due_by};
use reqwest::StatusCode;

use crate::both_databases;
use crate::harness::{Db, TestApp, location};

both_databases!(
    an_external_referral_waits_in_the_queue_sorted_with_internal_ones_by_deadline,
    bad_external_referrals_are_refused_and_nothing_is_saved,
    a_known_woman_is_reused_by_nhs_number_and_a_double_submit_opens_one_case,
    accepting_an_external_referral_moves_it_to_eligibility,
    declining_closes_the_case_and_tells_the_referrer_without_personal_data,
    declining_without_a_reason_is_refused,
    only_the_team_decides_on_its_external_referrals,
);

const MHTR_TEAM: &str = "London Women's MHTR";
const NEW: &str = "/mhtr/referrals/new";

/// "maya" of the MHTR team, signed in.
async fn setup(db: Db) -> TestApp {
    let app = TestApp::spawn(db).await;
    app.add_user("maya", Role::Practitioner, &[MHTR_TEAM]);
    app.sign_in_ok("maya").await;
    app
}

fn today(app: &TestApp) -> NaiveDate {
    local_time::local_date(app.state.now())
}

fn date_boxes(d: NaiveDate) -> [String; 3] {
    [d.day().to_string(), d.month().to_string(), d.year().to_string()]
}

/// A good referral from court-based probation, with a hearing `hearing_days` away, changed by
/// `changes` (a field set to "" is left out).
async fn refer(app: &TestApp, hearing_days: i64, changes: &[(&str, &str)]) -> reqwest::Response {
    let [hd, hm, hy] = date_boxes(today(app) + Duration::days(hearing_days));
    let mut fields: Vec<(&str, &str)> = vec![
        ("source", "court-probation"),
        ("referrer_name", "Sam Jones"),
        ("referrer_organisation", "London Probation"),
        ("referrer_email", "sam.jones@justice.gov.uk"),
        ("given_name", "Ann"),
        ("family_name", "Adams"),
        ("dob-day", "3"),
        ("dob-month", "2"),
        ("dob-year", "1985"),
        ("court", "Highbury Corner Magistrates' Court"),
        ("hearing-day", &hd),
        ("hearing-month", &hm),
        ("hearing-year", &hy),
        ("deadline_kind", "fifteen-working-days"),
        ("reason", "Depression and past self-harm; not known to secondary care"),
    ];
    for (name, value) in changes {
        fields.retain(|(n, _)| n != name);
        if !value.is_empty() {
            fields.push((name, value));
        }
    }
    app.submit(NEW, NEW, &fields).await
}

fn external_cases(app: &TestApp) -> Vec<liaison::mhtr::case::MhtrCase> {
    mhtr_cases::table
        .filter(mhtr_cases::referral_id.is_null())
        .select(liaison::mhtr::case::MhtrCase::as_select())
        .load(&mut app.conn())
        .unwrap()
}

async fn refer_ok(app: &TestApp, hearing_days: i64, changes: &[(&str, &str)]) -> String {
    let res = refer(app, hearing_days, changes).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "referral saved");
    let to = location(&res);
    to.strip_prefix("/mhtr/intake/cases/")
        .expect("to the decision page")
        .to_string()
}

async fn an_external_referral_waits_in_the_queue_sorted_with_internal_ones_by_deadline(db: Db) {
    let app = setup(db).await;
    let case_id = refer_ok(&app, 30, &[]).await;
    let c = app.mhtr_case(&case_id);
    assert_eq!(c.status(), MhtrStatus::Referred);
    assert_eq!(c.referral_id, None);
    assert_eq!(c.referral_source, "court-probation");
    assert_eq!(c.referrer_name.as_deref(), Some("Sam Jones"));
    assert_eq!(c.referrer_email.as_deref(), Some("sam.jones@justice.gov.uk"));
    assert_eq!(c.court.as_deref(), Some("Highbury Corner Magistrates' Court"));
    let due = report_due_by(
        DeadlineKind::FifteenWorkingDays,
        today(&app),
        Some(today(&app) + Duration::days(30)),
    );
    assert_eq!(c.report_due_date(), Some(due));
    let events: Vec<(String, String, Option<String>)> = mhtr_case_events::table
        .filter(mhtr_case_events::case_id.eq(&case_id))
        .select((
            mhtr_case_events::from_status,
            mhtr_case_events::to_status,
            mhtr_case_events::note,
        ))
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(
        events,
        [(
            "referred".into(),
            "referred".into(),
            Some("Referral received from Sam Jones".into())
        )]
    );
    assert!(
        app.audit_rows("create")
            .iter()
            .any(|a| a.record_id.as_deref() == Some(case_id.as_str())
                && a.detail.as_deref() == Some("external referral; source court-probation"))
    );

    // An internal referral from L&D with a hearing sooner than the external report deadline,
    // and a self-referral with a later deadline.
    let pat = app.add_user("pat", Role::Practitioner, &["Brent L&D"]);
    let site = app.add_court("Brent L&D", "Westminster Magistrates' Court");
    let jo = app.add_person("Jo", "Bloggs", "1990-06-01", &pat);
    let episode = app.add_episode(&jo, &site, &pat, 30, false);
    let soon = today(&app) + Duration::days(2);
    liaison::mhtr::referral::create(
        &mut app.conn(),
        app.state.now(),
        &liaison::mhtr::referral::NewReferral {
            person_id: &jo,
            episode_id: Some(&episode),
            team_id: &app.team_id(MHTR_TEAM),
            reason: "Low mood",
            hearing_date: Some(soon),
            referred_by: &pat,
        },
    )
    .unwrap();
    refer_ok(
        &app,
        60,
        &[
            ("source", "self"),
            ("referrer_name", ""),
            ("referrer_email", ""),
            ("given_name", "Cara"),
            ("family_name", "Cole"),
        ],
    )
    .await;

    let (status, html) = app.page("/mhtr/intake").await;
    assert_eq!(status, StatusCode::OK);
    for shown in [
        "Highbury Corner Magistrates' Court",
        "Court-based probation",
        "Sam Jones, London Probation",
        "Self-referral",
        "Within 15 working days (complex case)",
        &countdown(due, today(&app)),
        "30 days to hearing",
        "Westminster Magistrates' Court",
        &format!("href=\"/mhtr/intake/cases/{case_id}\""),
    ] {
        assert!(html.contains(shown), "{shown} on the queue: {html}");
    }
    let at = |name: &str| html.find(name).unwrap_or_else(|| panic!("{name} listed"));
    assert!(
        at("BLOGGS, Jo") < at("ADAMS, Ann"),
        "the L&D hearing in 2 days comes first"
    );
    assert!(at("ADAMS, Ann") < at("COLE, Cara"), "the later deadline comes last");
}

async fn bad_external_referrals_are_refused_and_nothing_is_saved(db: Db) {
    let app = setup(db).await;
    let people_before = app.count("people");
    let res = refer(
        &app,
        30,
        &[
            ("source", "court-ld"),
            ("referrer_email", "not-an-address"),
            ("nhs_number", "943 476 5918"),
            ("reason", " "),
            ("dob-year", "3000"),
            ("court", "=HYPERLINK(\"http://x\")"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    for message in [
        "Select who made the referral",
        "Enter an email address in the correct format",
        "Enter the reason for referral",
    ] {
        assert!(html.contains(message), "{message}: {html}");
    }
    assert!(html.contains("value=\"Sam Jones\""), "other answers are kept");
    let res = refer(&app, -1, &[]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "a hearing in the past");
    let res = refer(&app, 30, &[("referrer_name", "")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Enter the referrer's name"));
    assert_eq!(app.count("mhtr_cases"), 0);
    assert_eq!(app.count("mhtr_case_events"), 0);
    assert_eq!(app.count("people"), people_before);
}

async fn a_known_woman_is_reused_by_nhs_number_and_a_double_submit_opens_one_case(db: Db) {
    let app = setup(db).await;
    let uid = app.add_user("pat", Role::Practitioner, &["Brent L&D"]);
    let known = app.add_person("Annie", "Adams-Smith", "1985-02-03", &uid);
    diesel::update(liaison::db::schema::people::table.find(&known))
        .set(liaison::db::schema::people::nhs_number.eq("9434765919"))
        .execute(&mut app.conn())
        .unwrap();
    let people_before = app.count("people");
    let first = refer_ok(&app, 30, &[("nhs_number", "943 476 5919")]).await;
    assert_eq!(app.mhtr_case(&first).person_id, known, "her existing record is used");
    assert_eq!(app.count("people"), people_before);

    let again = refer_ok(&app, 30, &[("nhs_number", "943 476 5919")]).await;
    assert_eq!(
        again, first,
        "the form sent twice lands on the referral already waiting"
    );
    assert_eq!(app.count("mhtr_cases"), 1);

    // Without an NHS number, the exact name and date of birth find her too.
    let other = refer_ok(&app, 30, &[("given_name", "Bea"), ("family_name", "Brown")]).await;
    let bea = app.mhtr_case(&other).person_id;
    assert_eq!(app.count("people"), people_before + 1, "a new woman is recorded once");
    let same = refer_ok(&app, 30, &[("given_name", "bea"), ("family_name", "BROWN")]).await;
    assert_eq!(app.mhtr_case(&same).person_id, bea);
    assert_eq!(app.count("people"), people_before + 1);
}

async fn accepting_an_external_referral_moves_it_to_eligibility(db: Db) {
    let app = setup(db).await;
    let case_id = refer_ok(&app, 30, &[]).await;
    let page = format!("/mhtr/intake/cases/{case_id}");
    let (status, html) = app.page(&page).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Depression and past self-harm") && html.contains("3 Feb 1985"));
    assert!(
        html.contains(r#"value="fifteen-working-days" checked"#),
        "the deadline kind given at referral is offered for confirming"
    );
    let res = app
        .submit(
            &page,
            &page,
            &[("decision", "accept"), ("deadline_kind", "five-working-days")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), format!("/mhtr/cases/{case_id}"));
    let c = app.mhtr_case(&case_id);
    assert_eq!(c.status(), MhtrStatus::Eligibility);
    assert_eq!(c.deadline_kind(), Some(DeadlineKind::FiveWorkingDays));
    let due = report_due_by(DeadlineKind::FiveWorkingDays, today(&app), c.next_hearing_date());
    assert_eq!(c.report_due_date(), Some(due));
    assert_eq!(external_cases(&app).len(), 1);
    let (_, html) = app.page("/mhtr/intake").await;
    let open = &html[html.find("Open cases").unwrap()..];
    assert!(open.contains(&format!(r#"href="/mhtr/cases/{case_id}">ADAMS, Ann"#)));
    assert!(open.contains("Eligibility screening"));
    assert_eq!(
        app.get(&page).await.status(),
        StatusCode::SEE_OTHER,
        "decided: on to the case"
    );
    let res = app
        .submit(
            "/mhtr/intake",
            &page,
            &[("decision", "decline"), ("decline_reason", "Too late")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT, "decided once");
}

async fn declining_closes_the_case_and_tells_the_referrer_without_personal_data(db: Db) {
    let app = setup(db).await;
    let case_id = refer_ok(&app, 30, &[]).await;
    let page = format!("/mhtr/intake/cases/{case_id}");
    let reason = "Ann Adams is already under the community mental health team";
    let res = app
        .submit(&page, &page, &[("decision", "decline"), ("decline_reason", reason)])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let c = app.mhtr_case(&case_id);
    assert_eq!(c.status(), MhtrStatus::Closed);
    assert_eq!(c.exit_reason.as_deref(), Some("declined-at-intake"));
    assert_eq!(c.exit_note.as_deref(), Some(reason));
    let (_, case_page) = app.page(&format!("/mhtr/cases/{case_id}")).await;
    assert!(
        case_page.contains("Not accepted") && case_page.contains("Declined at intake"),
        "a declined case never reads as accepted: {case_page}"
    );
    let messages: Vec<(String, String, String)> = outbox::table
        .select((outbox::recipient, outbox::subject, outbox::body_text))
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(messages.len(), 1);
    let (to, subject, body) = &messages[0];
    assert_eq!(to, "sam.jones@justice.gov.uk");
    assert_eq!(subject, "Your referral to London Women's MHTR");
    for personal in ["Ann", "Adams", "1985", "community mental health"] {
        assert!(
            !subject.contains(personal) && !body.contains(personal),
            "{personal} in {body}"
        );
    }
    assert!(body.contains("not been accepted"));
    // The reference to quote is one people can read, shown on the case too; never the id.
    let reference = c.reference();
    assert!(reference.starts_with("MHTR-2") && reference.len() == 16, "{reference}");
    assert!(
        body.contains(&format!("quoting reference {reference}")) && !body.contains(&case_id),
        "{body}"
    );
    assert!(case_page.contains(&reference));

    // A secure address may hear who and why.
    let secure = refer_ok(
        &app,
        30,
        &[("given_name", "Bea"), ("referrer_email", "sam.jones@nhs.net")],
    )
    .await;
    let page = format!("/mhtr/intake/cases/{secure}");
    app.submit(
        &page,
        &page,
        &[("decision", "decline"), ("decline_reason", "Out of area")],
    )
    .await;
    let body: String = outbox::table
        .filter(outbox::recipient.eq("sam.jones@nhs.net"))
        .select(outbox::body_text)
        .first(&mut app.conn())
        .unwrap();
    assert!(body.contains("Bea Adams") && body.contains("Out of area"), "{body}");
}

async fn declining_without_a_reason_is_refused(db: Db) {
    let app = setup(db).await;
    let case_id = refer_ok(&app, 30, &[]).await;
    let page = format!("/mhtr/intake/cases/{case_id}");
    let res = app
        .submit(&page, &page, &[("decision", "decline"), ("decline_reason", "  ")])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Enter why the referral is declined"));
    assert_eq!(app.mhtr_case(&case_id).status(), MhtrStatus::Referred);
    assert_eq!(app.count("outbox"), 0);
}

async fn only_the_team_decides_on_its_external_referrals(db: Db) {
    let app = setup(db).await;
    let case_id = refer_ok(&app, 30, &[]).await;
    app.add_user("nia", Role::Practitioner, &["Kent Women's MHTR"]);
    let nia = app.another_client();
    nia.sign_in_ok("nia").await;
    let page = format!("/mhtr/intake/cases/{case_id}");
    assert_eq!(nia.page(&page).await.0, StatusCode::FORBIDDEN);
    let res = nia
        .submit("/", &page, &[("decision", "accept"), ("deadline_kind", "same-day")])
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.mhtr_case(&case_id).status(), MhtrStatus::Referred);
    let (_, html) = nia.page("/mhtr/intake").await;
    assert!(!html.contains("ADAMS"));
    app.add_user("pat", Role::Practitioner, &["Brent L&D"]);
    let pat = app.another_client();
    pat.sign_in_ok("pat").await;
    assert_eq!(pat.page(NEW).await.0, StatusCode::FORBIDDEN);
}
