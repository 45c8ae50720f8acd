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
mod tests;
