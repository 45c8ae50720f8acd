//! The migration `return_fields` on a database that already holds work: each episode gets the
//! stage its site's kind starts from, an episode closed unseen gets a reason from how it
//! closed, and earlier vulnerability codes move to the shared list on screenings and draft
//! reports, while a final report keeps what it was sent with.

use diesel::prelude::*;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use liaison::db::schema::{episodes, report_sections, reports, screenings};
use liaison::db::{self, DbConnection};
use liaison::domain::Role;

use crate::both_databases;
use crate::harness::{Db, TestApp};

both_databases!(the_migration_backfills_episodes_and_moves_earlier_codes);

const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES: EmbeddedMigrations = embed_migrations!("migrations/postgres");
const RETURN_FIELDS: &str = "20261202000017";

/// Reverts migrations, newest first, down to and including `return_fields`.
fn back_to_before_return_fields(conn: &mut DbConnection) {
    loop {
        let version = match conn {
            DbConnection::Pg(c) => c.revert_last_migration(POSTGRES),
            DbConnection::Sqlite(c) => c.revert_last_migration(SQLITE),
        }
        .expect("revert")
        .to_string();
        if version.replace('-', "") == RETURN_FIELDS {
            return;
        }
    }
}

const EARLIER_TICKS: &str = r#"{"found":["neurodiversity","charge-related-risk","housing"]}"#;

fn report(conn: &mut DbConnection, ep: &liaison::records::Episode, final_: bool) -> String {
    let id = uuid::Uuid::new_v4().to_string();
    diesel::insert_into(reports::table)
        .values((
            reports::id.eq(&id),
            reports::kind.eq("custody-summary"),
            reports::subject_type.eq("episode"),
            reports::subject_id.eq(ep.id.as_str()),
            reports::person_id.eq(ep.person_id.as_str()),
            reports::team_id.eq(ep.team_id.as_str()),
            reports::status.eq("draft"),
            reports::created_by.eq(&ep.created_by),
            reports::created_at.eq(0),
            reports::updated_at.eq(0),
        ))
        .execute(conn)
        .unwrap();
    diesel::insert_into(report_sections::table)
        .values((
            report_sections::report_id.eq(&id),
            report_sections::position.eq(3),
            report_sections::code.eq("vulnerabilities"),
            report_sections::title.eq("Vulnerabilities relevant to detention and interview"),
            report_sections::body.eq(""),
            report_sections::answers.eq(EARLIER_TICKS),
        ))
        .execute(conn)
        .unwrap();
    if final_ {
        diesel::update(reports::table.find(&id))
            .set(reports::status.eq("final"))
            .execute(conn)
            .unwrap();
    }
    id
}

fn screened(conn: &mut DbConnection, ep: &str, by: &str, vulnerabilities: &str) {
    diesel::update(episodes::table.find(ep))
        .set((
            episodes::screening_started_at.eq(Some(1)),
            episodes::screened_at.eq(Some(2)),
        ))
        .execute(conn)
        .unwrap();
    diesel::insert_into(screenings::table)
        .values((
            screenings::episode_id.eq(ep),
            screenings::consent.eq("given"),
            screenings::vulnerabilities.eq(vulnerabilities),
            screenings::presenting_concerns.eq("Low mood"),
            screenings::outcome.eq("signposted"),
            screenings::completed_by.eq(by),
            screenings::completed_at.eq(2),
        ))
        .execute(conn)
        .unwrap();
}

fn closed(conn: &mut DbConnection, ep: &str, outcome: &str) {
    diesel::update(episodes::table.find(ep))
        .set((
            episodes::status.eq("closed"),
            episodes::closed_at.eq(Some(3)),
            episodes::closure_outcome.eq(Some(outcome)),
        ))
        .execute(conn)
        .unwrap();
}

async fn the_migration_backfills_episodes_and_moves_earlier_codes(db: Db) {
    let app = TestApp::spawn(db).await;
    let uid = app.add_user("pat", Role::Practitioner, &["Brent L&D"]);
    let custody = app.add_site("Brent L&D", "Wembley Police Custody Suite");
    let court = app.add_court("Brent L&D", "Willesden Magistrates' Court");
    let person = app.add_person("Jo", "Bloggs", "1990-06-01", &uid);
    let unseen = app.add_episode(&person, &custody, &uid, 90, false);
    let seen = app.add_episode(&person, &court, &uid, 60, false);
    let other = app.add_episode(&person, &court, &uid, 30, false);
    let open = app.add_episode(&person, &custody, &uid, 5, false);
    let ep = app.episode(&seen);
    let (draft, sent) = {
        let conn = &mut *app.conn();
        back_to_before_return_fields(conn);
        closed(conn, &unseen, "unable-to-engage");
        screened(conn, &seen, &uid, "neurodiversity,housing,charge-related-risk,veteran");
        closed(conn, &seen, "declined");
        screened(conn, &other, &uid, "charge-related-risk,substance-misuse");
        (report(conn, &ep, false), report(conn, &ep, true))
    };
    db::run_migrations(&mut app.conn()).unwrap();

    let (u, s, o, w) = (
        app.episode(&unseen),
        app.episode(&seen),
        app.episode(&other),
        app.episode(&open),
    );
    assert_eq!(u.cj_stage.as_deref(), Some("pre-charge"), "custody");
    assert_eq!(s.cj_stage.as_deref(), Some("post-charge-pre-plea"), "court");
    assert_eq!(u.not_seen_reason.as_deref(), Some("unfit-or-intoxicated"));
    assert_eq!(s.not_seen_reason, None, "screened before it closed");
    assert_eq!(w.not_seen_reason, None, "still open");
    assert_eq!(o.not_seen_reason, None);

    let conn = &mut *app.conn();
    let found = |conn: &mut DbConnection, ep: &str| -> String {
        screenings::table
            .find(ep)
            .select(screenings::vulnerabilities)
            .first(conn)
            .unwrap()
    };
    assert_eq!(found(conn, &seen), "autism,accommodation,veteran");
    assert_eq!(found(conn, &other), "drug-misuse");
    let answers = |conn: &mut DbConnection, report: &str| -> String {
        report_sections::table
            .find((report, "vulnerabilities"))
            .select(report_sections::answers)
            .first(conn)
            .unwrap()
    };
    assert_eq!(answers(conn, &draft), r#"{"found":["autism","accommodation"]}"#);
    assert_eq!(answers(conn, &sent), EARLIER_TICKS, "a final report is as it was sent");
}
