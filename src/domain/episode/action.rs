use self::ActionKind as A;
use super::EpisodeStatus;
use super::EpisodeStatus as S;

/// Something a practitioner does to an episode, with the choice it carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    StartScreening,
    CompleteScreening {
        needs_assessment: bool,
    },
    StartAssessment,
    CompleteAssessment,
    Close,
    /// Reopening resumes the pathway where the practitioner says, e.g. when a closed
    /// episode turns out to need an assessment after all.
    Reopen {
        resume_to: EpisodeStatus,
    },
}

impl Action {
    pub fn kind(self) -> ActionKind {
        match self {
            Action::StartScreening => A::StartScreening,
            Action::CompleteScreening { .. } => A::CompleteScreening,
            Action::StartAssessment => A::StartAssessment,
            Action::CompleteAssessment => A::CompleteAssessment,
            Action::Close => A::Close,
            Action::Reopen { .. } => A::Reopen,
        }
    }

    /// The status this action asks for when the table offers more than one.
    pub(super) fn chosen_target(self) -> Option<EpisodeStatus> {
        match self {
            Action::CompleteScreening { needs_assessment: true } => Some(S::AwaitingAssessment),
            Action::CompleteScreening {
                needs_assessment: false,
            } => Some(S::Screened),
            Action::Reopen { resume_to } => Some(resume_to),
            _ => None,
        }
    }
}

/// An [`Action`] without its data: what the transition table is keyed on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ActionKind {
    StartScreening,
    CompleteScreening,
    StartAssessment,
    CompleteAssessment,
    Close,
    Reopen,
}

impl ActionKind {
    pub const ALL: [ActionKind; 6] = [
        A::StartScreening,
        A::CompleteScreening,
        A::StartAssessment,
        A::CompleteAssessment,
        A::Close,
        A::Reopen,
    ];

    /// Button text.
    pub fn label(self) -> &'static str {
        match self {
            A::StartScreening => "Start screening",
            A::CompleteScreening => "Record screening",
            A::StartAssessment => "Start assessment",
            A::CompleteAssessment => "Record assessment",
            A::Close => "Close episode",
            A::Reopen => "Reopen episode",
        }
    }

    /// For "You cannot …" messages.
    pub(super) fn infinitive(self) -> &'static str {
        match self {
            A::StartScreening => "start a screening",
            A::CompleteScreening => "record a screening",
            A::StartAssessment => "start an assessment",
            A::CompleteAssessment => "record an assessment",
            A::Close => "close the episode",
            A::Reopen => "reopen the episode",
        }
    }

    /// For "Reopen it before …" messages.
    pub(super) fn gerund(self) -> &'static str {
        match self {
            A::StartScreening => "starting a screening",
            A::CompleteScreening => "recording a screening",
            A::StartAssessment => "starting an assessment",
            A::CompleteAssessment => "recording an assessment",
            A::Close => "closing the episode",
            A::Reopen => "reopening the episode",
        }
    }
}
