//! `liaison backup`, `backup verify` and `restore`, run as an operator would, beside a server
//! that is taking writes: the restored database holds every write confirmed before the backup
//! began, its audit chain is intact, and a copy cut short is refused.

use std::cell::RefCell;
use std::path::Path;
use std::process::{Command, Output};
use std::rc::Rc;

use liaison::audit::chain::{self, Verdict};
use liaison::db;
use liaison::domain::Role;
use reqwest::StatusCode;

use crate::both_databases;
use crate::harness::{Db, TestApp, TestDb, csrf_token};

both_databases!(
    a_backup_taken_during_writes_restores_every_confirmed_write,
    a_backup_cut_short_fails_its_check
);

fn liaison(database_url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_liaison"))
        .args(args)
        .env("LIAISON_DATABASE_URL", database_url)
        .env("LIAISON_LOG", "warn")
        .output()
        .unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// A server with one episode, signed in; answers the episode's id and the database URL.
async fn serving(db: Db) -> (TestApp, String, String) {
    let app = TestApp::spawn(db).await;
    let uid = app.add_user("pat", Role::Practitioner, &["Brent L&D"]);
    let site = app.add_site("Brent L&D", "Wembley Police Custody Suite");
    let person = app.add_person("Jo", "Bloggs", "1990-06-01", &uid);
    let ep = app.add_episode(&person, &site, &uid, 5, false);
    app.sign_in_ok("pat").await;
    let url = app.state.config.database_url.clone().unwrap();
    (app, ep, url)
}

async fn a_backup_taken_during_writes_restores_every_confirmed_write(db: Db) {
    let restored_db = TestDb::create(&db);
    let (app, ep, url) = serving(db).await;
    let dir = tempfile::tempdir().unwrap();
    let backup = dir.path().join("liaison.backup");

    // A practitioner keeps writing notes while the backup runs; each confirmed one is kept.
    let (_, html) = app.page(&format!("/episodes/{ep}")).await;
    let token = csrf_token(&html);
    let confirmed = Rc::new(RefCell::new(Vec::<String>::new()));
    let stop = Rc::new(std::cell::Cell::new(false));
    let post = app.url(&format!("/episodes/{ep}/timeline"));
    let writer = {
        let (client, confirmed, stop) = (app.client.clone(), confirmed.clone(), stop.clone());
        actix_web::rt::spawn(async move {
            let mut n = 0;
            while !stop.get() || n < 5 {
                n += 1;
                let body = format!("Note {n} written during the backup");
                let form = [
                    ("csrf_token", token.as_str()),
                    ("kind", "note"),
                    ("body", body.as_str()),
                ];
                let res = client.post(&post).form(&form).send().await.unwrap();
                assert_eq!(res.status(), StatusCode::SEE_OTHER);
                confirmed.borrow_mut().push(body);
            }
        })
    };
    while confirmed.borrow().len() < 3 {
        actix_web::rt::task::yield_now().await;
    }
    let before_backup = confirmed.borrow().clone();
    let taken = {
        let (url, backup) = (url.clone(), backup.clone());
        actix_web::rt::task::spawn_blocking(move || liaison(&url, &["backup", backup.to_str().unwrap()]))
            .await
            .unwrap()
    };
    stop.set(true);
    writer.await.unwrap();
    assert!(taken.status.success(), "{}", text(&taken));
    assert!(text(&taken).contains("Backup written to"), "{}", text(&taken));

    // The running server's own database cannot be restored over.
    let over_live = liaison(&url, &["restore", backup.to_str().unwrap()]);
    assert!(!over_live.status.success());
    let refusal = text(&over_live);
    assert!(
        refusal.contains("is in use: stop the server") || refusal.contains("already holds tables"),
        "{refusal}"
    );

    let restored = liaison(&restored_db.url(), &["restore", backup.to_str().unwrap()]);
    assert!(restored.status.success(), "{}", text(&restored));
    let mut conn = db::connect(&db::Target::parse(&restored_db.url()).unwrap()).unwrap();
    let notes: Vec<String> = liaison::records::timeline::for_episode(&mut conn, &ep)
        .unwrap()
        .into_iter()
        .map(|e| e.body)
        .collect();
    for body in &before_backup {
        assert!(notes.contains(body), "{body} was confirmed before the backup began");
    }
    let all = confirmed.borrow();
    assert!(
        notes
            .iter()
            .filter(|n| n.contains("during the backup"))
            .all(|n| all.contains(n))
    );
    assert!(matches!(chain::verify(&mut conn).unwrap(), Verdict::Intact { checked, .. } if checked > 0));
}

async fn a_backup_cut_short_fails_its_check(db: Db) {
    let (_app, _, url) = serving(db).await;
    let dir = tempfile::tempdir().unwrap();
    let backup = dir.path().join("whole.backup");
    let taken = liaison(&url, &["backup", backup.to_str().unwrap()]);
    assert!(taken.status.success(), "{}", text(&taken));

    let whole = liaison(&url, &["backup", "verify", backup.to_str().unwrap()]);
    assert!(whole.status.success(), "{}", text(&whole));
    let again = liaison(&url, &["backup", backup.to_str().unwrap()]);
    assert!(
        text(&again).contains("already exists: choose a new name"),
        "{}",
        text(&again)
    );

    let cut = dir.path().join("cut.backup");
    let bytes = std::fs::read(&backup).unwrap();
    std::fs::write(&cut, &bytes[..bytes.len() * 2 / 3]).unwrap();
    let checked = liaison(&url, &["backup", "verify", cut.to_str().unwrap()]);
    assert!(!checked.status.success());
    assert!(text(&checked).contains("failed its check"), "{}", text(&checked));
    assert!(!Path::new(&format!("{}.partial", backup.display())).exists());
}
