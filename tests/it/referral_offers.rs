//! What the referral journeys offer: an error when no service is chosen, and no MHTR referral
//! for a boy of seventeen (or any man), on the page or by address.

use diesel::prelude::*;
use liaison::db::schema::people;
use liaison::domain::Role;
use reqwest::StatusCode;

use crate::both_databases;
use crate::harness::{Db, TestApp};

both_databases!(
    continuing_with_no_service_chosen_says_so,
    the_mhtr_service_is_offered_to_adult_women_only,
);

async fn continuing_with_no_service_chosen_says_so(db: Db) {
    let app = TestApp::spawn(db).await;
    let uid = app.add_user("pat", Role::Practitioner, &["Brent L&D"]);
    let site = app.add_site("Brent L&D", "Wembley Police Custody Suite");
    app.add_service(
        "Brent Mind",
        "Wellbeing hub",
        "mental-health",
        &["hub@brentmind.org.uk"],
    );
    let ep = app.add_episode(
        &app.add_person("Jo", "Bloggs", "1980-01-01", &uid),
        &site,
        &uid,
        5,
        false,
    );
    app.sign_in_ok("pat").await;
    let (status, first) = app.page(&format!("/episodes/{ep}/referrals/new")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!first.contains("There is a problem"), "a first visit is not an error");
    assert!(first.contains(r#"name="step" value="choose""#));
    let (status, none) = app.page(&format!("/episodes/{ep}/referrals/new?step=choose")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        none.contains("There is a problem") && none.contains("Select at least one service from the directory"),
        "{none}"
    );
}

async fn the_mhtr_service_is_offered_to_adult_women_only(db: Db) {
    let app = TestApp::spawn(db).await;
    let uid = app.add_user("pat", Role::Practitioner, &["Brent L&D"]);
    let site = app.add_site("Brent L&D", "Wembley Police Custody Suite");
    let seventeen = chrono::Utc::now().date_naive() - chrono::Days::new(17 * 365 + 30);
    let boy = app.add_person("Cal", "Young", &seventeen.format("%Y-%m-%d").to_string(), &uid);
    let man = app.add_person("Adam", "Adult", "1980-01-01", &uid);
    let woman = app.add_person("Jo", "Bloggs", "1980-01-01", &uid);
    for (person, sex, identity) in [(&boy, "M", "1"), (&man, "M", "1"), (&woman, "F", "2")] {
        diesel::update(people::table.find(person))
            .set((people::sex.eq(sex), people::gender_identity.eq(identity)))
            .execute(&mut *app.conn())
            .unwrap();
    }
    let boy_ep = app.add_episode(&boy, &site, &uid, 5, true);
    let man_ep = app.add_episode(&man, &site, &uid, 5, false);
    let woman_ep = app.add_episode(&woman, &site, &uid, 5, false);
    app.sign_in_ok("pat").await;

    let (_, page) = app.page(&format!("/episodes/{boy_ep}")).await;
    assert!(!page.contains("Refer to the MHTR service"), "{page}");
    assert!(page.contains("not offered for under-18s"));
    let (_, page) = app.page(&format!("/episodes/{man_ep}")).await;
    assert!(!page.contains("Refer to the MHTR service") && page.contains("The MHTR service is for women"));
    let (_, page) = app.page(&format!("/episodes/{woman_ep}")).await;
    assert!(page.contains("Refer to the MHTR service"));

    for ep in [&boy_ep, &man_ep] {
        let (status, refused) = app.page(&format!("/episodes/{ep}/mhtr-referral")).await;
        assert!(status.is_client_error(), "{status}");
        assert!(refused.contains("The MHTR service is for women"), "{refused}");
    }
    let res = app
        .submit(
            &format!("/episodes/{woman_ep}"),
            &format!("/episodes/{boy_ep}/mhtr-referral"),
            &[("reason", "Low mood"), ("hearing-day", "1")],
        )
        .await;
    assert!(res.status().is_client_error(), "{}", res.status());
    assert_eq!(app.count("mhtr_referrals"), 0, "nothing saved");
}
