//! The MHTR demo: cases at every stage, a referral from court L&D waiting at intake, and
//! every case page opening for the demo MHTR practitioner.

use liaison::db::schema::{mhtr_cases, mhtr_referrals};
use liaison::domain::mhtr::MhtrStatus;
use reqwest::StatusCode;

use crate::both_databases;
use crate::harness::{Db, TestApp};

both_databases!(the_demo_has_a_case_at_every_stage_and_each_page_opens);

/// Whatever day the demo is made, its hearings fall on weekdays: courts do not sit at weekends.
#[actix_web::test]
async fn demo_hearings_fall_on_weekdays_whatever_the_day_it_is_made() {
    use diesel::prelude::*;
    use liaison::db::schema::mhtr_hearings;
    for day in 0..7 {
        let app = TestApp::spawn(Db::Sqlite).await;
        let now = app.state.now() + day * 86_400_000;
        liaison::demo::seed(&mut app.conn(), now).unwrap();
        let mut dates: Vec<String> = mhtr_cases::table
            .filter(mhtr_cases::next_hearing.is_not_null())
            .select(mhtr_cases::next_hearing.assume_not_null())
            .load(&mut app.conn())
            .unwrap();
        dates.extend(
            mhtr_hearings::table
                .select(mhtr_hearings::heard_on)
                .load::<String>(&mut app.conn())
                .unwrap(),
        );
        dates.extend(
            mhtr_referrals::table
                .filter(mhtr_referrals::hearing_date.is_not_null())
                .select(mhtr_referrals::hearing_date.assume_not_null())
                .load::<String>(&mut app.conn())
                .unwrap(),
        );
        assert!(dates.len() > 5, "{dates:?}");
        for date in &dates {
            let on: chrono::NaiveDate = date[..10].parse().unwrap();
            assert!(
                liaison::domain::mhtr::is_working_day(on),
                "made on day {day}: a hearing on {date}"
            );
        }
    }
}

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
