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
    (60, Path::Declined),
    (50, Path::UnableToEngage),
    (240, Path::NoFurtherAction),
    (220, Path::Signposted),
    (280, Path::Assessed),
    (40, Path::ToCourt),
    (20, Path::ToAnotherTeam),
    (10, Path::Other),
];

pub fn course_of(path: Path, rng: &mut Rng) -> Course {
    let screened = |consent, outcome| Some((consent, outcome));
    let (screening, assessed, referral, outcome) = match path {
        Path::ReleasedBeforeSeen => (None, false, false, "released-before-seen"),
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
    let note = (outcome == "other").then(|| *rng.pick(texts::CLOSURE_NOTES));
    Course {
        screening,
        assessed,
        referral,
        closure: Some((outcome, note)),
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
