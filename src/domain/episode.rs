//! The L&D pathway for one contact (an "episode", docs/domain.md §3.2) as an explicit transition
//! table, so the allowed moves can be read, reviewed and tested in one place.

mod action;
mod status;
#[cfg(test)]
mod tests;

pub use action::{Action, ActionKind};
pub use status::EpisodeStatus;

use self::ActionKind as A;
use self::EpisodeStatus as S;

/// Every allowed move: from a status, an action kind may lead to one of these statuses.
/// Any pair not listed is refused. Where a row lists more than one target, the action's own
/// data (`needs_assessment`, `resume_to`) chooses among them.
#[rustfmt::skip]
const TRANSITIONS: &[(EpisodeStatus, ActionKind, &[EpisodeStatus])] = &[
    (S::Waiting,            A::StartScreening,     &[S::InScreening]),
    (S::InScreening,        A::CompleteScreening,  &[S::AwaitingAssessment, S::Screened]),
    (S::AwaitingAssessment, A::StartAssessment,    &[S::InAssessment]),
    // The clinician decides a full assessment is needed after all.
    (S::Screened,           A::StartAssessment,    &[S::InAssessment]),
    (S::InAssessment,       A::CompleteAssessment, &[S::Assessed]),
    // An episode can end early at any open stage: declined, released before seen, etc.
    (S::Waiting,            A::Close,              &[S::Closed]),
    (S::InScreening,        A::Close,              &[S::Closed]),
    (S::Screened,           A::Close,              &[S::Closed]),
    (S::AwaitingAssessment, A::Close,              &[S::Closed]),
    (S::InAssessment,       A::Close,              &[S::Closed]),
    (S::Assessed,           A::Close,              &[S::Closed]),
    // Resume only at a resting stage, never part-way through a screening or assessment.
    (S::Closed,             A::Reopen,             &[S::Waiting, S::Screened, S::AwaitingAssessment, S::Assessed]),
];

/// The statuses `kind` may lead to from `from`; empty when the action is not allowed.
pub fn allowed_targets(from: EpisodeStatus, kind: ActionKind) -> &'static [EpisodeStatus] {
    TRANSITIONS
        .iter()
        .find(|(status, action, _)| *status == from && *action == kind)
        .map_or(&[], |(_, _, targets)| targets)
}

/// The actions to offer on an episode in this status.
pub fn available_actions(from: EpisodeStatus) -> Vec<ActionKind> {
    ActionKind::ALL
        .into_iter()
        .filter(|kind| !allowed_targets(from, *kind).is_empty())
        .collect()
}

/// Applies `action` to an episode in status `from`, or explains why it cannot be done.
pub fn transition(from: EpisodeStatus, action: Action) -> Result<EpisodeStatus, TransitionError> {
    let kind = action.kind();
    let targets = allowed_targets(from, kind);
    if targets.is_empty() {
        return Err(TransitionError::new(from, kind, refusal_message(from, kind)));
    }
    match (action.chosen_target(), targets) {
        (Some(chosen), _) if targets.contains(&chosen) => Ok(chosen),
        (None, [only]) => Ok(*only),
        _ => Err(TransitionError::new(from, kind, choice_message(kind, targets))),
    }
}

fn refusal_message(from: EpisodeStatus, kind: ActionKind) -> String {
    match (from, kind) {
        (S::Closed, A::Close) => "This episode is already closed".to_string(),
        (S::Closed, _) => format!("This episode is closed. Reopen it before {}", kind.gerund()),
        (_, A::Reopen) => "This episode is already open".to_string(),
        _ => format!(
            "You cannot {} when the episode is {}",
            kind.infinitive(),
            from.label().to_lowercase()
        ),
    }
}

/// Shown when the action is allowed but the stage it asks for is not one of the choices.
fn choice_message(kind: ActionKind, targets: &[EpisodeStatus]) -> String {
    let labels: Vec<String> = targets.iter().map(|s| s.label().to_lowercase()).collect();
    let choices = match labels.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {}", rest.join(", "), last),
        None => String::new(),
    };
    match kind {
        A::Reopen => format!("Choose where the reopened episode should resume: {choices}"),
        _ => format!("Choose what happens next: {choices}"),
    }
}

/// Why an action was refused; `message` is written for the practitioner.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct TransitionError {
    pub from: EpisodeStatus,
    pub action: ActionKind,
    message: String,
}

impl TransitionError {
    fn new(from: EpisodeStatus, action: ActionKind, message: String) -> Self {
        TransitionError { from, action, message }
    }

    pub fn message(&self) -> &str {
        &self.message
    }
}
