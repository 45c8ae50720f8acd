//! At a phone's width (390 px) only tables scroll sideways, never the page; a scrolling table
//! can be reached from the keyboard.

use liaison::domain::Role;
use serde_json::Value;

use super::{Browser, browser_available, sign_in};
use crate::harness::{Db, TestApp};

with_and_without_javascript!(at_390_pixels_only_tables_scroll_sideways);

async fn at_390_pixels_only_tables_scroll_sideways(javascript: bool) {
    if !browser_available() {
        return;
    }
    let app = TestApp::spawn(Db::Sqlite).await;
    let uid = app.add_user("pat", Role::Practitioner, &["Brent L&D"]);
    let site = app.add_site("Brent L&D", "Wembley Police Custody Suite");
    let person = app.add_person(
        "Maximiliana-Josephine",
        "Featherstonehaugh-Cholmondeley",
        "1985-01-02",
        &uid,
    );
    let ep = app.add_episode(&person, &site, &uid, 90, false);
    let b = Browser::launch(javascript).await;
    b.client.set_window_size(390, 844).await.unwrap();
    sign_in(&b, &app, "pat").await;
    for path in [
        "/".to_string(),
        format!("/sites/{site}/list"),
        format!("/episodes/{ep}"),
        format!("/people/{person}"),
        format!("/people/{person}/edit"),
        "/people/search".to_string(),
        "/shift".to_string(),
    ] {
        b.goto(&app.url(&path)).await;
        b.wait_text("Liaison").await;
        let widths: Value = b
            .client
            .execute(
                "return [document.documentElement.scrollWidth, document.documentElement.clientWidth];",
                vec![],
            )
            .await
            .unwrap();
        let (scroll, client) = (widths[0].as_i64().unwrap(), widths[1].as_i64().unwrap());
        assert!(
            scroll <= client,
            "{path}: the page scrolls sideways ({scroll} > {client})"
        );
        b.assert_accessible(&format!("{path} at 390 px")).await;
    }
    // A table too wide for the screen scrolls in its own box, which the keyboard can reach.
    b.goto(&app.url(&format!("/sites/{site}/list"))).await;
    let wrap: Value = b
        .client
        .execute(
            "const w = document.querySelector('.app-table-wrap'); \
             return [getComputedStyle(w).overflowX, w.tabIndex, w.getAttribute('aria-label')];",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(wrap[0], Value::from("auto"));
    assert_eq!(wrap[1], Value::from(0));
    assert!(wrap[2].as_str().unwrap().contains("open at Wembley"), "{wrap}");
    b.client.clone().close().await.unwrap();
}
