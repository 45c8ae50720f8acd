//! The demo's MHTR cases, one story each: every woman here is invented.

use crate::domain::mhtr::{ExitReason, MhtrStatus as S};

/// One demo case: the woman, where the case is now, and how long ago it was accepted.
pub(super) struct Story {
    pub(super) woman: (u32, &'static str, &'static str, (i32, u32, u32)),
    pub(super) reached: S,
    /// Set for a case that left the pathway at `reached`.
    pub(super) exit: Option<(ExitReason, &'static str)>,
    pub(super) days_ago: i64,
    pub(super) source: &'static str,
    /// Days from today to the next hearing (negative: it has passed).
    pub(super) hearing_in: i64,
}

pub(super) const STORIES: &[Story] = &[
    Story {
        woman: (101, "Nadia", "Demo-Novak", (1991, 5, 17)),
        reached: S::Referred,
        exit: None,
        days_ago: 0,
        source: "court-probation",
        hearing_in: 9,
    },
    Story {
        woman: (102, "Olive", "Demo-Okafor", (1985, 8, 2)),
        reached: S::Eligibility,
        exit: None,
        days_ago: 1,
        source: "court-ld",
        hearing_in: 6,
    },
    Story {
        woman: (103, "Priya", "Demo-Patel", (1998, 12, 9)),
        reached: S::Assessment,
        exit: None,
        days_ago: 3,
        source: "primary-care-mhtr",
        hearing_in: 12,
    },
    Story {
        woman: (104, "Queenie", "Demo-Quinn", (1976, 3, 28)),
        reached: S::Consent,
        exit: None,
        days_ago: 6,
        source: "court-ld",
        hearing_in: 8,
    },
    Story {
        woman: (105, "Ruth", "Demo-Rahman", (1989, 1, 14)),
        reached: S::Negotiation,
        exit: None,
        days_ago: 8,
        source: "judiciary",
        hearing_in: 7,
    },
    Story {
        woman: (106, "Sade", "Demo-Sule", (1993, 7, 30)),
        reached: S::Recommendation,
        exit: None,
        days_ago: 10,
        source: "court-ld",
        hearing_in: 4,
    },
    Story {
        woman: (107, "Tess", "Demo-Turner", (1982, 10, 6)),
        reached: S::AwaitingSentence,
        exit: None,
        days_ago: 16,
        source: "court-ld",
        hearing_in: 2,
    },
    Story {
        woman: (108, "Uma", "Demo-Usman", (1979, 4, 21)),
        reached: S::Treatment,
        exit: None,
        days_ago: 60,
        source: "court-ld",
        hearing_in: -38,
    },
    Story {
        woman: (109, "Vera", "Demo-Vance", (1970, 9, 11)),
        reached: S::Completed,
        exit: None,
        days_ago: 200,
        source: "self",
        hearing_in: -175,
    },
    Story {
        woman: (110, "Wren", "Demo-Walsh", (2000, 2, 25)),
        reached: S::Eligibility,
        exit: Some((ExitReason::Ineligible, "Pleaded not guilty; trial listed")),
        days_ago: 12,
        source: "court-probation",
        hearing_in: 30,
    },
    Story {
        woman: (111, "Yara", "Demo-Young", (1987, 6, 3)),
        reached: S::AwaitingSentence,
        exit: Some((ExitReason::OtherSentence, "Fine and compensation order imposed")),
        days_ago: 40,
        source: "court-ld",
        hearing_in: -12,
    },
];
