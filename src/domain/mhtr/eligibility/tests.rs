//! The eligibility rules, answer by answer.

use super::*;
use proptest::prelude::*;

fn eligible() -> EligibilityAnswers {
    EligibilityAnswers {
        age_years: Some(34),
        identifies_as_woman: Some(true),
        plea: Plea::Guilty,
        offence_in_community_range: Some(true),
        gp: GpStatus::Registered,
    }
}

fn reasons(a: EligibilityAnswers) -> Vec<&'static str> {
    match assess(&a) {
        Eligibility::Ineligible(reasons) => reasons,
        other => panic!("expected ineligible, got {other:?}"),
    }
}

#[test]
fn a_convicted_adult_woman_in_range_with_a_gp_is_eligible() {
    assert_eq!(assess(&eligible()), Eligibility::Eligible);
    let found_guilty_willing = EligibilityAnswers {
        plea: Plea::FoundGuilty,
        gp: GpStatus::WillingToRegister,
        age_years: Some(18),
        ..eligible()
    };
    assert_eq!(assess(&found_guilty_willing), Eligibility::Eligible);
    assert_eq!(Eligibility::Eligible.outcome_code(), Some("eligible"));
}

#[test]
fn each_rule_gives_its_own_reason() {
    let cases = [
        (
            EligibilityAnswers {
                age_years: Some(17),
                ..eligible()
            },
            UNDER_18,
        ),
        (
            EligibilityAnswers {
                identifies_as_woman: Some(false),
                ..eligible()
            },
            OUT_OF_SCOPE,
        ),
        (
            EligibilityAnswers {
                plea: Plea::NotGuilty,
                ..eligible()
            },
            NOT_CONVICTED,
        ),
        (
            EligibilityAnswers {
                plea: Plea::NotYetEntered,
                ..eligible()
            },
            NOT_CONVICTED,
        ),
        (
            EligibilityAnswers {
                offence_in_community_range: Some(false),
                ..eligible()
            },
            OUT_OF_RANGE,
        ),
        (
            EligibilityAnswers {
                gp: GpStatus::Unwilling,
                ..eligible()
            },
            NO_GP,
        ),
    ];
    for (answers, reason) in cases {
        assert_eq!(reasons(answers), vec![reason], "{answers:?}");
    }
}

#[test]
fn the_reasons_read_as_written_in_the_brief() {
    assert_eq!(UNDER_18, "Under 18: the MHTR service is for adults");
    assert_eq!(
        OUT_OF_SCOPE,
        "Outside the service's scope: the London Women's MHTR is for people who identify as women, \
         including trans women and non-binary people assigned female at birth"
    );
    assert_eq!(
        NO_GP,
        "Not registered with a GP and not willing to register (primary care MHTR)"
    );
}

#[test]
fn every_failed_rule_is_listed_in_screen_order() {
    let none_pass = EligibilityAnswers {
        age_years: Some(16),
        identifies_as_woman: Some(false),
        plea: Plea::NotGuilty,
        offence_in_community_range: Some(false),
        gp: GpStatus::Unwilling,
    };
    assert_eq!(
        reasons(none_pass),
        vec![UNDER_18, OUT_OF_SCOPE, NOT_CONVICTED, OUT_OF_RANGE, NO_GP]
    );
    assert_eq!(assess(&none_pass).outcome_code(), Some("ineligible"));
}

#[test]
fn missing_answers_are_asked_for() {
    let unknown = EligibilityAnswers {
        age_years: None,
        identifies_as_woman: None,
        plea: Plea::Guilty,
        offence_in_community_range: None,
        gp: GpStatus::Unknown,
    };
    let result = assess(&unknown);
    assert_eq!(
        result,
        Eligibility::NeedsAnswers(vec![ENTER_AGE, SELECT_SCOPE, SELECT_RANGE, SELECT_GP])
    );
    assert_eq!(result.outcome_code(), None);
    let only_gp = EligibilityAnswers {
        gp: GpStatus::Unknown,
        ..eligible()
    };
    assert_eq!(assess(&only_gp), Eligibility::NeedsAnswers(vec![SELECT_GP]));
}

#[test]
fn a_definite_no_wins_over_missing_answers() {
    let young_unknowns = EligibilityAnswers {
        age_years: Some(17),
        identifies_as_woman: None,
        gp: GpStatus::Unknown,
        ..eligible()
    };
    assert_eq!(reasons(young_unknowns), vec![UNDER_18]);
}

#[test]
fn the_age_boundary_is_the_18th_birthday() {
    for (age, adult) in [(0, false), (17, false), (18, true), (19, true), (99, true)] {
        let result = assess(&EligibilityAnswers {
            age_years: Some(age),
            ..eligible()
        });
        assert_eq!(result == Eligibility::Eligible, adult, "age {age}");
    }
}

#[test]
fn pleas_and_gp_statuses_round_trip_and_match_their_code_lists() {
    for (plea, (code, label)) in Plea::ALL.into_iter().zip(PLEAS) {
        assert_eq!((plea.code(), plea.label()), (*code, *label));
        assert_eq!(code.parse::<Plea>(), Ok(plea));
        assert_eq!(plea.to_string(), *code);
    }
    for (gp, (code, label)) in GpStatus::ALL.into_iter().zip(GP_STATUSES) {
        assert_eq!((gp.code(), gp.label()), (*code, *label));
        assert_eq!(code.parse::<GpStatus>(), Ok(gp));
    }
    assert_eq!((PLEAS.len(), GP_STATUSES.len()), (4, 4));
    assert_eq!("Guilty".parse::<Plea>(), Err("unknown plea `Guilty`".to_string()));
    assert!("yes".parse::<GpStatus>().is_err());
}

fn any_answers() -> impl Strategy<Value = EligibilityAnswers> {
    (
        prop::option::of(0u32..120),
        prop::option::of(any::<bool>()),
        prop::sample::select(Plea::ALL.to_vec()),
        prop::option::of(any::<bool>()),
        prop::sample::select(GpStatus::ALL.to_vec()),
    )
        .prop_map(
            |(age_years, identifies_as_woman, plea, offence_in_community_range, gp)| EligibilityAnswers {
                age_years,
                identifies_as_woman,
                plea,
                offence_in_community_range,
                gp,
            },
        )
}

proptest! {
    #[test]
    fn the_screen_agrees_with_the_rules_read_one_by_one(a in any_answers()) {
        let fails = [
            a.age_years.is_some_and(|age| age < 18),
            a.identifies_as_woman == Some(false),
            !a.plea.is_convicted(),
            a.offence_in_community_range == Some(false),
            a.gp == GpStatus::Unwilling,
        ];
        let unknowns = [
            a.age_years.is_none(),
            a.identifies_as_woman.is_none(),
            a.offence_in_community_range.is_none(),
            a.gp == GpStatus::Unknown,
        ];
        let failed = fails.iter().filter(|f| **f).count();
        let unknown = unknowns.iter().filter(|u| **u).count();
        match assess(&a) {
            Eligibility::Eligible => prop_assert_eq!((failed, unknown), (0, 0)),
            Eligibility::Ineligible(reasons) => prop_assert_eq!(reasons.len(), failed),
            Eligibility::NeedsAnswers(questions) => {
                prop_assert_eq!(failed, 0);
                prop_assert_eq!(questions.len(), unknown);
            }
        }
    }
}
