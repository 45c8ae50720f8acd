//! A user holds at most three sessions at once (signing in again ends the least recently
//! used, which is told why), sees their own sessions and ends any of them.

use diesel::prelude::*;
use liaison::domain::Role;
use reqwest::StatusCode;

use crate::both_databases;
use crate::harness::{Db, TestApp, location};

both_databases!(a_fourth_sign_in_ends_the_oldest_and_users_end_their_own_sessions);

async fn a_fourth_sign_in_ends_the_oldest_and_users_end_their_own_sessions(db: Db) {
    let app = TestApp::spawn(db).await;
    app.add_user("jane.smith", Role::Practitioner, &[]);
    app.add_user("bob.jones", Role::Practitioner, &[]);
    let mut clients: Vec<TestApp> = Vec::new();
    for _ in 0..4 {
        let c = app.another_client();
        c.sign_in_ok("jane.smith").await;
        app.clock.advance_minutes(1);
        clients.push(c);
    }
    // The first is ended, and told why.
    let res = clients[0].get("/").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to = location(&res);
    assert!(to.contains("ended=replaced"), "{to}");
    let (_, page) = clients[0].page(&to).await;
    assert!(page.contains("You were signed out here because you signed in somewhere else"));
    for c in &clients[1..] {
        assert_eq!(c.get("/").await.status(), StatusCode::OK);
    }

    // The newest sees three sessions and ends the other two.
    let newest = &clients[3];
    let (status, list) = newest.page("/account/sessions").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list.matches("End this session").count(), 2);
    assert!(list.contains("This session"));
    let res = newest
        .submit("/account/sessions", "/account/sessions", &[("session", "others")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    for c in &clients[1..3] {
        assert_eq!(c.get("/").await.status(), StatusCode::SEE_OTHER, "ended");
    }
    assert_eq!(newest.get("/").await.status(), StatusCode::OK);
    assert!(
        app.audit_rows("sign-out")
            .iter()
            .any(|r| r.detail.as_deref() == Some("2 of their own sessions ended"))
    );

    // Nobody ends someone else's session.
    let bob = app.another_client();
    bob.sign_in_ok("bob.jones").await;
    let (_, bobs) = bob.page("/account/sessions").await;
    assert!(
        !bobs.contains("End this session"),
        "only his own, and the one he is using"
    );
    let jane_session: String = liaison::db::schema::sessions::table
        .filter(liaison::db::schema::sessions::revoked_at.is_null())
        .filter(
            liaison::db::schema::sessions::user_id.ne(liaison::auth::accounts::find_by_username(
                &mut app.conn(),
                "bob.jones",
            )
            .unwrap()
            .unwrap()
            .id),
        )
        .select(liaison::db::schema::sessions::id)
        .first(&mut app.conn())
        .unwrap();
    let res = bob
        .submit("/account/sessions", "/account/sessions", &[("session", &jane_session)])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        newest.get("/").await.status(),
        StatusCode::OK,
        "still signed in: not his to end"
    );
}
