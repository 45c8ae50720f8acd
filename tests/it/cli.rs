//! The binary's commands, run as an operator would.

use std::io::Write;
use std::process::{Command, Stdio};

use diesel::prelude::*;
use reqwest::StatusCode;

use crate::both_databases;
use crate::harness::{Db, TestApp};

both_databases!(
    user_commands_read_the_password_from_stdin_and_take_effect,
    demo_data_is_seeded_once_and_usable,
    outbox_commands_list_show_and_retry,
    figures_are_rebuilt_on_demand
);

fn liaison(database_url: &str, args: &[&str], stdin: &str) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_liaison"))
        .args(args)
        .env("LIAISON_DATABASE_URL", database_url)
        .env("LIAISON_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

async fn user_commands_read_the_password_from_stdin_and_take_effect(db: Db) {
    let app = TestApp::spawn(db).await;
    let url = app.state.config.database_url.clone().unwrap();
    let out = liaison(
        &url,
        &[
            "user",
            "add",
            "--username",
            "Sam.Jones",
            "--role",
            "senior-practitioner",
            "--team",
            "Brent L&D",
            "--display-name",
            "Sam Jones",
        ],
        "a very long passphrase\n",
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Added sam.jones (Senior practitioner)"));
    assert_eq!(
        app.sign_in("sam.jones", "a very long passphrase").await.status(),
        StatusCode::SEE_OTHER
    );
    let (_, home) = app.page("/").await;
    assert!(home.contains("Team: Brent L&amp;D"));

    let out = liaison(
        &url,
        &["user", "add", "--username", "weak", "--role", "analyst"],
        "short\n",
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("Password must be 8 characters or more"));
    let out = liaison(&url, &["user", "add", "--username", "x", "--role", "wizard"], "");
    assert!(!out.status.success(), "unknown roles are refused");
    let out = liaison(
        &url,
        &[
            "user",
            "add",
            "--username",
            "x",
            "--role",
            "analyst",
            "--password",
            "in argv",
        ],
        "",
    );
    assert!(!out.status.success(), "there is no password flag");

    let out = liaison(&url, &["user", "disable", "--username", "sam.jones"], "");
    assert!(out.status.success());
    assert_eq!(
        app.page("/").await.0,
        StatusCode::SEE_OTHER,
        "disabling ended the live session"
    );
    let out = liaison(&url, &["user", "enable", "--username", "sam.jones"], "");
    assert!(out.status.success());
    let out = liaison(
        &url,
        &["user", "reset-password", "--username", "sam.jones"],
        "another long passphrase\n",
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        app.sign_in("sam.jones", "another long passphrase").await.status(),
        StatusCode::SEE_OTHER
    );
    let cli_rows = app
        .audit_rows("update")
        .into_iter()
        .filter(|r| r.username.as_deref() == Some("command-line"))
        .count();
    assert_eq!(cli_rows, 3, "command-line changes are audited");
    // A lost phone with no administrator able to sign in: the operator resets the factor.
    let sam = liaison::auth::accounts::find_by_username(&mut app.conn(), "sam.jones")
        .unwrap()
        .unwrap()
        .id;
    app.enrol_factor(&sam);
    let out = liaison(&url, &["user", "reset-second-factor", "--username", "sam.jones"], "");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!liaison::auth::second_factor::has_factor(&mut app.conn(), &sam).unwrap());
    assert!(app.audit_rows("second-factor").iter().any(|r| {
        r.username.as_deref() == Some("command-line")
            && r.detail.as_deref() == Some("second factor reset; 1 sessions ended")
    }));
}

#[test]
fn help_explains_each_command() {
    let out = Command::new(env!("CARGO_BIN_EXE_liaison"))
        .arg("--help")
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    for cmd in ["serve", "migrate", "user", "demo"] {
        assert!(help.contains(cmd), "{help}");
    }
}

#[test]
fn a_bad_setting_is_named_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_liaison"))
        .args(["serve", "--listen", "not-an-address"])
        .env("LIAISON_DATA_DIR", dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("invalid setting `listen`"), "{err}");
}

async fn demo_data_is_seeded_once_and_usable(db: Db) {
    let app = TestApp::spawn(db).await;
    let url = app.state.config.database_url.clone().unwrap();
    for _ in 0..2 {
        let out = liaison(&url, &["demo"], "");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stdout).contains("demo.practitioner"));
    }
    // Four sites of the demo L&D team and one of the team that saw a man first.
    assert_eq!(app.count("sites"), 5, "seeded once");
    // Ten people at L&D, one duplicate record merged into one of them, two historic records
    // due for appraisal, last quarter's people, and the MHTR women.
    let last_quarter = liaison::demo::ld::last_quarter::PEOPLE_SEEDED as i64;
    assert_eq!(
        app.count("people"),
        10 + 1 + 2 + last_quarter + liaison::demo::mhtr::WOMEN as i64
    );
    let today = liaison::domain::local_time::local_date(app.state.now());
    assert_eq!(
        app.count_where("person_retention", &format!("review_on < '{today}'")),
        2,
        "the historic records wait for appraisal"
    );
    assert_eq!(app.count_where("people", "merged_into IS NOT NULL"), 1);
    // One consent to share, and one share on the public interest waiting for the IG lead.
    assert_eq!(app.count("share_consents"), 1);
    assert_eq!(
        app.count_where("shares", "basis = 'public-interest' AND review_due IS NOT NULL"),
        1
    );
    // Eli's custody summary, signed off and sent on his consent; his court report, written
    // with a participation concern and waiting for the senior's sign-off.
    assert_eq!(
        app.count_where("reports", "kind = 'custody-summary' AND status = 'final'"),
        1
    );
    assert_eq!(
        app.count_where("shares", "basis = 'consent' AND document = 'Custody summary'"),
        1
    );
    assert_eq!(app.count("report_sends"), 1, "the custody summary");
    assert_eq!(
        app.count_where("reports", "kind = 'court-report' AND status = 'draft'"),
        1
    );
    let court: liaison::domain::ids::ReportId = liaison::db::schema::reports::table
        .filter(liaison::db::schema::reports::kind.eq("court-report"))
        .select(liaison::db::schema::reports::id)
        .first(&mut app.conn())
        .unwrap();
    let court = liaison::reports::load(&mut app.conn(), &court).unwrap().unwrap();
    let failing: Vec<_> = liaison::reports::checklist::check(&court)
        .into_iter()
        .filter(|i| i.problem.is_some())
        .collect();
    assert!(failing.is_empty(), "the senior can sign it off as it is: {failing:?}");
    assert!(liaison::reports::checklist::participation_concern(&court));
    let episodes = app.count("episodes");
    assert!(episodes >= 12, "{episodes}");
    app.sign_in("demo.practitioner", "synthetic-demo-only").await;
    let wembley = liaison::sites::list(&mut app.conn(), true)
        .unwrap()
        .into_iter()
        .find(|s| s.name == "Wembley Police Custody Suite")
        .unwrap();
    let (status, list) = app.page(&format!("/sites/{}/list", wembley.id)).await;
    assert_eq!(status, StatusCode::OK);
    for expected in [
        "Over target",
        "Under 18",
        "Safeguarding",
        "Known – 1 earlier contact",
        "1 closed today",
    ] {
        assert!(list.contains(expected), "{expected}");
    }
    // A referral whose email failed, for a newcomer to see and send again; seeded once.
    assert_eq!(app.count_where("referrals", "status = 'failed'"), 1);
    assert_eq!(
        app.count_where("outbox", "status = 'failed' AND last_error IS NOT NULL"),
        1
    );
    let episode: String = {
        use diesel::prelude::*;
        liaison::db::schema::referrals::table
            .filter(liaison::db::schema::referrals::status.eq("failed"))
            .select(liaison::db::schema::referrals::episode_id)
            .first(&mut *app.conn())
            .unwrap()
    };
    let (_, page) = app.page(&format!("/episodes/{episode}")).await;
    assert!(
        page.contains("Failed – action needed") && page.contains("Send again"),
        "{page}"
    );
}

async fn outbox_commands_list_show_and_retry(db: Db) {
    use liaison::email::outbox;
    let app = TestApp::spawn(db).await;
    let url = app.state.config.database_url.clone().unwrap();
    let now = app.state.now();
    let mut conn = app.conn();
    let new = outbox::NewMessage {
        referral_id: None,
        recipient: "x@example.org",
        subject: "Referral R-TEST from Brent L&D",
        body_text: "t",
        body_html: None,
    };
    outbox::enqueue(&mut conn, now, &new).unwrap();
    let m = outbox::claim_due(&mut conn, now, 1).unwrap().remove(0);
    outbox::mark_failed(&mut conn, now, &m, "550 mailbox unavailable", &app.state.outbox_hooks).unwrap();
    drop(conn);
    let out = liaison(&url, &["outbox", "list", "--status", "failed"], "");
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success() && text.contains("0 queued, 1 failed, 0 sent") && text.contains("R-TEST"),
        "{text}"
    );
    let out = liaison(&url, &["outbox", "show", &m.id], "");
    assert!(String::from_utf8_lossy(&out.stdout).contains("550 mailbox unavailable"));
    let out = liaison(&url, &["outbox", "retry", &m.id], "");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        outbox::find(&mut app.conn(), &m.id).unwrap().unwrap().status.code(),
        "pending"
    );
    let again = liaison(&url, &["outbox", "retry", &m.id], "");
    assert!(!again.status.success(), "only a failed message can be retried");
}

/// `liaison rebuild-figures` works out every episode's facts and tallies every month over.
async fn figures_are_rebuilt_on_demand(db: Db) {
    use diesel::connection::SimpleConnection;
    let app = TestApp::spawn(db).await;
    let url = app.state.config.database_url.clone().unwrap();
    let out = liaison(&url, &["demo"], "");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    app.conn()
        .batch_execute("DELETE FROM month_tallies; DELETE FROM tallied_months")
        .unwrap();
    let out = liaison(&url, &["rebuild-figures"], "");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let said = String::from_utf8_lossy(&out.stdout);
    let episodes = app.count("episodes");
    let months = app.count("tallied_months");
    assert!(months > 0, "the demo's months over are tallied");
    assert!(
        said.contains(&format!(
            "The facts of {episodes} episodes were worked out again and {months} months over were tallied."
        )),
        "{said}"
    );
    assert_eq!(app.count("episode_facts"), episodes);
    assert_eq!(app.count("fact_changes"), 0);
}
