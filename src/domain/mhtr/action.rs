use std::fmt;
use std::str::FromStr;

use self::ActionKind as A;
use self::ExitReason as X;
use crate::domain::codes::CodeList;

/// Something a practitioner records on an MHTR case, with the data the table needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// Intake: take the referral into the pathway.
    Accept,
    /// The eligibility screen found her eligible.
    ConfirmEligible,
    /// The suitability assessment is recorded.
    CompleteAssessment,
    /// She consents to an MHTR (with a capacity note and a witness, recorded by the caller).
    RecordConsent,
    /// A treatment pathway is agreed (secondary care team, or the primary care MHTR team).
    AgreePathway,
    /// The signed-off suitability report has gone to probation.
    SendRecommendation,
    /// The court adjourned to a new hearing date. The case stays where it is; the caller
    /// recomputes the report deadline with [`adjourn`](super::adjourn).
    Adjourn,
    /// The court made a community or suspended sentence order with an MHTR.
    MhtrMade,
    /// Treatment finished.
    Complete,
    /// A side exit: the case ends early for this reason.
    Close(ExitReason),
}

impl Action {
    pub fn kind(self) -> ActionKind {
        match self {
            Action::Accept => A::Accept,
            Action::ConfirmEligible => A::ConfirmEligible,
            Action::CompleteAssessment => A::CompleteAssessment,
            Action::RecordConsent => A::RecordConsent,
            Action::AgreePathway => A::AgreePathway,
            Action::SendRecommendation => A::SendRecommendation,
            Action::Adjourn => A::Adjourn,
            Action::MhtrMade => A::MhtrMade,
            Action::Complete => A::Complete,
            Action::Close(_) => A::Close,
        }
    }
}

/// An [`Action`] without its data: what the transition table is keyed on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ActionKind {
    Accept,
    ConfirmEligible,
    CompleteAssessment,
    RecordConsent,
    AgreePathway,
    SendRecommendation,
    Adjourn,
    MhtrMade,
    Complete,
    Close,
}

impl ActionKind {
    pub const ALL: [ActionKind; 10] = [
        A::Accept,
        A::ConfirmEligible,
        A::CompleteAssessment,
        A::RecordConsent,
        A::AgreePathway,
        A::SendRecommendation,
        A::Adjourn,
        A::MhtrMade,
        A::Complete,
        A::Close,
    ];

    /// Button text.
    pub fn label(self) -> &'static str {
        match self {
            A::Accept => "Accept referral",
            A::ConfirmEligible => "Record as eligible",
            A::CompleteAssessment => "Record assessment",
            A::RecordConsent => "Record consent",
            A::AgreePathway => "Record pathway agreed",
            A::SendRecommendation => "Record report sent",
            A::Adjourn => "Record adjournment",
            A::MhtrMade => "Record MHTR made",
            A::Complete => "Record treatment completed",
            A::Close => "Close case",
        }
    }

    /// For "You cannot …" messages.
    pub(super) fn infinitive(self) -> &'static str {
        match self {
            A::Accept => "accept the referral",
            A::ConfirmEligible => "record eligibility",
            A::CompleteAssessment => "record the assessment",
            A::RecordConsent => "record consent",
            A::AgreePathway => "record a pathway as agreed",
            A::SendRecommendation => "record the suitability report as sent",
            A::Adjourn => "record an adjournment",
            A::MhtrMade => "record an MHTR as made",
            A::Complete => "record treatment as completed",
            A::Close => "close the case",
        }
    }
}

/// Why a case left the pathway before completion. Each reason fits only some stages; see
/// [`available_exits`](super::available_exits).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ExitReason {
    /// The team declined the referral at intake.
    DeclinedAtIntake,
    /// The eligibility screen, or a later change such as her plea, ruled her out.
    Ineligible,
    /// Needs fit the primary care MHTR better; handed to that team.
    SteppedToPrimaryCare,
    /// Not for an MHTR; signposted to other support.
    Signposted,
    /// She declined consent, or withdrew it before sentence.
    ConsentDeclined,
    /// No secondary care team agreed to treat.
    PathwayNotAgreed,
    /// The court passed a sentence without an MHTR.
    OtherSentence,
    /// The order was revoked during treatment.
    Revoked,
    /// Anything else, explained in the closure note (opened in error, died, moved away).
    Other,
}

impl ExitReason {
    pub const ALL: [ExitReason; 9] = [
        X::DeclinedAtIntake,
        X::Ineligible,
        X::SteppedToPrimaryCare,
        X::Signposted,
        X::ConsentDeclined,
        X::PathwayNotAgreed,
        X::OtherSentence,
        X::Revoked,
        X::Other,
    ];

    /// The value stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            X::DeclinedAtIntake => "declined-at-intake",
            X::Ineligible => "ineligible",
            X::SteppedToPrimaryCare => "stepped-to-primary-care",
            X::Signposted => "signposted",
            X::ConsentDeclined => "consent-declined",
            X::PathwayNotAgreed => "pathway-not-agreed",
            X::OtherSentence => "other-sentence",
            X::Revoked => "revoked",
            X::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            X::DeclinedAtIntake => "Declined at intake",
            X::Ineligible => "Not eligible",
            X::SteppedToPrimaryCare => "Stepped to the primary care MHTR",
            X::Signposted => "Signposted to other support",
            X::ConsentDeclined => "Consent declined or withdrawn",
            X::PathwayNotAgreed => "Secondary care pathway not agreed",
            X::OtherSentence => "Court passed another sentence",
            X::Revoked => "Order revoked",
            X::Other => "Other",
        }
    }
}

/// [`ExitReason`] as a code list, in the same order as [`ExitReason::ALL`].
pub const EXIT_REASONS: CodeList = &[
    ("declined-at-intake", "Declined at intake"),
    ("ineligible", "Not eligible"),
    ("stepped-to-primary-care", "Stepped to the primary care MHTR"),
    ("signposted", "Signposted to other support"),
    ("consent-declined", "Consent declined or withdrawn"),
    ("pathway-not-agreed", "Secondary care pathway not agreed"),
    ("other-sentence", "Court passed another sentence"),
    ("revoked", "Order revoked"),
    ("other", "Other"),
];

impl fmt::Display for ExitReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for ExitReason {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        X::ALL
            .into_iter()
            .find(|reason| reason.code() == s.trim())
            .ok_or_else(|| format!("unknown MHTR exit reason `{s}`"))
    }
}
