//! The Women's MHTR pathway (docs/domain.md §7) as pure rules: the case's transition table, report
//! deadlines, the eligibility screen, the service's code lists, and the helpers the pilot's
//! evaluation extract needs. No I/O: callers timestamp and store every transition.

mod action;
mod codes;
mod deadline;
mod eligibility;
mod evaluation;
pub mod funnel;
pub mod offer;
mod status;
#[cfg(test)]
mod tests;

pub use action::{Action, ActionKind, EXIT_REASONS, ExitReason};
pub use codes::{
    ASSESSMENT_SECTIONS, ATTENDANCE, COMPLIANCE_EVENTS, CONSENT_DECISIONS, CONTACT_METHODS, COURT_OUTCOMES,
    DEFAULT_MEASURES, NEGOTIATION_OUTCOMES, ORDER_TYPES, OUTCOME_MEASURES, OUTREACH_AUDIENCES, OutcomeMeasure,
    REFERRAL_SOURCES, REVIEW_DECISIONS, TREATMENT_TYPES, assessment_section, measures_in_use, outcome_measure,
    score_problem,
};
pub use deadline::{
    DEADLINE_KINDS, DeadlineKind, add_working_days, adjourn, countdown, is_working_day, report_due, report_due_by,
};
pub use eligibility::{
    ELIGIBILITY_OUTCOMES, Eligibility, EligibilityAnswers, GP_STATUSES, GpStatus, PLEAS, Plea, assess,
};
pub use evaluation::{AGE_BANDS, age_band, hmac_sha256, pseudonym};
pub use status::MhtrStatus;

use self::ActionKind as A;

/// A case's reference, "MHTR-2026-7K2Q9M": the year it was opened and the start of its id,
/// short enough to read out on the phone and quote in an email instead of the id.
pub fn case_reference(id: &str, opened: chrono::NaiveDate) -> String {
    let short: String = id
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(6)
        .collect::<String>()
        .to_uppercase();
    format!("MHTR-{}-{short}", opened.format("%Y"))
}
use self::ExitReason as X;
use self::MhtrStatus as S;

/// Every allowed move: from a status, an action kind leads to this status. Any pair not
/// listed is refused. `Close` rows are further limited by [`EXITS`].
#[rustfmt::skip]
const TRANSITIONS: &[(MhtrStatus, ActionKind, MhtrStatus)] = &[
    // The pathway, one step at a time.
    (S::Referred,         A::Accept,             S::Eligibility),
    (S::Eligibility,      A::ConfirmEligible,    S::Assessment),
    (S::Assessment,       A::CompleteAssessment, S::Consent),
    (S::Consent,          A::RecordConsent,      S::Negotiation),
    (S::Negotiation,      A::AgreePathway,       S::Recommendation),
    (S::Recommendation,   A::SendRecommendation, S::AwaitingSentence),
    (S::AwaitingSentence, A::MhtrMade,           S::Treatment),
    (S::Treatment,        A::Complete,           S::Completed),
    // The court can adjourn at any hearing before sentence, most often at the one the report
    // was for. The case stays where it is; the new hearing date moves the deadline.
    (S::Referred,         A::Adjourn,            S::Referred),
    (S::Eligibility,      A::Adjourn,            S::Eligibility),
    (S::Assessment,       A::Adjourn,            S::Assessment),
    (S::Consent,          A::Adjourn,            S::Consent),
    (S::Negotiation,      A::Adjourn,            S::Negotiation),
    (S::Recommendation,   A::Adjourn,            S::Recommendation),
    (S::AwaitingSentence, A::Adjourn,            S::AwaitingSentence),
    // Side exits: any open case can close, for a reason that fits its stage (EXITS).
    (S::Referred,         A::Close,              S::Closed),
    (S::Eligibility,      A::Close,              S::Closed),
    (S::Assessment,       A::Close,              S::Closed),
    (S::Consent,          A::Close,              S::Closed),
    (S::Negotiation,      A::Close,              S::Closed),
    (S::Recommendation,   A::Close,              S::Closed),
    (S::AwaitingSentence, A::Close,              S::Closed),
    (S::Treatment,        A::Close,              S::Closed),
];

/// Where each side exit may be recorded, with the same thing in words for refusals.
#[rustfmt::skip]
const EXITS: &[(ExitReason, &[MhtrStatus], &str)] = &[
    (X::DeclinedAtIntake,     &[S::Referred],
        "in intake"),
    (X::Ineligible,           &[S::Eligibility, S::Assessment, S::Consent, S::Negotiation, S::Recommendation,
                                S::AwaitingSentence],
        "after intake and before sentence"),
    (X::SteppedToPrimaryCare, &[S::Eligibility, S::Assessment, S::Consent, S::Negotiation],
        "from eligibility screening to secondary care negotiation"),
    (X::Signposted,           &[S::Eligibility, S::Assessment, S::Consent, S::Negotiation],
        "from eligibility screening to secondary care negotiation"),
    (X::ConsentDeclined,      &[S::Assessment, S::Consent, S::Negotiation, S::Recommendation, S::AwaitingSentence],
        "from the suitability assessment until sentence"),
    (X::PathwayNotAgreed,     &[S::Negotiation],
        "at secondary care negotiation"),
    (X::OtherSentence,        &[S::Referred, S::Eligibility, S::Assessment, S::Consent, S::Negotiation,
                                S::Recommendation, S::AwaitingSentence],
        "before sentence"),
    (X::Revoked,              &[S::Treatment],
        "in treatment"),
    (X::Other,                &[S::Referred, S::Eligibility, S::Assessment, S::Consent, S::Negotiation,
                                S::Recommendation, S::AwaitingSentence, S::Treatment],
        "while the case is open"),
];

/// The status `kind` leads to from `from`, or `None` when the table does not allow it.
pub fn allowed_target(from: MhtrStatus, kind: ActionKind) -> Option<MhtrStatus> {
    TRANSITIONS
        .iter()
        .find(|(status, action, _)| *status == from && *action == kind)
        .map(|(_, _, to)| *to)
}

/// The actions to offer on a case in this status, in pathway order.
pub fn available_actions(from: MhtrStatus) -> Vec<ActionKind> {
    ActionKind::ALL
        .into_iter()
        .filter(|kind| allowed_target(from, *kind).is_some())
        .collect()
}

/// The exit reasons to offer when closing a case in this status; empty once it has ended.
pub fn available_exits(from: MhtrStatus) -> Vec<ExitReason> {
    EXITS
        .iter()
        .filter(|(_, statuses, _)| statuses.contains(&from))
        .map(|(reason, _, _)| *reason)
        .collect()
}

/// The step that moves the case along the pathway from here, if there is one.
pub fn next_step(from: MhtrStatus) -> Option<ActionKind> {
    available_actions(from)
        .into_iter()
        .find(|kind| !matches!(kind, A::Adjourn | A::Close))
}

/// Applies `action` to a case in status `from`, or explains why it cannot be done.
pub fn transition(from: MhtrStatus, action: Action) -> Result<MhtrStatus, TransitionError> {
    let kind = action.kind();
    let Some(to) = allowed_target(from, kind) else {
        return Err(TransitionError::new(from, kind, refusal_message(from, kind)));
    };
    if let Action::Close(reason) = action
        && !available_exits(from).contains(&reason)
    {
        return Err(TransitionError::new(from, kind, exit_refusal(from, reason)));
    }
    Ok(to)
}

fn exit_refusal(from: MhtrStatus, reason: ExitReason) -> String {
    let when = EXITS
        .iter()
        .find(|(r, _, _)| *r == reason)
        .map_or("at another stage", |(_, _, when)| *when);
    format!(
        "“{}” does not apply when the case is {}: it can be recorded only {when}",
        reason.label(),
        from.phrase()
    )
}

fn refusal_message(from: MhtrStatus, kind: ActionKind) -> String {
    match (from, kind) {
        (S::Closed, A::Close) => "This case is already closed".to_string(),
        (S::Completed, A::Complete) => "Treatment is already recorded as completed".to_string(),
        (S::Closed | S::Completed, _) => format!("This case is {}, so you cannot {}", from.phrase(), kind.infinitive()),
        (S::Treatment, A::Adjourn) => "The court has already sentenced, so there is no hearing to adjourn".to_string(),
        _ => {
            let refused = format!("You cannot {} when the case is {}", kind.infinitive(), from.phrase());
            match next_step(from) {
                Some(next) => format!("{refused}. The next step is to {}", next.infinitive()),
                None => refused,
            }
        }
    }
}

/// Why an action was refused; `message` is written for the practitioner.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct TransitionError {
    pub from: MhtrStatus,
    pub action: ActionKind,
    message: String,
}

impl TransitionError {
    fn new(from: MhtrStatus, action: ActionKind, message: String) -> Self {
        TransitionError { from, action, message }
    }

    pub fn message(&self) -> &str {
        &self.message
    }
}
