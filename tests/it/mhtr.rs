//! Internal referral from an L&D episode to the MHTR team, and the MHTR team's intake.

use chrono::{Datelike, Duration, NaiveDate};
use liaison::domain::Role;
use liaison::domain::local_time;
use liaison::mhtr::MhtrReferral;
use liaison::mhtr::referral;
use liaison::records::timeline;
use reqwest::StatusCode;

use crate::both_databases;
use crate::harness::{Db, TestApp, location};

both_databases!(
    referring_queues_a_new_referral_with_a_timeline_entry_and_an_audit_row,
    a_second_referral_returns_to_the_one_waiting,
    bad_referrals_are_refused_and_nothing_is_saved,
    several_mhtr_teams_means_choosing_one,
    the_mhtr_team_sees_the_referral_and_decides_once,
    declining_needs_a_reason,
    only_the_mhtr_team_sees_the_intake,
    another_l_and_d_team_cannot_refer_from_an_episode_it_does_not_hold,
);

const LD_TEAM: &str = "Brent L&D";
const MHTR_TEAM: &str = "London Women's MHTR";

struct Setup {
    /// Signed in as "pat", an L&D practitioner.
    app: TestApp,
    episode: String,
    person: String,
}

async fn setup(db: Db) -> Setup {
    let app = TestApp::spawn(db).await;
    let uid = app.add_user("pat", Role::Practitioner, &[LD_TEAM]);
    app.add_user("maya", Role::Practitioner, &[MHTR_TEAM]);
    let site = app.add_court(LD_TEAM, "Westminster Magistrates' Court");
    let person = app.add_person("Jo", "Bloggs", "1990-06-01", &uid);
    let episode = app.add_episode(&person, &site, &uid, 30, false);
    app.sign_in_ok("pat").await;
    Setup { app, episode, person }
}

fn form_path(episode: &str) -> String {
    format!("/episodes/{episode}/mhtr-referral")
}

/// Today where the service is, plus `days`, as the three date boxes.
fn hearing_in(app: &TestApp, days: i64) -> [String; 3] {
    let date: NaiveDate = local_time::local_date(app.state.now()) + Duration::days(days);
    [
        date.day().to_string(),
        date.month().to_string(),
        date.year().to_string(),
    ]
}

async fn refer(app: &TestApp, episode: &str, extra: &[(&str, &str)]) -> reqwest::Response {
    let path = form_path(episode);
    app.submit(&path, &path, extra).await
}

async fn refer_ok(app: &TestApp, episode: &str, hearing_days: Option<i64>) {
    let hearing = hearing_days.map(|d| hearing_in(app, d));
    let mut fields = vec![
        (
            "reason",
            "Low mood and past self-harm; a primary care MHTR may suit her",
        ),
        ("agrees", "yes"),
    ];
    if let Some([day, month, year]) = &hearing {
        fields.extend([
            ("hearing-day", day.as_str()),
            ("hearing-month", month.as_str()),
            ("hearing-year", year.as_str()),
        ]);
    }
    let res = refer(app, episode, &fields).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "referral saved");
    assert_eq!(
        location(&res),
        format!("/episodes/{episode}?done=mhtr-referred#referrals")
    );
    // Confirmed, and listed under the episode's referrals.
    let (_, page) = app.page(&location(&res)).await;
    assert!(page.contains("Referred to the MHTR service: the MHTR team will make the intake decision"));
    let referrals = &page[page.find(r#"id="referrals""#).expect("the referrals section")..];
    assert!(referrals.contains("MHTR service – "), "{referrals}");
}

fn referrals_of(app: &TestApp, person: &str) -> Vec<MhtrReferral> {
    referral::for_person(&mut app.conn(), person)
        .unwrap()
        .into_iter()
        .map(|(r, _)| r)
        .collect()
}

fn timeline_bodies(app: &TestApp, episode: &str) -> Vec<String> {
    timeline::for_episode(&mut app.conn(), episode)
        .unwrap()
        .into_iter()
        .map(|e| e.body)
        .collect()
}

/// Another browser signed in as `username`.
async fn as_user(app: &TestApp, username: &str) -> TestApp {
    let other = app.another_client();
    other.sign_in_ok(username).await;
    other
}

fn denied(app: &TestApp, action: &str, username: &str, record_type: &str) -> usize {
    app.audit_rows(action)
        .iter()
        .filter(|r| {
            r.outcome.code() == "denied"
                && r.username.as_deref() == Some(username)
                && r.record_type.as_deref() == Some(record_type)
        })
        .count()
}

async fn referring_queues_a_new_referral_with_a_timeline_entry_and_an_audit_row(db: Db) {
    let Setup { app, episode, person } = setup(db).await;
    let (status, html) = app.page(&form_path(&episode)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("including trans women and non-binary people assigned female at birth"));
    assert!(
        html.contains("She will be referred to <strong>London Women's MHTR</strong>"),
        "the only team is preselected: {html}"
    );
    assert!(html.contains("She agrees to be referred to the MHTR service"));

    refer_ok(&app, &episode, Some(10)).await;
    let found = referrals_of(&app, &person);
    assert_eq!(found.len(), 1);
    let r = &found[0];
    assert_eq!(r.status.code(), "new");
    assert_eq!(r.team_id, app.team_id(MHTR_TEAM));
    assert_eq!(r.episode_id.as_deref(), Some(episode.as_str()));
    let expected = local_time::local_date(app.state.now()) + Duration::days(10);
    assert_eq!(
        r.hearing_date.map(|d| d.iso()),
        Some(expected.format("%Y-%m-%d").to_string())
    );
    assert!(timeline_bodies(&app, &episode).contains(&"Referred to London Women's MHTR (MHTR) for intake".to_string()));
    let created: Vec<_> = app
        .audit_rows("create")
        .into_iter()
        .filter(|a| a.record_type.as_deref() == Some("mhtr-referral"))
        .collect();
    assert_eq!(created.len(), 1);
    assert_eq!(created[0].record_id.as_deref(), Some(r.id.as_str()));
    assert_eq!(created[0].username.as_deref(), Some("pat"));
}

async fn a_second_referral_returns_to_the_one_waiting(db: Db) {
    let Setup { app, episode, person } = setup(db).await;
    refer_ok(&app, &episode, None).await;
    // The browser sends the form again, hidden team and all.
    let team = app.team_id(MHTR_TEAM);
    let fields = [("team", team.as_str()), ("reason", "Clicked twice"), ("agrees", "yes")];
    let res = refer(&app, &episode, &fields).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), form_path(&episode), "back to the referral waiting");
    assert_eq!(app.count("mhtr_referrals"), 1);
    assert_eq!(referrals_of(&app, &person).len(), 1);
    let (status, html) = app.page(&form_path(&episode)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Referrals to the MHTR service so far"));
    assert!(html.contains("already been referred to every MHTR team"), "{html}");
    let timeline_entries = timeline_bodies(&app, &episode);
    assert_eq!(
        timeline_entries
            .iter()
            .filter(|b| b.contains("(MHTR) for intake"))
            .count(),
        1
    );
}

async fn bad_referrals_are_refused_and_nothing_is_saved(db: Db) {
    let Setup { app, episode, .. } = setup(db).await;
    let res = refer(&app, &episode, &[("reason", "  "), ("agrees", "yes")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Enter the reason for referral"));

    let res = refer(&app, &episode, &[("reason", "Needs support")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("Confirm that she agrees to be referred to the MHTR service"));
    assert!(html.contains("Needs support"), "what she typed is kept");

    let [day, month, year] = hearing_in(&app, -1);
    let res = refer(
        &app,
        &episode,
        &[
            ("reason", "Needs support"),
            ("agrees", "yes"),
            ("hearing-day", &day),
            ("hearing-month", &month),
            ("hearing-year", &year),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Sentencing hearing date must be today or in the future")
    );

    let long = "a".repeat(2001);
    let res = refer(&app, &episode, &[("reason", &long), ("agrees", "yes")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);

    assert_eq!(app.count("mhtr_referrals"), 0);
    assert_eq!(app.count("timeline_entries"), 0);
    assert!(
        !app.audit_rows("create")
            .iter()
            .any(|a| a.record_type.as_deref() == Some("mhtr-referral"))
    );
}

async fn several_mhtr_teams_means_choosing_one(db: Db) {
    let Setup { app, episode, person } = setup(db).await;
    let second = app.team_id("North London Women's mhtr");
    let (_, html) = app.page(&form_path(&episode)).await;
    assert!(html.contains("Which MHTR team are you referring her to?"));
    assert!(html.contains(&format!(r#"value="{second}""#)));
    assert!(!html.contains("Brent L&amp;D</label>"), "L&D teams are not offered");

    let res = refer(&app, &episode, &[("reason", "Needs support"), ("agrees", "yes")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Select the MHTR team to refer her to")
    );
    let ld = app.team_id(LD_TEAM);
    let res = refer(
        &app,
        &episode,
        &[("team", &ld), ("reason", "Needs support"), ("agrees", "yes")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "not an MHTR team");

    let res = refer(
        &app,
        &episode,
        &[("team", &second), ("reason", "Needs support"), ("agrees", "yes")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let found = referrals_of(&app, &person);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].team_id, second);
    let (_, html) = app.page(&form_path(&episode)).await;
    assert!(
        html.contains("She will be referred to <strong>London Women"),
        "the team left is offered alone"
    );
}

async fn the_mhtr_team_sees_the_referral_and_decides_once(db: Db) {
    let Setup { app, episode, person } = setup(db).await;
    refer_ok(&app, &episode, Some(10)).await;
    // A second woman, referred without a hearing date: listed after the first.
    let pat = referrals_of(&app, &person)[0].referred_by.clone();
    let site = app.episode(&episode).site_id;
    let second_person = app.add_person("Ann", "Adams", "1985-02-03", &pat);
    let second_episode = app.add_episode(&second_person, &site, &pat, 10, false);
    refer_ok(&app, &second_episode, None).await;

    let maya = as_user(&app, "maya").await;
    let views_before = app.audit_rows("view").len();
    let (status, html) = maya.page("/mhtr/intake").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        app.audit_rows("view").len(),
        views_before + 1,
        "one audit row per request"
    );
    for shown in [
        "BLOGGS, Jo",
        "ADAMS, Ann",
        "Brent L&amp;D",
        "pat Test",
        "10 days to hearing",
        "Due in 10 days",
        "Not set",
        "Westminster Magistrates' Court",
    ] {
        assert!(html.contains(shown), "{shown} on the list: {html}");
    }
    let first = html.find("BLOGGS, Jo").unwrap();
    assert!(first < html.find("ADAMS, Ann").unwrap(), "nearest hearing first");

    let r = referrals_of(&app, &person).remove(0);
    let page = format!("/mhtr/intake/{}", r.id);
    let (status, html) = maya.page(&page).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("1 Jun 1990"), "her details");
    assert!(html.contains("Low mood and past self-harm"));
    assert!(
        app.audit_rows("view")
            .iter()
            .any(|a| a.record_id.as_deref() == Some(r.id.as_str()) && a.outcome.code() == "allowed")
    );
    let mhtr_ids: Vec<liaison::domain::ids::TeamId> = vec![app.team_id(MHTR_TEAM).into()];
    let since = app.state.now();
    assert!(
        liaison::access::relationship::holds(&mut app.conn(), &person, &mhtr_ids, since).unwrap(),
        "the referral addressed to the MHTR team gives it a relationship with her"
    );

    let res = maya
        .submit(
            &page,
            &page,
            &[("decision", "accept"), ("deadline_kind", "five-working-days")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let case = liaison::mhtr::case::for_referral(&mut app.conn(), &r.id)
        .unwrap()
        .expect("accepting opens a case");
    assert_eq!(location(&res), format!("/mhtr/cases/{}", case.id));
    let decided = referrals_of(&app, &person).remove(0);
    assert_eq!(decided.status.code(), "accepted");
    assert!(decided.decided_by.is_some() && decided.decided_at.is_some());
    assert!(timeline_bodies(&app, &episode).contains(&"MHTR intake accepted".to_string()));
    assert!(
        app.audit_rows("update")
            .iter()
            .any(|a| a.record_id.as_deref() == Some(r.id.as_str()) && a.detail.as_deref() == Some("intake accepted"))
    );

    let res = maya
        .submit(
            &page,
            &page,
            &[("decision", "decline"), ("decline_reason", "Changed my mind")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(res.text().await.unwrap().contains("already been accepted"));
    assert_eq!(referrals_of(&app, &person)[0].status.code(), "accepted");

    let (_, html) = maya.page("/mhtr/intake").await;
    let open_cases = &html[html.find("Open cases").unwrap()..];
    assert!(
        open_cases.contains(&format!(r#"href="/mhtr/cases/{}">BLOGGS, Jo"#, case.id)),
        "the accepted referral is listed as an open case: {open_cases}"
    );
    assert!(!open_cases.contains("ADAMS, Ann"), "the other is still waiting");
}

async fn declining_needs_a_reason(db: Db) {
    let Setup { app, episode, person } = setup(db).await;
    refer_ok(&app, &episode, None).await;
    let maya = as_user(&app, "maya").await;
    let page = format!("/mhtr/intake/{}", referrals_of(&app, &person)[0].id);
    let res = maya
        .submit(&page, &page, &[("decision", "decline"), ("decline_reason", " ")])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Enter why the referral is declined"));
    assert_eq!(referrals_of(&app, &person)[0].status.code(), "new");

    let res = maya
        .submit(
            &page,
            &page,
            &[
                ("decision", "decline"),
                ("decline_reason", "Not eligible: no guilty plea"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let r = referrals_of(&app, &person).remove(0);
    assert_eq!(r.status.code(), "declined");
    assert_eq!(r.decline_reason.as_deref(), Some("Not eligible: no guilty plea"));
    assert!(
        timeline_bodies(&app, &episode).contains(&"MHTR intake declined: Not eligible: no guilty plea".to_string())
    );
}

async fn only_the_mhtr_team_sees_the_intake(db: Db) {
    let Setup { app, episode, person } = setup(db).await;
    refer_ok(&app, &episode, Some(3)).await;
    let page = format!("/mhtr/intake/{}", referrals_of(&app, &person)[0].id);

    // pat is an L&D practitioner: no MHTR team.
    assert_eq!(app.page("/mhtr/intake").await.0, StatusCode::FORBIDDEN);
    assert_eq!(app.page(&page).await.0, StatusCode::FORBIDDEN);
    let res = app.submit("/", &page, &[("decision", "accept")]).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(referrals_of(&app, &person)[0].status.code(), "new");
    assert_eq!(denied(&app, "view", "pat", "mhtr-intake"), 1);
    assert_eq!(denied(&app, "view", "pat", "mhtr-referral"), 1);
    assert_eq!(denied(&app, "update", "pat", "mhtr-referral"), 1);

    // A member of another MHTR team does not see this team's referral.
    app.add_user("nia", Role::Practitioner, &["Kent Women's MHTR"]);
    let nia = as_user(&app, "nia").await;
    let (status, html) = nia.page("/mhtr/intake").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!html.contains("BLOGGS"));
    assert_eq!(nia.page(&page).await.0, StatusCode::FORBIDDEN);

    // An analyst in the MHTR team works with no identifiable records.
    app.add_user("ana", Role::Analyst, &[MHTR_TEAM]);
    let ana = as_user(&app, "ana").await;
    assert_eq!(ana.page("/mhtr/intake").await.0, StatusCode::FORBIDDEN);
    assert_eq!(ana.page(&page).await.0, StatusCode::FORBIDDEN);
}

async fn another_l_and_d_team_cannot_refer_from_an_episode_it_does_not_hold(db: Db) {
    let Setup { app, episode, .. } = setup(db).await;
    app.add_user("sam", Role::Practitioner, &["Camden L&D"]);
    let sam = as_user(&app, "sam").await;
    let path = form_path(&episode);
    assert_eq!(sam.page(&path).await.0, StatusCode::FORBIDDEN);
    let res = sam
        .submit("/", &path, &[("reason", "Needs support"), ("agrees", "yes")])
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.count("mhtr_referrals"), 0);
    assert_eq!(denied(&app, "view", "sam", "episode"), 1);
    assert_eq!(denied(&app, "update", "sam", "episode"), 1);
}
