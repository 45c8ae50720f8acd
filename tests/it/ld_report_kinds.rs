//! Information to the CPS and input to the pre-sentence report are drafted from what the
//! episode records: the screening's vulnerabilities, the consent for their scope, the
//! referrals made, and the MHTR service's suitability report about the person.

use liaison::domain::mhtr::MhtrStatus;
use liaison::reports::{Kind, NewReport, Prefill};
use reqwest::StatusCode;

use crate::both_databases;
use crate::harness::Db;
use crate::ld_reports::{consent, draft, scene};

both_databases!(the_cps_and_probation_reports_are_drafted_from_the_episode);

async fn the_cps_and_probation_reports_are_drafted_from_the_episode(db: Db) {
    let s = scene(db, |_| {}).await;
    consent(&s, &["cps", "probation"]).await;
    let person = s.app.episode(&s.episode).person_id.to_string();
    let uid = s.app.episode(&s.episode).created_by;

    let cps = draft(&s, "cps-information").await;
    let (status, page) = s.app.page(&cps).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Learning disability") && page.contains("Struggled to follow the booking-in questions."));
    assert!(page.contains("The person agreed to sharing with the crown prosecution service"));
    assert!(page.contains("None made."), "no referrals yet");

    // The MHTR service is writing a suitability report about him: the probation input says so.
    let case = s
        .app
        .add_mhtr_case("London MHTR", &person, MhtrStatus::Recommendation, &uid);
    let team = s.app.team_id("London MHTR");
    let new = NewReport {
        kind: Kind::MhtrSuitability,
        subject_type: "mhtr-case",
        subject_id: &case,
        person_id: &person,
        team_id: &team,
    };
    let mhtr = liaison::reports::create_draft(&mut s.app.conn(), s.app.state.now(), &uid, &new, |_| Prefill::default())
        .unwrap();
    let reference = liaison::reports::find(&mut s.app.conn(), &mhtr)
        .unwrap()
        .unwrap()
        .reference();
    let probation = draft(&s, "probation-input").await;
    let (_, page) = s.app.page(&probation).await;
    assert!(page.contains("The person agreed to sharing with the probation or youth offending team"));
    assert!(page.contains(&format!(
        "The MHTR service is writing a suitability report ({reference})"
    )));
    assert!(page.contains("Treatment requirement screening"));
}
