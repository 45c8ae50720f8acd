//! Every MHTR page in every state the demo holds, JavaScript on and off: each answers 200 to
//! the team and axe finds no violation. The journey test walks one case; this one sees the
//! pages it does not reach (outside referrals, closing, adjournments, sent and completed
//! cases, the printed report).

use diesel::prelude::*;
use liaison::db::schema::{mhtr_cases, mhtr_referrals};
use liaison::domain::Role;
use liaison::domain::mhtr::MhtrStatus as S;
use reqwest::StatusCode;

use super::{Browser, browser_available, sign_in};
use crate::harness::{Db, TestApp};

with_and_without_javascript!(every_mhtr_page_of_the_demo_is_accessible);

/// The pages of a case at `status`, under its address, besides the case page itself.
fn pages_at(status: S) -> &'static [&'static str] {
    match status {
        S::Referred | S::Closed => &[],
        S::Eligibility => &["/eligibility"],
        S::Assessment => &["/assessment", "/assessment/presenting-needs"],
        S::Consent => &["/consent"],
        S::Negotiation => &["/negotiation"],
        S::Recommendation => &["/report", "/report/sections/recommendation", "/report/sign-off"],
        S::AwaitingSentence => &["/report", "/report/send", "/court", "/close"],
        S::Treatment => &["/treatment", "/treatment/complete", "/court"],
        S::Completed => &["/treatment", "/report/print"],
    }
}

async fn every_mhtr_page_of_the_demo_is_accessible(javascript: bool) {
    if !browser_available() {
        return;
    }
    let app = TestApp::spawn(Db::Sqlite).await;
    liaison::demo::seed(&mut app.conn(), app.state.now()).unwrap();
    app.add_user("maya", Role::Practitioner, &[liaison::demo::MHTR_TEAM]);
    app.sign_in_ok("maya").await;
    let cases: Vec<(String, String, Option<String>)> = mhtr_cases::table
        .select((mhtr_cases::id, mhtr_cases::status, mhtr_cases::referrer_name))
        .load(&mut app.conn())
        .unwrap();
    let referral: String = mhtr_referrals::table
        .select(mhtr_referrals::id)
        .first(&mut app.conn())
        .unwrap();

    let mut paths = vec![
        "/mhtr/intake".to_string(),
        "/mhtr/referrals/new".to_string(),
        format!("/mhtr/intake/{referral}"),
        "/mhtr/extract".to_string(),
        "/mhtr/outreach".to_string(),
        "/mhtr/outreach/new".to_string(),
    ];
    for (id, status, referrer) in &cases {
        let status: S = status.parse().unwrap();
        let base = format!("/mhtr/cases/{id}");
        if status == S::Referred && referrer.is_some() {
            paths.push(format!("/mhtr/intake/cases/{id}"));
        }
        paths.push(base.clone());
        paths.extend(pages_at(status).iter().map(|p| format!("{base}{p}")));
    }

    let b = Browser::launch(javascript).await;
    sign_in(&b, &app, "maya").await;
    for path in &paths {
        assert_eq!(app.page(path).await.0, StatusCode::OK, "{path}");
        b.goto(&app.url(path)).await;
        b.assert_accessible(path).await;
    }
    // A form sent back with its errors.
    b.goto(&app.url("/mhtr/referrals/new")).await;
    b.click("main form button[type=submit]").await;
    b.wait_text("There is a problem").await;
    b.assert_accessible("outside referral with errors").await;
}
