//! The access model: relationships follow current team membership and expire, a contact
//! recorded for someone known elsewhere is a marked claim, search shows only what the rule
//! allows, and break-glass opens a record read-only for a limited time, reviewed by the
//! information governance lead.

use diesel::prelude::*;
use liaison::db::schema::{access_overrides, episodes};
use liaison::domain::Role;
use liaison::domain::mhtr::MhtrStatus;
use reqwest::StatusCode;

use crate::both_databases;
use crate::harness::{Db, TestApp, location};

both_databases!(
    a_contact_for_someone_known_elsewhere_shows_no_details_and_is_marked,
    the_relationship_follows_current_membership_and_ends_after_the_period,
    the_psychologist_sees_women_referred_to_her_team_from_outside,
    search_shows_people_known_elsewhere_without_details_and_audits_who_was_shown,
    break_glass_opens_read_only_for_an_hour_and_is_reviewed,
    a_teams_kind_is_set_in_administration_not_read_from_its_name,
);

/// Brent holds Jo Bloggs's episode; Ealing has a practitioner and a site of its own.
struct Two {
    app: TestApp,
    person: String,
    brent_episode: String,
    ealing_site: String,
    eve: String,
}

async fn two_teams(db: Db) -> Two {
    let app = TestApp::spawn(db).await;
    let pat = app.add_user("pat", Role::Practitioner, &["Brent L&D"]);
    let eve = app.add_user("eve", Role::Practitioner, &["Ealing L&D"]);
    let brent_site = app.add_site("Brent L&D", "Wembley Police Custody Suite");
    let ealing_site = app.add_site("Ealing L&D", "Acton Police Custody Suite");
    let person = app.add_person("Jo", "Bloggs", "1990-06-01", &pat);
    let brent_episode = app.add_episode(&person, &brent_site, &pat, 5, false);
    Two {
        app,
        person,
        brent_episode,
        ealing_site,
        eve,
    }
}

fn denied_for(app: &TestApp, person: &str) -> usize {
    app.audit_rows("view")
        .iter()
        .filter(|r| r.outcome.code() == "denied" && r.person_id.as_deref() == Some(person))
        .count()
}

async fn a_contact_for_someone_known_elsewhere_shows_no_details_and_is_marked(db: Db) {
    let Two {
        app,
        person,
        brent_episode,
        ealing_site,
        ..
    } = two_teams(db).await;
    app.sign_in_ok("eve").await;
    let form = format!("/episodes/new?person={person}");
    let (status, html) = app.page(&form).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        !html.contains("BLOGGS") && !html.contains("1 Jun 1990"),
        "no details: {html}"
    );
    assert!(html.contains("not known to your team"));
    let viewed = app.audit_rows("view");
    assert!(viewed.iter().any(|r| r.person_id.as_deref() == Some(person.as_str())
        && r.detail.as_deref().is_some_and(|d| d.contains("no details shown"))));

    let res = app
        .submit(
            &form,
            "/episodes",
            &[
                ("person", person.as_str()),
                ("site_id", ealing_site.as_str()),
                ("cj_stage", "pre-charge"),
                (
                    "alert_at",
                    &liaison::domain::local_time::local_input_value(app.state.now()),
                ),
                ("referral_source", "E1"),
                ("concern", "Low mood"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let ealing_episode = location(&res).trim_start_matches("/episodes/").to_string();
    let claims: Vec<(String, Option<String>)> = access_overrides::table
        .select((access_overrides::kind, access_overrides::episode_id))
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(claims, vec![("self-claim".to_string(), Some(ealing_episode.clone()))]);
    let claimed = app.audit_rows("self-claim");
    assert_eq!(claimed.len(), 1);
    assert_eq!(claimed[0].person_id.as_deref(), Some(person.as_str()));

    // The new episode gives Ealing the person and a summary of Brent's contact, not its detail.
    let (status, html) = app.page(&format!("/people/{person}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("BLOGGS, Jo") && html.contains("Another team's contact"));
    assert!(html.contains(&format!("/episodes/{ealing_episode}")));
    assert!(
        !html.contains(&format!("/episodes/{brent_episode}")),
        "no link to Brent's episode"
    );
    let (status, html) = app.page(&format!("/episodes/{brent_episode}")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(!html.contains("Bloggs") && html.contains("Break the glass"));
}

async fn the_relationship_follows_current_membership_and_ends_after_the_period(db: Db) {
    let Two {
        app,
        person,
        brent_episode,
        ..
    } = two_teams(db).await;
    app.sign_in_ok("pat").await;
    let person_page = format!("/people/{person}");
    assert_eq!(app.page(&person_page).await.0, StatusCode::OK);

    // Closed 89 days ago: still related. 91 days: not, even for the team that holds it.
    let close = |days: i64| {
        let at = app.state.now() - days * 24 * 60 * 60 * 1000;
        diesel::update(episodes::table.find(&brent_episode))
            .set((episodes::status.eq("closed"), episodes::closed_at.eq(Some(at))))
            .execute(&mut app.conn())
            .unwrap();
    };
    close(89);
    assert_eq!(app.page(&person_page).await.0, StatusCode::OK);
    close(91);
    let (status, html) = app.page(&person_page).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(!html.contains("Bloggs"));
    assert_eq!(
        app.page(&format!("/episodes/{brent_episode}")).await.0,
        StatusCode::FORBIDDEN
    );
    close(1);

    // Moving Pat to Ealing ends Pat's access to the person Pat recorded at Brent.
    let pat = liaison::auth::accounts::find_by_username(&mut app.conn(), "pat")
        .unwrap()
        .unwrap();
    let before = denied_for(&app, &person);
    liaison::auth::accounts::set_teams(&mut app.conn(), &pat.id, &[app.team_id("Ealing L&D").into()]).unwrap();
    let (status, html) = app.page(&person_page).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(!html.contains("Bloggs"));
    assert_eq!(
        denied_for(&app, &person),
        before + 1,
        "the refusal is audited with the person"
    );
    // Someone who joins Brent gains it.
    app.add_user("bo", Role::Practitioner, &["Brent L&D"]);
    let bo = app.another_client();
    bo.sign_in_ok("bo").await;
    assert_eq!(bo.page(&person_page).await.0, StatusCode::OK);
}

async fn the_psychologist_sees_women_referred_to_her_team_from_outside(db: Db) {
    let app = TestApp::spawn(db).await;
    let maya = app.add_user("maya", Role::Practitioner, &["London Women's MHTR"]);
    app.add_user("lee", Role::ConsultantPsychologist, &["London Women's MHTR"]);
    let person = app.add_person("Ann", "Adams", "1985-02-03", &maya);
    let case = app.add_mhtr_case("London Women's MHTR", &person, MhtrStatus::Eligibility, &maya);
    app.sign_in_ok("lee").await;
    let (status, html) = app.page(&format!("/people/{person}")).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("ADAMS, Ann"));
    assert_eq!(app.page(&format!("/mhtr/cases/{case}")).await.0, StatusCode::OK);
    // An L&D practitioner without a relationship is refused both.
    app.add_user("pat", Role::Practitioner, &["Brent L&D"]);
    let pat = app.another_client();
    pat.sign_in_ok("pat").await;
    assert_eq!(pat.page(&format!("/people/{person}")).await.0, StatusCode::FORBIDDEN);
    assert_eq!(pat.page(&format!("/mhtr/cases/{case}")).await.0, StatusCode::FORBIDDEN);
}

async fn search_shows_people_known_elsewhere_without_details_and_audits_who_was_shown(db: Db) {
    let Two { app, person, .. } = two_teams(db).await;
    diesel::update(liaison::db::schema::people::table.find(&person))
        .set(liaison::db::schema::people::nhs_number.eq("9434765919"))
        .execute(&mut app.conn())
        .unwrap();
    app.sign_in_ok("eve").await;
    let (status, html) = app.page("/people/search?nhs_number=9434765919").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Known to another team"));
    assert!(!html.contains("Bloggs") && !html.contains("1 Jun 1990"), "{html}");
    assert!(html.contains(&format!("/people/{person}/break-glass")));
    let searches = app.audit_rows("search");
    assert!(
        searches[0]
            .detail
            .as_deref()
            .is_some_and(|d| d.contains(&format!("{person} (known elsewhere)"))),
        "the audit row names who was shown: {:?}",
        searches[0].detail
    );

    let brent = app.another_client();
    brent.sign_in_ok("pat").await;
    let (_, html) = brent.page("/people/search?nhs_number=9434765919").await;
    assert!(html.contains("BLOGGS, Jo"), "Brent sees its own: {html}");
    let searches = app.audit_rows("search");
    assert!(
        searches[0]
            .detail
            .as_deref()
            .is_some_and(|d| d.contains(&format!("{person} (details)")))
    );
}

async fn break_glass_opens_read_only_for_an_hour_and_is_reviewed(db: Db) {
    let Two {
        app,
        person,
        brent_episode,
        eve,
        ..
    } = two_teams(db).await;
    app.add_user("robin", Role::IgLead, &[]);
    app.sign_in_ok("eve").await;
    let person_page = format!("/people/{person}");
    let (status, html) = app.page(&person_page).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let glass = format!("/people/{person}/break-glass");
    assert!(html.contains(&glass));

    // Re-authentication first (decision 0018): eve has no second factor, so her password.
    let res = app.get(&glass).await;
    let confirm = format!("/account/confirm?next=%2Fpeople%2F{person}%2Fbreak-glass");
    assert_eq!((res.status(), location(&res)), (StatusCode::SEE_OTHER, confirm));
    assert_eq!(app.reauthenticate(&eve, &glass).await, glass);

    let (status, html) = app.page(&glass).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!html.contains("Bloggs"));
    let res = app.submit(&glass, &glass, &[("reason", ""), ("note", "")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("Select why you need to read this record now"));
    assert!(html.contains("Explain why you need to read this record now"));
    assert_eq!(app.count("access_overrides"), 0, "nothing saved");

    let res = app
        .submit(
            &glass,
            &glass,
            &[
                ("reason", "court-today"),
                ("note", "Appearing at Willesden this morning"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), person_page);
    let (status, html) = app.page(&person_page).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("BLOGGS, Jo") && html.contains("Break-glass access."),
        "banner: {html}"
    );
    let episode_page = format!("/episodes/{brent_episode}");
    let (status, html) = app.page(&episode_page).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Break-glass access."));
    let views: Vec<_> = app
        .audit_rows("view")
        .into_iter()
        .filter(|r| r.basis.as_deref() == Some("break-glass"))
        .collect();
    assert_eq!(views.len(), 2, "each page opened is audited with its basis");

    // Read-only: a timeline note is refused and audited.
    let res = app
        .submit(
            &episode_page,
            &format!("{episode_page}/timeline"),
            &[("kind", "note"), ("body", "Seen")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(res.text().await.unwrap().contains("read-only"));
    assert!(
        liaison::records::timeline::for_episode(&mut app.conn(), &brent_episode)
            .unwrap()
            .iter()
            .all(|e| e.body != "Seen")
    );
    assert!(
        app.audit_rows("update")
            .iter()
            .any(|r| r.outcome.code() == "denied" && r.detail.as_deref() == Some("break-glass access is read-only"))
    );

    // After the hour it is refused again (signing in anew: the idle timeout has passed too).
    app.clock.advance_minutes(61);
    app.sign_in_ok("eve").await;
    assert_eq!(app.page(&person_page).await.0, StatusCode::FORBIDDEN);
    assert_eq!(app.page(&episode_page).await.0, StatusCode::FORBIDDEN);

    // The IG lead reviews it; the practitioner cannot reach the queue, the IG lead no record.
    assert_eq!(app.page("/governance/access-reviews").await.0, StatusCode::FORBIDDEN);
    let ig = app.another_client();
    ig.sign_in_ok("robin").await;
    assert_eq!(ig.page(&person_page).await.0, StatusCode::FORBIDDEN);
    let (status, html) = ig.page("/governance/access-reviews").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Break-glass")
            && html.contains("eve Test")
            && html.contains("Appearing in court or custody today")
    );
    let id: String = access_overrides::table
        .select(access_overrides::id)
        .first(&mut ig.conn())
        .unwrap();
    let review = format!("/governance/access-reviews/{id}");
    let (status, html) = ig.page(&review).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Appearing at Willesden this morning") && html.contains("episode page"),
        "what was opened: {html}"
    );
    let res = ig
        .submit(&review, &review, &[("outcome", "follow-up"), ("note", "")])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Say what needs following up"));
    let res = ig
        .submit(&review, &review, &[("outcome", "appropriate"), ("note", "")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = ig.page("/governance/access-reviews").await;
    assert!(html.contains("Nothing is waiting for review") && html.contains("Appropriate"));
    assert_eq!(app.audit_rows("review").len(), 1);

    let (status, html) = ig.page(&format!("/governance/people/{person}/access")).await;
    assert_eq!(status, StatusCode::OK);
    for shown in [
        "Break-glass",
        "Refused",
        "Appearing at Willesden this morning",
        "episode page",
    ] {
        assert!(html.contains(shown), "{shown} on who accessed the record: {html}");
    }
}

async fn a_teams_kind_is_set_in_administration_not_read_from_its_name(db: Db) {
    let app = TestApp::spawn(db).await;
    app.add_user("admin", Role::Administrator, &[]);
    app.sign_in_ok("admin").await;
    let res = app
        .submit("/admin/teams", "/admin/teams", &[("name", "Women's treatment service")])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Select the kind of service the team provides")
    );
    let res = app
        .submit(
            "/admin/teams",
            "/admin/teams",
            &[("name", "Women's treatment service"), ("kind", "mhtr")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    app.add_user("maya", Role::Practitioner, &["Women's treatment service"]);
    let maya = app.another_client();
    maya.sign_in_ok("maya").await;
    let (status, html) = maya.page("/mhtr/intake").await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the kind, not the name, makes it an MHTR team: {html}"
    );

    let team = app.team_id("Women's treatment service");
    let path = format!("/admin/teams/{team}/kind");
    let res = app.submit(&path, &path, &[("kind", "ld")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(maya.page("/mhtr/intake").await.0, StatusCode::FORBIDDEN);
    assert!(
        app.audit_rows("update")
            .iter()
            .any(|r| r.detail.as_deref() == Some("kind mhtr -> ld"))
    );
}
