//! Referrals by email through the outbox, delivered to a real SMTP server on loopback, with
//! faults; partner answers through single-use links; chasing.

use std::time::Duration;

use diesel::prelude::*;
use liaison::db::schema::{outbox, referrals};
use liaison::domain::Role;
use reqwest::StatusCode;

use crate::both_databases;
use crate::harness::{Db, TestApp, csrf_token, location};
use crate::smtp_server::{Mode, ReceivedMessage, SmtpServer};

pub(crate) const WAIT: Duration = Duration::from_secs(10);

pub(crate) struct Setup {
    pub(crate) app: TestApp,
    pub(crate) server: SmtpServer,
    pub(crate) episode: String,
    site: String,
    person: String,
    pub(crate) camhs: String,
    pub(crate) womens_centre: String,
}

pub(crate) async fn setup(db: Db) -> Setup {
    let server = SmtpServer::start();
    let url = server.url();
    let app = TestApp::spawn_with(db, move |c| {
        c.smtp_url = Some(url);
        c.run_outbox_worker = false;
        c.public_url = Some("https://liaison.example".into());
    })
    .await;
    setup_on(app, server).await
}

/// The people, site, episode and services of [`setup`], on an app already configured to
/// send through `server`.
async fn setup_on(app: TestApp, server: SmtpServer) -> Setup {
    let uid = app.add_user("pat", Role::Practitioner, &["Brent L&D"]);
    let site = app.add_site("Brent L&D", "Wembley Police Custody Suite");
    let person = app.add_person("Jo", "Bloggs", "1990-06-01", &uid);
    let episode = app.add_episode(&person, &site, &uid, 30, false);
    let camhs = app.add_service("Brent CAMHS", "Referrals", "camhs", &["camhs.referrals@nhs.net"]);
    let womens_centre = app.add_service(
        "Brent Women's Centre",
        "Intake",
        "womens-centre",
        &["intake@womenscentre.example.org"],
    );
    app.sign_in_ok("pat").await;
    Setup {
        app,
        server,
        episode,
        site,
        person,
        camhs,
        womens_centre,
    }
}

pub(crate) fn hidden(html: &str, name: &str) -> String {
    let marker = format!(r#"name="{name}" value=""#);
    let start = html.find(&marker).unwrap_or_else(|| panic!("{name} on page")) + marker.len();
    html[start..].split('"').next().unwrap().to_string()
}

/// Chooses both services, fills the details with consent, and returns the fields to send.
pub(crate) async fn filled_form(s: &Setup) -> Vec<(String, String)> {
    let path = format!(
        "/episodes/{}/referrals/new?services={}&services={}",
        s.episode, s.camhs, s.womens_centre
    );
    let (status, page) = s.app.page(&path).await;
    assert_eq!(status, StatusCode::OK);
    vec![
        ("csrf_token".into(), csrf_token(&page)),
        ("submission_key".into(), hidden(&page, "submission_key")),
        ("services".into(), s.camhs.clone()),
        ("services".into(), s.womens_centre.clone()),
        ("reason".into(), "Low mood and self-harm; wants support".into()),
        ("urgency".into(), "soon".into()),
        (
            "shared_information".into(),
            "History of self-harm; no current plan".into(),
        ),
        (format!("consent-{}", s.camhs), "given".into()),
        (format!("consent-{}", s.womens_centre), "given".into()),
    ]
}

pub(crate) async fn post(s: &Setup, path: &str, fields: &[(String, String)]) -> reqwest::Response {
    s.app.client.post(s.app.url(path)).form(fields).send().await.unwrap()
}

pub(crate) async fn send_referral(s: &Setup) -> Vec<(String, String)> {
    let fields = filled_form(s).await;
    let res = post(s, &format!("/episodes/{}/referrals", s.episode), &fields).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        location(&res),
        format!("/episodes/{}?done=referral-sent#referrals", s.episode),
        "the episode page confirms it"
    );
    fields
}

pub(crate) fn by_recipient<'a>(messages: &'a [ReceivedMessage], to: &str) -> &'a ReceivedMessage {
    messages
        .iter()
        .find(|m| m.rcpt_to.iter().any(|r| r.contains(to)))
        .unwrap_or_else(|| panic!("a message to {to}"))
}

pub(crate) fn answer_link(m: &ReceivedMessage) -> String {
    let text = m.text_part().unwrap();
    let start = text.find("https://liaison.example/answer/").unwrap() + "https://liaison.example".len();
    text[start..].split_whitespace().next().unwrap().to_string()
}

both_databases!(
    consent_is_checked_and_secure_and_standard_addresses_get_different_emails_once,
    a_mail_server_outage_loses_nothing_and_sends_once,
    temporary_then_permanent_failures,
    a_crashed_worker_or_process_still_sends_after_restart,
    two_workers_on_one_database_never_send_twice,
    a_burst_goes_out_over_several_connections_each_message_once,
    an_outage_cuts_a_pass_short_and_loses_nothing,
    partners_answer_once_through_their_link,
    unanswered_referrals_are_chased,
    an_unknown_stored_status_fails_loudly,
);

async fn consent_is_checked_and_secure_and_standard_addresses_get_different_emails_once(db: Db) {
    let s = setup(db).await;
    let (status, choose) = s.app.page(&format!("/episodes/{}/referrals/new", s.episode)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(choose.contains("Brent CAMHS") && choose.contains("Secure") && choose.contains("Standard"));

    // Consent missing for one service, a declined consent without a reason for the other.
    let mut fields = filled_form(&s).await;
    fields.retain(|(k, _)| !k.starts_with("consent-"));
    fields.push((format!("consent-{}", s.womens_centre), "declined".into()));
    let res = post(&s, &format!("/episodes/{}/referrals/check", s.episode), &fields).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("Select whether the person consented to the referral to Referrals"),
        "{html}"
    );
    assert!(html.contains("record why the referral to Intake must still be made"));
    assert!(html.contains("Low mood and self-harm"), "answers kept");
    // Sending the same bad form directly saves nothing either.
    assert_eq!(
        post(&s, &format!("/episodes/{}/referrals", s.episode), &fields)
            .await
            .status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(s.app.count("referrals"), 0);

    let fields = filled_form(&s).await;
    let res = post(&s, &format!("/episodes/{}/referrals/check", s.episode), &fields).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("Check your referral before sending"));
    let send = format!("/episodes/{}/referrals", s.episode);
    assert_eq!(post(&s, &send, &fields).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        post(&s, &send, &fields).await.status(),
        StatusCode::SEE_OTHER,
        "a double submit"
    );
    assert_eq!(s.app.count("referrals"), 2, "one referral per service, not per submit");
    assert_eq!(s.app.count("outbox"), 2);
    assert_eq!(s.server.messages().len(), 0, "nothing is sent inside the request");

    assert_eq!(s.app.outbox_pass(), 2);
    let messages = s.server.wait_for_messages(2, WAIT);
    let letter = by_recipient(&messages, "camhs.referrals@nhs.net");
    let notice = by_recipient(&messages, "intake@womenscentre.example.org");
    for m in [letter, notice] {
        let subject = m.subject().unwrap();
        assert!(
            subject.starts_with("Referral R-") && subject.ends_with("from Brent L&D"),
            "{subject}"
        );
        assert!(!subject.contains("Bloggs"));
        assert!(
            m.html_part().is_some() && m.text_part().is_some(),
            "HTML and plain text"
        );
    }
    let letter_text = letter.text_part().unwrap();
    assert!(
        letter_text.contains("Jo Bloggs")
            && letter_text.contains("History of self-harm")
            && letter_text.contains("consented")
    );
    let notice_text = notice.text_part().unwrap() + &notice.html_part().unwrap();
    for secret in ["Bloggs", "1 Jun 1990", "self-harm", "Low mood"] {
        assert!(!notice_text.contains(secret), "{secret} in a standard-class notice");
    }
    assert!(notice_text.contains("/answer/"));
    let ids: Vec<String> = outbox::table
        .select(outbox::message_id)
        .load(&mut s.app.conn())
        .unwrap();
    for m in &messages {
        let id = m.message_id().unwrap();
        assert!(
            ids.iter().any(|stored| id.contains(stored.as_str())),
            "stable Message-ID {id}"
        );
    }
    let statuses: Vec<String> = referrals::table
        .select(referrals::status)
        .load(&mut s.app.conn())
        .unwrap();
    assert!(statuses.iter().all(|st| st == "sent"));
    assert_eq!(s.app.outbox_pass(), 0);
    assert_eq!(s.server.messages().len(), 2, "sent once");
    let (_, page) = s.app.page(&format!("/episodes/{}", s.episode)).await;
    assert!(page.contains("Sent – awaiting answer") && page.contains("Chase now"));
}

async fn a_mail_server_outage_loses_nothing_and_sends_once(db: Db) {
    let s = setup(db).await;
    s.server.stop();
    send_referral(&s).await;
    assert_eq!(s.app.count("outbox"), 2, "saved and queued");
    // A pass stops at the first refusal; the next try what it left, until every message has
    // been tried once and waits out its backoff.
    while s.app.outbox_pass() > 0 {}
    let pending: Vec<(String, i32)> = outbox::table
        .select((outbox::status, outbox::attempts))
        .load(&mut s.app.conn())
        .unwrap();
    assert!(pending.iter().all(|(st, n)| st == "pending" && *n == 1), "{pending:?}");
    assert_eq!(s.app.outbox_pass(), 0, "not retried before the backoff");
    s.server.restart();
    s.app.clock.advance_minutes(2);
    assert_eq!(s.app.outbox_pass(), 2);
    let messages = s.server.wait_for_messages(2, WAIT);
    s.app.clock.advance_minutes(60);
    s.app.outbox_pass();
    assert_eq!(s.server.messages().len(), 2, "each delivered exactly once");
    let mut ids: Vec<String> = messages.iter().map(|m| m.message_id().unwrap()).collect();
    ids.dedup();
    assert_eq!(ids.len(), 2);
}

async fn temporary_then_permanent_failures(db: Db) {
    let s = setup(db).await;
    s.server.set_mode(Mode::TempFail);
    send_referral(&s).await;
    s.app.outbox_pass();
    assert_eq!(s.server.messages().len(), 0);
    s.server.set_mode(Mode::Accept);
    s.app.clock.advance_minutes(2);
    s.app.outbox_pass();
    s.server.wait_for_messages(2, WAIT);

    // A permanent refusal stops at once and asks for action.
    let s = setup(Db::Sqlite).await;
    s.server.set_mode(Mode::PermFail);
    send_referral(&s).await;
    s.app.outbox_pass();
    let attempts = s.server.attempts();
    let failed: Vec<(String, Option<String>)> = outbox::table
        .select((outbox::status, outbox::last_error))
        .load(&mut s.app.conn())
        .unwrap();
    assert!(failed.iter().all(|(st, e)| st == "failed" && e.is_some()), "{failed:?}");
    let statuses: Vec<String> = referrals::table
        .select(referrals::status)
        .load(&mut s.app.conn())
        .unwrap();
    assert!(statuses.iter().all(|st| st == "failed"));
    s.app.clock.advance_minutes(24 * 60);
    s.app.outbox_pass();
    assert_eq!(s.server.attempts(), attempts, "no further attempts");
    s.app.sign_in_ok("pat").await;
    let (_, page) = s.app.page(&format!("/episodes/{}", s.episode)).await;
    assert!(page.contains("Failed – action needed"));
    assert!(page.contains("The mail server said: "), "{page}");

    // The practitioner sends it again from the episode page, once the address is put right.
    s.server.set_mode(Mode::Accept);
    let ids: Vec<String> = referrals::table.select(referrals::id).load(&mut s.app.conn()).unwrap();
    let page_path = format!("/episodes/{}", s.episode);
    for id in &ids {
        assert!(page.contains(&format!(r#"action="/referrals/{id}/send-again""#)));
        let res = s
            .app
            .submit(&page_path, &format!("/referrals/{id}/send-again"), &[])
            .await;
        assert_eq!(location(&res), format!("{page_path}?done=sent-again#referrals"));
    }
    let (_, confirmed) = s.app.page(&format!("{page_path}?done=sent-again")).await;
    assert!(confirmed.contains("The referral email is queued to send again"));
    assert!(confirmed.contains("Email sent again: referral R-"), "on the timeline");
    s.app.outbox_pass();
    s.server.wait_for_messages(ids.len(), WAIT);
    let statuses: Vec<String> = referrals::table
        .select(referrals::status)
        .load(&mut s.app.conn())
        .unwrap();
    assert!(statuses.iter().all(|st| st == "sent"), "{statuses:?}");
    // Nothing failed is left to send again.
    let res = s
        .app
        .submit(&page_path, &format!("/referrals/{}/send-again", ids[0]), &[])
        .await;
    assert!(res.status().is_client_error(), "{}", res.status());
}

async fn a_crashed_worker_or_process_still_sends_after_restart(db: Db) {
    let s = setup(db).await;
    send_referral(&s).await;
    // A worker claims the messages and dies before sending them.
    let now = s.app.state.now();
    let claimed = liaison::email::outbox::claim_due(&mut s.app.conn(), now, 10).unwrap();
    assert_eq!(claimed.len(), 2);
    assert_eq!(s.app.outbox_pass(), 0, "the lease keeps others off");
    s.app.clock.advance_minutes(2);
    // A fresh worker (a restarted process reads the same durable outbox) sends them.
    assert_eq!(s.app.worker().run_once(), 2);
    s.server.wait_for_messages(2, WAIT);
}

async fn two_workers_on_one_database_never_send_twice(db: Db) {
    let s = setup(db).await;
    for _ in 0..15 {
        send_referral(&s).await;
    }
    assert_eq!(s.app.count("outbox"), 30);
    // Two instances: each worker has its own connection pool on the same database.
    let (a, mut b) = (s.app.worker(), s.app.worker());
    let target = liaison::db::Target::parse(s.app.state.config.database_url.as_deref().unwrap()).unwrap();
    b.pool = liaison::db::pool(&target, 4).unwrap();
    let threads = [
        std::thread::spawn(move || while a.run_once() > 0 {}),
        std::thread::spawn(move || while b.run_once() > 0 {}),
    ];
    for t in threads {
        t.join().unwrap();
    }
    let messages = s.server.wait_for_messages(30, WAIT);
    let mut ids: Vec<String> = messages.iter().map(|m| m.message_id().unwrap()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!((messages.len(), ids.len()), (30, 30), "every message once");
}

async fn a_burst_goes_out_over_several_connections_each_message_once(db: Db) {
    let s = setup(db).await;
    for _ in 0..20 {
        send_referral(&s).await;
    }
    // One pass claims the whole burst and sends it over several connections at once.
    assert_eq!(s.app.worker().run_once(), 40);
    let messages = s.server.wait_for_messages(40, WAIT);
    let mut ids: Vec<String> = messages.iter().map(|m| m.message_id().unwrap()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!((messages.len(), ids.len()), (40, 40), "every message once");
    assert!(
        s.server.peak_connections() > 1,
        "sent in parallel: at most {} connection(s) open at once",
        s.server.peak_connections()
    );
    let unsent: i64 = s.app.count_where("outbox", "status <> 'sent'");
    assert_eq!(unsent, 0, "every result recorded");
    let referrals_sent: i64 = s.app.count_where("referrals", "status = 'sent'");
    assert_eq!(referrals_sent, 40, "each referral follows its email");
}

async fn an_outage_cuts_a_pass_short_and_loses_nothing(db: Db) {
    use liaison::email::worker::SENDERS;
    let s = setup(db).await;
    s.server.stop();
    for _ in 0..20 {
        send_referral(&s).await;
    }
    // The first refusals stop the senders: the pass does not try the whole batch.
    let tried = s.app.worker().run_once();
    assert!((1..=2 * SENDERS).contains(&tried), "tried {tried} of 40");
    let rows: Vec<(String, i32, i64)> = outbox::table
        .select((outbox::status, outbox::attempts, outbox::locked_until))
        .load(&mut s.app.conn())
        .unwrap();
    assert_eq!(rows.len(), 40);
    assert!(
        rows.iter().all(|(st, _, lease)| st == "pending" && *lease == 0),
        "untried ones released: {rows:?}"
    );
    assert_eq!(rows.iter().filter(|(_, n, _)| *n == 1).count(), tried, "{rows:?}");
    // The untried ones go at the next pass; the failed ones after their backoff.
    s.server.restart();
    assert_eq!(s.app.worker().run_once(), 40 - tried);
    s.app.clock.advance_minutes(2);
    assert_eq!(s.app.worker().run_once(), tried);
    let messages = s.server.wait_for_messages(40, WAIT);
    let mut ids: Vec<String> = messages.iter().map(|m| m.message_id().unwrap()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!((messages.len(), ids.len()), (40, 40), "every message once");
}

async fn partners_answer_once_through_their_link(db: Db) {
    let s = setup(db).await;
    send_referral(&s).await;
    s.app.outbox_pass();
    let messages = s.server.wait_for_messages(2, WAIT);
    let notice_link = answer_link(by_recipient(&messages, "womenscentre"));
    let letter_link = answer_link(by_recipient(&messages, "nhs.net"));

    let partner = s.app.another_client();
    let (status, page) = partner.page(&notice_link).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("Answer a referral from Brent L&amp;D") && !page.contains("Bloggs"),
        "no name for a standard address"
    );
    let (_, secure_page) = partner.page(&letter_link).await;
    assert!(
        secure_page.contains("J. B., born 1 Jun 1990") && !secure_page.contains("Bloggs"),
        "initials and date of birth for a secure address, the minimum to match the letter"
    );
    let opens = s.app.audit_rows("answer-link");
    assert_eq!(
        opens.iter().filter(|r| r.outcome.code() == "allowed").count(),
        2,
        "every open audited"
    );
    assert!(
        opens
            .iter()
            .all(|r| r.person_id.is_some() && r.record_type.as_deref() == Some("referral"))
    );
    let token = csrf_token(&page);
    let res = partner
        .post(&notice_link, &[("csrf_token", token.as_str()), ("answer", "declined")])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Enter why you are declining"));
    let res = partner
        .post(&notice_link, &[("csrf_token", token.as_str()), ("answer", "accepted")])
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("your answer has been sent"));
    let reused = partner
        .post(
            &notice_link,
            &[("csrf_token", token.as_str()), ("answer", "declined"), ("reason", "x")],
        )
        .await;
    assert_eq!(reused.status(), StatusCode::GONE, "single use");
    let last = if notice_link.ends_with('a') { 'b' } else { 'a' };
    let tampered = format!("{}{last}", &notice_link[..notice_link.len() - 1]);
    assert_eq!(partner.page(&tampered).await.0, StatusCode::NOT_FOUND);
    assert!(
        s.app
            .audit_rows("answer-link")
            .iter()
            .any(|r| r.outcome.code() == "denied" && r.detail.as_deref() == Some("unknown")),
        "a failed try is audited"
    );
    // The CAMHS partner asks for more information instead; a message is required.
    let (_, secure_form) = partner.page(&letter_link).await;
    let token = csrf_token(&secure_form);
    let res = partner
        .post(
            &letter_link,
            &[("csrf_token", token.as_str()), ("answer", "more-information")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = partner
        .post(
            &letter_link,
            &[
                ("csrf_token", token.as_str()),
                ("answer", "more-information"),
                ("message", "Is she registered with a GP?"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let answered = s.app.audit_rows("answer");
    assert_eq!(answered.len(), 2);
    assert!(answered.iter().any(|a| {
        a.username
            .as_deref()
            .unwrap()
            .contains("intake@womenscentre.example.org")
    }));
    let (_, episode) = s.app.page(&format!("/episodes/{}", s.episode)).await;
    assert!(episode.contains("Accepted") && episode.contains("answered – accept the referral"));
    assert!(episode.contains("More information requested") && episode.contains("Is she registered with a GP?"));
    assert_eq!(partner.page(&letter_link).await.0, StatusCode::GONE, "used");

    // The practitioner records attendance for the accepted one and closes the other.
    let ids: Vec<(String, String)> = referrals::table
        .select((referrals::id, referrals::status))
        .load(&mut s.app.conn())
        .unwrap();
    let accepted = &ids.iter().find(|(_, st)| st == "accepted").unwrap().0;
    let more = &ids.iter().find(|(_, st)| st == "more-information").unwrap().0;
    let page = format!("/episodes/{}", s.episode);
    let field = format!("attended-{accepted}");
    let res = s
        .app
        .submit(
            &page,
            &format!("/referrals/{accepted}/attendance"),
            &[(field.as_str(), "attended")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = s.app.submit(&page, &format!("/referrals/{more}/close"), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, episode) = s.app.page(&page).await;
    assert!(episode.contains("First appointment attended") && episode.contains("Closed"));
    assert_eq!(
        s.app
            .submit(&page, &format!("/referrals/{more}/close"), &[])
            .await
            .status(),
        StatusCode::CONFLICT
    );
}

both_databases!(
    answer_links_expire,
    guessing_answer_links_is_refused_and_the_name_shown_only_by_choice
);

async fn guessing_answer_links_is_refused_and_the_name_shown_only_by_choice(db: Db) {
    let server = SmtpServer::start();
    let url = server.url();
    let app = TestApp::spawn_with(db, move |c| {
        c.smtp_url = Some(url);
        c.run_outbox_worker = false;
        c.public_url = Some("https://liaison.example".into());
        c.answer_links_show_name = true;
    })
    .await;
    let s = setup_on(app, server).await;
    send_referral(&s).await;
    s.app.outbox_pass();
    let messages = s.server.wait_for_messages(2, WAIT);
    let letter_link = answer_link(by_recipient(&messages, "nhs.net"));
    let partner = s.app.another_client();
    let (_, page) = partner.page(&letter_link).await;
    assert!(page.contains("Jo Bloggs, born 1 Jun 1990"), "the deployment opted in");
    for n in 0..10 {
        assert_eq!(
            partner.page(&format!("/answer/guess-{n}")).await.0,
            StatusCode::NOT_FOUND
        );
    }
    let (status, refused) = partner.page(&letter_link).await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "even a good link, from a guessing address"
    );
    assert!(refused.contains("Too many links that do not work") && !refused.contains("Bloggs"));
    assert!(
        s.app
            .audit_rows("answer-link")
            .iter()
            .any(|r| r.detail.as_deref() == Some("refused: too many links that do not work"))
    );
}

async fn answer_links_expire(db: Db) {
    let s = setup(db).await;
    send_referral(&s).await;
    s.app.outbox_pass();
    let messages = s.server.wait_for_messages(2, WAIT);
    let link = answer_link(by_recipient(&messages, "nhs.net"));
    s.app.clock.advance_minutes(15 * 24 * 60);
    let (status, expired) = s.app.another_client().page(&link).await;
    assert_eq!(status, StatusCode::GONE);
    assert!(expired.contains("This link has expired"));
}

async fn unanswered_referrals_are_chased(db: Db) {
    let s = setup(db).await;
    send_referral(&s).await;
    s.app.outbox_pass();
    s.server.wait_for_messages(2, WAIT);
    s.app.clock.advance_minutes(24 * 60);
    s.app.outbox_pass();
    assert_eq!(s.server.messages().len(), 2, "not chased after one day");
    s.app.clock.advance_minutes(6 * 24 * 60);
    s.app.outbox_pass();
    s.app.outbox_pass();
    let messages = s.server.wait_for_messages(4, WAIT);
    let reminders: Vec<_> = messages
        .iter()
        .filter(|m| m.subject().unwrap().starts_with("Reminder: Referral"))
        .collect();
    assert_eq!(reminders.len(), 2);
    let counts: Vec<i32> = referrals::table
        .select(referrals::chase_count)
        .load(&mut s.app.conn())
        .unwrap();
    assert!(counts.iter().all(|c| *c == 1));
    // One click chases again at once (signing in again: days have passed).
    s.app.sign_in_ok("pat").await;
    let id: String = referrals::table.select(referrals::id).first(&mut s.app.conn()).unwrap();
    let res = s
        .app
        .submit(
            &format!("/episodes/{}", s.episode),
            &format!("/referrals/{id}/chase"),
            &[],
        )
        .await;
    assert_eq!(location(&res), format!("/episodes/{}#referrals", s.episode));
    s.app.outbox_pass();
    s.server.wait_for_messages(5, WAIT);
    let (_, list) = s.app.page("/referrals").await;
    assert!(list.contains("BLOGGS, Jo") && list.contains("Overdue"));
    let (_, site_list) = s.app.page(&format!("/sites/{}/list", s.site)).await;
    assert!(site_list.contains("Referral overdue"), "flagged on the site list");
    let (_, person_page) = s.app.page(&format!("/people/{}", s.person)).await;
    assert!(person_page.contains("Referral overdue"), "and on the person page");
}

/// A referral or outbox status the code does not know is an error with a reference on the
/// page that reads it, never shown as some other status.
async fn an_unknown_stored_status_fails_loudly(db: Db) {
    let s = setup(db).await;
    send_referral(&s).await;
    let page = format!("/episodes/{}", s.episode);
    let (status, html) = s.app.page(&page).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Queued to send"));

    diesel::sql_query("UPDATE referrals SET status = 'answered'")
        .execute(&mut s.app.conn())
        .unwrap();
    let (status, html) = s.app.page(&page).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(html.contains("tell the service desk this reference"), "{html}");
    assert!(!html.contains("Queued to send") && !html.contains("answered"));
    assert!(
        !html.contains("UnknownCode") && !html.contains("referral status"),
        "no internals"
    );

    s.app.add_user("admin", Role::Administrator, &[]);
    let admin = s.app.another_client();
    admin.sign_in_ok("admin").await;
    let (status, _) = admin.page("/admin/outbox").await;
    assert_eq!(status, StatusCode::OK);
    diesel::sql_query("UPDATE outbox SET status = 'delivered'")
        .execute(&mut s.app.conn())
        .unwrap();
    let (status, html) = admin.page("/admin/outbox").await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(html.contains("tell the service desk this reference"), "{html}");
    assert!(!html.contains("delivered") && !html.contains("outbox status"));
}
