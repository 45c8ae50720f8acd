//! MHTR suitability: the assessment's sections and recording it, consent with the proposed
//! treatment, and the secondary care negotiation up to the suitability report.

use chrono::{Datelike, Duration, NaiveDate};
use liaison::domain::Role;
use liaison::domain::local_time;
use liaison::domain::mhtr::{ASSESSMENT_SECTIONS, MhtrStatus};
use reqwest::StatusCode;

use crate::both_databases;
use crate::harness::{Db, TestApp, csrf_token, location};

both_databases!(
    a_case_walks_from_assessment_to_recommendation,
    recording_an_incomplete_assessment_is_refused_and_nothing_moves,
    bad_consent_is_explained_and_nothing_is_saved,
    declining_or_withdrawing_consent_closes_the_case,
    a_pathway_is_agreed_only_after_a_contact_and_a_supporting_review,
    stepping_to_primary_care_closes_the_case,
    changes_out_of_step_are_refused,
    another_teams_practitioner_is_refused_and_audited,
    a_section_autosaves_as_a_draft_while_she_types,
);

const MHTR_TEAM: &str = "London Women's MHTR";

struct Setup {
    /// "maya" of the MHTR team, signed in.
    app: TestApp,
    maya_id: String,
    /// The team's consultant clinical psychologist (not signed in).
    priya_id: String,
    case_id: String,
}

async fn setup(db: Db, status: MhtrStatus) -> Setup {
    let app = TestApp::spawn(db).await;
    let maya_id = app.add_user("maya", Role::Practitioner, &[MHTR_TEAM]);
    let priya_id = app.add_user("priya", Role::ConsultantPsychologist, &[MHTR_TEAM]);
    let person = app.add_person("Jo", "Bloggs", "1990-06-01", &maya_id);
    let case_id = app.add_mhtr_case(MHTR_TEAM, &person, status, &maya_id);
    app.sign_in_ok("maya").await;
    Setup {
        app,
        maya_id,
        priya_id,
        case_id,
    }
}

impl Setup {
    fn path(&self, page: &str) -> String {
        format!("/mhtr/cases/{}/{page}", self.case_id)
    }

    fn status(&self) -> String {
        self.app.mhtr_case(&self.case_id).status.code().to_string()
    }

    /// Posts `fields` to the page at `page`, with the CSRF token from the case page.
    async fn post(&self, page: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let case_page = format!("/mhtr/cases/{}", self.case_id);
        self.app.submit(&case_page, &self.path(page), fields).await
    }

    async fn complete_section(&self, code: &str) -> reqwest::Response {
        let section = ASSESSMENT_SECTIONS.iter().find(|s| s.code == code).unwrap();
        let mut fields: Vec<(&str, &str)> = section
            .fields
            .iter()
            .map(|(f, _)| (*f, "Recorded in interview"))
            .collect();
        fields.push(("complete", "yes"));
        self.post(&format!("assessment/{code}"), &fields).await
    }

    async fn add_contact(&self, service_id: &str) -> reqwest::Response {
        let (d, m, y) = date_parts(today(&self.app));
        let fields = [
            ("service_id", service_id),
            ("clinician", "Dr Ade Okoye"),
            ("contacted-day", d.as_str()),
            ("contacted-month", m.as_str()),
            ("contacted-year", y.as_str()),
            ("method", "phone"),
            ("agreed", "The CMHT will take her on for care coordination"),
        ];
        self.post("negotiation/contacts", &fields).await
    }

    fn review_fields(&self, decision: &'static str) -> Vec<(&'static str, String)> {
        let (d, m, y) = date_parts(today(&self.app));
        vec![
            ("reviewed-day", d),
            ("reviewed-month", m),
            ("reviewed-year", y),
            ("review_decision", decision.into()),
            ("review_notes", String::new()),
        ]
    }

    /// Priya, the team's psychologist, records her own review.
    async fn add_review(&self, decision: &'static str) -> reqwest::Response {
        let priya = self.app.another_client();
        priya.sign_in_ok("priya").await;
        let fields = self.review_fields(decision);
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let case_page = format!("/mhtr/cases/{}", self.case_id);
        priya
            .submit(&case_page, &self.path("negotiation/review"), &fields)
            .await
    }
}

fn today(app: &TestApp) -> NaiveDate {
    local_time::local_date(app.state.now())
}

fn date_parts(d: NaiveDate) -> (String, String, String) {
    (d.day().to_string(), d.month().to_string(), d.year().to_string())
}

/// A form's fields as typed.
type Fields = Vec<(&'static str, String)>;

/// A complete consent form with `decision` dated `on`.
fn consent_fields(decision: &str, on: NaiveDate) -> Fields {
    let (d, m, y) = date_parts(on);
    vec![
        ("decision", decision.to_string()),
        ("decided-day", d),
        ("decided-month", m),
        ("decided-year", y),
        (
            "capacity_note",
            "Understood, retained and weighed the information".into(),
        ),
        ("witness_name", "Sam Patel".into()),
        ("witness_role", "Probation officer".into()),
        ("treatment_type", "secondary-care-coordination".into()),
        ("sessions", "12".into()),
        ("treating_team", "Islington CMHT".into()),
        ("note", String::new()),
    ]
}

fn with(fields: &Fields, changes: &[(&str, &str)]) -> Fields {
    fields
        .iter()
        .map(|(k, v)| {
            let changed = changes
                .iter()
                .find(|(name, _)| name == k)
                .map(|(_, value)| value.to_string());
            (*k, changed.unwrap_or_else(|| v.clone()))
        })
        .collect()
}

fn borrowed<'a>(fields: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

async fn a_case_walks_from_assessment_to_recommendation(db: Db) {
    let s = setup(db, MhtrStatus::Assessment).await;
    let cmht = s
        .app
        .add_service("Camden and Islington NHS", "Islington CMHT", "cmht", &[]);
    s.app.add_service("Brent Council", "Brent housing", "housing", &[]);

    // A draft first: in progress on the task list.
    let res = s.post("assessment/risks", &[("to-self", "Low")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), s.path("assessment"));
    let (status, html) = s.app.page(&s.path("assessment")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("In progress") && html.contains("Not started"));
    assert!(html.contains("0 of 7 sections completed"));

    for section in ASSESSMENT_SECTIONS {
        assert_eq!(s.complete_section(section.code).await.status(), StatusCode::SEE_OTHER);
    }
    let (_, html) = s.app.page(&s.path("assessment")).await;
    assert!(html.contains("7 of 7 sections completed"));
    assert!(!html.contains("In progress") && !html.contains("Not started"));
    let res = s.post("assessment/complete", &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(s.status(), "consent");

    // Consent given, with the proposed treatment.
    let (_, html) = s.app.page(&s.path("consent")).await;
    assert!(html.contains("Consent declined") && !html.contains("Consent withdrawn"));
    let fields = consent_fields("given", today(&s.app));
    let res = s.post("consent", &borrowed(&fields)).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let c = s.app.mhtr_case(&s.case_id);
    assert_eq!(c.status.code(), "negotiation");
    assert_eq!(c.treatment_type.as_deref(), Some("secondary-care-coordination"));
    assert_eq!(c.planned_sessions, Some(12));
    assert_eq!(c.treating_team.as_deref(), Some("Islington CMHT"));
    assert_eq!(s.app.count("mhtr_consents"), 1);

    // The negotiation offers the directory with CMHTs first, and the team's psychologist.
    let (status, html) = s.app.page(&s.path("negotiation")).await;
    assert_eq!(status, StatusCode::OK);
    let (cmht_at, housing_at) = (html.find("Islington CMHT</option>"), html.find("Brent housing"));
    assert!(cmht_at.unwrap() < housing_at.unwrap(), "CMHT first");
    assert!(html.contains("priya Test"));
    assert!(
        html.contains("the review is awaited")
            && html.contains("Only the consultant clinical psychologist records her review")
    );
    assert_eq!(s.add_contact(&cmht).await.status(), StatusCode::SEE_OTHER);
    // Maya cannot record a review in Priya's name; Priya records her own.
    let fields = s.review_fields("supported");
    let mut as_maya: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    as_maya.push(("reviewer_id", s.priya_id.as_str()));
    let res = s.post("negotiation/review", &as_maya).await;
    assert!(res.status().is_client_error(), "{}", res.status());
    assert_eq!(s.app.count("mhtr_psychology_reviews"), 0);
    // She records that the review is awaited instead, and says what for.
    let awaited = [("awaited_note", "The CMHT will take her on only after a risk review")];
    let res = s.post("negotiation/review-awaited", &awaited).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = s.app.page(&s.path("negotiation")).await;
    assert!(html.contains("Review asked for by") && html.contains("only after a risk review"));
    assert_eq!(s.app.count("mhtr_psychology_reviews"), 0, "a request is not a review");
    assert_eq!(s.add_review("supported").await.status(), StatusCode::SEE_OTHER);
    let (_, html) = s.app.page(&s.path("negotiation")).await;
    assert!(html.contains("Dr Ade Okoye") && html.contains("Supports the pathway"));
    assert!(
        html.contains("<th scope=\"col\">Recorded by</th>"),
        "who recorded each review and contact"
    );
    let res = s
        .post(
            "negotiation/outcome",
            &[("outcome", "pathway-agreed"), ("outcome_note", "")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let c = s.app.mhtr_case(&s.case_id);
    assert_eq!(c.status.code(), "recommendation");
    assert_eq!(c.negotiation_outcome.as_deref(), Some("pathway-agreed"));

    // The case page sums it up.
    let (_, html) = s.app.page(&format!("/mhtr/cases/{}", s.case_id)).await;
    for shown in [
        "7 of 7 sections completed",
        "Consent given",
        "Sam Patel (Probation officer)",
        "Care coordination – secondary care mental health team, 12 sessions, Islington CMHT",
        "1 contact",
        "Supports the pathway – priya Test",
        "Pathway agreed",
    ] {
        assert!(html.contains(shown), "{shown} on the case page");
    }
    let events = liaison::mhtr::case::events(&mut s.app.conn(), &s.case_id).unwrap();
    let moves: Vec<(&str, &str)> = events
        .iter()
        .map(|e| (e.from_status.as_str(), e.to_status.as_str()))
        .collect();
    assert_eq!(
        moves,
        [
            ("assessment", "consent"),
            ("consent", "negotiation"),
            ("negotiation", "recommendation")
        ]
    );
    let updates = s.app.audit_rows("update");
    assert!(updates.iter().any(|r| r.detail.as_deref() == Some("consent given")));
    assert!(
        s.app
            .audit_rows("view")
            .iter()
            .any(|r| r.detail.as_deref() == Some("MHTR secondary care negotiation"))
    );
}

async fn recording_an_incomplete_assessment_is_refused_and_nothing_moves(db: Db) {
    let s = setup(db, MhtrStatus::Assessment).await;
    assert_eq!(s.complete_section("risks").await.status(), StatusCode::SEE_OTHER);

    // Marking a section complete with a field blank names the field and saves nothing.
    let res = s
        .post(
            "assessment/motivation",
            &[("motivation", "Keen to start"), ("barriers", " "), ("complete", "yes")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("Enter barriers to attending"), "{html}");
    assert!(html.contains("Keen to start"), "answers kept");
    assert_eq!(s.app.count("mhtr_assessment_sections"), 1);

    let res = s.post("assessment/complete", &[]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("Complete the presenting needs section before recording the assessment"));
    assert!(!html.contains("Complete the risks section"));
    assert_eq!(s.status(), "assessment");
    assert_eq!(s.app.count("mhtr_case_events"), 0);
}

async fn bad_consent_is_explained_and_nothing_is_saved(db: Db) {
    let s = setup(db, MhtrStatus::Consent).await;
    let good = consent_fields("given", today(&s.app));
    let tomorrow = date_parts(today(&s.app) + Duration::days(1));
    let cases: Vec<(Fields, &str, &str)> = vec![
        (
            with(&good, &[("capacity_note", " "), ("witness_name", "")]),
            "Enter how her capacity to consent was assessed",
            "Enter the name of who witnessed her decision",
        ),
        (
            with(&good, &[("sessions", "0")]),
            "Number of sessions must be between 1 and 52",
            "Islington CMHT",
        ),
        (
            with(&good, &[("sessions", "abc"), ("witness_role", "")]),
            "Number of sessions must be a whole number, like 12",
            "Enter the role of who witnessed her decision",
        ),
        (
            with(
                &good,
                &[
                    ("decided-day", &tomorrow.0),
                    ("decided-month", &tomorrow.1),
                    ("decided-year", &tomorrow.2),
                ],
            ),
            "Date of her decision must be today or in the past",
            "Sam Patel",
        ),
    ];
    for (fields, message, also_shown) in cases {
        let res = s.post("consent", &borrowed(&fields)).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{message}");
        let html = res.text().await.unwrap();
        assert!(html.contains(message), "{message}");
        assert!(html.contains(also_shown), "{also_shown}");
    }
    assert_eq!(s.app.count("mhtr_consents"), 0);
    let c = s.app.mhtr_case(&s.case_id);
    assert_eq!(c.status.code(), "consent");
    assert!(c.treatment_type.is_none() && c.planned_sessions.is_none());
}

async fn declining_or_withdrawing_consent_closes_the_case(db: Db) {
    let s = setup(db, MhtrStatus::Consent).await;
    let fields = with(
        &consent_fields("declined", today(&s.app)),
        &[("sessions", ""), ("note", "Does not want treatment now")],
    );
    let res = s.post("consent", &borrowed(&fields)).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let c = s.app.mhtr_case(&s.case_id);
    assert_eq!(c.status.code(), "closed");
    assert_eq!(c.exit_reason.as_deref(), Some("consent-declined"));
    assert!(c.exit_note.unwrap().contains("Does not want treatment now"));
    assert!(c.treatment_type.is_none());
    assert_eq!(s.app.count("mhtr_consents"), 1);

    // At negotiation only withdrawal is offered; it closes the case too.
    let person = s.app.mhtr_case(&s.case_id).person_id;
    let later = s
        .app
        .add_mhtr_case(MHTR_TEAM, &person, MhtrStatus::Negotiation, &s.maya_id);
    let path = format!("/mhtr/cases/{later}/consent");
    let (_, html) = s.app.page(&path).await;
    assert!(html.contains("Consent withdrawn") && !html.contains("value=\"given\""));
    let given = consent_fields("given", today(&s.app));
    let res = s.app.submit(&path, &path, &borrowed(&given)).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let withdrawn = consent_fields("withdrawn", today(&s.app));
    let res = s.app.submit(&path, &path, &borrowed(&withdrawn)).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let c = s.app.mhtr_case(&later);
    assert_eq!(
        (c.status.code(), c.exit_reason.as_deref()),
        ("closed", Some("consent-declined"))
    );
}

async fn a_pathway_is_agreed_only_after_a_contact_and_a_supporting_review(db: Db) {
    let s = setup(db, MhtrStatus::Negotiation).await;
    let cmht = s
        .app
        .add_service("Camden and Islington NHS", "Islington CMHT", "cmht", &[]);
    let agree = [("outcome", "pathway-agreed"), ("outcome_note", "")];

    let res = s.post("negotiation/outcome", &agree).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Record at least one contact with a secondary care team")
    );

    assert_eq!(s.add_contact(&cmht).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(s.add_review("not-supported").await.status(), StatusCode::SEE_OTHER);
    let res = s.post("negotiation/outcome", &agree).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("latest review does not support the pathway")
    );
    let c = s.app.mhtr_case(&s.case_id);
    assert_eq!(c.status.code(), "negotiation");
    assert!(c.negotiation_outcome.is_none());

    // A bad contact is explained and not saved.
    let res = s
        .post("negotiation/contacts", &[("service_id", "nope"), ("agreed", "")])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("Select the secondary care team you contacted") && html.contains("Enter what was agreed"));
    assert_eq!(s.app.count("mhtr_negotiation_contacts"), 1);

    assert_eq!(s.add_review("supported").await.status(), StatusCode::SEE_OTHER);
    let res = s.post("negotiation/outcome", &agree).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(s.status(), "recommendation");
}

async fn stepping_to_primary_care_closes_the_case(db: Db) {
    let s = setup(db, MhtrStatus::Negotiation).await;
    let res = s
        .post(
            "negotiation/outcome",
            &[("outcome", "stepped-to-primary-care"), ("outcome_note", "")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Enter why the pathway was not agreed")
    );

    let note = "No secondary care team could offer treatment";
    let res = s
        .post(
            "negotiation/outcome",
            &[("outcome", "stepped-to-primary-care"), ("outcome_note", note)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let c = s.app.mhtr_case(&s.case_id);
    assert_eq!(c.status.code(), "closed");
    assert_eq!(c.exit_reason.as_deref(), Some("stepped-to-primary-care"));
    assert_eq!(c.negotiation_outcome.as_deref(), Some("stepped-to-primary-care"));
    assert!(c.exit_note.unwrap().contains(note));
}

async fn changes_out_of_step_are_refused(db: Db) {
    let s = setup(db, MhtrStatus::Consent).await;
    let cmht = s
        .app
        .add_service("Camden and Islington NHS", "Islington CMHT", "cmht", &[]);

    // The assessment is done: it can be read, not changed.
    assert_eq!(s.app.page(&s.path("assessment")).await.0, StatusCode::OK);
    assert_eq!(s.app.page(&s.path("assessment/risks")).await.0, StatusCode::OK);
    let res = s.complete_section("risks").await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("You cannot record the assessment when the case is at consent")
    );
    assert_eq!(s.post("assessment/complete", &[]).await.status(), StatusCode::CONFLICT);

    // Negotiation has not started.
    assert_eq!(s.app.page(&s.path("negotiation")).await.0, StatusCode::OK);
    assert_eq!(s.add_contact(&cmht).await.status(), StatusCode::CONFLICT);
    assert_eq!(s.add_review("supported").await.status(), StatusCode::CONFLICT);
    let res = s
        .post(
            "negotiation/outcome",
            &[("outcome", "signposted"), ("outcome_note", "x")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);

    // Consent before the assessment is recorded.
    let person = s.app.mhtr_case(&s.case_id).person_id;
    let early = s
        .app
        .add_mhtr_case(MHTR_TEAM, &person, MhtrStatus::Assessment, &s.maya_id);
    let path = format!("/mhtr/cases/{early}/consent");
    let res = s
        .app
        .submit(&path, &path, &borrowed(&consent_fields("given", today(&s.app))))
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("The next step is to record the assessment")
    );

    assert_eq!(s.app.count("mhtr_assessment_sections"), 0);
    assert_eq!(s.app.count("mhtr_negotiation_contacts"), 0);
    assert_eq!(s.app.count("mhtr_psychology_reviews"), 0);
    assert_eq!(s.app.count("mhtr_consents"), 0);
    assert_eq!(s.status(), "consent");
}

async fn another_teams_practitioner_is_refused_and_audited(db: Db) {
    let s = setup(db, MhtrStatus::Negotiation).await;
    s.app.add_user("nia", Role::Practitioner, &["Kent Women's MHTR"]);
    let nia = s.app.another_client();
    nia.sign_in_ok("nia").await;
    let denied = |action: &str| {
        s.app
            .audit_rows(action)
            .iter()
            .filter(|r| {
                r.outcome.code() == "denied"
                    && r.username.as_deref() == Some("nia")
                    && r.record_type.as_deref() == Some("mhtr-case")
                    && r.record_id.as_deref() == Some(s.case_id.as_str())
            })
            .count()
    };
    for page in ["assessment", "assessment/risks", "consent", "negotiation"] {
        assert_eq!(nia.page(&s.path(page)).await.0, StatusCode::FORBIDDEN, "{page}");
    }
    assert_eq!(denied("view"), 4);
    let posts = [
        ("assessment/risks", "update"),
        ("assessment/complete", "update"),
        ("consent", "update"),
        ("negotiation/contacts", "create"),
        ("negotiation/review", "create"),
        ("negotiation/outcome", "update"),
    ];
    for (page, _) in posts {
        let res = nia.submit("/", &s.path(page), &[("outcome", "signposted")]).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{page}");
    }
    assert_eq!(denied("update"), 4);
    assert_eq!(denied("create"), 2);
    assert_eq!(s.status(), "negotiation");
}

async fn a_section_autosaves_as_a_draft_while_she_types(db: Db) {
    let s = setup(db, MhtrStatus::Assessment).await;
    let page = s.path("assessment/risks");
    let (_, html) = s.app.page(&page).await;
    assert!(html.contains(&format!(
        r#"data-hx-post="/mhtr/cases/{}/assessment/risks/autosave""#,
        s.case_id
    )));
    let token = csrf_token(&html);
    let autosave = |fields: Vec<(&'static str, &'static str)>| {
        let mut form = vec![("csrf_token", token.clone())];
        form.extend(fields.into_iter().map(|(k, v)| (k, v.to_string())));
        let req = s
            .app
            .client
            .post(s.app.url(&format!("{page}/autosave")))
            .header("HX-Request", "true")
            .form(&form);
        async move {
            let res = req.send().await.unwrap();
            (res.status(), res.text().await.unwrap())
        }
    };
    let saved = || {
        s.app.count_where(
            "mhtr_assessment_sections",
            &format!(
                "case_id = '{}' AND section = 'risks' AND complete = {}",
                s.case_id, "false"
            ),
        )
    };
    let updates = || s.app.audit_rows("update").len();

    let (status, line) = autosave(vec![("to-self", "Low")]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(line.starts_with("Draft saved at "), "{line}");
    assert_eq!(saved(), 1, "a draft, never complete");
    let before = updates();
    let (_, again) = autosave(vec![("to-self", "Low")]).await;
    assert!(again.starts_with("Draft saved at "));
    assert_eq!(updates(), before, "the same answers write nothing");

    // Once complete, typing does not turn it back into a draft.
    assert_eq!(s.complete_section("risks").await.status(), StatusCode::SEE_OTHER);
    let (_, html) = s.app.page(&page).await;
    assert!(!html.contains("/autosave"), "no autosave on a completed section");
    let (_, line) = autosave(vec![("to-self", "High")]).await;
    assert_eq!(line, "");
    assert_eq!(saved(), 0, "still complete");
}
