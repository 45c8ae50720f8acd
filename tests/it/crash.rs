//! A view answered is a view recorded, even if the process dies the next instant: the real
//! binary serves concurrent audited views, is killed with SIGKILL, and the audit trail holds a
//! row for every view that was answered.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};

use reqwest::StatusCode;

use crate::both_databases;
use crate::harness::{Db, TestApp, client, csrf_token};

both_databases!(every_answered_view_survives_a_kill);

const VIEWS: usize = 24;

/// Starts `liaison serve` on a free port and returns once it says it is listening.
fn serve(database_url: &str) -> (Child, String) {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_liaison"))
        .args(["serve", "--listen", &format!("127.0.0.1:{port}"), "--allow-http"])
        .env("LIAISON_DATABASE_URL", database_url)
        .env("LIAISON_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("liaison starts");
    let stdout = child.stdout.take().expect("stdout");
    let (said, listening) = std::sync::mpsc::channel();
    // Keeps reading after the line, so the server never writes to a closed pipe.
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if line.contains("is listening") {
                let _ = said.send(());
            }
        }
    });
    listening.recv().expect("the server said it is listening");
    (child, format!("http://127.0.0.1:{port}"))
}

async fn every_answered_view_survives_a_kill(db: Db) {
    let app = TestApp::spawn(db).await;
    let url = app.state.config.database_url.clone().unwrap();
    let seeded = Command::new(env!("CARGO_BIN_EXE_liaison"))
        .arg("demo")
        .env("LIAISON_DATABASE_URL", &url)
        .env("LIAISON_LOG", "warn")
        .output()
        .expect("demo runs");
    assert!(seeded.status.success(), "{}", String::from_utf8_lossy(&seeded.stderr));
    let site = liaison::sites::list(&mut app.conn(), true)
        .unwrap()
        .into_iter()
        .find(|s| s.name == "Wembley Police Custody Suite")
        .expect("the demo site");

    let (mut server, base) = serve(&url);
    let browser = client();
    let sign_in_page = browser
        .get(format!("{base}/sign-in"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let signed_in = browser
        .post(format!("{base}/sign-in"))
        .form(&[
            ("csrf_token", csrf_token(&sign_in_page).as_str()),
            ("username", "demo.practitioner"),
            ("password", liaison::demo::PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);

    let list = format!("{base}/sites/{}/list", site.id);
    let views: Vec<_> = (0..VIEWS)
        .map(|_| {
            let (browser, list) = (browser.clone(), list.clone());
            actix_web::rt::spawn(async move { browser.get(list).header("HX-Request", "true").send().await })
        })
        .collect();
    for view in views {
        assert_eq!(view.await.unwrap().unwrap().status(), StatusCode::OK);
    }
    server.kill().expect("SIGKILL");
    server.wait().expect("the server is gone");

    let recorded = app
        .audit_rows(liaison::audit::VIEW)
        .into_iter()
        .filter(|r| r.record_type.as_deref() == Some("site-list") && r.username.as_deref() == Some("demo.practitioner"))
        .count();
    assert_eq!(recorded, VIEWS, "a row for every view answered before the kill");
}
