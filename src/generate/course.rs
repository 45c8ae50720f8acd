//! Which way a closed episode went — released before being seen, declined, screened and
//! signposted, assessed and referred on, and so on, in proportions like a real service's —
//! and how long each stage took.

use super::episode::{Course, MINUTE};
use super::rng::Rng;
use super::texts;
use crate::clock::Millis;

/// The ways a closed episode went, with how often (per thousand adults).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Path {
    ReleasedBeforeSeen,
    /// Closed unseen for another reason: too intoxicated, already known, no cover, ….
    NotSeen,
    Declined,
    UnableToEngage,
    NoFurtherAction,
    Signposted,
    Assessed,
    ToCourt,
    ToAnotherTeam,
    Other,
}

pub const PATHS: &[(u32, Path)] = &[
    (80, Path::ReleasedBeforeSeen),
    (50, Path::NotSeen),
    (60, Path::Declined),
    (50, Path::UnableToEngage),
    (215, Path::NoFurtherAction),
    (195, Path::Signposted),
    (280, Path::Assessed),
    (40, Path::ToCourt),
    (20, Path::ToAnotherTeam),
    (10, Path::Other),
];

/// Why a person was not seen, and the closure that goes with it: (reason, outcome, note).
type NotSeen = (&'static str, &'static str, Option<&'static str>);

/// The reasons on the [`Path::NotSeen`] path, with how often.
const NOT_SEEN: &[(u32, NotSeen)] = &[
    (30, ("unfit-or-intoxicated", "unable-to-engage", None)),
    (25, ("already-known", "no-further-action", None)),
    (
        20,
        (
            "no-cover",
            "other",
            Some("No L&D cover overnight; released before the morning shift"),
        ),
    ),
    (15, ("insufficient-information", "no-further-action", None)),
    (10, ("declined", "declined", None)),
];

pub fn course_of(path: Path, rng: &mut Rng) -> Course {
    let screened = |consent, outcome| Some((consent, outcome));
    let not_seen = (path == Path::NotSeen).then(|| rng.weighted(NOT_SEEN));
    let (screening, assessed, referral, outcome) = match path {
        Path::ReleasedBeforeSeen => (None, false, false, "released-before-seen"),
        Path::NotSeen => (None, false, false, not_seen.map_or("other", |n| n.1)),
        Path::Declined => (screened("declined", "declined"), false, false, "declined"),
        Path::UnableToEngage => (screened("unable", "unable-to-engage"), false, false, "unable-to-engage"),
        Path::NoFurtherAction => (
            screened("given", "no-further-action"),
            false,
            false,
            "no-further-action",
        ),
        Path::Signposted => (screened("given", "signposted"), false, rng.chance(0.45), ""),
        Path::Assessed => (screened("given", "full-assessment-needed"), true, rng.chance(0.7), ""),
        Path::ToCourt => (
            rng.chance(0.5).then_some(("given", "signposted")),
            false,
            false,
            "transferred-to-court",
        ),
        Path::ToAnotherTeam => (None, false, false, "transferred-to-another-ld-team"),
        Path::Other => (None, false, false, "other"),
    };
    let outcome = match outcome {
        "" if referral => "referred-on",
        "" => "care-pathway-complete",
        o => o,
    };
    let note = match not_seen {
        Some((_, _, note)) => note,
        None => (outcome == "other").then(|| *rng.pick(texts::CLOSURE_NOTES)),
    };
    // Closed before anyone started screening: why, as the close form asks it.
    let reason = match path {
        _ if screening.is_some() => None,
        Path::NotSeen => not_seen.map(|n| n.0),
        Path::ReleasedBeforeSeen => Some("released-before-seen"),
        Path::ToCourt | Path::ToAnotherTeam => Some("transferred"),
        _ => Some("other"),
    };
    Course {
        screening,
        assessed,
        referral,
        closure: Some((outcome, note)),
        not_seen: reason,
    }
}

/// Minutes from the alert to the start of screening against the site's target: most within
/// it, some well over.
pub fn wait(rng: &mut Rng, target_minutes: i64) -> Millis {
    let fraction = if rng.chance(0.72) {
        0.15 + 0.85 * rng.unit()
    } else {
        1.0 + 2.0 * rng.unit()
    };
    ((target_minutes as f64 * fraction) as i64).max(5) * MINUTE
}
