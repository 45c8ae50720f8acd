//! The audit trail's hash chain and PostgreSQL's privilege split: concurrent writers keep one
//! unbroken chain; `liaison audit verify` finds a row changed or removed by the owner of the
//! table; the server's own role cannot change the trail at all.

use std::process::{Command, Output};

use diesel::pg::PgConnection;
use diesel::prelude::*;
use liaison::audit::chain::{self, Verdict};
use liaison::db::schema::audit_events;
use liaison::db::{self, DbConnection};
use liaison::domain::Role;

use crate::both_databases;
use crate::harness::{Db, TestApp, TestDb};

both_databases!(
    concurrent_writers_keep_one_chain_and_verify_finds_tampering,
    the_server_role_may_only_insert_and_read_audit_rows
);

fn liaison(database_url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_liaison"))
        .args(args)
        .env("LIAISON_DATABASE_URL", database_url)
        .env("LIAISON_LOG", "warn")
        .output()
        .unwrap()
}

fn verdict(app: &TestApp) -> Verdict {
    chain::verify(&mut app.conn()).unwrap()
}

async fn concurrent_writers_keep_one_chain_and_verify_finds_tampering(db: Db) {
    let app = TestApp::spawn_with(db, |c| c.max_sessions_per_user = 20).await;
    let uid = app.add_user("jane.smith", Role::Practitioner, &["Brent L&D"]);
    let site = app.add_site("Brent L&D", "Wembley Police Custody Suite");
    let person = app.add_person("Jo", "Bloggs", "1980-01-01", &uid);
    app.add_episode(&person, &site, &uid, 5, false);
    app.sign_in_ok("jane.smith").await;

    // Views go through the journal, sign-ins through transactions of their own: at once.
    let mut requests = Vec::new();
    for i in 0..12 {
        let other = app.another_client();
        let viewer = app.client.clone();
        let url = app.url(&format!("/people/{person}"));
        requests.push(actix_web::rt::spawn(async move {
            if i % 3 == 0 {
                other.sign_in_ok("jane.smith").await;
            } else {
                assert!(viewer.get(&url).send().await.unwrap().status().is_success());
            }
        }));
    }
    for r in requests {
        r.await.unwrap();
    }
    let rows = app.count("audit_events");
    let Verdict::Intact {
        unchained,
        checked,
        head,
        ..
    } = verdict(&app)
    else {
        panic!("chain broken: {:?}", verdict(&app));
    };
    assert_eq!((unchained, checked), (0, rows as u64));
    let (head_id, _) = head.unwrap();

    let url = app.state.config.database_url.clone().unwrap();
    let intact = liaison(&url, &["audit", "verify"]);
    let stdout = String::from_utf8_lossy(&intact.stdout);
    assert!(intact.status.success(), "{stdout}");
    assert!(
        stdout.contains(&format!("Audit chain intact: {rows} rows checked")),
        "{stdout}"
    );
    assert!(stdout.contains(&format!("Last row: id {head_id}, hash ")), "{stdout}");

    // The owner of the table can step past the triggers; the chain still shows it.
    let ids: Vec<i64> = audit_events::table
        .select(audit_events::id)
        .order(audit_events::id)
        .load(&mut *app.conn())
        .unwrap();
    let middle = ids[ids.len() / 2];
    as_owner(
        &app,
        &format!("UPDATE audit_events SET detail = 'nothing to see' WHERE id = {middle}"),
    );
    assert_eq!(
        verdict(&app),
        Verdict::Broken {
            id: middle,
            reason: "the row's content does not match its hash"
        }
    );
    let broken = liaison(&url, &["audit", "verify"]);
    let stdout = String::from_utf8_lossy(&broken.stdout);
    assert!(!broken.status.success());
    assert!(
        stdout.contains(&format!(
            "Audit chain BROKEN at row id {middle}: the row's content does not match its hash"
        )),
        "{stdout}"
    );

    // Removing the row instead leaves the next one linking to nothing that is there.
    as_owner(&app, &format!("DELETE FROM audit_events WHERE id = {middle}"));
    let next = ids[ids.len() / 2 + 1];
    assert_eq!(
        verdict(&app),
        Verdict::Broken {
            id: next,
            reason: "the row does not link to the row before it"
        }
    );
}

async fn stop(running: liaison::app::Running) {
    let handle = running.server.handle();
    actix_web::rt::spawn(running.server);
    handle.stop(false).await;
}

/// Runs `sql` as the owner would: with the append-only triggers out of the way.
fn as_owner(app: &TestApp, sql: &str) {
    let mut conn = app.conn();
    let (off, on) = match &*conn {
        DbConnection::Pg(_) => (
            vec!["ALTER TABLE audit_events DISABLE TRIGGER USER"],
            vec!["ALTER TABLE audit_events ENABLE TRIGGER USER"],
        ),
        DbConnection::Sqlite(_) => (
            vec![
                "DROP TRIGGER IF EXISTS audit_events_no_update",
                "DROP TRIGGER IF EXISTS audit_events_no_delete",
            ],
            vec![],
        ),
    };
    for s in off.iter().chain([&sql]).chain(on.iter()) {
        diesel::sql_query(*s)
            .execute(&mut *conn)
            .unwrap_or_else(|e| panic!("{s}: {e}"));
    }
}

async fn the_server_role_may_only_insert_and_read_audit_rows(db: Db) {
    let Db::Postgres(admin_url) = &db else {
        // SQLite has no roles: whoever can open the file owns it.
        return;
    };
    let test_db = TestDb::create(&db);
    let owner_url = test_db.url();
    let role = format!("liaison_app_{}", &uuid::Uuid::new_v4().simple().to_string()[..12]);
    let mut admin = PgConnection::establish(admin_url).unwrap();
    diesel::sql_query(format!("CREATE ROLE {role} LOGIN"))
        .execute(&mut admin)
        .unwrap();

    let migrated = liaison(&owner_url, &["migrate", "--app-role", &role]);
    assert!(
        migrated.status.success(),
        "{}",
        String::from_utf8_lossy(&migrated.stderr)
    );
    let app_url = owner_url.replacen("postgres://postgres@", &format!("postgres://{role}@"), 1);
    assert_ne!(app_url, owner_url, "the test URL names the postgres user");

    let mut conn = db::connect(&db::Target::Postgres(app_url.clone())).unwrap();
    let actor = liaison::audit::Actor::default();
    liaison::audit::record(&mut conn, 1, &actor, liaison::audit::Event::allowed("test")).unwrap();
    assert_eq!(
        db::privileges::audit_reach(&mut conn).unwrap(),
        db::privileges::AuditReach::AppendOnly
    );
    for sql in [
        "UPDATE audit_events SET detail = 'x'",
        "DELETE FROM audit_events",
        "TRUNCATE audit_events",
        "DROP TRIGGER audit_events_no_update ON audit_events",
        "ALTER TABLE audit_events DISABLE TRIGGER USER",
        "ALTER TABLE audit_events DROP COLUMN hash",
    ] {
        let err = diesel::sql_query(sql).execute(&mut conn).expect_err(sql).to_string();
        assert!(
            err.contains("permission denied") || err.contains("must be owner"),
            "{sql}: {err}"
        );
    }
    assert!(matches!(
        chain::verify(&mut conn).unwrap(),
        Verdict::Intact { checked: 1, .. }
    ));

    // The server starts as the app role; as the owner it refuses unless told it may.
    let start = |url: &str, allow: bool| {
        liaison::app::start(
            liaison::config::Config {
                listen: "127.0.0.1:0".into(),
                database_url: Some(url.to_string()),
                allow_http: true,
                pool_size: 2,
                run_outbox_worker: false,
                allow_database_owner: allow,
                ..Default::default()
            },
            std::sync::Arc::new(liaison::clock::SystemClock),
        )
    };
    stop(start(&app_url, false).expect("the app role starts")).await;
    let refused = start(&owner_url, false).err().expect("the owner's role is refused");
    assert!(
        refused.contains("is a superuser, so it could alter the audit trail"),
        "{refused}"
    );
    stop(start(&owner_url, true).expect("allowed for development")).await;

    drop(conn);
    drop(test_db);
    diesel::sql_query(format!("DROP ROLE {role}"))
        .execute(&mut admin)
        .unwrap();
}
