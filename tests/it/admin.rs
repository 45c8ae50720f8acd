//! Administration pages: validation, saving, and the audit trail of views and changes.

use liaison::domain::Role;
use reqwest::StatusCode;

use crate::both_databases;
use crate::harness::{Db, TestApp, location};

both_databases!(
    bad_account_forms_explain_each_field_keep_answers_and_save_nothing,
    creating_and_editing_a_user_is_audited_with_what_changed,
    who_accessed_this_record_lists_views_and_changes,
    non_administrators_are_refused_and_audited,
    duplicate_teams_are_refused,
);

async fn bad_account_forms_explain_each_field_keep_answers_and_save_nothing(db: Db) {
    let app = TestApp::spawn(db).await;
    app.add_user("admin", Role::Administrator, &[]);
    app.sign_in_ok("admin").await;
    let users_before = app.count("users");
    let audit_before = app.count("audit_events");
    let res = app
        .submit(
            "/admin/users/new",
            "/admin/users",
            &[
                ("username", "bad name!"),
                ("display_name", "Jane Smith"),
                ("role", ""),
                ("password", "password1"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("<title>Error: Add a user – Liaison</title>"));
    assert!(html.contains("There is a problem"));
    for message in [
        "Username can only include letters",
        "Select a role",
        "Password is too common",
    ] {
        assert!(html.contains(message), "{message}: {html}");
    }
    assert!(html.contains(r##"href="#username""##), "summary links to the field");
    assert!(html.contains(r#"value="Jane Smith""#), "other answers kept");
    assert!(!html.contains("password1"), "passwords are never echoed");
    assert_eq!(app.count("users"), users_before, "nothing saved");
    assert_eq!(
        app.count("audit_events"),
        audit_before,
        "a rejected form records no change"
    );

    // A taken username is caught too.
    let res = app
        .submit(
            "/admin/users/new",
            "/admin/users",
            &[
                ("username", "ADMIN"),
                ("display_name", "Another"),
                ("role", "analyst"),
                ("password", "a long enough phrase"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("A user with this username already exists")
    );
    assert_eq!(app.count("users"), users_before);
}

async fn creating_and_editing_a_user_is_audited_with_what_changed(db: Db) {
    let app = TestApp::spawn(db).await;
    let admin_id = app.add_user("admin", Role::Administrator, &["Brent L&D", "London Women's MHTR"]);
    app.sign_in_ok("admin").await;
    let teams = liaison::auth::accounts::all_teams(&mut app.conn()).unwrap();
    let brent = teams.iter().find(|t| t.name == "Brent L&D").unwrap().id.clone();
    let mhtr = teams
        .iter()
        .find(|t| t.name == "London Women's MHTR")
        .unwrap()
        .id
        .clone();
    let res = app
        .submit(
            "/admin/users/new",
            "/admin/users",
            &[
                ("username", "Jane.Smith"),
                ("display_name", "Jane Smith"),
                ("role", "practitioner"),
                ("teams", &brent),
                ("password", "correct horse battery"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let path = location(&res);
    let id = path
        .trim_start_matches("/admin/users/")
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let (_, page) = app.page(&path).await;
    assert!(page.contains("User added"));
    assert!(page.contains("jane.smith"), "usernames are stored in lower case");
    let created = app.audit_rows("create");
    assert_eq!(created[0].record_id.as_deref(), Some(id.as_str()));
    assert_eq!(created[0].user_id.as_deref(), Some(admin_id.as_str()));
    assert_eq!(created[0].team.as_deref(), Some("Brent L&D, London Women's MHTR"));

    let user_page = format!("/admin/users/{id}");
    let res = app
        .submit(
            &user_page,
            &user_page,
            &[
                ("display_name", "Jane Smith"),
                ("role", "analyst"),
                ("teams", &brent),
                ("teams", &mhtr),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let updated = app.audit_rows("update");
    let detail = updated[0].detail.as_deref().unwrap();
    assert!(detail.contains("role: practitioner -> analyst"), "{detail}");
    assert!(
        detail.contains("teams: [Brent L&D] -> [Brent L&D, London Women's MHTR]"),
        "{detail}"
    );
    let user = liaison::auth::accounts::find(&mut app.conn(), &id).unwrap().unwrap();
    assert_eq!(user.role, "analyst");

    // An invalid edit saves nothing.
    let res = app
        .submit(
            &user_page,
            &user_page,
            &[("display_name", " "), ("role", "practitioner")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Enter the person"));
    let user = liaison::auth::accounts::find(&mut app.conn(), &id).unwrap().unwrap();
    assert_eq!(
        (user.role.as_str(), user.display_name.as_str()),
        ("analyst", "Jane Smith")
    );
}

async fn who_accessed_this_record_lists_views_and_changes(db: Db) {
    let app = TestApp::spawn(db).await;
    app.add_user("admin", Role::Administrator, &[]);
    let jane = app.add_user("jane.smith", Role::Practitioner, &[]);
    app.sign_in_ok("admin").await;
    app.page(&format!("/admin/users/{jane}")).await;
    app.page(&format!("/admin/users/{jane}")).await;
    let (status, trail) = app
        .page(&format!("/admin/audit?record_type=user&record_id={jane}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(trail.matches("<td>view</td>").count(), 2, "{trail}");
    assert!(trail.contains("admin"));
    // Local (UK) time, to the second, as every other time on screen.
    let rows = app.audit_rows("view");
    let first = rows
        .iter()
        .find(|r| r.record_id.as_deref() == Some(jane.as_str()))
        .expect("a view of Jane");
    assert!(
        trail.contains(&liaison::domain::local_time::date_time_seconds(first.at)),
        "{trail}"
    );
    assert!(!trail.contains("UTC"));
    let audit_views = app
        .audit_rows("view")
        .into_iter()
        .filter(|r| r.record_type.as_deref() == Some("audit"))
        .count();
    assert_eq!(audit_views, 1, "reading the audit trail is itself audited");
}

async fn non_administrators_are_refused_and_audited(db: Db) {
    let app = TestApp::spawn(db).await;
    app.add_user("kim", Role::Analyst, &[]);
    app.sign_in_ok("kim").await;
    for path in ["/admin/users", "/admin/users/new", "/admin/teams", "/admin/audit"] {
        let (status, body) = app.page(path).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
        assert!(body.contains("You do not have access to this page"));
    }
    let res = app.submit("/", "/admin/teams", &[("name", "Sneaky")]).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.count("teams"), 0);
    let (_, home) = app.page("/").await;
    assert!(!home.contains("/admin/users"), "no admin links for an analyst");
    assert_eq!(
        app.audit_rows("view")
            .iter()
            .filter(|r| r.outcome.code() == "denied")
            .count(),
        5
    );
}

async fn duplicate_teams_are_refused(db: Db) {
    let app = TestApp::spawn(db).await;
    app.add_user("admin", Role::Administrator, &["Brent L&D"]);
    app.sign_in_ok("admin").await;
    let res = app
        .submit("/admin/teams", "/admin/teams", &[("name", "Brent L&D"), ("kind", "ld")])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("A team with this name already exists"));
    assert!(html.contains("<title>Error: Teams – Liaison</title>"));
    let res = app.submit("/admin/teams", "/admin/teams", &[("name", "  ")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("teams"), 1);
    let res = app
        .submit(
            "/admin/teams",
            "/admin/teams",
            &[("name", "Wembley custody"), ("kind", "ld")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "without htmx: POST, redirect, GET");
    let (_, page) = app.page("/admin/teams").await;
    assert!(page.contains("Wembley custody"));
}

both_databases!(sites_are_added_validated_and_changed_by_administrators);

async fn sites_are_added_validated_and_changed_by_administrators(db: Db) {
    let app = TestApp::spawn(db).await;
    app.add_user("admin", Role::Administrator, &["Brent L&D"]);
    app.add_user("pat", Role::Practitioner, &["Brent L&D"]);
    let team = app.team_id("Brent L&D");
    app.sign_in_ok("admin").await;
    let res = app
        .submit(
            "/admin/sites/new",
            "/admin/sites",
            &[
                ("name", "Willesden Magistrates' Court"),
                ("kind", "magistrates-court"),
                ("team_id", &team),
                ("opens_at", "9am"),
                ("closes_at", "17:00"),
                ("target_minutes", "ninety"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("Enter the opening time as hours and minutes")
            && html.contains("Enter the response target as a whole number")
    );
    assert!(html.contains("Willesden Magistrates"), "answers kept");
    assert_eq!(app.count("sites"), 0);
    let fields = [
        ("name", "Willesden Magistrates' Court"),
        ("kind", "magistrates-court"),
        ("team_id", team.as_str()),
        ("opens_at", "09:00"),
        ("closes_at", "17:00"),
        ("target_minutes", "90"),
        ("active", "yes"),
    ];
    let res = app.submit("/admin/sites/new", "/admin/sites", &fields).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let again = app.submit("/admin/sites/new", "/admin/sites", &fields).await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY, "names are unique");
    let site = liaison::sites::list(&mut app.conn(), false).unwrap().remove(0);
    assert_eq!((site.opens_at.as_deref(), site.target_minutes), (Some("09:00"), 90));
    let (_, list) = app.page("/admin/sites").await;
    assert!(list.contains("09:00 to 17:00") && list.contains("90 minutes"));
    let edit = format!("/admin/sites/{}", site.id);
    let res = app
        .submit(
            &edit,
            &edit,
            &[
                ("name", "Willesden Magistrates' Court"),
                ("kind", "magistrates-court"),
                ("team_id", &team),
                ("target_minutes", "45"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let site = liaison::sites::find(&mut app.conn(), &site.id).unwrap().unwrap();
    assert_eq!(
        (site.opens_at, site.target_minutes, site.active),
        (None, 45, false),
        "24 hours, new target, closed"
    );
    assert_eq!(
        app.audit_rows("update")
            .iter()
            .filter(|r| r.record_type.as_deref() == Some("site"))
            .count(),
        1
    );
    let pat = app.another_client();
    pat.sign_in_ok("pat").await;
    assert_eq!(pat.page("/admin/sites").await.0, StatusCode::FORBIDDEN);
}
