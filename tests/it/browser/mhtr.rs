//! The MHTR pathway in the browser, JavaScript on and off: a woman referred by the court L&D
//! team is accepted into MHTR, screened, assessed, consents, has a pathway agreed with
//! secondary care and the consultant clinical psychologist, her signed-off report reaches
//! probation by email, the court makes an MHTR, and her treatment is recorded to completion;
//! the pseudonymised evaluation extract then holds her case. axe checks every page.

use std::time::Duration;

use chrono::{Datelike, NaiveDate};
use fantoccini::Locator;
use liaison::domain::Role;
use liaison::domain::local_time;
use liaison::domain::mhtr::ASSESSMENT_SECTIONS;

use super::{Browser, browser_available, sign_in, wait_for};
use crate::harness::{Db, TestApp};
use crate::smtp_server::SmtpServer;

with_and_without_javascript!(a_woman_referred_by_ld_goes_from_intake_to_completed_treatment);

const LD_TEAM: &str = "Brent L&D";
const MHTR_TEAM: &str = "London Women's MHTR";
const COURT: &str = "Westminster Magistrates' Court";
const PROBATION: &str = "probation@cjsm.net";
const RECOMMENDATION: &str = "We recommend a 12 month MHTR with the Islington CMHT, edited in the browser.";

/// Clicks `css` and waits until the page it was on has been replaced, so the next look is
/// at the new page (the same in both modes: every form is an ordinary form).
async fn go(b: &Browser, css: &str) {
    let old = b.client.find(Locator::Css("html")).await.unwrap();
    assert_eq!(
        old.tag_name().await.unwrap(),
        "html",
        "the page before the click is readable"
    );
    b.click(css).await;
    wait_for(&format!("a new page after clicking {css}"), || async {
        old.tag_name().await.is_err().then_some(())
    })
    .await;
}

/// Submits the main form of the page.
async fn submit(b: &Browser) {
    go(b, "main form button[type=submit]").await;
}

async fn choose(b: &Browser, name: &str, value: &str) {
    b.click(&format!("input[name='{name}'][value='{value}']")).await;
}

async fn select(b: &Browser, id: &str, value: &str) {
    b.client
        .find(Locator::Id(id))
        .await
        .unwrap()
        .select_by_value(value)
        .await
        .unwrap();
}

async fn fill_date(b: &Browser, prefix: &str, date: NaiveDate) {
    b.fill(&format!("{prefix}-day"), &date.day().to_string()).await;
    b.fill(&format!("{prefix}-month"), &date.month().to_string()).await;
    b.fill(&format!("{prefix}-year"), &date.year().to_string()).await;
}

/// The path of the page the browser is on.
async fn current_path(b: &Browser) -> String {
    b.client.current_url().await.unwrap().path().to_string()
}

async fn sign_out(b: &Browser) {
    b.click(".app-header__account button").await;
    b.wait_text("You have signed out.").await;
}

struct Journey {
    app: TestApp,
    server: SmtpServer,
    b: Browser,
    episode: String,
    cmht: String,
    today: NaiveDate,
}

async fn a_woman_referred_by_ld_goes_from_intake_to_completed_treatment(javascript: bool) {
    if !browser_available() {
        return;
    }
    let server = SmtpServer::start();
    let url = server.url();
    let app = TestApp::spawn_with(Db::Sqlite, move |c| {
        c.smtp_url = Some(url);
        c.run_outbox_worker = true;
    })
    .await;
    let pat = app.add_user("pat", Role::Practitioner, &[LD_TEAM]);
    app.add_user("maya", Role::Practitioner, &[MHTR_TEAM]);
    app.add_user("priya", Role::ConsultantPsychologist, &[MHTR_TEAM]);
    let site = app.add_court(LD_TEAM, COURT);
    let person = app.add_person("Nadia", "Okafor", "1990-06-01", &pat);
    let episode = app.add_episode(&person, &site, &pat, 30, false);
    let cmht = app.add_service(
        "Camden and Islington NHS",
        "Islington CMHT",
        "cmht",
        &["islington.cmht@nhs.net"],
    );
    app.add_service("Highbury Probation", "Court team", "probation", &[PROBATION]);
    let today = local_time::local_date(app.state.now());
    let j = Journey {
        b: Browser::launch(javascript).await,
        app,
        server,
        episode,
        cmht,
        today,
    };

    j.refer_from_ld().await;
    let case = j.accept_at_intake().await;
    j.screen_and_assess(&case).await;
    j.consent_and_negotiate(&case).await;
    j.report_signed_off_and_sent(&case).await;
    j.court_and_treatment(&case).await;
    j.extract_holds_her_case().await;
    j.b.client.clone().close().await.unwrap();
}

impl Journey {
    fn url(&self, path: &str) -> String {
        self.app.url(path)
    }

    /// The L&D practitioner refers her from her court episode.
    async fn refer_from_ld(&self) {
        let b = &self.b;
        sign_in(b, &self.app, "pat").await;
        let ep = &self.episode;
        b.goto(&self.url(&format!("/episodes/{ep}"))).await;
        go(b, &format!("a[href='/episodes/{ep}/mhtr-referral']")).await;
        b.wait_text("The referral goes straight to the MHTR team's intake list")
            .await;
        b.assert_accessible("refer to the MHTR service").await;
        submit(b).await;
        b.wait_title("Error: Refer to the MHTR service – Liaison").await;
        b.wait_text("Enter the reason for referral").await;
        b.assert_accessible("refer to the MHTR service with errors").await;
        b.fill("reason", "Low mood and anxiety; an MHTR may suit her").await;
        fill_date(b, "hearing", self.today + chrono::Duration::days(10)).await;
        b.click("#agrees-0").await;
        submit(b).await;
        assert_eq!(current_path(b).await, format!("/episodes/{ep}"));
        b.wait_text(&format!("Referred to {MHTR_TEAM} (MHTR) for intake")).await;
        sign_out(b).await;
    }

    /// The MHTR practitioner accepts the referral from intake; returns the case page's path.
    async fn accept_at_intake(&self) -> String {
        let b = &self.b;
        sign_in(b, &self.app, "maya").await;
        b.goto(&self.url("/mhtr/intake")).await;
        let text = b.wait_text("OKAFOR, Nadia").await;
        assert!(text.contains(COURT) && text.contains("10 days"), "{text}");
        b.assert_accessible("MHTR intake").await;
        go(b, "main table a[href^='/mhtr/intake/']").await;
        b.wait_text("Do you accept this referral?").await;
        b.assert_accessible("intake decision").await;
        choose(b, "decision", "accept").await;
        choose(b, "deadline_kind", "five-working-days").await;
        submit(b).await;
        let case = current_path(b).await;
        assert!(case.starts_with("/mhtr/cases/"), "{case}");
        let text = b.wait_text("Record the eligibility screen").await;
        assert!(text.contains("Within 5 working days"), "{text}");
        b.assert_accessible("case page at eligibility").await;
        case
    }

    async fn screen_and_assess(&self, case: &str) {
        let b = &self.b;
        go(b, &format!("a.app-button[href='{case}/eligibility']")).await;
        b.wait_text("Is she within the service's scope?").await;
        b.assert_accessible("eligibility screen").await;
        for (name, value) in [
            ("identifies_as_woman", "yes"),
            ("plea", "guilty"),
            ("offence_in_range", "yes"),
            ("gp", "registered"),
        ] {
            choose(b, name, value).await;
        }
        submit(b).await;
        assert_eq!(current_path(b).await, case);
        b.wait_text("Record the suitability assessment").await;

        go(b, &format!("a.app-button[href='{case}/assessment']")).await;
        b.wait_text("0 of 7 sections completed").await;
        b.assert_accessible("assessment task list").await;
        for (i, section) in ASSESSMENT_SECTIONS.iter().enumerate() {
            go(b, &format!("a[href='{case}/assessment/{}']", section.code)).await;
            b.wait_text("Is this section finished?").await;
            let fields = b.client.find_all(Locator::Css("main form textarea")).await.unwrap();
            assert_eq!(fields.len(), section.fields.len(), "{}", section.code);
            for (n, area) in fields.iter().enumerate() {
                area.clear().await.unwrap();
                // The first section is first sent with its last answer missing.
                if i > 0 || n + 1 < fields.len() {
                    area.send_keys(&format!("Told us in interview ({})", section.code))
                        .await
                        .unwrap();
                }
            }
            b.click("#complete-0").await;
            if i == 0 {
                b.assert_accessible("assessment section").await;
                submit(b).await;
                b.wait_text("There is a problem").await;
                b.assert_accessible("assessment section with errors").await;
                let last = section.fields.last().unwrap().0;
                b.fill(last, "GP only").await;
            }
            submit(b).await;
            b.wait_text(&format!("{} of 7 sections completed", i + 1)).await;
        }
        go(b, &format!("form[action='{case}/assessment/complete'] button")).await;
        assert_eq!(current_path(b).await, case);
        b.wait_text("Record consent and the proposed treatment").await;
        b.assert_accessible("case page at consent").await;
    }

    async fn consent_and_negotiate(&self, case: &str) {
        let b = &self.b;
        go(b, &format!("a.app-button[href='{case}/consent']")).await;
        b.wait_text("Proposed treatment").await;
        b.assert_accessible("consent").await;
        choose(b, "decision", "given").await;
        fill_date(b, "decided", self.today).await;
        b.fill("capacity_note", "Understood, retained and weighed the information")
            .await;
        b.fill("witness_name", "Sam Patel").await;
        b.fill("witness_role", "Probation officer").await;
        choose(b, "treatment_type", "secondary-care-coordination").await;
        b.fill("sessions", "12").await;
        b.fill("treating_team", "Islington CMHT").await;
        submit(b).await;
        assert_eq!(current_path(b).await, case);
        let text = b.wait_text("Record the secondary care negotiation").await;
        assert!(text.contains("Consent given") && text.contains("Sam Patel (Probation officer)"));

        go(b, &format!("a.app-button[href='{case}/negotiation']")).await;
        b.wait_text("Contacts with secondary care").await;
        b.assert_accessible("negotiation").await;
        select(b, "service_id", &self.cmht).await;
        b.fill("clinician", "Dr Ade Okoye").await;
        fill_date(b, "contacted", self.today).await;
        choose(b, "method", "phone").await;
        b.fill("agreed", "The CMHT will take her on for care coordination")
            .await;
        go(b, &format!("form[action='{case}/negotiation/contacts'] button")).await;
        b.wait_text("Dr Ade Okoye").await;

        // The psychologist records her own review; the practitioner then records the outcome.
        b.wait_text("the review is awaited").await;
        sign_out(b).await;
        sign_in(b, &self.app, "priya").await;
        b.goto(&self.url(&format!("{case}/negotiation"))).await;
        b.wait_text("Record your review").await;
        fill_date(b, "reviewed", self.today).await;
        choose(b, "review_decision", "supported").await;
        go(b, &format!("form[action='{case}/negotiation/review'] button")).await;
        b.wait_text("Supports the pathway").await;
        b.assert_accessible("negotiation with a contact and a review").await;
        sign_out(b).await;
        sign_in(b, &self.app, "maya").await;
        b.goto(&self.url(&format!("{case}/negotiation"))).await;
        b.wait_text("Supports the pathway").await;

        choose(b, "outcome", "pathway-agreed").await;
        go(b, &format!("form[action='{case}/negotiation/outcome'] button")).await;
        assert_eq!(current_path(b).await, case);
        let text = b.wait_text("Write, sign off and send the suitability report").await;
        assert!(text.contains("Pathway agreed"), "{text}");
        b.assert_accessible("case page at recommendation").await;
    }

    async fn report_signed_off_and_sent(&self, case: &str) {
        let b = &self.b;
        go(b, &format!("a.app-button[href='{case}/report']")).await;
        b.wait_text("Draft the report").await;
        b.assert_accessible("report before drafting").await;
        submit(b).await;
        let text = b.wait_text("Recommendation to the court").await;
        assert!(text.contains("Reason for referral: Low mood and anxiety"), "{text}");
        b.assert_accessible("draft report").await;

        go(b, &format!("a[href='{case}/report/sections/recommendation']")).await;
        b.wait_text("Section text").await;
        b.assert_accessible("report section").await;
        b.fill("body", RECOMMENDATION).await;
        submit(b).await;
        b.wait_text(RECOMMENDATION).await;
        // A practitioner is told she cannot sign off; the psychologist does.
        b.wait_text("Sign-off").await;
        assert!(
            b.client
                .find(Locator::Css(&format!("a[href='{case}/report/sign-off']")))
                .await
                .is_err(),
            "no sign-off link for a practitioner"
        );
        sign_out(b).await;

        sign_in(b, &self.app, "priya").await;
        b.goto(&self.url(&format!("{case}/report"))).await;
        go(b, &format!("a[href='{case}/report/sign-off']")).await;
        b.wait_text("Once signed off, the report is final").await;
        b.assert_accessible("report sign-off confirmation").await;
        submit(b).await;
        let text = b.wait_text("Send to probation").await;
        assert!(
            text.contains(RECOMMENDATION) && text.contains("Add an addendum"),
            "{text}"
        );
        b.assert_accessible("signed-off report").await;

        go(b, &format!("a[href='{case}/report/print']")).await;
        b.wait_text(RECOMMENDATION).await;
        b.assert_accessible("printable report").await;
        go(b, &format!("a[href='{case}/report']")).await;

        go(b, &format!("a[href='{case}/report/send']")).await;
        b.wait_text("Who should receive it?").await;
        b.assert_accessible("send the report").await;
        choose(b, "recipient", PROBATION).await;
        submit(b).await;
        assert_eq!(current_path(b).await, case);
        b.wait_text("Record the court outcome").await;
        b.assert_accessible("case page awaiting sentence").await;

        let sent = self.server.wait_for_messages(1, Duration::from_secs(15));
        assert_eq!(sent[0].rcpt_to, [PROBATION]);
        let subject = sent[0].subject().unwrap();
        assert!(
            subject.contains("MHTR suitability report") && !subject.contains("Nadia") && !subject.contains("Okafor"),
            "{subject}"
        );
        let body = sent[0].text_part().unwrap();
        assert!(body.contains(RECOMMENDATION) && body.contains("Nadia Okafor"), "{body}");
        sign_out(b).await;
    }

    async fn court_and_treatment(&self, case: &str) {
        let b = &self.b;
        sign_in(b, &self.app, "maya").await;
        b.goto(&self.url(case)).await;
        go(b, &format!("a.app-button[href='{case}/court']")).await;
        b.wait_text("What did the court decide?").await;
        b.assert_accessible("court outcome").await;
        fill_date(b, "heard", self.today).await;
        choose(b, "outcome", "mhtr-made").await;
        choose(b, "order_type", "community-order").await;
        b.fill("requirement_months", "12").await;
        b.fill("responsible_officer", "Sam Okoro").await;
        b.fill("responsible_officer_email", "sam.okoro@probation.cjsm.net")
            .await;
        b.fill("treating_practitioner", "Dr Ana Silva").await;
        submit(b).await;
        assert_eq!(current_path(b).await, case);
        let text = b.wait_text("Record treatment").await;
        assert!(text.contains("In treatment") && text.contains("Sam Okoro"), "{text}");
        b.assert_accessible("case page in treatment").await;

        go(b, &format!("a.app-button[href='{case}/treatment']")).await;
        b.wait_text("Plan a session").await;
        b.assert_accessible("treatment").await;
        fill_date(b, "planned", self.today).await;
        go(b, &format!("form[action='{case}/treatment/sessions'] button")).await;
        b.wait_text("0 of 1 session attended").await;
        go(b, "main table a[href*='/treatment/sessions/']").await;
        b.wait_text("Did the session take place?").await;
        b.assert_accessible("session attendance").await;
        choose(b, "attendance", "attended").await;
        submit(b).await;
        b.wait_text("1 of 1 session attended (12 proposed)").await;

        for (phase, score) in [("start", "30"), ("end", "12")] {
            choose(b, "measure", "core-10").await;
            choose(b, "phase", phase).await;
            b.fill("score", score).await;
            fill_date(b, "taken", self.today).await;
            go(b, &format!("form[action='{case}/treatment/measures'] button")).await;
            b.wait_text(&format!("{score} on ")).await;
        }
        let text = b.wait_text("-18").await;
        assert!(text.contains("CORE-10"), "{text}");
        b.assert_accessible("treatment with sessions and measures").await;

        go(b, &format!("a[href='{case}/treatment/complete']")).await;
        b.wait_text("How did treatment end?").await;
        b.assert_accessible("complete treatment").await;
        choose(b, "outcome", "completed-all-sessions").await;
        submit(b).await;
        assert_eq!(current_path(b).await, case);
        let text = b.wait_text("Completed all planned sessions").await;
        assert!(text.contains("Completed"), "{text}");
        b.assert_accessible("completed case page").await;

        b.goto(&self.url("/mhtr/extract")).await;
        b.wait_text("Download the pseudonymised file").await;
        b.assert_accessible("evaluation extract").await;
    }

    /// The pseudonymised extract, taken with the app's own client: her row, no name.
    async fn extract_holds_her_case(&self) {
        self.app.sign_in_ok("maya").await;
        let (status, csv) = self.app.page("/mhtr/extract.csv?pseudonymised=yes").await;
        assert_eq!(status, reqwest::StatusCode::OK);
        for identifier in ["Nadia", "Okafor", "1990-06-01"] {
            assert!(!csv.contains(identifier), "{identifier} in {csv}");
        }
        let rows: Vec<Vec<String>> = csv
            .split_terminator("\r\n")
            .map(|line| line.trim_matches('"').split("\",\"").map(str::to_string).collect())
            .collect();
        assert_eq!(rows.len(), 2, "one case: {csv}");
        let value = |column: &str| {
            let at = rows[0]
                .iter()
                .position(|h| h == column)
                .unwrap_or_else(|| panic!("{column}"));
            rows[1][at].clone()
        };
        let today = self.today.format("%Y-%m-%d").to_string();
        for stage in [
            "reached_eligibility_on",
            "reached_assessment_on",
            "reached_consent_on",
            "reached_negotiation_on",
            "reached_recommendation_on",
            "reached_awaiting_sentence_on",
            "reached_treatment_on",
            "reached_completed_on",
        ] {
            assert_eq!(value(stage), today, "{stage}");
        }
        for (column, expected) in [
            ("referral_source", "court-ld"),
            ("status", "completed"),
            ("eligibility_outcome", "eligible"),
            ("negotiation_outcome", "pathway-agreed"),
            ("treatment_type", "secondary-care-coordination"),
            ("sessions_planned", "12"),
            ("sessions_attended", "1"),
            ("core_10_start", "30"),
            ("core_10_end", "12"),
            ("court_outcome", "mhtr-made"),
            ("order_type", "community-order"),
            ("completion_outcome", "completed-all-sessions"),
        ] {
            assert_eq!(value(column), expected, "{column}");
        }
        assert!(!value("pseudonym").is_empty());
    }
}
