use super::*;
use proptest::prelude::*;

#[test]
fn an_unknown_stored_status_is_an_error_not_waiting() {
    for status in EpisodeStatus::ALL {
        assert_eq!(EpisodeStatus::try_from(status.code().to_string()), Ok(status));
    }
    let err = EpisodeStatus::try_from("in_screening".to_string()).unwrap_err();
    assert_eq!(err.to_string(), "unknown episode status `in_screening`");
    assert!(EpisodeStatus::try_from("Waiting".to_string()).is_err());
}

/// Every concrete action, including each choice an action can carry.
fn every_action() -> Vec<Action> {
    let mut actions = vec![
        Action::StartScreening,
        Action::CompleteScreening { needs_assessment: true },
        Action::CompleteScreening {
            needs_assessment: false,
        },
        Action::StartAssessment,
        Action::CompleteAssessment,
        Action::Close,
    ];
    actions.extend(S::ALL.map(|resume_to| Action::Reopen { resume_to }));
    actions
}

/// The rules as written in the brief, kept apart from the table so each checks the other.
const EXPECTED: &[(EpisodeStatus, Action, EpisodeStatus)] = &[
    (S::Waiting, Action::StartScreening, S::InScreening),
    (
        S::InScreening,
        Action::CompleteScreening { needs_assessment: true },
        S::AwaitingAssessment,
    ),
    (
        S::InScreening,
        Action::CompleteScreening {
            needs_assessment: false,
        },
        S::Screened,
    ),
    (S::AwaitingAssessment, Action::StartAssessment, S::InAssessment),
    (S::Screened, Action::StartAssessment, S::InAssessment),
    (S::InAssessment, Action::CompleteAssessment, S::Assessed),
    (S::Waiting, Action::Close, S::Closed),
    (S::InScreening, Action::Close, S::Closed),
    (S::Screened, Action::Close, S::Closed),
    (S::AwaitingAssessment, Action::Close, S::Closed),
    (S::InAssessment, Action::Close, S::Closed),
    (S::Assessed, Action::Close, S::Closed),
    (S::Closed, Action::Reopen { resume_to: S::Waiting }, S::Waiting),
    (S::Closed, Action::Reopen { resume_to: S::Screened }, S::Screened),
    (
        S::Closed,
        Action::Reopen {
            resume_to: S::AwaitingAssessment,
        },
        S::AwaitingAssessment,
    ),
    (S::Closed, Action::Reopen { resume_to: S::Assessed }, S::Assessed),
];

#[test]
fn every_allowed_transition_succeeds() {
    for &(from, action, to) in EXPECTED {
        assert_eq!(transition(from, action), Ok(to), "{from:?} + {action:?}");
    }
}

#[test]
fn exactly_the_listed_transitions_succeed() {
    let mut successes = 0;
    for from in S::ALL {
        for action in every_action() {
            let expected = EXPECTED
                .iter()
                .find(|(f, a, _)| *f == from && *a == action)
                .map(|(_, _, to)| *to);
            match (transition(from, action), expected) {
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
    assert_eq!(successes, EXPECTED.len());
}

#[test]
fn the_table_offers_exactly_the_kinds_that_can_succeed() {
    for from in S::ALL {
        for kind in ActionKind::ALL {
            let any_succeeds = EXPECTED.iter().any(|(f, a, _)| *f == from && a.kind() == kind);
            assert_eq!(
                !allowed_targets(from, kind).is_empty(),
                any_succeeds,
                "{from:?} {kind:?}"
            );
        }
    }
}

#[test]
fn close_is_offered_from_every_open_status_and_reopen_only_when_closed() {
    for status in S::ALL {
        let actions = available_actions(status);
        assert_eq!(actions.contains(&A::Close), status.is_open(), "{status:?}");
        assert_eq!(actions.contains(&A::Reopen), !status.is_open(), "{status:?}");
    }
    assert_eq!(available_actions(S::Closed), vec![A::Reopen]);
}

#[test]
fn refusals_explain_themselves() {
    let closed = transition(
        S::Closed,
        Action::CompleteScreening {
            needs_assessment: false,
        },
    );
    assert_eq!(
        closed.unwrap_err().to_string(),
        "This episode is closed. Reopen it before recording a screening"
    );
    assert_eq!(
        transition(S::Closed, Action::Close).unwrap_err().message(),
        "This episode is already closed"
    );
    assert_eq!(
        transition(S::Assessed, Action::Reopen { resume_to: S::Waiting })
            .unwrap_err()
            .message(),
        "This episode is already open"
    );
    assert_eq!(
        transition(S::AwaitingAssessment, Action::StartScreening)
            .unwrap_err()
            .message(),
        "You cannot start a screening when the episode is awaiting assessment"
    );
    assert_eq!(
        transition(
            S::Closed,
            Action::Reopen {
                resume_to: S::InAssessment
            }
        )
        .unwrap_err()
        .message(),
        "Choose where the reopened episode should resume: waiting for screening, screened, \
         awaiting assessment or assessed"
    );
}

#[test]
fn statuses_round_trip_through_their_codes() {
    for status in S::ALL {
        assert_eq!(status.code().parse::<EpisodeStatus>(), Ok(status));
        assert_eq!(status.to_string(), status.code());
        assert!(status.code().bytes().all(|b| b.is_ascii_lowercase() || b == b'-'));
    }
    assert!("open".parse::<EpisodeStatus>().is_err());
}

#[test]
fn only_closed_is_not_open() {
    let closed: Vec<_> = S::ALL.into_iter().filter(|s| !s.is_open()).collect();
    assert_eq!(closed, vec![S::Closed]);
}

fn any_action() -> impl Strategy<Value = Action> {
    prop::sample::select(every_action())
}

proptest! {
    #[test]
    fn any_sequence_of_actions_stays_on_the_table(actions in prop::collection::vec(any_action(), 0..40)) {
        let mut status = S::Waiting;
        for action in actions {
            match transition(status, action) {
                Ok(next) => {
                    prop_assert!(allowed_targets(status, action.kind()).contains(&next));
                    prop_assert_eq!(status == S::Closed, action.kind() == A::Reopen);
                    status = next;
                }
                Err(e) => prop_assert_eq!(e.from, status),
            }
        }
    }
}
