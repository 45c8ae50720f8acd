//! Identity: adding someone already recorded under the same name and date of birth shows
//! them first; placeholder NHS numbers are refused.

use liaison::domain::Role;
use reqwest::StatusCode;

use crate::both_databases;
use crate::harness::{Db, TestApp, location};

both_databases!(
    the_same_name_and_birth_date_is_offered_before_a_new_record,
    a_placeholder_nhs_number_is_refused_at_its_field,
    details_are_corrected_with_the_old_values_kept_on_the_audit_trail,
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

async fn details_are_corrected_with_the_old_values_kept_on_the_audit_trail(db: Db) {
    let app = TestApp::spawn(db).await;
    let pat = app.add_user("pat", Role::Practitioner, &["Brent L&D"]);
    app.add_user("lee", Role::Practitioner, &["Harrow L&D"]);
    let site = app.add_site("Brent L&D", "Wembley Police Custody Suite");
    let person = app.add_person("Jo", "Bloggs", "1980-01-01", &pat);
    app.add_episode(&person, &site, &pat, 5, false);
    let other = app.add_person("Al", "Other", "1981-01-01", &pat);
    {
        use diesel::prelude::*;
        use liaison::db::schema::people;
        diesel::update(people::table.find(&other))
            .set(people::nhs_number.eq("9434765919"))
            .execute(&mut *app.conn())
            .unwrap();
    }
    app.sign_in_ok("pat").await;
    let edit = format!("/people/{person}/edit");
    let (_, person_page) = app.page(&format!("/people/{person}")).await;
    assert!(person_page.contains(&format!(r#"href="{edit}""#)));
    let (status, form) = app.page(&edit).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        form.contains(r#"value="Bloggs""#) && form.contains(r#"id="dob-year" name="dob-year" value="1980""#),
        "{form}"
    );

    let corrected = [
        ("given_name", "Jo"),
        ("family_name", "Blogs"),
        ("dob-day", "1"),
        ("dob-month", "1"),
        ("dob-year", "1980"),
        ("nhs_number", "943 476 5870"),
    ];
    // An NHS number another person has is refused at the field; nothing changes.
    let mut taken = corrected.to_vec();
    taken[5] = ("nhs_number", "943 476 5919");
    let res = app.submit(&edit, &edit, &taken).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = res.text().await.unwrap();
    assert!(refused.contains("Another person has this NHS number") && refused.contains(r#"value="Blogs""#));
    assert_eq!(app.count_where("people", "family_name = 'Blogs'"), 0);

    let res = app.submit(&edit, &edit, &corrected).await;
    assert_eq!(location(&res), format!("/people/{person}"));
    assert_eq!(
        app.count_where(
            "people",
            &format!(
                "id = '{person}' AND family_name = 'Blogs' AND nhs_number = '9434765870' AND family_key = 'blogs'"
            )
        ),
        1
    );
    let audit = app.audit_rows("update");
    let row = audit
        .iter()
        .find(|r| r.record_type.as_deref() == Some("person"))
        .expect("the change is audited");
    assert_eq!(
        row.detail.as_deref(),
        Some("NHS number: '' -> '9434765870'; Last name: 'Bloggs' -> 'Blogs'"),
        "old and new values on the trail"
    );
    assert_eq!(row.person_id.as_deref(), Some(person.as_str()));

    // Another team's practitioner cannot change them.
    let lee = app.another_client();
    lee.sign_in_ok("lee").await;
    assert_eq!(lee.page(&edit).await.0, StatusCode::FORBIDDEN);
}
