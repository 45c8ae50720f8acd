use std::fmt;

use self::EpisodeStatus as S;

/// Where an episode is on the pathway.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EpisodeStatus {
    /// Identified or referred, awaiting screening.
    Waiting,
    InScreening,
    /// Screening done and no full assessment needed.
    Screened,
    AwaitingAssessment,
    InAssessment,
    Assessed,
    Closed,
}

impl EpisodeStatus {
    pub const ALL: [EpisodeStatus; 7] = [
        S::Waiting,
        S::InScreening,
        S::Screened,
        S::AwaitingAssessment,
        S::InAssessment,
        S::Assessed,
        S::Closed,
    ];

    /// The value stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            S::Waiting => "waiting",
            S::InScreening => "in-screening",
            S::Screened => "screened",
            S::AwaitingAssessment => "awaiting-assessment",
            S::InAssessment => "in-assessment",
            S::Assessed => "assessed",
            S::Closed => "closed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            S::Waiting => "Waiting for screening",
            S::InScreening => "In screening",
            S::Screened => "Screened",
            S::AwaitingAssessment => "Awaiting assessment",
            S::InAssessment => "In assessment",
            S::Assessed => "Assessed",
            S::Closed => "Closed",
        }
    }

    /// Open episodes appear on caseloads and can still be worked on.
    pub fn is_open(self) -> bool {
        self != S::Closed
    }
}

impl fmt::Display for EpisodeStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

crate::parse_by_code!(EpisodeStatus, "episode status");
