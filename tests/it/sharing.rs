//! Consent to share, by scope and in versions, and the share gate every outbound document
//! passes: consent covering the scope, or another lawful basis recorded completely, which
//! then waits on the IG lead's review queue.

use diesel::prelude::*;
use liaison::db::schema::{share_consents, shares};
use liaison::domain::Role;
use liaison::domain::sharing::{Basis, OtherBasis, Refusal, Scope};
use liaison::sharing::{Outbound, share};
use reqwest::StatusCode;

use crate::both_databases;
use crate::harness::{Db, TestApp, location};

both_databases!(consent_versions_decide_what_the_gate_lets_through);

fn answers(granted: &[&str], refused: &[&str]) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = vec![
        ("method".into(), "signed".into()),
        ("capacity".into(), "not-in-doubt".into()),
        ("support".into(), "interpreter".into()),
    ];
    for scope in Scope::ALL {
        let answer = if granted.contains(&scope.code()) {
            "granted"
        } else if refused.contains(&scope.code()) {
            "refused"
        } else {
            "not-asked"
        };
        fields.push((format!("scope-{}", scope.code()), answer.into()));
    }
    fields
}

fn outbound<'a>(t: (&'a str, &'a str), scope: Scope, other: Option<&'a OtherBasis>) -> Outbound<'a> {
    Outbound {
        episode_id: t.0,
        person_id: t.1,
        scope,
        recipient: "Custody sergeant, Wembley",
        document: "Custody summary",
        document_version: Some(1),
        content: "Vulnerable: needs an appropriate adult",
        other,
    }
}

async fn consent_versions_decide_what_the_gate_lets_through(db: Db) {
    let app = TestApp::spawn(db).await;
    let uid = app.add_user("pat", Role::Practitioner, &["Brent L&D"]);
    app.add_user("robin", Role::IgLead, &[]);
    let site = app.add_site("Brent L&D", "Wembley Police Custody Suite");
    let person = app.add_person("Jo", "Bloggs", "1980-01-01", &uid);
    let episode = app.add_episode(&person, &site, &uid, 30, false);
    app.sign_in_ok("pat").await;
    let path = format!("/episodes/{episode}/consent-to-share");
    let (status, form) = app.page(&path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains("Crown Prosecution Service") && form.contains("Could the person decide?"));

    // Every answer is asked for; nothing is saved until all are given.
    let res = app.submit(&path, &path, &[("method", "verbal-witnessed")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = res.text().await.unwrap();
    assert!(refused.contains("Enter who witnessed the verbal consent"));
    assert!(refused.contains("Select an answer for police and custody"));
    assert_eq!(app.count("share_consents"), 0);

    let v1 = answers(&["police", "court"], &["cps"]);
    let v1: Vec<(&str, &str)> = v1.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let res = app.submit(&path, &path, &v1).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), format!("/episodes/{episode}#sharing"));
    let (_, page) = app.page(&format!("/episodes/{episode}")).await;
    assert!(page.contains("Version 1, recorded by") && page.contains("Agreed") && page.contains("Refused"));

    // Consent covers the police; the CPS was refused; a public-interest share goes through
    // only when justified, and then waits for the IG lead.
    let actor = liaison::audit::Actor {
        user_id: Some(uid.clone()),
        username: Some("pat".into()),
        ..Default::default()
    };
    let now = app.state.now();
    let ids = (episode.as_str(), person.as_str());
    let police = share(&mut app.conn(), now, &actor, &outbound(ids, Scope::Police, None)).unwrap();
    assert!(police.is_ok());
    let cps = share(&mut app.conn(), now, &actor, &outbound(ids, Scope::Cps, None)).unwrap();
    assert_eq!(cps, Err(Refusal::Refused(Scope::Cps)));
    let unjustified = OtherBasis {
        basis: Basis::PublicInterest,
        detail: "Threatened to harm his neighbour".into(),
        consulted: None,
        caldicott_told: false,
    };
    let cps = share(
        &mut app.conn(),
        now,
        &actor,
        &outbound(ids, Scope::Cps, Some(&unjustified)),
    )
    .unwrap();
    assert!(matches!(cps, Err(Refusal::Incomplete("consulted", _))));
    let justified = OtherBasis {
        consulted: Some("Dr Rao, consultant psychiatrist".into()),
        ..unjustified
    };
    let cps = share(
        &mut app.conn(),
        now,
        &actor,
        &outbound(ids, Scope::Cps, Some(&justified)),
    )
    .unwrap();
    let public_interest = cps.expect("shared on the public interest");
    /// (scope, basis, review due, consent version, content hash)
    type Stored = (String, String, Option<i64>, Option<String>, String);
    let stored: Vec<Stored> = shares::table
        .order(shares::shared_at.asc())
        .select((
            shares::scope,
            shares::basis,
            shares::review_due,
            shares::consent_id,
            shares::content_hash,
        ))
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(stored.len(), 2, "refusals write no share");
    assert_eq!((stored[0].1.as_str(), stored[0].2), ("consent", None));
    assert!(stored[0].3.is_some(), "the consent version it rested on");
    assert_eq!(stored[0].4.len(), 64, "a SHA-256 of what was sent");
    assert_eq!(stored[1].1, "public-interest");
    assert!(stored[1].2.is_some(), "waits for review");
    assert_eq!(app.audit_rows("share").len(), 4, "two shares and two refusals");
    let (_, page) = app.page(&format!("/episodes/{episode}")).await;
    assert!(page.contains("Shared: Custody summary with Custody sergeant, Wembley – basis: consent"));
    assert!(page.contains("Waiting for IG review"));

    // Withdrawing consent for the police stops the next share under it.
    let v2 = answers(&["court"], &["cps", "police"]);
    let v2: Vec<(&str, &str)> = v2.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(app.submit(&path, &path, &v2).await.status(), StatusCode::SEE_OTHER);
    let versions: Vec<(i32, bool)> = share_consents::table
        .order(share_consents::version.asc())
        .select((share_consents::version, share_consents::withdrawal))
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(versions, [(1, false), (2, true)], "a new version, the first kept");
    let police = share(&mut app.conn(), now, &actor, &outbound(ids, Scope::Police, None)).unwrap();
    assert_eq!(police, Err(Refusal::Refused(Scope::Police)));

    // The IG lead sees the public-interest share on the queue and reviews it.
    let ig = app.another_client();
    ig.sign_in_ok("robin").await;
    let (_, queue) = ig.page("/governance/access-reviews").await;
    assert!(queue.contains("Shared without consent") && queue.contains(&public_interest));
    let review = format!("/governance/share-reviews/{public_interest}");
    let (status, page) = ig.page(&review).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Dr Rao, consultant psychiatrist") && page.contains("Threatened to harm"));
    let res = ig.submit(&review, &review, &[("outcome", "appropriate")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, queue) = ig.page("/governance/access-reviews").await;
    assert!(!queue.contains(&public_interest));
    assert_eq!(app.page(&review).await.0, StatusCode::FORBIDDEN, "only the IG lead");
}
