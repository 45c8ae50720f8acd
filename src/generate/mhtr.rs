//! Women referred from a court L&D episode to the MHTR team: the intake decision, and for
//! those accepted a case that moves along the pathway a few days a stage until sentence, then
//! through twelve weeks of treatment — or leaves it early with an exit reason. A case whose
//! next step is still in the future is left open where it is, so the caseload looks current.

use chrono::Duration;

use super::episode::Contact;
use super::rng::Rng;
use super::{DAY, Writer, rows, texts};
use crate::clock::Millis;
use crate::domain::local_time::local_date;
use crate::domain::mhtr::MhtrStatus as S;
use crate::mhtr::hearing::to_stored;

/// Exit reasons and the stage each happens at; `None` for a completed order.
const ENDINGS: &[(u32, Option<(&str, S)>)] = &[
    (35, None),
    (12, Some(("ineligible", S::Eligibility))),
    (4, Some(("signposted", S::Assessment))),
    (7, Some(("stepped-to-primary-care", S::Assessment))),
    (10, Some(("consent-declined", S::Consent))),
    (8, Some(("pathway-not-agreed", S::Negotiation))),
    (20, Some(("other-sentence", S::AwaitingSentence))),
    (4, Some(("revoked", S::Treatment))),
];

const DECLINED: &str = "Not eligible: she is pleading not guilty and the trial is listed";

impl<'w> Writer<'w> {
    /// An MHTR referral made from episode `episode_id` at `at`, decided a day or two later.
    pub fn mhtr(&mut self, rng: &mut Rng, episode_id: &str, c: &Contact<'_>, (at, author): (Millis, &'w str)) {
        let world = self.world;
        let id = rng.uuid();
        let hearing = local_date(at) + Duration::days(rng.range(14, 28));
        let decided = at + rng.range(1, 2) * DAY;
        let decision = (decided <= self.now).then(|| if rng.chance(0.25) { "declined" } else { "accepted" });
        self.timeline(
            rng,
            episode_id,
            (at, author),
            "note",
            "Referred to the Women's MHTR team for a suitability assessment".into(),
        );
        let reason = *rng.pick(texts::MHTR_REASONS);
        self.batch.mhtr_referrals.push(rows::MhtrReferral {
            id: id.clone(),
            person_id: c.person_id.to_string(),
            episode_id: Some(episode_id.to_string()),
            team_id: &world.mhtr_team,
            reason,
            hearing_date: Some(to_stored(hearing)),
            status: decision.unwrap_or("new"),
            decline_reason: (decision == Some("declined")).then_some(DECLINED),
            referred_by: author,
            created_at: at,
            decided_by: decision.map(|_| world.mhtr_practitioner.as_str()),
            decided_at: decision.map(|_| decided),
        });
        self.stats.mhtr_referrals += 1;
        if decision == Some("accepted") {
            self.mhtr_case(rng, &id, c, (decided, hearing), reason);
        }
    }

    fn mhtr_case(
        &mut self,
        rng: &mut Rng,
        referral: &str,
        c: &Contact<'_>,
        (accepted, hearing): (Millis, chrono::NaiveDate),
        reason: &'w str,
    ) {
        let world = self.world;
        let who = world.mhtr_practitioner.as_str();
        let id = rng.uuid();
        let sentenced = (crate::domain::local_time::start_of_local_day(accepted)
            + (hearing - local_date(accepted)).num_days() * DAY
            + 11 * 60 * 60_000)
            .max(accepted + 13 * DAY);
        let steps = [
            (S::Referred, S::Eligibility, accepted),
            (S::Eligibility, S::Assessment, accepted + 2 * DAY),
            (S::Assessment, S::Consent, accepted + 5 * DAY),
            (S::Consent, S::Negotiation, accepted + 7 * DAY),
            (S::Negotiation, S::Recommendation, accepted + 10 * DAY),
            (S::Recommendation, S::AwaitingSentence, accepted + 12 * DAY),
            (S::AwaitingSentence, S::Treatment, sentenced),
            (S::Treatment, S::Completed, sentenced + 12 * 7 * DAY),
        ];
        let ending = rng.weighted(ENDINGS);
        let mut status = S::Referred;
        let mut passed = Vec::new();
        let mut exit = None;
        let mut last = accepted;
        for (from, to, at) in steps {
            if let Some((reason, stage)) = ending
                && stage == from
            {
                // Sentence is passed at the hearing; an order is revoked part-way through.
                let at = match reason {
                    "other-sentence" => at,
                    "revoked" => sentenced + 6 * 7 * DAY,
                    _ => at - DAY / 2,
                };
                if at <= self.now {
                    self.mhtr_event(rng, &id, (from, S::Closed), at, None);
                    (status, exit, last) = (S::Closed, Some((reason, at)), at);
                }
                break;
            }
            if at > self.now {
                break;
            }
            let note = (to == S::Eligibility).then_some("Referral accepted at intake");
            self.mhtr_event(rng, &id, (from, to), at, note);
            (status, last) = (to, at);
            passed.push(to);
        }
        let past = |stage: S| passed.contains(&stage);
        let ineligible = exit.filter(|e| e.0 == "ineligible").map(|e| e.1);
        let site = &world.sites[c.site];
        let sentence = past(S::Treatment).then(|| to_stored(local_date(sentenced)));
        if let Some(on) = &sentence {
            let order_type = rng.weighted(&[(70, "community-order"), (30, "suspended-sentence-order")]);
            self.batch
                .mhtr_hearings
                .push(hearing_row(rng, &id, on, "mhtr-made", (sentenced, who)));
            let completed = status == S::Completed;
            self.batch.mhtr_orders.push(rows::MhtrOrder {
                case_id: id.clone(),
                sentenced_on: on.clone(),
                order_type,
                requirement_months: *rng.pick(&[6, 9, 12]),
                responsible_officer: "Synthetic Responsible Officer",
                responsible_officer_email: "demo.brent.pdu@cjsm.net",
                treating_practitioner: "Synthetic MHTR Psychologist",
                completion_outcome: completed.then(|| *rng.pick(&["completed-all-sessions", "completed-some-missed"])),
                completed_at: completed.then_some(sentenced + 12 * 7 * DAY),
                recorded_by: who,
                recorded_at: sentenced,
            });
        }
        if let Some(("other-sentence", at)) = exit {
            self.batch.mhtr_hearings.push(hearing_row(
                rng,
                &id,
                &to_stored(local_date(at)),
                "other-sentence",
                (at, who),
            ));
        }
        self.batch.mhtr_cases.push(rows::MhtrCase {
            person_id: c.person_id.to_string(),
            team_id: &world.mhtr_team,
            referral_id: Some(referral.to_string()),
            status: status.code(),
            referral_source: "court-ld",
            court: Some(&site.name),
            next_hearing: Some(to_stored(hearing)),
            deadline_kind: "fifteen-working-days",
            report_due: Some(to_stored(hearing.min(local_date(accepted) + Duration::days(21)))),
            eligibility_outcome: ineligible
                .map(|_| "ineligible")
                .or(past(S::Assessment).then_some("eligible")),
            eligibility_reasons: ineligible
                .map(|_| "Pleaded not guilty; the trial is listed")
                .or(past(S::Assessment).then_some("")),
            exit_reason: exit.map(|e| e.0),
            exit_note: None,
            accepted_at: accepted,
            eligibility_at: ineligible.or(past(S::Assessment).then_some(accepted + 2 * DAY)),
            closed_at: exit.map(|e| e.1),
            created_by: who,
            created_at: accepted,
            updated_at: last,
            referral_reason: Some(reason),
            referrer_name: None,
            referrer_organisation: None,
            referrer_email: None,
            referrer_phone: None,
            treatment_type: past(S::Negotiation).then_some("secondary-care-coordination"),
            planned_sessions: past(S::Negotiation).then_some(12),
            treating_team: past(S::Negotiation).then_some("Synthetic community mental health team"),
            negotiation_outcome: past(S::Recommendation).then_some("pathway-agreed"),
            id,
        });
        self.stats.mhtr_cases += 1;
    }

    fn mhtr_event(&mut self, rng: &mut Rng, case: &str, (from, to): (S, S), at: Millis, note: Option<&'w str>) {
        self.batch.mhtr_events.push(rows::MhtrCaseEvent {
            id: rng.uuid(),
            case_id: case.to_string(),
            at,
            author_id: &self.world.mhtr_practitioner,
            from_status: from.code(),
            to_status: to.code(),
            note,
        });
    }
}

fn hearing_row<'w>(
    rng: &mut Rng,
    case: &str,
    on: &str,
    outcome: &'w str,
    (at, who): (Millis, &'w str),
) -> rows::MhtrHearing<'w> {
    rows::MhtrHearing {
        id: rng.uuid(),
        case_id: case.to_string(),
        heard_on: on.to_string(),
        outcome,
        adjourned_to: None,
        notes: None,
        recorded_by: who,
        recorded_at: at,
    }
}
