//! The live list's kept rendering (decision 0024): shared by everyone who asks within a
//! minute while nothing it shows changes, and never shown once anything it shows has.

use std::io::Read;

use diesel::prelude::*;
use liaison::db::DbConnection;
use liaison::db::schema::{alert_kinds, episodes, handovers, people, person_alerts, referrals, shifts, sites, users};
use liaison::domain::Role;
use reqwest::StatusCode;

use crate::both_databases;
use crate::harness::{Db, TestApp};

both_databases!(
    the_kept_list_shows_each_change_at_once,
    a_kept_list_is_served_while_nothing_it_shows_changes,
);

/// The list's htmx fragment as `app`'s session polls it, gzipped or not.
async fn poll(app: &TestApp, site: &str, gzip: bool) -> String {
    let mut req = app
        .client
        .get(app.url(&format!("/sites/{site}/list")))
        .header("HX-Request", "true")
        .header("X-Liaison-Background", "1");
    if gzip {
        req = req.header("Accept-Encoding", "gzip");
    }
    let res = req.send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    // Unless the list is too short to be worth it (under 1 KB: no one waiting).
    let gzipped = res.headers().get("content-encoding").is_some_and(|v| v == "gzip");
    assert!(gzip || !gzipped, "gzip only when asked for");
    let body = res.bytes().await.unwrap();
    assert!(gzipped || !gzip || body.len() < 1024, "gzip when asked for");
    if !gzipped {
        return String::from_utf8(body.to_vec()).unwrap();
    }
    let mut html = String::new();
    flate2::read::GzDecoder::new(&body[..])
        .read_to_string(&mut html)
        .unwrap();
    html
}

fn change(app: &TestApp, work: impl FnOnce(&mut DbConnection) -> QueryResult<usize>) {
    let mut conn = app.conn();
    assert_eq!(work(&mut conn).unwrap(), 1, "one row changed");
}

/// Each practitioner polls in turn, one with gzip and one without, so that each sees what
/// the other's request kept.
async fn both_see(pat: &TestApp, sam: &TestApp, site: &str, shown: &str, gone: &str) {
    for (who, gzip) in [(pat, true), (sam, false), (pat, true)] {
        let list = poll(who, site, gzip).await;
        assert!(list.contains(shown), "{shown} shown: {list}");
        assert!(gone.is_empty() || !list.contains(gone), "{gone} gone: {list}");
    }
}

async fn the_kept_list_shows_each_change_at_once(db: Db) {
    let pat = TestApp::spawn(db).await;
    let pat_id = pat.add_user("pat", Role::Practitioner, &["Brent L&D"]);
    pat.add_user("sam", Role::Practitioner, &["Brent L&D"]);
    let site = pat.add_site("Brent L&D", "Wembley Police Custody Suite");
    let person = pat.add_person("Ada", "Adult", "1980-02-02", &pat_id);
    let ep = pat.add_episode(&person, &site, &pat_id, 30, false);
    pat.sign_in_ok("pat").await;
    let sam = pat.another_client();
    sam.sign_in_ok("sam").await;
    let now = pat.state.now();
    both_see(&pat, &sam, &site, "ADULT, Ada", "").await;

    change(&pat, |c| {
        diesel::update(people::table.find(&person))
            .set(people::family_name.eq("Renamed"))
            .execute(c)
    });
    both_see(&pat, &sam, &site, "RENAMED, Ada", "ADULT, Ada").await;

    change(&pat, |c| {
        diesel::insert_into(person_alerts::table)
            .values((
                person_alerts::id.eq("alert-1"),
                person_alerts::person_id.eq(&person),
                person_alerts::kind.eq("risk-to-staff"),
                person_alerts::note.eq("Synthetic note"),
                person_alerts::review_on.eq("2099-01-01"),
                person_alerts::raised_by.eq(&pat_id),
                person_alerts::raised_at.eq(now),
            ))
            .execute(c)
    });
    both_see(&pat, &sam, &site, "Risk to staff", "").await;
    change(&pat, |c| {
        diesel::update(alert_kinds::table.find("risk-to-staff"))
            .set(alert_kinds::label.eq("Risk to any staff"))
            .execute(c)
    });
    both_see(&pat, &sam, &site, "Risk to any staff", "").await;

    change(&pat, |c| {
        diesel::insert_into(handovers::table)
            .values((
                handovers::id.eq("handover-1"),
                handovers::episode_id.eq(&ep),
                handovers::site_id.eq(&site),
                handovers::note.eq("Asked for a solicitor"),
                handovers::written_by.eq(&pat_id),
                handovers::written_at.eq(now),
            ))
            .execute(c)
    });
    both_see(&pat, &sam, &site, "Handover: Asked for a solicitor", "").await;

    change(&pat, |c| {
        diesel::update(episodes::table.find(&ep))
            .set(episodes::allocated_to.eq(&pat_id))
            .execute(c)
    });
    both_see(&pat, &sam, &site, "Not on duty", "Unallocated").await;
    change(&pat, |c| {
        diesel::insert_into(shifts::table)
            .values((
                shifts::id.eq("shift-1"),
                shifts::user_id.eq(&pat_id),
                shifts::contact_phone.eq("020 7946 0000"),
                shifts::started_at.eq(now),
            ))
            .execute(c)
    });
    both_see(&pat, &sam, &site, "pat Test", "Not on duty").await;
    change(&pat, |c| {
        diesel::update(users::table.find(&pat_id))
            .set(users::display_name.eq("Pat Renamed"))
            .execute(c)
    });
    both_see(&pat, &sam, &site, "Pat Renamed", "pat Test").await;

    change(&pat, |c| {
        diesel::update(sites::table.find(&site))
            .set(sites::target_minutes.eq(5))
            .execute(c)
    });
    both_see(&pat, &sam, &site, "Over target", "").await;

    // A referral sent a month ago and unanswered, then answered.
    change(&pat, |c| {
        diesel::insert_into(referrals::table)
            .values((
                referrals::id.eq("referral-1"),
                referrals::episode_id.eq(&ep),
                referrals::kind.eq("partner"),
                referrals::reason.eq("Synthetic reason"),
                referrals::urgency.eq("routine"),
                referrals::shared_information.eq(""),
                referrals::consent.eq("given"),
                referrals::status.eq("sent"),
                referrals::submission_key.eq("key-1"),
                referrals::reference.eq("R-TEST01"),
                referrals::created_by.eq(&pat_id),
                referrals::created_at.eq(now - 30 * 86_400_000),
                referrals::sent_at.eq(now - 30 * 86_400_000),
                referrals::updated_at.eq(now),
            ))
            .execute(c)
    });
    both_see(&pat, &sam, &site, "Referral overdue", "").await;
    change(&pat, |c| {
        diesel::update(referrals::table.find("referral-1"))
            .set(referrals::status.eq("accepted"))
            .execute(c)
    });
    both_see(&pat, &sam, &site, "RENAMED, Ada", "Referral overdue").await;

    change(&pat, |c| {
        diesel::update(episodes::table.find(&ep))
            .set((episodes::status.eq("closed"), episodes::closed_at.eq(now)))
            .execute(c)
    });
    both_see(&pat, &sam, &site, "1 closed today", "RENAMED, Ada").await;
}

async fn a_kept_list_is_served_while_nothing_it_shows_changes(db: Db) {
    let pat = TestApp::spawn(db).await;
    let pat_id = pat.add_user("pat", Role::Practitioner, &["Brent L&D"]);
    pat.add_user("sam", Role::Practitioner, &["Brent L&D"]);
    let site = pat.add_site("Brent L&D", "Wembley Police Custody Suite");
    let person = pat.add_person("Ada", "Adult", "1980-02-02", &pat_id);
    pat.add_episode(&person, &site, &pat_id, 30, false);
    pat.sign_in_ok("pat").await;
    let sam = pat.another_client();
    sam.sign_in_ok("sam").await;

    // Each practitioner's page carries their own token for the list's allocation form, and
    // the list itself carries none.
    for who in [&pat, &sam] {
        let (_, page) = who.page(&format!("/sites/{site}/list")).await;
        let token = crate::harness::csrf_token(&page);
        assert!(
            page.contains(&format!(r#"name="csrf_token" value="{token}" form="allocate""#)),
            "{page}"
        );
        assert!(!poll(who, &site, false).await.contains("csrf_token"));
    }

    // A change made as if no trigger had moved the version on is not shown until the minute
    // turns: the rendering kept for the minute was served. The clock is the system's, so the
    // minute may turn between the two polls; then the round is tried again.
    let minute = |app: &TestApp| app.state.now().div_euclid(60_000);
    for round in 0..3 {
        let started = minute(&pat);
        let before = poll(&pat, &site, true).await;
        let mut conn = pat.conn();
        let c: &mut DbConnection = &mut conn;
        liaison::db::write_tx(c, |c| {
            diesel::update(people::table.find(&person))
                .set(people::family_name.eq(format!("Unseen{round}")))
                .execute(c)?;
            diesel::sql_query("UPDATE board_version SET version = version - 1").execute(c)
        })
        .unwrap();
        drop(conn);
        let after = poll(&sam, &site, false).await;
        if minute(&pat) == started {
            assert_eq!(after, before, "the same rendering, kept");
            assert!(!after.contains("UNSEEN"), "{after}");
            break;
        }
        assert!(round < 2, "the minute turned in every round");
    }
    pat.clock.advance_minutes(1);
    let list = poll(&sam, &site, false).await;
    assert!(list.contains("UNSEEN") && !list.contains("ADULT, Ada"), "{list}");
}
