use super::*;
use proptest::prelude::*;

/// Every concrete action, including a close for each exit reason.
fn every_action() -> Vec<Action> {
    let mut actions = vec![
        Action::Accept,
        Action::ConfirmEligible,
        Action::CompleteAssessment,
        Action::RecordConsent,
        Action::AgreePathway,
        Action::SendRecommendation,
        Action::Adjourn,
        Action::MhtrMade,
        Action::Complete,
    ];
    actions.extend(X::ALL.map(Action::Close));
    actions
}

/// Statuses before sentence, where the court can still adjourn.
const BEFORE_SENTENCE: [MhtrStatus; 7] = [
    S::Referred,
    S::Eligibility,
    S::Assessment,
    S::Consent,
    S::Negotiation,
    S::Recommendation,
    S::AwaitingSentence,
];

/// The rules as written in the brief, kept apart from the tables so each checks the other.
fn expected() -> Vec<(MhtrStatus, Action, MhtrStatus)> {
    let mut rules = vec![
        (S::Referred, Action::Accept, S::Eligibility),
        (S::Eligibility, Action::ConfirmEligible, S::Assessment),
        (S::Assessment, Action::CompleteAssessment, S::Consent),
        (S::Consent, Action::RecordConsent, S::Negotiation),
        (S::Negotiation, Action::AgreePathway, S::Recommendation),
        (S::Recommendation, Action::SendRecommendation, S::AwaitingSentence),
        (S::AwaitingSentence, Action::MhtrMade, S::Treatment),
        (S::Treatment, Action::Complete, S::Completed),
    ];
    for status in BEFORE_SENTENCE {
        rules.push((status, Action::Adjourn, status));
    }
    let exits: [(ExitReason, &[MhtrStatus]); 9] = [
        (X::DeclinedAtIntake, &[S::Referred]),
        (X::Ineligible, &BEFORE_SENTENCE[1..]),
        (X::SteppedToPrimaryCare, &BEFORE_SENTENCE[1..5]),
        (X::Signposted, &BEFORE_SENTENCE[1..5]),
        (X::ConsentDeclined, &BEFORE_SENTENCE[2..]),
        (X::PathwayNotAgreed, &[S::Negotiation]),
        (X::OtherSentence, &BEFORE_SENTENCE),
        (X::Revoked, &[S::Treatment]),
        (
            X::Other,
            &[
                S::Referred,
                S::Eligibility,
                S::Assessment,
                S::Consent,
                S::Negotiation,
                S::Recommendation,
                S::AwaitingSentence,
                S::Treatment,
            ],
        ),
    ];
    for (reason, statuses) in exits {
        for status in statuses {
            rules.push((*status, Action::Close(reason), S::Closed));
        }
    }
    rules
}

#[test]
fn every_allowed_transition_succeeds() {
    for (from, action, to) in expected() {
        assert_eq!(transition(from, action), Ok(to), "{from:?} + {action:?}");
    }
}

#[test]
fn exactly_the_listed_transitions_succeed() {
    let expected = expected();
    let mut successes = 0;
    for from in S::ALL {
        for action in every_action() {
            let want = expected
                .iter()
                .find(|(f, a, _)| *f == from && *a == action)
                .map(|(_, _, to)| *to);
            match (transition(from, action), want) {
                (Ok(to), Some(want)) => {
                    assert_eq!(to, want);
                    successes += 1;
                }
                (Err(e), None) => {
                    assert_eq!((e.from, e.action), (from, action.kind()));
                    assert!(!e.message().is_empty());
                }
                (got, want) => panic!("{from:?} + {action:?}: got {got:?}, want {want:?}"),
            }
        }
    }
    assert_eq!(successes, expected.len());
    assert_eq!(successes, 8 + 7 + 1 + 6 + 4 + 4 + 5 + 1 + 7 + 1 + 8);
}

#[test]
fn the_table_offers_exactly_the_kinds_and_exits_that_can_succeed() {
    let expected = expected();
    for from in S::ALL {
        for kind in ActionKind::ALL {
            let any_succeeds = expected.iter().any(|(f, a, _)| *f == from && a.kind() == kind);
            assert_eq!(allowed_target(from, kind).is_some(), any_succeeds, "{from:?} {kind:?}");
            assert_eq!(
                available_actions(from).contains(&kind),
                any_succeeds,
                "{from:?} {kind:?}"
            );
        }
        for reason in X::ALL {
            let closes = expected
                .iter()
                .any(|(f, a, _)| *f == from && *a == Action::Close(reason));
            assert_eq!(available_exits(from).contains(&reason), closes, "{from:?} {reason:?}");
        }
    }
}

#[test]
fn every_exit_reason_has_one_rule() {
    for reason in X::ALL {
        assert_eq!(EXITS.iter().filter(|(r, _, _)| *r == reason).count(), 1, "{reason:?}");
    }
    assert_eq!(EXITS.len(), X::ALL.len());
}

#[test]
fn open_cases_can_close_and_ended_cases_can_do_nothing() {
    for status in S::ALL {
        let actions = available_actions(status);
        assert_eq!(actions.contains(&A::Close), status.is_open(), "{status:?}");
        assert_eq!(
            available_exits(status).contains(&X::Other),
            status.is_open(),
            "{status:?}"
        );
        if !status.is_open() {
            assert!(actions.is_empty(), "{status:?}");
            assert!(available_exits(status).is_empty(), "{status:?}");
        }
    }
}

#[test]
fn the_pathway_runs_from_referral_to_completion_one_step_at_a_time() {
    let mut status = S::Referred;
    let mut walked = vec![status];
    while let Some(next) = next_step(status) {
        status = transition(status, action_for(next)).unwrap();
        walked.push(status);
    }
    assert_eq!(walked, S::ALL[..9].to_vec());
    assert_eq!(next_step(S::Closed), None);
}

fn action_for(kind: ActionKind) -> Action {
    every_action().into_iter().find(|a| a.kind() == kind).unwrap()
}

#[test]
fn adjournments_keep_the_case_where_it_is() {
    for status in BEFORE_SENTENCE {
        assert_eq!(transition(status, Action::Adjourn), Ok(status));
    }
    assert_eq!(
        transition(S::Treatment, Action::Adjourn).unwrap_err().message(),
        "The court has already sentenced, so there is no hearing to adjourn"
    );
}

#[test]
fn refusals_explain_themselves() {
    let message = |from, action| transition(from, action).unwrap_err().to_string();
    assert_eq!(
        message(S::Eligibility, Action::RecordConsent),
        "You cannot record consent when the case is at eligibility screening. \
         The next step is to record eligibility"
    );
    assert_eq!(
        message(S::Referred, Action::MhtrMade),
        "You cannot record an MHTR as made when the case is in intake. The next step is to accept the referral"
    );
    assert_eq!(
        message(S::Treatment, Action::SendRecommendation),
        "You cannot record the suitability report as sent when the case is in treatment. \
         The next step is to record treatment as completed"
    );
    assert_eq!(
        message(S::Closed, Action::Close(X::Other)),
        "This case is already closed"
    );
    assert_eq!(
        message(S::Closed, Action::Accept),
        "This case is closed, so you cannot accept the referral"
    );
    assert_eq!(
        message(S::Completed, Action::Complete),
        "Treatment is already recorded as completed"
    );
    assert_eq!(
        message(S::Completed, Action::Close(X::Revoked)),
        "This case is completed, so you cannot close the case"
    );
}

#[test]
fn exit_reasons_that_do_not_fit_the_stage_are_explained() {
    let message = |from, reason| transition(from, Action::Close(reason)).unwrap_err().to_string();
    assert_eq!(
        message(S::Consent, X::Revoked),
        "“Order revoked” does not apply when the case is at consent: it can be recorded only in treatment"
    );
    assert_eq!(
        message(S::Treatment, X::DeclinedAtIntake),
        "“Declined at intake” does not apply when the case is in treatment: it can be recorded only in intake"
    );
    assert_eq!(
        message(S::Treatment, X::OtherSentence),
        "“Court passed another sentence” does not apply when the case is in treatment: \
         it can be recorded only before sentence"
    );
    assert_eq!(
        message(S::Referred, X::PathwayNotAgreed),
        "“Secondary care pathway not agreed” does not apply when the case is in intake: \
         it can be recorded only at secondary care negotiation"
    );
    let refused = transition(S::Referred, Action::Close(X::ConsentDeclined)).unwrap_err();
    assert_eq!((refused.from, refused.action), (S::Referred, A::Close));
}

#[test]
fn statuses_round_trip_through_their_codes() {
    for status in S::ALL {
        assert_eq!(status.code().parse::<MhtrStatus>(), Ok(status));
        assert_eq!(status.to_string(), status.code());
        assert!(status.code().bytes().all(|b| b.is_ascii_lowercase() || b == b'-'));
        assert!(!status.label().is_empty());
    }
    assert_eq!(" awaiting-sentence ".parse::<MhtrStatus>(), Ok(S::AwaitingSentence));
    assert_eq!(
        "AwaitingSentence".parse::<MhtrStatus>(),
        Err(crate::domain::code::UnknownCode {
            kind: "MHTR status",
            value: "AwaitingSentence".to_string()
        })
    );
}

#[test]
fn exit_reasons_round_trip_and_match_their_code_list() {
    assert_eq!(EXIT_REASONS.len(), X::ALL.len());
    for (reason, (code, label)) in X::ALL.into_iter().zip(EXIT_REASONS) {
        assert_eq!((reason.code(), reason.label()), (*code, *label));
        assert_eq!(code.parse::<ExitReason>(), Ok(reason));
        assert_eq!(reason.to_string(), *code);
    }
    assert!("withdrawn".parse::<ExitReason>().is_err());
}

#[test]
fn only_completed_and_closed_have_ended() {
    let ended: Vec<_> = S::ALL.into_iter().filter(|s| !s.is_open()).collect();
    assert_eq!(ended, vec![S::Completed, S::Closed]);
    let before: Vec<_> = S::ALL.into_iter().filter(|s| s.is_before_sentence()).collect();
    assert_eq!(before, BEFORE_SENTENCE.to_vec());
}

#[test]
fn action_kinds_have_labels() {
    for kind in ActionKind::ALL {
        assert!(!kind.label().is_empty());
        assert!(!kind.infinitive().is_empty());
    }
}

fn any_action() -> impl Strategy<Value = Action> {
    prop::sample::select(every_action())
}

proptest! {
    #[test]
    fn any_sequence_of_actions_stays_on_the_table(actions in prop::collection::vec(any_action(), 0..60)) {
        let mut status = S::Referred;
        for action in actions {
            match transition(status, action) {
                Ok(next) => {
                    prop_assert!(status.is_open());
                    prop_assert_eq!(allowed_target(status, action.kind()), Some(next));
                    prop_assert_eq!(next == S::Closed, matches!(action, Action::Close(_)));
                    // The pathway only moves forward, or stays put on an adjournment.
                    prop_assert!(next > status || (next == status && action == Action::Adjourn));
                    status = next;
                }
                Err(e) => {
                    prop_assert_eq!(e.from, status);
                    prop_assert_eq!(e.action, action.kind());
                    prop_assert!(!e.message().is_empty());
                }
            }
        }
    }
}

#[test]
fn an_unknown_stored_case_status_is_an_error_not_closed() {
    for status in MhtrStatus::ALL {
        assert_eq!(MhtrStatus::try_from(status.code().to_string()), Ok(status));
    }
    assert!(MhtrStatus::try_from("sentenced".to_string()).is_err());
}

#[test]
fn a_case_reference_is_short_plain_and_dated() {
    let opened = chrono::NaiveDate::from_ymd_opt(2026, 3, 4).unwrap();
    assert_eq!(super::case_reference("3f2a9c1b-77aa-4e2b", opened), "MHTR-2026-3F2A9C");
}
