//! Where a reopened episode resumes, and the close form's checks.

use super::*;

fn closed(screened: bool, assessed: bool) -> Episode {
    Episode {
        id: "e".into(),
        person_id: "p".into(),
        site_id: "s".into(),
        team_id: "t".into(),
        status: EpisodeStatus::Closed,
        youth: false,
        alert_at: 0,
        reference: None,
        offence: None,
        arrest_or_listing_at: None,
        referral_source: "E1".into(),
        concern: "c".into(),
        voluntary_attendance: false,
        location: None,
        allocated_to: None,
        urgent: false,
        risk_to_self: false,
        risk_to_others: false,
        risk_from_others: false,
        safeguarding: false,
        screening_started_at: screened.then_some(1),
        screened_at: screened.then_some(2),
        assessment_started_at: assessed.then_some(3),
        assessed_at: assessed.then_some(4),
        closed_at: Some(5),
        closure_outcome: Some("declined".into()),
        closure_note: None,
        created_by: "u".into(),
        created_at: 0,
        updated_at: 0,
        cj_stage: Some("pre-charge".into()),
        not_seen_reason: None,
    }
}

#[test]
fn reopening_resumes_at_the_furthest_resting_stage() {
    let full = Some(screening::FULL_ASSESSMENT_NEEDED);
    assert_eq!(resume_status(&closed(false, false), None), EpisodeStatus::Waiting);
    assert_eq!(
        resume_status(&closed(true, false), Some("signposted")),
        EpisodeStatus::Screened
    );
    assert_eq!(
        resume_status(&closed(true, false), full),
        EpisodeStatus::AwaitingAssessment
    );
    assert_eq!(resume_status(&closed(true, true), full), EpisodeStatus::Assessed);
}

#[test]
fn other_needs_a_note() {
    let form = CloseForm {
        outcome: "other".into(),
        note: " ".into(),
        ..CloseForm::default()
    };
    assert!(form.validate(false).get("note").is_some());
    let form = CloseForm {
        outcome: "declined".into(),
        ..CloseForm::default()
    };
    assert!(form.validate(false).is_empty());
}

#[test]
fn an_unseen_person_needs_a_reason_from_the_list() {
    let mut form = CloseForm {
        outcome: "released-before-seen".into(),
        ..CloseForm::default()
    };
    assert_eq!(form.validate(true).get("not_seen_reason"), Some(NOT_SEEN_MISSING));
    form.not_seen_reason = "bored".into();
    assert_eq!(form.validate(true).get("not_seen_reason"), Some(NOT_SEEN_MISSING));
    form.not_seen_reason = "released-before-seen".into();
    assert!(form.validate(true).is_empty());
    assert_eq!(form.timeline_note(form.not_seen()), "Released before seen");
    let form = CloseForm {
        outcome: "other".into(),
        note: "No one on shift".into(),
        not_seen_reason: "no-cover".into(),
    };
    assert_eq!(
        form.timeline_note(form.not_seen()),
        "Other – No one on shift. Not seen: no cover or out of hours"
    );
    assert_eq!(form.timeline_note(None), "Other – No one on shift");
}
