//! The MHTR demo: cases at every stage, a referral from court L&D waiting at intake, and
//! every case page opening for the demo MHTR practitioner.

use liaison::db::schema::{mhtr_cases, mhtr_referrals};
use liaison::domain::mhtr::MhtrStatus;
use reqwest::StatusCode;

use crate::both_databases;
use crate::harness::{Db, TestApp};

both_databases!(the_demo_has_a_case_at_every_stage_and_each_page_opens);

async fn the_demo_has_a_case_at_every_stage_and_each_page_opens(db: Db) {
    use diesel::prelude::*;
    let app = TestApp::spawn(db).await;
    let now = app.state.now();
    for _ in 0..2 {
        liaison::demo::seed(&mut app.conn(), now).unwrap();
    }
    let cases: Vec<(String, String)> = mhtr_cases::table
        .select((mhtr_cases::id, mhtr_cases::status))
        .load(&mut app.conn())
        .unwrap();
    for status in MhtrStatus::ALL.into_iter().filter(|s| *s != MhtrStatus::Referred) {
        assert!(
            cases.iter().any(|(_, s)| s == status.code()),
            "a demo case {}",
            status.label()
        );
    }
    assert!(
        cases.iter().any(|(_, s)| s == "referred"),
        "an external referral at intake"
    );
    assert_eq!(cases.len(), liaison::demo::mhtr::WOMEN - 1, "seeded once");

    app.sign_in("demo.mhtr", liaison::demo::PASSWORD).await;
    let (status, intake) = app.page("/mhtr/intake").await;
    assert_eq!(status, StatusCode::OK);
    let referral: String = mhtr_referrals::table
        .select(mhtr_referrals::id)
        .first(&mut app.conn())
        .unwrap();
    let waiting = format!("href=\"/mhtr/intake/{referral}\">DEMO-MORRIS, Mina</a>");
    assert!(
        intake.contains(&waiting),
        "the referral from court L&D waits at intake: {intake}"
    );
    for (id, _) in &cases {
        let (status, page) = app.page(&format!("/mhtr/cases/{id}")).await;
        assert_eq!(status, StatusCode::OK, "{page}");
    }
}
