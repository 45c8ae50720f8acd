//! Merging two records of the same person: only a senior practitioner, after checking what
//! moves; every child row moves and the duplicate's address redirects; audited against both;
//! undone exactly, by her within the period or by an administrator after it.

use diesel::prelude::*;
use liaison::db::schema::{episodes, mhtr_cases, people, person_alerts, person_merges};
use liaison::domain::Role;
use liaison::domain::mhtr::MhtrStatus;
use reqwest::StatusCode;

use crate::both_databases;
use crate::harness::{Db, TestApp, location};

both_databases!(
    a_duplicate_is_merged_with_everything_it_holds_and_undone_exactly,
    records_of_two_different_people_are_not_merged,
    a_signed_report_moves_with_its_person_and_back,
);

struct Two {
    app: TestApp,
    kept: String,
    duplicate: String,
    kept_episode: String,
    duplicate_episode: String,
    duplicate_case: String,
}

async fn two_records(db: Db) -> Two {
    let app = TestApp::spawn(db).await;
    let uid = app.add_user("pat", Role::Practitioner, &["Brent L&D"]);
    app.add_user("sam", Role::SeniorPractitioner, &["Brent L&D"]);
    app.add_user("ada", Role::Administrator, &[]);
    let site = app.add_site("Brent L&D", "Wembley Police Custody Suite");
    let kept = app.add_person("Jo", "Bloggs", "1980-01-01", &uid);
    let duplicate = app.add_person("Jo", "Blogs", "1980-01-01", &uid);
    let kept_episode = app.add_episode(&kept, &site, &uid, 90, false);
    let duplicate_episode = app.add_episode(&duplicate, &site, &uid, 5, false);
    diesel::update(people::table.find(&duplicate))
        .set(people::pnc_id.eq("2002/0073319Z"))
        .execute(&mut app.conn())
        .unwrap();
    diesel::insert_into(person_alerts::table)
        .values((
            person_alerts::id.eq("alert-1"),
            person_alerts::person_id.eq(&duplicate),
            person_alerts::kind.eq("interpreter"),
            person_alerts::note.eq("Polish interpreter"),
            person_alerts::review_on.eq("2027-06-01"),
            person_alerts::raised_by.eq(&uid),
            person_alerts::raised_at.eq(app.state.now()),
        ))
        .execute(&mut app.conn())
        .unwrap();
    let duplicate_case = app.add_mhtr_case("London Women's MHTR", &duplicate, MhtrStatus::Referred, &uid);
    Two {
        duplicate_case,
        app,
        kept,
        duplicate,
        kept_episode,
        duplicate_episode,
    }
}

fn person_of(app: &TestApp, episode: &str) -> String {
    episodes::table
        .find(episode)
        .select(episodes::person_id)
        .first(&mut app.conn())
        .unwrap()
}

fn case_person(app: &TestApp, case: &str) -> String {
    mhtr_cases::table
        .find(case)
        .select(mhtr_cases::person_id)
        .first(&mut app.conn())
        .unwrap()
}

fn identity(app: &TestApp, person: &str) -> (Option<String>, Option<String>) {
    people::table
        .find(person)
        .select((people::pnc_id, people::merged_into))
        .first(&mut app.conn())
        .unwrap()
}

async fn merge(t: &Two, app: &TestApp) -> String {
    let path = format!("/people/{}/merge", t.kept);
    let fields = [
        ("duplicate", t.duplicate.as_str()),
        ("reason", "Same man: custody record made twice"),
        ("confirm", "yes"),
    ];
    let res = app.submit(&path, &path, &fields).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    person_merges::table
        .filter(person_merges::undone_at.is_null())
        .select(person_merges::id)
        .first(&mut app.conn())
        .unwrap()
}

async fn a_duplicate_is_merged_with_everything_it_holds_and_undone_exactly(db: Db) {
    let t = two_records(db).await;
    let app = &t.app;
    let path = format!("/people/{}/merge", t.kept);
    app.sign_in_ok("pat").await;
    assert_eq!(
        app.page(&path).await.0,
        StatusCode::FORBIDDEN,
        "practitioners do not merge"
    );
    let (_, page) = app.page(&format!("/people/{}", t.kept)).await;
    assert!(!page.contains("Merge a duplicate"));

    let sam = app.another_client();
    sam.sign_in_ok("sam").await;
    let (status, choose) = sam.page(&path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        choose.contains("BLOGS, Jo") && choose.contains(&t.duplicate),
        "the duplicate is offered"
    );
    let res = sam.submit(&path, &path, &[("reason", "Same man")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Select the duplicate record"));

    // The check page says what will move; nothing moves until it is confirmed.
    let res = sam
        .submit(
            &path,
            &path,
            &[("duplicate", t.duplicate.as_str()), ("reason", "Same man")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let check = res.text().await.unwrap();
    assert!(check.contains("Check before you merge") && check.contains("1 contact") && check.contains("1 alert"));
    assert!(check.contains("1 MHTR case"));
    assert_eq!(person_of(app, &t.duplicate_episode), t.duplicate);

    let merge_id = merge(&t, &sam).await;
    assert_eq!(person_of(app, &t.duplicate_episode), t.kept, "the contact moved");
    assert_eq!(case_person(app, &t.duplicate_case), t.kept, "the MHTR case moved");
    assert_eq!(person_of(app, &t.kept_episode), t.kept);
    assert_eq!(
        app.count_where("person_alerts", &format!("person_id = '{}'", t.kept)),
        1
    );
    assert_eq!(
        identity(app, &t.kept),
        (Some("2002/0073319Z".into()), None),
        "the PNC ID came too"
    );
    assert_eq!(identity(app, &t.duplicate), (None, Some(t.kept.clone())));
    let audited = app.audit_rows("update");
    for person in [&t.kept, &t.duplicate] {
        assert!(audited.iter().any(|a| {
            a.person_id.as_deref() == Some(person.as_str())
                && a.detail
                    .as_deref()
                    .is_some_and(|d| d.starts_with(&format!("merge {merge_id}")))
        }));
    }

    // The old address leads to the kept record, which shows both contacts and the merge.
    let res = sam.get(&format!("/people/{}", t.duplicate)).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), format!("/people/{}", t.kept));
    let (_, kept_page) = sam.page(&format!("/people/{}", t.kept)).await;
    assert!(
        kept_page.contains("2 contacts")
            && kept_page.contains("Merged records")
            && kept_page.contains("Interpreter needed")
    );
    let (_, found) = sam
        .page("/people/search?family_name=Bloggs&dob-day=1&dob-month=1&dob-year=1980")
        .await;
    assert!(found.contains("1 possible match"), "the duplicate is no longer found");

    // Undone by a senior practitioner within the period: everything goes back.
    let undo = format!("/people/{}/merges/{merge_id}/undo", t.kept);
    let res = sam.submit(&undo, &undo, &[]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = sam.submit(&undo, &undo, &[("reason", "Different men after all")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(person_of(app, &t.duplicate_episode), t.duplicate);
    assert_eq!(case_person(app, &t.duplicate_case), t.duplicate);
    assert_eq!(
        app.count_where("person_alerts", &format!("person_id = '{}'", t.duplicate)),
        1
    );
    assert_eq!(identity(app, &t.kept), (None, None));
    assert_eq!(identity(app, &t.duplicate), (Some("2002/0073319Z".into()), None));
    assert_eq!(
        sam.get(&format!("/people/{}", t.duplicate)).await.status(),
        StatusCode::OK
    );

    // Merged again; after the period only an administrator can undo it.
    let merge_id = merge(&t, &sam).await;
    app.clock.advance_minutes(31 * 24 * 60);
    sam.sign_in_ok("sam").await;
    let undo = format!("/people/{}/merges/{merge_id}/undo", t.kept);
    assert_eq!(sam.page(&undo).await.0, StatusCode::CONFLICT);
    let ada = app.another_client();
    ada.sign_in_ok("ada").await;
    let (_, merges) = ada.page("/admin/merges").await;
    assert!(
        merges.contains(&t.duplicate) && !merges.contains("Bloggs"),
        "ids, not names, for an administrator"
    );
    let admin_undo = format!("/admin/merges/{merge_id}");
    let res = ada
        .submit(&admin_undo, &admin_undo, &[("reason", "Asked by the team lead")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(person_of(app, &t.duplicate_episode), t.duplicate);
    assert_eq!(identity(app, &t.duplicate), (Some("2002/0073319Z".into()), None));
}

async fn records_of_two_different_people_are_not_merged(db: Db) {
    let t = two_records(db).await;
    let app = &t.app;
    for (person, nhs) in [(&t.kept, "9434765919"), (&t.duplicate, "4010232137")] {
        diesel::update(people::table.find(person))
            .set(people::nhs_number.eq(nhs))
            .execute(&mut app.conn())
            .unwrap();
    }
    app.sign_in_ok("sam").await;
    let path = format!("/people/{}/merge", t.kept);
    let fields = [
        ("duplicate", t.duplicate.as_str()),
        ("reason", "Same man"),
        ("confirm", "yes"),
    ];
    let res = app.submit(&path, &path, &fields).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("different NHS numbers"));
    let self_merge = [("duplicate", t.kept.as_str()), ("reason", "x"), ("confirm", "yes")];
    assert_eq!(
        app.submit(&path, &path, &self_merge).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(app.count("person_merges"), 0);
    assert_eq!(person_of(app, &t.duplicate_episode), t.duplicate);
}

/// A signed-off report is frozen, but whose record it hangs on follows a merge and its undo.
async fn a_signed_report_moves_with_its_person_and_back(db: Db) {
    let t = two_records(db).await;
    let app = &t.app;
    let ep = app.episode(&t.duplicate_episode);
    let uid = ep.created_by.clone();
    let report = liaison::justice::draft(
        &mut app.conn(),
        app.state.now(),
        (&uid, "Pat"),
        &ep,
        liaison::reports::Kind::CustodySummary,
    )
    .unwrap();
    liaison::reports::sign_off(&mut app.conn(), app.state.now(), &report, &uid, &[]).unwrap();
    let owner = || -> String {
        liaison::db::schema::reports::table
            .find(&report)
            .select(liaison::db::schema::reports::person_id)
            .first(&mut app.conn())
            .unwrap()
    };
    let sam = app.another_client();
    sam.sign_in_ok("sam").await;
    let merge_id = merge(&t, &sam).await;
    assert_eq!(owner(), t.kept);
    let undo = format!("/people/{}/merges/{merge_id}/undo", t.kept);
    let res = sam.submit(&undo, &undo, &[("reason", "Different men after all")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(owner(), t.duplicate);
    let frozen = diesel::update(liaison::db::schema::report_sections::table)
        .set(liaison::db::schema::report_sections::body.eq("Changed"))
        .execute(&mut app.conn());
    assert!(frozen.is_err(), "its text is still frozen");
}
