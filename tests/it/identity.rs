//! Identity: adding someone already recorded under the same name and date of birth shows
//! them first; placeholder NHS numbers are refused.

use liaison::domain::Role;
use reqwest::StatusCode;

use crate::both_databases;
use crate::harness::{Db, TestApp, location};

both_databases!(
    the_same_name_and_birth_date_is_offered_before_a_new_record,
    a_placeholder_nhs_number_is_refused_at_its_field,
);

fn jo_bloggs<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("given_name", "Jo"),
        ("family_name", "bloggs"),
        ("dob-day", "1"),
        ("dob-month", "1"),
        ("dob-year", "1980"),
        ("preferred_language", "English"),
    ];
    fields.extend_from_slice(extra);
    fields
}

async fn the_same_name_and_birth_date_is_offered_before_a_new_record(db: Db) {
    let app = TestApp::spawn(db).await;
    let uid = app.add_user("pat", Role::Practitioner, &["Brent L&D"]);
    let site = app.add_site("Brent L&D", "Wembley Police Custody Suite");
    let existing = app.add_person("Jo", "Bloggs", "1980-01-01", &uid);
    let ep = app.add_episode(&existing, &site, &uid, 5, false);
    app.sign_in_ok("pat").await;

    // The episode page says who this is at the top, before anything else about the episode.
    let (_, episode) = app.page(&format!("/episodes/{ep}")).await;
    let ids = episode
        .find("<dt>NHS number</dt><dd>Not recorded</dd>")
        .expect("identifiers shown");
    assert!(
        episode.contains("<dt>Date of birth</dt><dd>1 Jan 1980</dd>"),
        "{episode}"
    );
    assert!(ids < episode.find("Allocated to").unwrap(), "at the top");

    let res = app.submit("/people/new", "/people/new", &jo_bloggs(&[])).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let page = res.text().await.unwrap();
    assert!(
        page.contains("Someone with this name and date of birth is already recorded"),
        "{page}"
    );
    assert!(
        page.contains(&format!("/episodes/new?person={existing}")),
        "the existing record is offered"
    );
    assert!(page.contains(r#"name="confirm_new" value="yes""#));
    assert!(page.contains(r#"value="bloggs""#), "the answers are kept");
    assert_eq!(app.count("people"), 1, "nothing saved");

    // Someone else with another name is added straight away.
    let res = app
        .submit(
            "/people/new",
            "/people/new",
            &[
                ("given_name", "Al"),
                ("family_name", "Other"),
                ("dob-day", "1"),
                ("dob-month", "1"),
                ("dob-year", "1980"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.count("people"), 2);

    // Saying it is a different person adds them.
    let res = app
        .submit("/people/new", "/people/new", &jo_bloggs(&[("confirm_new", "yes")]))
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(location(&res).starts_with("/episodes/new?person="));
    assert_eq!(app.count("people"), 3);
}

async fn a_placeholder_nhs_number_is_refused_at_its_field(db: Db) {
    let app = TestApp::spawn(db).await;
    app.add_user("pat", Role::Practitioner, &["Brent L&D"]);
    app.sign_in_ok("pat").await;
    let res = app
        .submit(
            "/people/new",
            "/people/new",
            &jo_bloggs(&[("nhs_number", "000 000 0000")]),
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(
        page.contains("a number of one repeated digit is a placeholder"),
        "{page}"
    );
    assert!(
        page.contains(r##"href="#nhs_number""##),
        "linked from the error summary"
    );
    assert_eq!(app.count("people"), 0);
}
