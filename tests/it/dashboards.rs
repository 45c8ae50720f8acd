//! The dashboards over hand-built months: each measure's figure as a user reads it, the
//! chart's table and CSV agreeing, filters refused at their field, and who sees what.

use liaison::domain::Role;
use liaison::domain::mhtr::MhtrStatus;
use reqwest::StatusCode;

use crate::both_databases;
use crate::cohort::{Ep, at, utc};
use crate::harness::{Db, TestApp};

both_databases!(
    the_service_view_shows_a_hand_built_march,
    a_chart_its_table_and_its_csv_agree,
    filters_refuse_what_names_nothing_the_user_may_see,
    the_shift_view_counts_who_is_waiting_now,
    the_equality_view_splits_by_group,
    the_commissioner_view_hides_small_numbers,
    the_mhtr_funnel_counts_each_stage,
    analysts_see_every_team_clinicians_their_own,
    long_reads_wait_for_a_turn_and_the_shift_view_does_not,
);

const TEAM: &str = "Brent L&D";

struct March {
    app: TestApp,
    site: String,
}

/// March 2026 at one custody suite (target an hour). The clocks went forward at 01:00 GMT on
/// Sunday 29 March.
async fn march(db: Db) -> March {
    let app = TestApp::spawn(db).await;
    let lead = app.add_user("lead", Role::SeniorPractitioner, &[TEAM]);
    let site = app.add_site(TEAM, "Brent custody");
    let person = |given: &str, dob: &str| app.add_person(given, "Demo", dob, &lead);
    let eps = [
        Ep {
            assessed: true,
            ..Ep::at(at(2026, 3, 2, 10, 0)).screened(at(2026, 3, 2, 10, 40), &["mental-health", "alcohol-misuse"])
        },
        // Alerted before midnight, screened after it: thirty minutes.
        Ep::at(at(2026, 3, 10, 23, 50)).screened(at(2026, 3, 11, 0, 20), &["none-identified"]),
        // 00:50 GMT to 02:10 BST is twenty minutes, not eighty.
        Ep {
            assessed: true,
            ..Ep::at(at(2026, 3, 29, 0, 50)).screened(at(2026, 3, 29, 2, 10), &["mental-health"])
        },
        // A youth, screened late.
        Ep {
            youth: true,
            ..Ep::at(at(2026, 3, 15, 9, 0)).screened(at(2026, 3, 15, 11, 30), &["drug-misuse"])
        },
        Ep::at(at(2026, 3, 20, 8, 0)).not_seen("released-before-seen", at(2026, 3, 20, 9, 0)),
        // Still waiting.
        Ep::at(at(2026, 3, 31, 12, 0)),
        // 23:30 GMT on 31 March is 00:30 BST on 1 April: April's.
        Ep::at(utc(2026, 3, 31, 23, 30)),
    ];
    for (i, ep) in eps.iter().enumerate() {
        let dob = if ep.youth { "2010-01-01" } else { "1990-06-01" };
        let who = person(&format!("Person{i}"), dob);
        app.add_hand_built(&who, &site, &lead, ep);
    }
    app.sign_in_ok("lead").await;
    March { app, site }
}

async fn the_service_view_shows_a_hand_built_march(db: Db) {
    let March { app, .. } = march(db).await;
    let (status, html) = app.page("/dashboards/service?period=2026-03").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("March 2026, all sites"), "{html}");
    for figure in [
        "<strong>6</strong>",
        "<strong>4 (66.7%)</strong>",
        "<strong>median 35 minutes; 90th percentile 150 minutes</strong>",
        "<strong>3 of 4 (75.0%)</strong>",
        "<strong>2 (50.0% of screened)</strong>",
        "<strong>3 of 4 people screened (75.0%)</strong>",
    ] {
        assert!(html.contains(figure), "{figure} missing");
    }
    // LD04: one not seen, with its reason charted.
    assert!(html.contains("Released before seen"));
    assert!(
        html.contains("75.0% of completed waits were within the site&#39;s target")
            || html.contains("75.0% of completed waits were within the site's target")
    );
    // The youth filter leaves the one youth.
    let (_, youth) = app.page("/dashboards/service?period=2026-03&age=youth").await;
    assert!(youth.contains("<strong>1</strong>"), "{youth}");
    assert!(youth.contains("median 150 minutes"));
    // April has the one alert just after midnight on 1 April, London time.
    let (_, april) = app.page("/dashboards/service?period=2026-04").await;
    assert!(april.contains("<td><strong>1</strong></td>"), "{april}");
}

async fn a_chart_its_table_and_its_csv_agree(db: Db) {
    let March { app, .. } = march(db).await;
    let (_, html) = app.page("/dashboards/service?period=2026-03").await;
    let href = "/dashboards/service.csv?chart=weeks&amp;period=2026-03&amp;team=&amp;site=&amp;age=";
    assert!(html.contains(href), "the chart links its CSV");
    let (status, csv) = app.page(&href.replace("&amp;", "&")).await;
    assert_eq!(status, StatusCode::OK);
    // Weeks from Monday 23 February (1 March was a Sunday); 29 March counts in the week of
    // the 23rd, the alert at 00:30 on 1 April in none.
    let expected = "\"Week beginning\",\"Alerts\",\"Screened\"\r\n\"23 Feb\",\"0\",\"0\"\r\n\"2 Mar\",\"1\",\"1\"\r\n\
\"9 Mar\",\"2\",\"2\"\r\n\"16 Mar\",\"1\",\"0\"\r\n\"23 Mar\",\"1\",\"1\"\r\n\"30 Mar\",\"1\",\"0\"\r\n";
    assert_eq!(csv, expected);
    // The same numbers in the figure's table, row by row.
    for (week, alerts, screened) in [("9 Mar", 2, 2), ("16 Mar", 1, 0), ("30 Mar", 1, 0)] {
        let row = format!(
            "<th scope=\"row\">{week}</th><td class=\"app-table__numeric\">{alerts}</td><td class=\"app-table__numeric\">{screened}</td>"
        );
        assert!(html.contains(&row), "{row}");
    }
    // Every chart has its title and description.
    assert_eq!(html.matches("<svg").count(), html.matches("<desc id=").count());
    assert_eq!(html.matches("<svg").count(), 6);
    assert_eq!(
        app.page("/dashboards/service.csv?chart=nothing&period=2026-03").await.0,
        StatusCode::NOT_FOUND
    );
}

async fn filters_refuse_what_names_nothing_the_user_may_see(db: Db) {
    let March { app, .. } = march(db).await;
    let other = app.add_site("Camden L&D", "Camden custody");
    for (query, message) in [
        ("period=2026-13", "Select a period from the list"),
        (
            &format!("site={other}") as &str,
            "Select a site of your teams, or all sites",
        ),
        ("team=not-a-team", "Select one of your teams, or all teams"),
        ("age=old", "Select adults, young people, or both"),
    ] {
        let (status, html) = app.page(&format!("/dashboards/service?{query}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
        assert!(html.contains(message), "{query}: {message}");
        assert!(!html.contains("<svg"), "{query}: no figures shown");
    }
}

async fn the_shift_view_counts_who_is_waiting_now(db: Db) {
    let March { app, site } = march(db).await;
    let lead = app.add_user("lead2", Role::SeniorPractitioner, &[TEAM]);
    let jo = app.add_person("Jo", "Waiting", "1990-06-01", &lead);
    app.add_episode(&jo, &site, &lead, 45, false);
    let (status, html) = app.page("/dashboards/shift").await;
    assert_eq!(status, StatusCode::OK);
    // March's still-waiting episode, April's first and today's: open and unscreened.
    assert!(html.contains("3 people waiting to be screened now"), "{html}");
    assert!(!html.contains("name=\"period\""), "the shift view has no period");
}

/// Every turn for a long read taken: the shift view (today only) still answers, and a month's
/// service view waits until a turn comes free, then answers in full.
async fn long_reads_wait_for_a_turn_and_the_shift_view_does_not(db: Db) {
    let March { app, .. } = march(db).await;
    let turns = u32::try_from(liaison::web::state::LONG_READS).unwrap();
    let taken = app.state.long_reads.clone().acquire_many_owned(turns).await.unwrap();
    let (status, _) = app.page("/dashboards/shift").await;
    assert_eq!(status, StatusCode::OK, "the shift view does not wait");
    let request = app.client.get(app.url("/dashboards/service?period=2026-03")).send();
    let mut service = tokio::spawn(async move { request.await.unwrap().text().await.unwrap() });
    let early = tokio::time::timeout(std::time::Duration::from_millis(300), &mut service).await;
    assert!(early.is_err(), "the service view answered with every turn taken");
    drop(taken);
    let html = service.await.unwrap();
    assert!(
        html.contains("<strong>median 35 minutes; 90th percentile 150 minutes</strong>"),
        "{html}"
    );
}

async fn the_equality_view_splits_by_group(db: Db) {
    let March { app, .. } = march(db).await;
    let (status, html) = app.page("/dashboards/equality?period=2026-03").await;
    assert_eq!(status, StatusCode::OK);
    // Nobody has an ethnic category recorded: all six are "Not known"; the youth is under 18.
    assert!(html.contains("<td>Not known</td><td>6</td>"), "{html}");
    assert!(html.contains("<td>Under 18</td><td>1</td>"));
    assert!(html.contains("<td>35-44</td><td>5</td>"));
    assert!(
        html.contains("<td>Asian or Asian British</td><td>0</td>"),
        "every group is listed"
    );
}

async fn the_commissioner_view_hides_small_numbers(db: Db) {
    let March { app, .. } = march(db).await;
    let (status, html) = app.page("/dashboards/commissioner?period=2026-Q1").await;
    assert_eq!(status, StatusCode::OK);
    // Six alerts in March at one site: hidden under the default rule.
    assert!(html.contains("<td>2026-03</td>"), "{html}");
    assert!(html.contains("[c]"));
    assert!(html.contains("Counts from 1 to 7 are shown as [c]"));
    assert!(!html.contains("<td>6</td>"), "the raw count does not leave");
}

async fn the_mhtr_funnel_counts_each_stage(db: Db) {
    let app = TestApp::spawn(db).await;
    let maya = app.add_user("maya", Role::Practitioner, &["London Women's MHTR"]);
    for (i, status) in [MhtrStatus::Referred, MhtrStatus::Eligibility, MhtrStatus::Treatment]
        .iter()
        .enumerate()
    {
        let person = app.add_person(&format!("Woman{i}"), "Demo", "1990-06-01", &maya);
        app.add_mhtr_case("London Women's MHTR", &person, *status, &maya);
    }
    app.sign_in_ok("maya").await;
    let (status, html) = app.page("/dashboards/mhtr").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("women referred were sentenced with an MHTR"), "{html}");
    assert!(
        html.contains("<td>M1</td><td>Identified</td><td><strong>3</strong></td>"),
        "{html}"
    );
}

async fn analysts_see_every_team_clinicians_their_own(db: Db) {
    let March { app, .. } = march(db).await;
    app.add_user("elsewhere", Role::Practitioner, &["Camden L&D"]);
    let other = app.another_client();
    other.sign_in_ok("elsewhere").await;
    let (_, html) = other.page("/dashboards/service?period=2026-03").await;
    assert!(
        html.contains("<td><strong>0</strong></td>"),
        "another team's figures are not theirs"
    );
    app.add_user("ana", Role::Analyst, &[]);
    let analyst = app.another_client();
    analyst.sign_in_ok("ana").await;
    let (status, html) = analyst.page("/dashboards/service?period=2026-03").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<strong>6</strong>"));
    assert!(!html.contains("Person0"), "no one is named");
}

both_databases!(the_figures_follow_every_write);

/// The dashboards read facts kept by triggers: a change to an episode, a referral made and a
/// person's details corrected each show on the next view.
async fn the_figures_follow_every_write(db: Db) {
    use diesel::prelude::*;
    use liaison::db::schema::{episodes, people, referrals};
    let March { app, site } = march(db).await;
    let (_, html) = app.page("/dashboards/service?period=2026-03").await;
    assert!(html.contains("<strong>6</strong>"));
    // The still-waiting episode moves to February.
    let waiting: String = episodes::table
        .filter(episodes::site_id.eq(&site))
        .filter(episodes::alert_at.eq(at(2026, 3, 31, 12, 0)))
        .select(episodes::id)
        .first(&mut app.conn())
        .unwrap();
    diesel::update(episodes::table.find(&waiting))
        .set(episodes::alert_at.eq(at(2026, 2, 27, 12, 0)))
        .execute(&mut app.conn())
        .unwrap();
    let (_, html) = app.page("/dashboards/service?period=2026-03").await;
    assert!(html.contains("<td><strong>5</strong></td>"), "{html}");
    // A referral on the first episode.
    let (first, person): (String, String) = episodes::table
        .filter(episodes::alert_at.eq(at(2026, 3, 2, 10, 0)))
        .select((episodes::id, episodes::person_id))
        .first(&mut app.conn())
        .unwrap();
    let by: String = episodes::table
        .find(&first)
        .select(episodes::created_by)
        .first(&mut app.conn())
        .unwrap();
    diesel::insert_into(referrals::table)
        .values((
            referrals::id.eq(uuid::Uuid::new_v4().to_string()),
            referrals::episode_id.eq(&first),
            referrals::kind.eq("partner"),
            referrals::reason.eq("Figures test"),
            referrals::urgency.eq("routine"),
            referrals::shared_information.eq("Figures test"),
            referrals::consent.eq("given"),
            referrals::status.eq("attended"),
            referrals::submission_key.eq(uuid::Uuid::new_v4().to_string()),
            referrals::reference.eq("R-FIGURES"),
            referrals::created_by.eq(&by),
            referrals::created_at.eq(at(2026, 3, 2, 12, 0)),
            referrals::chase_count.eq(0),
            referrals::updated_at.eq(at(2026, 3, 2, 12, 0)),
        ))
        .execute(&mut app.conn())
        .unwrap();
    let (_, html) = app.page("/dashboards/service?period=2026-03").await;
    assert!(
        html.contains("<strong>1 referral; 20.0% of people referred on</strong>"),
        "{html}"
    );
    assert!(
        html.contains("<strong>100.0% (1 of 1 known); 0 not yet known</strong>"),
        "{html}"
    );
    // A person's ethnic category recorded.
    diesel::update(people::table.find(&person))
        .set(people::ethnic_category.eq("M"))
        .execute(&mut app.conn())
        .unwrap();
    let (_, html) = app.page("/dashboards/equality?period=2026-03").await;
    assert!(html.contains("<td>Black or Black British</td><td>1</td>"), "{html}");
}
