//! The same form sent twice changes things once: a retry after a dropped connection, a
//! double click or the Back button is answered with where the first led, and stores nothing
//! again. A form refused with errors gives its key back.

use reqwest::StatusCode;

use crate::both_databases;
use crate::harness::{Db, TestApp, csrf_token, location};

both_databases!(the_same_form_sent_twice_changes_things_once);

/// The one-time key of the form on `html` that posts to `action`.
fn key_of_form(html: &str, action: &str) -> String {
    let form = html
        .find(&format!(r#"action="{action}""#))
        .unwrap_or_else(|| panic!("a form to {action}"));
    let marker = r#"name="request_key" value=""#;
    let start = form + html[form..].find(marker).unwrap() + marker.len();
    html[start..].split('"').next().unwrap().to_string()
}

async fn send(app: &TestApp, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    app.client.post(app.url(path)).form(fields).send().await.unwrap()
}

async fn the_same_form_sent_twice_changes_things_once(db: Db) {
    let app = TestApp::spawn(db).await;
    let uid = app.add_user("pat", liaison::domain::Role::Practitioner, &["Brent L&D"]);
    let site = app.add_site("Brent L&D", "Wembley Police Custody Suite");
    let person = app.add_person("Jo", "Bloggs", "1990-06-01", &uid);
    let ep = app.add_episode(&person, &site, &uid, 5, false);
    app.sign_in_ok("pat").await;
    let page = format!("/episodes/{ep}");
    let post = format!("{page}/timeline");
    let (_, html) = app.page(&page).await;
    let (token, key) = (csrf_token(&html), key_of_form(&html, &post));
    let note = [
        ("csrf_token", token.as_str()),
        ("request_key", key.as_str()),
        ("kind", "note"),
        ("body", "Seen in cell 4; calmer"),
    ];
    let first = send(&app, &post, &note).await;
    assert_eq!(first.status(), StatusCode::SEE_OTHER);
    let again = send(&app, &post, &note).await;
    assert_eq!(again.status(), StatusCode::SEE_OTHER, "answered as the first was");
    assert_eq!(location(&again), location(&first));
    let entries = liaison::records::timeline::for_episode(&mut app.conn(), &ep).unwrap();
    assert_eq!(
        entries.iter().filter(|e| e.body == "Seen in cell 4; calmer").count(),
        1,
        "stored once"
    );

    // Refused with errors: the key comes back, so the corrected form goes through.
    let (_, html) = app.page(&page).await;
    let key = key_of_form(&html, &post);
    let empty = [
        ("csrf_token", token.as_str()),
        ("request_key", key.as_str()),
        ("kind", "note"),
        ("body", " "),
    ];
    assert_eq!(
        send(&app, &post, &empty).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let fixed = [
        ("csrf_token", token.as_str()),
        ("request_key", key.as_str()),
        ("kind", "note"),
        ("body", "Nurse reviewed"),
    ];
    assert_eq!(send(&app, &post, &fixed).await.status(), StatusCode::SEE_OTHER);
    let entries = liaison::records::timeline::for_episode(&mut app.conn(), &ep).unwrap();
    assert_eq!(entries.len(), 2);
    // Every form on the page has a key of its own.
    let keys: Vec<&str> = html
        .split(r#"name="request_key" value=""#)
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap())
        .collect();
    let distinct: std::collections::HashSet<&&str> = keys.iter().collect();
    assert!(keys.len() > 1 && distinct.len() == keys.len(), "{keys:?}");
}
