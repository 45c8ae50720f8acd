//! Today's open episodes: at every site, people waiting, in screening, screened and in
//! assessment, some allocated, some waiting past the site's target — what the live list
//! shows on a real day.

use chrono::NaiveDate;

use super::Writer;
use super::course::wait;
use super::episode::{Course, MINUTE, Times};
use super::rng::Rng;
use crate::clock::Millis;
use crate::domain::episode::EpisodeStatus as S;

/// How far today's episodes have got, and how often.
const REACHED: &[(u32, S)] = &[
    (35, S::Waiting),
    (20, S::InScreening),
    (20, S::Screened),
    (12, S::AwaitingAssessment),
    (8, S::InAssessment),
    (5, S::Assessed),
];

impl Writer<'_> {
    /// An episode still open now at `site`; returns the time of its alert.
    pub fn open_episode(&mut self, rng: &mut Rng, person_id: &str, site: usize, dob: NaiveDate, sex: &str) -> Millis {
        let reached = rng.weighted(REACHED);
        let target = self.world.sites[site].target_minutes;
        // Offsets from the alert of each stage, then how far into its current stage it is now.
        let waited = wait(rng, target);
        let screened = waited + rng.range(15, 60) * MINUTE;
        let assessment = screened + rng.range(15, 120) * MINUTE;
        let assessed = assessment + rng.range(45, 120) * MINUTE;
        let fraction =
            |rng: &mut Rng, from: i64, to: i64| from + ((to - from) as f64 * (0.1 + 0.8 * rng.unit())) as i64;
        let dwell = rng.range(5, 120) * MINUTE;
        let elapsed = match reached {
            S::Waiting => waited,
            S::InScreening => fraction(rng, waited, screened),
            S::Screened => screened + dwell,
            S::AwaitingAssessment => fraction(rng, screened, assessment),
            S::InAssessment => fraction(rng, assessment, assessed),
            _ => assessed + dwell,
        };
        let alert = self.now - elapsed;
        let at = |offset: i64, stage: S| (reached >= stage).then_some(alert + offset);
        let times = Times {
            screening_started: at(waited, S::InScreening),
            screened: at(screened, S::Screened),
            assessment_started: at(assessment, S::InAssessment),
            assessed: at(assessed, S::Assessed),
            closed: None,
        };
        let outcome = if reached >= S::AwaitingAssessment {
            "full-assessment-needed"
        } else {
            *rng.pick(&["signposted", "no-further-action"])
        };
        let course = Course {
            screening: times.screened.map(|_| ("given", outcome)),
            assessed: times.assessed.is_some(),
            referral: (reached == S::Screened || reached == S::Assessed) && rng.chance(0.3),
            closure: None,
            not_seen: None,
        };
        let last = [times.assessed, times.screened].into_iter().flatten().next();
        let follow_up = last.map(|t| t + rng.range(5, 30) * MINUTE);
        let contact = self.contact(person_id, site, alert, dob, sex);
        self.episode(rng, &contact, &course, &times, follow_up);
        self.stats.open += 1;
        alert
    }
}
