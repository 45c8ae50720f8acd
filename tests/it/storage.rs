//! Storage guarantees: migrations in lockstep and reversible, an append-only audit trail,
//! and concurrent SQLite writers that never see "database is locked".

use std::path::Path;

use diesel::prelude::*;
use liaison::db::{self, write_tx};
use liaison::domain::Role;

use crate::both_databases;
use crate::harness::{Db, TestApp, TestDb};

both_databases!(
    the_database_refuses_to_alter_the_audit_trail,
    migrations_go_down_and_up_again
);

async fn the_database_refuses_to_alter_the_audit_trail(db: Db) {
    let app = TestApp::spawn(db).await;
    let uid = app.add_user("jane.smith", Role::Practitioner, &[]);
    let site = app.add_site("Brent L&D", "Wembley Police Custody Suite");
    let person = app.add_person("Jo", "Bloggs", "1980-01-01", &uid);
    app.add_episode(&person, &site, &uid, 5, false);
    app.sign_in_ok("jane.smith").await;
    let before = app.count("audit_events");
    assert!(before >= 1);
    let mut conn = app.conn();
    for sql in ["UPDATE audit_events SET action = 'nothing'", "DELETE FROM audit_events"] {
        let err = diesel::sql_query(sql).execute(&mut *conn).expect_err(sql);
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    if matches!(&*conn, db::DbConnection::Pg(_)) {
        assert!(diesel::sql_query("TRUNCATE audit_events").execute(&mut *conn).is_err());
    } else {
        // REPLACE deletes the row it collides with; neither it nor INSERT OR REPLACE gets
        // round the append-only rule, with or without recursive triggers.
        let first: i64 = diesel::sql_query("SELECT min(id) AS n FROM audit_events")
            .get_result::<Min>(&mut *conn)
            .unwrap()
            .n;
        for pragma in ["PRAGMA recursive_triggers = ON", "PRAGMA recursive_triggers = OFF"] {
            diesel::sql_query(pragma).execute(&mut *conn).unwrap();
            for verb in ["REPLACE", "INSERT OR REPLACE"] {
                let sql = format!(
                    "{verb} INTO audit_events (id, at, action, outcome) VALUES ({first}, 0, 'forged', 'allowed')"
                );
                let err = diesel::sql_query(&sql).execute(&mut *conn).expect_err(&sql);
                assert!(err.to_string().contains("append-only"), "{sql}: {err}");
            }
        }
        let entry = format!(
            "INSERT INTO timeline_entries (id, episode_id, at, author_id, kind, body) \
             SELECT 'first', id, 0, '{uid}', 'note', 'x' FROM episodes LIMIT 1"
        );
        diesel::sql_query(&entry).execute(&mut *conn).unwrap();
        let replace = "REPLACE INTO timeline_entries (id, episode_id, at, author_id, kind, body) \
             SELECT id, episode_id, at, author_id, kind, 'rewritten' FROM timeline_entries";
        let err = diesel::sql_query(replace).execute(&mut *conn).expect_err(replace);
        assert!(err.to_string().contains("append-only"), "{err}");
    }
    drop(conn);
    assert_eq!(app.count("audit_events"), before);
    let rows = app.audit_rows("sign-in");
    assert_eq!(rows[0].action, "sign-in");
}

#[derive(QueryableByName)]
struct Min {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

async fn migrations_go_down_and_up_again(db: Db) {
    let app = TestApp::spawn(db).await;
    app.add_user("jane.smith", Role::Practitioner, &[]);
    let mut conn = app.conn();
    assert!(!db::has_pending_migrations(&mut conn).unwrap());
    let reverted = db::revert_all_migrations(&mut conn).unwrap();
    assert!(reverted >= 1);
    assert!(db::has_pending_migrations(&mut conn).unwrap());
    assert!(
        diesel::sql_query("SELECT id FROM users").execute(&mut *conn).is_err(),
        "tables are gone"
    );
    assert_eq!(db::run_migrations(&mut conn).unwrap(), reverted);
    drop(conn);
    assert_eq!(app.count("users"), 0, "tables are back, empty");
    app.add_user("jane.smith", Role::Practitioner, &[]);
    assert_eq!(app.count("users"), 1);
}

#[test]
fn migration_trees_are_in_lockstep() {
    let names = |backend: &str| -> Vec<String> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations").join(backend);
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().unwrap().is_dir())
            .map(|e| {
                for file in ["up.sql", "down.sql"] {
                    assert!(e.path().join(file).is_file(), "{} lacks {file}", e.path().display());
                }
                e.file_name().to_string_lossy().into_owned()
            })
            .collect();
        names.sort();
        names
    };
    let (sqlite, postgres) = (names("sqlite"), names("postgres"));
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, postgres);
}

#[test]
fn concurrent_sqlite_writers_never_see_database_is_locked() {
    let dir = tempfile::tempdir().unwrap();
    let target = db::Target::Sqlite(dir.path().join("w.db").to_string_lossy().into_owned());
    let pool = db::pool(&target, 8).unwrap();
    db::run_migrations(&mut pool.get().unwrap()).unwrap();
    let threads: Vec<_> = (0..8)
        .map(|t| {
            let pool = pool.clone();
            std::thread::spawn(move || {
                for i in 0..25 {
                    let mut conn = pool.get().unwrap();
                    // Read, then write, in one transaction: the pattern a deferred BEGIN breaks.
                    write_tx(&mut conn, |conn| -> QueryResult<()> {
                        let existing = liaison::auth::accounts::all_teams(conn)?.len();
                        liaison::auth::accounts::create_team(
                            conn,
                            existing as i64,
                            &format!("team {t}-{i}"),
                            liaison::domain::TeamKind::LiaisonDiversion,
                        )?;
                        Ok(())
                    })
                    .unwrap_or_else(|e| panic!("writer {t} step {i}: {e}"));
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(
        liaison::auth::accounts::all_teams(&mut pool.get().unwrap())
            .unwrap()
            .len(),
        200
    );
}

#[test]
fn sqlite_connections_use_wal_and_full_sync() {
    #[derive(QueryableByName)]
    struct Mode {
        #[diesel(sql_type = diesel::sql_types::Text)]
        journal_mode: String,
    }
    #[derive(QueryableByName)]
    struct Sync {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        synchronous: i32,
    }
    #[derive(QueryableByName)]
    struct Keys {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        foreign_keys: i32,
    }
    let dir = tempfile::tempdir().unwrap();
    let target = db::Target::Sqlite(dir.path().join("p.db").to_string_lossy().into_owned());
    let pool = db::pool(&target, 2).unwrap();
    let mut conn = pool.get().unwrap();
    let mode: Mode = diesel::sql_query("PRAGMA journal_mode").get_result(&mut *conn).unwrap();
    let sync: Sync = diesel::sql_query("PRAGMA synchronous").get_result(&mut *conn).unwrap();
    let keys: Keys = diesel::sql_query("PRAGMA foreign_keys").get_result(&mut *conn).unwrap();
    assert_eq!(
        (mode.journal_mode.as_str(), sync.synchronous, keys.foreign_keys),
        ("wal", 2, 1)
    );
}

#[test]
fn postgres_connections_leave_jit_off_and_price_random_reads_for_ssd() {
    #[derive(QueryableByName)]
    struct Setting {
        #[diesel(sql_type = diesel::sql_types::Text)]
        setting: String,
    }
    let Some(pg) = Db::postgres() else {
        return;
    };
    let test_db = TestDb::create(&pg);
    let target = db::Target::parse(&test_db.url()).unwrap();
    let pool = db::pool(&target, 1).unwrap();
    let mut conn = pool.get().unwrap();
    let mut show = |name: &str| -> String {
        diesel::sql_query(format!("SELECT current_setting('{name}') AS setting"))
            .get_result::<Setting>(&mut *conn)
            .unwrap()
            .setting
    };
    assert_eq!(show("jit"), "off");
    assert_eq!(show("random_page_cost"), "1.1");
}

/// PostgreSQL restarted under a running server (every backend of its database ended): the pool
/// replaces connections whose server has gone, and the audit journal reconnects after the one
/// commit that finds its connection gone, so the service comes back by itself with every view
/// still audited.
#[actix_web::test]
async fn a_lost_postgres_connection_is_replaced() {
    let Some(db) = Db::postgres() else { return };
    let app = TestApp::spawn(db).await;
    let pat = app.add_user("pat", Role::Practitioner, &["Brent L&D"]);
    let site = app.add_site("Brent L&D", "Wembley Police Custody Suite");
    let person = app.add_person("Jo", "Bloggs", "1980-01-01", &pat);
    app.add_episode(&person, &site, &pat, 5, false);
    app.sign_in_ok("pat").await;
    let page = format!("/people/{person}");
    assert_eq!(app.page(&page).await.0, reqwest::StatusCode::OK);

    let url = app.state.config.database_url.clone().unwrap();
    let mut admin = PgConnection::establish(&url).unwrap();
    diesel::sql_query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = current_database() AND pid <> pg_backend_pid()",
    )
    .execute(&mut admin)
    .unwrap();

    // At most one failure for each connection: the pool's and the journal's.
    let most_failures = app.state.config.pool_size as usize + 1;
    let mut failures = 0;
    while app.page(&page).await.0 != reqwest::StatusCode::OK {
        failures += 1;
        assert!(failures <= most_failures, "still failing after {failures} requests");
    }
    let views_before = app.audit_rows("view").len();
    for _ in 0..2 * most_failures {
        assert_eq!(
            app.page(&page).await.0,
            reqwest::StatusCode::OK,
            "after {failures} failures"
        );
    }
    assert_eq!(
        app.audit_rows("view").len(),
        views_before + 2 * most_failures,
        "every view audited"
    );
}

/// The planner's statistics follow a table that has grown since they were gathered. Gathered
/// when the outbox held two letters, they had the episode page scan every letter of a
/// million-person service's outbox to find one failure (decision 0024).
#[actix_web::test]
async fn planner_statistics_follow_a_table_that_grew() {
    use liaison::email::outbox;
    let app = TestApp::spawn(Db::Sqlite).await;
    let queue = |n: usize| {
        let mut conn = app.conn();
        for i in 0..n {
            let message = outbox::NewMessage {
                referral_id: None,
                recipient: "Synthetic Service <referrals@example.invalid>",
                subject: "Referral (synthetic)",
                body_text: &format!("Letter {i} of a synthetic referral."),
                body_html: None,
            };
            outbox::enqueue(&mut conn, app.state.now(), &message).unwrap();
        }
        // Sent already, so that the worker's pass below has nothing to send.
        diesel::sql_query("UPDATE outbox SET status = 'sent'")
            .execute(&mut *conn)
            .unwrap();
    };
    #[derive(QueryableByName)]
    struct Stat {
        #[diesel(sql_type = diesel::sql_types::Text)]
        stat: String,
    }
    // The rows the statistics of the outbox's own key say it holds.
    let counted = || {
        diesel::sql_query("SELECT stat FROM sqlite_stat1 WHERE idx = 'outbox_referral'")
            .load::<Stat>(&mut *app.conn())
            .unwrap()
            .first()
            .and_then(|s| s.stat.split(' ').next()?.parse::<usize>().ok())
    };
    queue(2);
    db::refresh_statistics(&mut app.conn()).unwrap();
    queue(500);
    assert_eq!(counted(), Some(2), "gathered with two letters");
    // The worker's first pass follows the start's statistics; an hour on, it gathers them again.
    let worker = app.worker();
    worker.run_once();
    assert_eq!(counted(), Some(2), "not gathered twice at start");
    app.clock.advance_minutes(61);
    worker.run_once();
    assert_eq!(
        counted(),
        Some(502),
        "gathered again by the background worker an hour on"
    );
}
