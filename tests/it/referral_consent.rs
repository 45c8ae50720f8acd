//! A referral's consent goes into the episode's consent record and through the share gate:
//! consent given records the scope as agreed; sharing without consent needs its basis, and
//! on the public interest the senior clinician consulted, then waits for the IG lead; a
//! withdrawal stops a referral still waiting to go.

use diesel::prelude::*;
use liaison::db::schema::{outbox, referrals, shares};
use reqwest::StatusCode;

use crate::both_databases;
use crate::harness::Db;
use crate::referrals::{filled_form, post, setup};

both_databases!(a_referral_records_its_consent_and_passes_the_gate);

async fn a_referral_records_its_consent_and_passes_the_gate(db: Db) {
    let s = setup(db).await;
    // Consent declined for the Women's Centre: sharing anyway needs the consultant's name.
    let mut fields = filled_form(&s).await;
    fields.retain(|(k, _)| *k != format!("consent-{}", s.womens_centre));
    fields.push((format!("consent-{}", s.womens_centre), "declined".into()));
    fields.push((
        format!("override-{}", s.womens_centre),
        "She is at risk from her partner tonight".into(),
    ));
    let send = format!("/episodes/{}/referrals", s.episode);
    let res = post(&s, &send, &fields).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Enter the senior clinician you consulted about sharing with Intake without consent")
    );
    assert_eq!(s.app.count("referrals"), 0);
    fields.push((
        format!("consulted-{}", s.womens_centre),
        "Dr Rao, consultant psychiatrist".into(),
    ));
    assert_eq!(post(&s, &send, &fields).await.status(), StatusCode::SEE_OTHER);

    // The consent record now holds the answers: health and social care agreed (for CAMHS),
    // and declined for the Women's Centre alone, as a limit, not a withdrawal.
    let (_, page) = s.app.page(&format!("/episodes/{}", s.episode)).await;
    assert!(page.contains("Version 2, recorded by") && !page.contains("Consent withdrawn"));
    assert!(
        page.contains("Declined for Brent Women&#39;s Centre – Intake")
            || page.contains("Declined for Brent Women's Centre – Intake"),
        "{page}"
    );
    let stored: Vec<(String, Option<i64>)> = shares::table
        .order(shares::basis.asc())
        .select((shares::basis, shares::review_due))
        .load(&mut s.app.conn())
        .unwrap();
    assert_eq!(stored.len(), 2);
    assert_eq!((stored[0].0.as_str(), stored[0].1.is_none()), ("consent", true));
    assert_eq!(
        (stored[1].0.as_str(), stored[1].1.is_some()),
        ("public-interest", true),
        "for the IG lead"
    );

    // Withdrawing consent for health and social care stops the CAMHS referral, which has not
    // gone yet; the one shared on the public interest still goes.
    crate::ld_reports::consent_on(&s.app, &s.episode, &[]).await;
    let camhs: (String, String) = referrals::table
        .filter(referrals::service_id.eq(&s.camhs))
        .select((referrals::id, referrals::status))
        .first(&mut s.app.conn())
        .unwrap();
    assert_eq!(camhs.1, "closed");
    let stopped: Vec<String> = outbox::table
        .filter(outbox::referral_id.eq(&camhs.0))
        .select(outbox::status)
        .load(&mut s.app.conn())
        .unwrap();
    assert!(!stopped.is_empty() && stopped.iter().all(|st| st == "cancelled"));
    s.app.outbox_pass();
    let sent = s.server.wait_for_messages(1, crate::referrals::WAIT);
    assert!(
        sent.iter()
            .all(|m| m.rcpt_to.iter().all(|r| r.contains("womenscentre")))
    );
}
