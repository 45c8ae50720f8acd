//! The MHTR eligibility screen (docs/domain.md §7.5): 18 or over, within the service's scope,
//! pleaded or found guilty, an offence in the community order / suspended sentence range,
//! and registered with a GP or willing to register. Consent and the provider's agreement to
//! treat are later steps of the pathway, not part of the screen.

use std::fmt;
use std::str::FromStr;

use crate::domain::codes::CodeList;
use crate::domain::person::ADULT_AGE;

/// Where the criminal case stands. Only a conviction (a guilty plea or a guilty verdict)
/// can lead to a sentence with an MHTR.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Plea {
    Guilty,
    FoundGuilty,
    NotGuilty,
    NotYetEntered,
}

impl Plea {
    pub const ALL: [Plea; 4] = [Plea::Guilty, Plea::FoundGuilty, Plea::NotGuilty, Plea::NotYetEntered];

    pub fn code(self) -> &'static str {
        match self {
            Plea::Guilty => "guilty",
            Plea::FoundGuilty => "found-guilty",
            Plea::NotGuilty => "not-guilty",
            Plea::NotYetEntered => "not-yet-entered",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Plea::Guilty => "Pleaded guilty",
            Plea::FoundGuilty => "Found guilty",
            Plea::NotGuilty => "Pleaded not guilty",
            Plea::NotYetEntered => "No plea entered yet",
        }
    }

    pub fn is_convicted(self) -> bool {
        matches!(self, Plea::Guilty | Plea::FoundGuilty)
    }
}

/// [`Plea`] as a code list, in the same order as [`Plea::ALL`].
pub const PLEAS: CodeList = &[
    ("guilty", "Pleaded guilty"),
    ("found-guilty", "Found guilty"),
    ("not-guilty", "Pleaded not guilty"),
    ("not-yet-entered", "No plea entered yet"),
];

/// GP registration, needed so that treatment can be arranged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GpStatus {
    Registered,
    WillingToRegister,
    Unwilling,
    Unknown,
}

impl GpStatus {
    pub const ALL: [GpStatus; 4] = [
        GpStatus::Registered,
        GpStatus::WillingToRegister,
        GpStatus::Unwilling,
        GpStatus::Unknown,
    ];

    pub fn code(self) -> &'static str {
        match self {
            GpStatus::Registered => "registered",
            GpStatus::WillingToRegister => "willing-to-register",
            GpStatus::Unwilling => "unwilling",
            GpStatus::Unknown => "unknown",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            GpStatus::Registered => "Registered with a GP",
            GpStatus::WillingToRegister => "Not registered, but willing to register",
            GpStatus::Unwilling => "Not registered and not willing to register",
            GpStatus::Unknown => "Not known",
        }
    }
}

/// [`GpStatus`] as a code list, in the same order as [`GpStatus::ALL`].
pub const GP_STATUSES: CodeList = &[
    ("registered", "Registered with a GP"),
    ("willing-to-register", "Not registered, but willing to register"),
    ("unwilling", "Not registered and not willing to register"),
    ("unknown", "Not known"),
];

macro_rules! code_enum_parsing {
    ($ty:ty, $what:literal) => {
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.code())
            }
        }

        impl FromStr for $ty {
            type Err = String;

            fn from_str(s: &str) -> Result<Self, String> {
                <$ty>::ALL
                    .into_iter()
                    .find(|value| value.code() == s.trim())
                    .ok_or_else(|| format!(concat!("unknown ", $what, " `{}`"), s))
            }
        }
    };
}

code_enum_parsing!(Plea, "plea");
code_enum_parsing!(GpStatus, "GP status");

/// What the practitioner has found out so far. `None` and [`GpStatus::Unknown`] mean not yet
/// known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EligibilityAnswers {
    /// Computed by the caller from the date of birth on the screening date.
    pub age_years: Option<u32>,
    /// Within the service's scope as docs/domain.md §7.5 defines it: identifies as a woman
    /// (including trans women), or is non-binary and was assigned female at birth.
    pub identifies_as_woman: Option<bool>,
    pub plea: Plea,
    /// The offence is in the range for a community order or a suspended sentence order.
    pub offence_in_community_range: Option<bool>,
    pub gp: GpStatus,
}

/// The screen's result. Reasons and questions are sentences to show as they are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Eligibility {
    Eligible,
    /// Every rule the answers fail, in the order of the screen.
    Ineligible(Vec<&'static str>),
    /// No rule has failed yet, but these answers are still needed.
    NeedsAnswers(Vec<&'static str>),
}

impl Eligibility {
    /// The [`ELIGIBILITY_OUTCOMES`] code this result records, or `None` while answers are
    /// missing. Stepping to primary care and signposting are the practitioner's choice.
    pub fn outcome_code(&self) -> Option<&'static str> {
        match self {
            Eligibility::Eligible => Some("eligible"),
            Eligibility::Ineligible(_) => Some("ineligible"),
            Eligibility::NeedsAnswers(_) => None,
        }
    }
}

/// How the eligibility screen ended.
pub const ELIGIBILITY_OUTCOMES: CodeList = &[
    ("eligible", "Eligible"),
    ("ineligible", "Not eligible"),
    ("stepped-to-primary-care", "Stepped to the primary care MHTR"),
    ("signposted", "Signposted to other support"),
];

const UNDER_18: &str = "Under 18: the MHTR service is for adults";
const OUT_OF_SCOPE: &str = "Outside the service's scope: the London Women's MHTR is for people who identify as women, \
                            including trans women and non-binary people assigned female at birth";
const NOT_CONVICTED: &str = "Has not pleaded or been found guilty";
const OUT_OF_RANGE: &str = "Offence is outside the community order and suspended sentence range";
const NO_GP: &str = "Not registered with a GP and not willing to register (primary care MHTR)";

const ENTER_AGE: &str = "Enter the person's date of birth or age";
const SELECT_SCOPE: &str = "Select whether the person is within the service's scope";
const SELECT_RANGE: &str = "Select whether the offence is in the community order or suspended sentence range";
const SELECT_GP: &str = "Select whether the person is registered with a GP or willing to register";

/// Screens the answers. A definite "no" decides: any failed rule makes the person
/// ineligible, listing every failed rule, even while other answers are still missing. Only
/// when nothing has failed do missing answers hold the screen open. A plea of not guilty or
/// no plea yet is a "no" for now; a later conviction means screening again.
pub fn assess(a: &EligibilityAnswers) -> Eligibility {
    let mut reasons = Vec::new();
    let mut missing = Vec::new();
    let mut check = |answer: Option<bool>, reason, question| match answer {
        Some(true) => {}
        Some(false) => reasons.push(reason),
        None => missing.push(question),
    };
    check(a.age_years.map(|age| age >= ADULT_AGE), UNDER_18, ENTER_AGE);
    check(a.identifies_as_woman, OUT_OF_SCOPE, SELECT_SCOPE);
    check(Some(a.plea.is_convicted()), NOT_CONVICTED, "");
    check(a.offence_in_community_range, OUT_OF_RANGE, SELECT_RANGE);
    let gp = match a.gp {
        GpStatus::Registered | GpStatus::WillingToRegister => Some(true),
        GpStatus::Unwilling => Some(false),
        GpStatus::Unknown => None,
    };
    check(gp, NO_GP, SELECT_GP);
    if !reasons.is_empty() {
        Eligibility::Ineligible(reasons)
    } else if !missing.is_empty() {
        Eligibility::NeedsAnswers(missing)
    } else {
        Eligibility::Eligible
    }
}

#[cfg(test)]
mod tests {
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
}
