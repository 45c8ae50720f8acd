//! The pilot's evaluation extract: its columns, its values, pseudonymisation, formula
//! escaping, who may take which file, and the audit trail.

use diesel::prelude::*;
use liaison::db::schema::{
    mhtr_case_events, mhtr_cases, mhtr_hearings, mhtr_measures, mhtr_orders, mhtr_sessions, people,
};
use liaison::domain::Role;
use liaison::domain::local_time;
use liaison::domain::mhtr::MhtrStatus;
use reqwest::StatusCode;

use crate::both_databases;
use crate::harness::{Db, TestApp};

both_databases!(
    the_files_have_exactly_the_documented_columns_and_download_headers,
    a_case_with_sessions_measures_hearing_and_order_gives_the_right_values,
    the_pseudonymised_file_has_no_identifiers_and_stable_pseudonyms,
    a_formula_in_a_court_name_comes_out_as_text,
    an_analyst_gets_only_the_pseudonymised_file_and_others_none,
    every_export_is_audited_with_its_kind_and_row_count,
    an_ld_referral_counts_as_referred_when_ld_sent_it,
);

const MHTR_TEAM: &str = "London Women's MHTR";
const NAMED: &str = "/mhtr/extract.csv?pseudonymised=no";
const PSEUDO: &str = "/mhtr/extract.csv?pseudonymised=yes";

const STAGE_COLUMNS: &str = "reached_eligibility_on,reached_assessment_on,reached_consent_on,reached_negotiation_on,\
reached_recommendation_on,reached_awaiting_sentence_on,reached_treatment_on,reached_completed_on";
const OUTCOME_COLUMNS: &str = "closed_on,status,eligibility_outcome,exit_reason,negotiation_outcome,treatment_type,\
sessions_planned,sessions_attended,core_10_start,core_10_end,wemwbs_start,wemwbs_end,court_outcome,order_type,\
completion_outcome,completed_on";

struct Setup {
    /// "maya" of the MHTR team, signed in.
    app: TestApp,
    maya: String,
    person: String,
    case_id: String,
}

/// Jo Bloggs, born 1 Jun 1990, NHS number and PNC ID recorded, with one case in treatment.
async fn setup(db: Db, court: &str) -> Setup {
    let app = TestApp::spawn(db).await;
    let maya = app.add_user("maya", Role::Practitioner, &[MHTR_TEAM]);
    let person = app.add_person("Jo", "Bloggs", "1990-06-01", &maya);
    diesel::update(people::table.find(&person))
        .set((people::nhs_number.eq("9434765919"), people::pnc_id.eq("2002/0073319Z")))
        .execute(&mut app.conn())
        .unwrap();
    let case_id = app.add_mhtr_case(MHTR_TEAM, &person, MhtrStatus::Treatment, &maya);
    diesel::update(mhtr_cases::table.find(&case_id))
        .set((
            mhtr_cases::court.eq(court),
            mhtr_cases::planned_sessions.eq(Some(12)),
            mhtr_cases::treatment_type.eq(Some("primary-care-psychological-therapy")),
            mhtr_cases::eligibility_outcome.eq(Some("eligible")),
        ))
        .execute(&mut app.conn())
        .unwrap();
    app.sign_in_ok("maya").await;
    // The identifiable file needs re-authentication (decision 0018).
    app.reauthenticate(&maya, "/mhtr/extract").await;
    Setup {
        app,
        maya,
        person,
        case_id,
    }
}

async fn download(app: &TestApp, path: &str) -> (StatusCode, String) {
    app.page(path).await
}

/// The CSV's records, each a list of unquoted values (the extract quotes every cell).
fn records(csv: &str) -> Vec<Vec<String>> {
    csv.split_terminator("\r\n")
        .map(|line| {
            let inner = &line[1..line.len() - 1];
            inner.split("\",\"").map(|c| c.replace("\"\"", "\"")).collect()
        })
        .collect()
}

/// The value of `column` in row `row` (1 is the first case).
fn value(csv: &str, row: usize, column: &str) -> String {
    let all = records(csv);
    let at = all[0]
        .iter()
        .position(|h| h == column)
        .unwrap_or_else(|| panic!("{column} in header"));
    all[row][at].clone()
}

fn today(app: &TestApp) -> String {
    local_time::local_date(app.state.now()).format("%Y-%m-%d").to_string()
}

async fn the_files_have_exactly_the_documented_columns_and_download_headers(db: Db) {
    let Setup { app, .. } = setup(db, "Highbury Corner Magistrates' Court").await;
    let res = app.get(NAMED).await;
    assert_eq!(res.status(), StatusCode::OK);
    let header = |name: &str| res.headers().get(name).unwrap().to_str().unwrap().to_string();
    assert!(header("content-type").starts_with("text/csv"));
    assert_eq!(
        header("content-disposition"),
        format!(
            "attachment; filename=\"mhtr-evaluation-{}-identifiable.csv\"",
            today(&app)
        )
    );
    assert_eq!(header("cache-control"), "no-store");
    let csv = res.text().await.unwrap();
    let expected = format!(
        "case_reference,pseudonym,given_name,family_name,date_of_birth,nhs_number,pnc_id,team,referral_source,court,\
         referred_on,accepted_on,{STAGE_COLUMNS},{OUTCOME_COLUMNS}"
    );
    assert_eq!(records(&csv)[0].join(","), expected);

    let (status, csv) = download(&app, PSEUDO).await;
    assert_eq!(status, StatusCode::OK);
    let expected = format!(
        "pseudonym,age_band,team,referral_source,court,referred_on,accepted_on,{STAGE_COLUMNS},{OUTCOME_COLUMNS}"
    );
    assert_eq!(records(&csv)[0].join(","), expected);
    assert_eq!(records(&csv).len(), 2, "one row for the one case");

    let (status, html) = app.page("/mhtr/extract").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Download the pseudonymised file") && html.contains("Download the identifiable file"));
    assert!(
        html.contains("<code>sessions_attended</code>"),
        "field definitions listed"
    );
    assert_eq!(
        app.get("/mhtr/extract.csv?pseudonymised=maybe").await.status(),
        StatusCode::BAD_REQUEST
    );
}

async fn a_case_with_sessions_measures_hearing_and_order_gives_the_right_values(db: Db) {
    let Setup { app, maya, case_id, .. } = setup(db, "Highbury Corner Magistrates' Court").await;
    let now = app.state.now();
    let mut conn = app.conn();
    for (i, (from, to)) in [
        ("referred", "referred"),
        ("referred", "eligibility"),
        ("awaiting-sentence", "treatment"),
    ]
    .into_iter()
    .enumerate()
    {
        diesel::insert_into(mhtr_case_events::table)
            .values((
                mhtr_case_events::id.eq(format!("e{i}")),
                mhtr_case_events::case_id.eq(&case_id),
                mhtr_case_events::at.eq(now),
                mhtr_case_events::author_id.eq(&maya),
                mhtr_case_events::from_status.eq(from),
                mhtr_case_events::to_status.eq(to),
            ))
            .execute(&mut conn)
            .unwrap();
    }
    for (i, attendance) in [
        Some("attended"),
        Some("attended"),
        Some("did-not-attend"),
        Some("attended"),
        None,
    ]
    .into_iter()
    .enumerate()
    {
        diesel::insert_into(mhtr_sessions::table)
            .values((
                mhtr_sessions::id.eq(format!("s{i}")),
                mhtr_sessions::case_id.eq(&case_id),
                mhtr_sessions::planned_on.eq(format!("2026-12-0{}", i + 1)),
                mhtr_sessions::attendance.eq(attendance),
                mhtr_sessions::recorded_by.eq(&maya),
                mhtr_sessions::recorded_at.eq(now),
                mhtr_sessions::updated_at.eq(now),
            ))
            .execute(&mut conn)
            .unwrap();
    }
    for (i, (measure, phase, score, taken_on)) in [
        ("core-10", "start", 28, "2026-12-01"),
        ("core-10", "end", 15, "2027-03-01"),
        ("core-10", "end", 12, "2027-04-01"),
        ("wemwbs", "start", 30, "2026-12-01"),
    ]
    .into_iter()
    .enumerate()
    {
        diesel::insert_into(mhtr_measures::table)
            .values((
                mhtr_measures::id.eq(format!("m{i}")),
                mhtr_measures::case_id.eq(&case_id),
                mhtr_measures::measure.eq(measure),
                mhtr_measures::phase.eq(phase),
                mhtr_measures::score.eq(score),
                mhtr_measures::taken_on.eq(taken_on),
                mhtr_measures::recorded_by.eq(&maya),
                mhtr_measures::recorded_at.eq(now),
            ))
            .execute(&mut conn)
            .unwrap();
    }
    for (i, (heard_on, outcome)) in [("2026-11-30", "adjourned"), ("2026-12-07", "mhtr-made")]
        .into_iter()
        .enumerate()
    {
        diesel::insert_into(mhtr_hearings::table)
            .values((
                mhtr_hearings::id.eq(format!("h{i}")),
                mhtr_hearings::case_id.eq(&case_id),
                mhtr_hearings::heard_on.eq(heard_on),
                mhtr_hearings::outcome.eq(outcome),
                mhtr_hearings::recorded_by.eq(&maya),
                mhtr_hearings::recorded_at.eq(now),
            ))
            .execute(&mut conn)
            .unwrap();
    }
    diesel::insert_into(mhtr_orders::table)
        .values((
            mhtr_orders::case_id.eq(&case_id),
            mhtr_orders::sentenced_on.eq("2026-12-07"),
            mhtr_orders::order_type.eq("community-order"),
            mhtr_orders::requirement_months.eq(6),
            mhtr_orders::responsible_officer.eq("Pat Officer"),
            mhtr_orders::responsible_officer_email.eq("pat.officer@justice.gov.uk"),
            mhtr_orders::treating_practitioner.eq("Dr Lee"),
            mhtr_orders::completion_outcome.eq(Some("completed-successfully")),
            mhtr_orders::completed_at.eq(Some(now)),
            mhtr_orders::recorded_by.eq(&maya),
            mhtr_orders::recorded_at.eq(now),
        ))
        .execute(&mut conn)
        .unwrap();
    drop(conn);

    let (_, csv) = download(&app, NAMED).await;
    let day = today(&app);
    for (column, expected) in [
        ("case_reference", case_id.as_str()),
        ("given_name", "Jo"),
        ("family_name", "Bloggs"),
        ("date_of_birth", "1990-06-01"),
        ("nhs_number", "9434765919"),
        ("pnc_id", "2002/0073319Z"),
        ("team", MHTR_TEAM),
        ("referral_source", "court-probation"),
        ("court", "Highbury Corner Magistrates' Court"),
        ("referred_on", day.as_str()),
        ("accepted_on", day.as_str()),
        ("reached_eligibility_on", day.as_str()),
        ("reached_assessment_on", ""),
        ("reached_treatment_on", day.as_str()),
        ("status", "treatment"),
        ("eligibility_outcome", "eligible"),
        ("treatment_type", "primary-care-psychological-therapy"),
        ("sessions_planned", "12"),
        ("sessions_attended", "3"),
        ("core_10_start", "28"),
        ("core_10_end", "12"),
        ("wemwbs_start", "30"),
        ("wemwbs_end", ""),
        ("court_outcome", "mhtr-made"),
        ("order_type", "community-order"),
        ("completion_outcome", "completed-successfully"),
        ("completed_on", day.as_str()),
    ] {
        assert_eq!(value(&csv, 1, column), expected, "{column}");
    }
}

async fn the_pseudonymised_file_has_no_identifiers_and_stable_pseudonyms(db: Db) {
    let Setup { app, maya, person, .. } = setup(db, "Highbury Corner Magistrates' Court").await;
    // A second case for the same woman, and one for another woman.
    app.add_mhtr_case(MHTR_TEAM, &person, MhtrStatus::Closed, &maya);
    let other = app.add_person("Ann", "Adams", "1985-02-03", &maya);
    app.add_mhtr_case(MHTR_TEAM, &other, MhtrStatus::Referred, &maya);

    let (_, first) = download(&app, PSEUDO).await;
    for identifier in [
        "Jo",
        "Bloggs",
        "BLOGGS",
        "1990-06-01",
        "9434765919",
        "943 476 5919",
        "2002/0073319Z",
        "Ann",
        "Adams",
        "1985-02-03",
    ] {
        assert!(
            !first.contains(identifier),
            "{identifier} in the pseudonymised file:\n{first}"
        );
    }
    let (_, second) = download(&app, PSEUDO).await;
    assert_eq!(first, second, "the same file on a second run");
    let pseudonyms: Vec<String> = (1..=3).map(|row| value(&first, row, "pseudonym")).collect();
    assert_eq!(pseudonyms[0], pseudonyms[1], "the same woman, the same pseudonym");
    assert_ne!(pseudonyms[0], pseudonyms[2]);
    assert!(pseudonyms.iter().all(|p| p.starts_with("P-") && p.len() == 14));
    let age = value(&first, 1, "age_band");
    assert!(["25-34", "35-44"].contains(&age.as_str()), "{age}");
}

async fn a_formula_in_a_court_name_comes_out_as_text(db: Db) {
    let Setup { app, .. } = setup(db, "=HYPERLINK(\"http://x\")").await;
    let (_, csv) = download(&app, PSEUDO).await;
    assert!(csv.contains(r#","'=HYPERLINK(""http://x"")","#), "{csv}");
    assert!(!csv.contains(r#","=HYPERLINK"#));
}

async fn an_analyst_gets_only_the_pseudonymised_file_and_others_none(db: Db) {
    let Setup { app, .. } = setup(db, "Highbury Corner Magistrates' Court").await;
    app.add_user("ana", Role::Analyst, &[]);
    let ana = app.another_client();
    ana.sign_in_ok("ana").await;
    let (status, csv) = download(&ana, PSEUDO).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(records(&csv).len(), 2, "every MHTR team's cases");
    assert!(!csv.contains("Bloggs"));
    assert_eq!(download(&ana, NAMED).await.0, StatusCode::FORBIDDEN);
    let (status, html) = ana.page("/mhtr/extract").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!html.contains("Download the identifiable file"));
    let refused = app
        .audit_rows("export")
        .into_iter()
        .filter(|a| a.outcome.code() == "denied" && a.username.as_deref() == Some("ana"))
        .filter(|a| a.record_type.as_deref() == Some("mhtr-extract"))
        .count();
    assert_eq!(refused, 1);

    app.add_user("pat", Role::Practitioner, &["Brent L&D"]);
    let pat = app.another_client();
    pat.sign_in_ok("pat").await;
    assert_eq!(download(&pat, PSEUDO).await.0, StatusCode::FORBIDDEN);
    assert_eq!(pat.page("/mhtr/extract").await.0, StatusCode::FORBIDDEN);
}

async fn every_export_is_audited_with_its_kind_and_row_count(db: Db) {
    let Setup { app, .. } = setup(db, "Highbury Corner Magistrates' Court").await;
    download(&app, PSEUDO).await;
    download(&app, NAMED).await;
    let exports: Vec<String> = app
        .audit_rows("export")
        .into_iter()
        .filter(|a| a.outcome.code() == "allowed" && a.record_type.as_deref() == Some("mhtr-extract"))
        .map(|a| a.detail.unwrap_or_default())
        .collect();
    assert_eq!(exports.len(), 2);
    assert!(exports.contains(&"pseudonymised extract; 1 rows".to_string()));
    assert!(exports.contains(&"identifiable extract; 1 rows".to_string()));
}

async fn an_ld_referral_counts_as_referred_when_ld_sent_it(db: Db) {
    use liaison::domain::mhtr::DeadlineKind;
    use liaison::mhtr::{case, referral};
    let Setup { app, maya, person, .. } = setup(db, "Highbury Corner Magistrates' Court").await;
    let now = app.state.now();
    let three_days_ago = now - 3 * 24 * 60 * 60_000;
    let mut conn = app.conn();
    let new = referral::NewReferral {
        person_id: &person,
        episode_id: None,
        team_id: &app.team_id(MHTR_TEAM),
        reason: "Low mood",
        hearing_date: None,
        referred_by: &maya,
    };
    let id = referral::create(&mut conn, three_days_ago, &new).unwrap();
    let r = referral::find(&mut conn, &id).unwrap().unwrap();
    case::open_from_referral(&mut conn, now, &maya, &r, (DeadlineKind::FifteenWorkingDays, None)).unwrap();
    drop(conn);
    let (_, csv) = download(&app, PSEUDO).await;
    let sent = local_time::local_date(three_days_ago).format("%Y-%m-%d").to_string();
    assert_eq!(value(&csv, 2, "referral_source"), "court-ld");
    assert_eq!(value(&csv, 2, "referred_on"), sent);
    assert_eq!(value(&csv, 2, "accepted_on"), today(&app));
}
