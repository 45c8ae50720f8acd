//! One L&D episode: which way it went (screening, assessment, closure outcome), when each
//! stage happened, and the rows it leaves — the episode, its screening, an appropriate adult
//! for a child, and its timeline — as the application itself would have written them.

use chrono::NaiveDate;

use super::course::{PATHS, Path, course_of, wait};
use super::details::{cj_stage, location, reference, source, vulnerabilities};
use super::rng::Rng;
use super::{Writer, person, rows, texts};
use crate::clock::Millis;
use crate::domain::codes::{CLOSURE_OUTCOMES, SCREENING_OUTCOMES, label_of};
use crate::domain::episode::EpisodeStatus as S;
use crate::domain::site::SiteKind;

pub const MINUTE: Millis = 60_000;

/// One contact: who, where and when.
pub struct Contact<'a> {
    pub person_id: &'a str,
    pub site: usize,
    pub alert: Millis,
    pub youth: bool,
    /// An adult woman: a court episode may go on to the MHTR team.
    pub woman: bool,
}

/// How far an episode went and how it ended.
#[derive(Clone, Copy, Default)]
pub struct Course {
    /// (consent, outcome) when screening was completed.
    pub screening: Option<(&'static str, &'static str)>,
    pub assessed: bool,
    /// Referred on to a partner service.
    pub referral: bool,
    /// (outcome, note) for a closed episode.
    pub closure: Option<(&'static str, Option<&'static str>)>,
    /// Why the person was not seen, for an episode closed before screening started.
    pub not_seen: Option<&'static str>,
}

/// When each stage was reached; `None` for stages not reached.
#[derive(Clone, Copy, Default)]
pub struct Times {
    pub screening_started: Option<Millis>,
    pub screened: Option<Millis>,
    pub assessment_started: Option<Millis>,
    pub assessed: Option<Millis>,
    pub closed: Option<Millis>,
}

impl Writer<'_> {
    pub fn contact<'a>(
        &self,
        person_id: &'a str,
        site: usize,
        alert: Millis,
        dob: NaiveDate,
        sex: &str,
    ) -> Contact<'a> {
        let youth = person::youth_at(dob, alert);
        Contact {
            person_id,
            site,
            alert,
            youth,
            woman: sex == "F" && !youth,
        }
    }

    /// A contact at `site`, closed with an outcome; returns the time of its alert, moved
    /// earlier if the episode would otherwise have ended after `ends_before`.
    pub fn closed_episode(
        &mut self,
        rng: &mut Rng,
        person_id: &str,
        (site, alert): (usize, Millis),
        ends_before: Millis,
        (dob, sex): (NaiveDate, &str),
    ) -> Millis {
        let kind = self.world.sites[site].kind;
        let path = loop {
            let p = rng.weighted(PATHS);
            if p != Path::ToCourt || !kind.is_court() {
                break p;
            }
        };
        let course = course_of(path, rng);
        let target = self.world.sites[site].target_minutes;
        // Offsets from the alert.
        let mut t = Times::default();
        let mut last = 0;
        if course.screening.is_some() {
            let started = wait(rng, target);
            let done = started + rng.range(15, 60) * MINUTE;
            (t.screening_started, t.screened, last) = (Some(started), Some(done), done);
            if course.assessed {
                let started = done + rng.range(15, 180) * MINUTE;
                let done = started + rng.range(45, 120) * MINUTE;
                (t.assessment_started, t.assessed, last) = (Some(started), Some(done), done);
            }
        }
        let follow_up = last + rng.range(5, 60) * MINUTE;
        let closed = match path {
            Path::ReleasedBeforeSeen => rng.range(20, 240) * MINUTE,
            _ if course.screening.is_none() => rng.range(30, 300) * MINUTE,
            _ => follow_up + rng.range(10, 180) * MINUTE,
        };
        t.closed = Some(closed);
        let alert = alert.min(ends_before - MINUTE - closed);
        let at = |offset: Option<Millis>| offset.map(|o| alert + o);
        let t = Times {
            screening_started: at(t.screening_started),
            screened: at(t.screened),
            assessment_started: at(t.assessment_started),
            assessed: at(t.assessed),
            closed: at(t.closed),
        };
        self.stats.count_closure(course.closure.map_or("", |c| c.0));
        if t.closed.is_some_and(|at| at >= self.today_start) {
            *self.stats.closed_today.entry(site).or_default() += 1;
        }
        let contact = self.contact(person_id, site, alert, dob, sex);
        self.episode(rng, &contact, &course, &t, Some(alert + follow_up));
        alert
    }

    /// Writes an episode from its course and times; `follow_up` is when any referral,
    /// safeguarding concern or MHTR referral was made.
    pub fn episode(&mut self, rng: &mut Rng, c: &Contact<'_>, course: &Course, t: &Times, follow_up: Option<Millis>) {
        let world = self.world;
        let site = &world.sites[c.site];
        let id = rng.uuid();
        let author = rng.pick(&world.ld_staff).as_str();
        let (vulnerabilities, labels) = vulnerabilities(rng, c);
        let screened = course.screening.is_some() && t.screened.is_some();
        let risk = |rng: &mut Rng, p: f64| screened && rng.chance(p);
        let risk_to_self = screened && (vulnerabilities.contains("suicide-self-harm") || rng.chance(0.04));
        let (risk_to_others, risk_from_others) = (risk(rng, 0.07), risk(rng, 0.06));
        let concern_raised = screened && rng.chance(if c.youth { 0.15 } else { 0.05 });
        let concern = *rng.pick(if c.youth {
            texts::YOUTH_CONCERNS
        } else {
            texts::CONCERNS
        });
        let status = status_of(course, t);
        let mut at = c.alert;
        self.timeline(
            rng,
            &id,
            (c.alert, author),
            "status",
            format!("Identified at {}: {concern}", site.name),
        );
        let mut from = S::Waiting;
        let outcome = course.screening.map(|s| s.1).unwrap_or("");
        let mut moves = vec![(t.screening_started, S::InScreening, None)];
        let after_screening = if outcome == "full-assessment-needed" {
            S::AwaitingAssessment
        } else {
            S::Screened
        };
        if let Some((consent, outcome)) = course.screening {
            let note = format!(
                "{}. Consent: {}. Vulnerabilities: {labels}",
                label_of(SCREENING_OUTCOMES, outcome).unwrap_or(outcome),
                label_of(crate::episodes::screening::CONSENT, consent).unwrap_or(consent)
            );
            moves.push((t.screened, after_screening, Some(note)));
        }
        moves.push((t.assessment_started, S::InAssessment, None));
        moves.push((t.assessed, S::Assessed, None));
        let closure = course.closure.map(|(o, n)| {
            let label = label_of(CLOSURE_OUTCOMES, o).unwrap_or(o);
            n.map_or_else(|| label.to_string(), |n| format!("{label}: {n}"))
        });
        moves.push((t.closed, S::Closed, closure));
        for (when, to, note) in moves {
            let Some(when) = when else { continue };
            let mut body = format!(
                "Status changed from {} to {}",
                from.label().to_lowercase(),
                to.label().to_lowercase()
            );
            if let Some(n) = note {
                body.push_str(": ");
                body.push_str(&n);
            }
            self.timeline(rng, &id, (when, author), "status", body);
            (from, at) = (to, when);
        }
        if rng.chance(0.3) {
            let when = c.alert + rng.range(0, (at - c.alert).max(MINUTE));
            let kind = if rng.chance(0.5) { "note" } else { "contact" };
            let note = rng.pick(texts::NOTES).to_string();
            self.timeline(rng, &id, (when, author), kind, note);
        }
        if c.youth && (t.screening_started.is_some() || rng.chance(0.5)) {
            // Recorded before screening (the rule for under-18s), or soon after the alert.
            let before = t.screening_started.unwrap_or(c.alert + 10 * MINUTE);
            self.appropriate_adult(rng, &id, c.alert + (before - c.alert) / 2, author);
        }
        if let (Some((consent, outcome)), Some(done)) = (course.screening, t.screened) {
            self.batch.screenings.push(rows::Screening {
                episode_id: id.clone(),
                consent,
                vulnerabilities: vulnerabilities.clone(),
                presenting_concerns: concern,
                outcome,
                completed_by: author,
                completed_at: done,
            });
        }
        let follow_up = follow_up.filter(|f| *f <= self.now);
        if let Some(when) = follow_up.filter(|_| course.referral) {
            self.referrals(rng, &id, c, &vulnerabilities, (when, author), t.closed.is_some());
        }
        if let Some(when) = follow_up.filter(|_| concern_raised) {
            self.safeguarding(rng, &id, c, (when, author));
        }
        let court = site.kind.is_court() && site.kind != SiteKind::YouthCourt;
        if let Some(when) = follow_up.filter(|_| screened && c.woman && court && rng.chance(0.15)) {
            self.mhtr(rng, &id, c, (when, author));
        }
        let serial = self.next_episode_serial();
        self.batch.episodes.push(rows::Episode {
            reference: Some(reference(site.kind, c.site, serial, c.alert)),
            person_id: c.person_id.to_string(),
            site_id: &site.id,
            team_id: &site.team_id,
            status: status.code(),
            youth: c.youth,
            alert_at: c.alert,
            offence: rng.chance(0.9).then(|| *rng.pick(texts::OFFENCES)),
            arrest_or_listing_at: (site.kind != SiteKind::VoluntaryAttendance)
                .then(|| c.alert - rng.range(20, 360) * MINUTE),
            referral_source: source(rng, site.kind, c.youth),
            cj_stage: Some(cj_stage(rng, site.kind)),
            concern,
            voluntary_attendance: site.kind == SiteKind::VoluntaryAttendance,
            location: Some(location(rng, site.kind, c.youth)),
            allocated_to: (status != S::Waiting || rng.chance(0.15)).then_some(author),
            urgent: rng.chance(if status.is_open() { 0.08 } else { 0.04 }),
            risk_to_self,
            risk_to_others,
            risk_from_others,
            safeguarding: concern_raised && follow_up.is_some(),
            screening_started_at: t.screening_started,
            screened_at: t.screened,
            assessment_started_at: t.assessment_started,
            assessed_at: t.assessed,
            closed_at: t.closed,
            closure_outcome: course.closure.map(|c| c.0),
            closure_note: course.closure.and_then(|c| c.1),
            not_seen_reason: course
                .not_seen
                .filter(|_| t.closed.is_some() && t.screening_started.is_none()),
            created_by: author,
            created_at: c.alert,
            updated_at: at,
            id,
        });
        self.stats.episodes += 1;
        self.stats.youth_episodes += u64::from(c.youth);
    }
}

/// The status the stages reached add up to.
fn status_of(course: &Course, t: &Times) -> S {
    match (
        t.closed,
        t.assessed,
        t.assessment_started,
        t.screened,
        t.screening_started,
    ) {
        (Some(_), ..) => S::Closed,
        (_, Some(_), ..) => S::Assessed,
        (_, _, Some(_), ..) => S::InAssessment,
        (_, _, _, Some(_), _) if course.screening.is_some_and(|s| s.1 == "full-assessment-needed") => {
            S::AwaitingAssessment
        }
        (_, _, _, Some(_), _) => S::Screened,
        (.., Some(_)) => S::InScreening,
        _ => S::Waiting,
    }
}
