//! What follows a screening or assessment: onward referrals to partner services (chosen by
//! the person's needs) and safeguarding concerns, each noted on the timeline as the
//! application notes them.

use super::episode::{Contact, MINUTE};
use super::rng::Rng;
use super::{DAY, Writer, rows, texts};
use crate::clock::Millis;
use crate::domain::codes::label_of;
use crate::domain::local_time::local_date;
use crate::domain::referral::{CONSENT, LAWFUL_BASES, STATUSES};

const ADULT_SAFEGUARDING: &str = "Brent Adult Safeguarding (demo)";
const CHILDRENS_SAFEGUARDING: &str = "Brent Children's Safeguarding (demo)";
/// The alphabet of referral references (no 0, 1, I or O), as `referrals::new_reference`.
const ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/// How historic referrals ended up.
const OUTCOMES: &[(u32, &str)] = &[
    (33, "attended"),
    (12, "not-attended"),
    (15, "accepted"),
    (10, "declined"),
    (25, "closed"),
    (5, "more-information"),
];

impl<'w> Writer<'w> {
    /// A unique reference, `R-` and seven characters: one longer than the application's own
    /// six, so a referral made later in the app can never collide with a generated one.
    fn referral_reference(&mut self) -> String {
        const SPACE: u64 = 1 << 35;
        self.referral_serial += 1;
        // An odd multiplier is a bijection modulo a power of two: unique, but scattered.
        let mut n = (self.referral_serial.wrapping_mul(0x9E37_79B1) + self.seed) % SPACE;
        let mut code = [b'2'; 7];
        for c in code.iter_mut().rev() {
            *c = ALPHABET[(n % 32) as usize];
            n /= 32;
        }
        format!("R-{}", String::from_utf8_lossy(&code))
    }

    /// The services this person's needs point to, most fitting first.
    fn services_for(&self, c: &Contact<'_>, vulnerabilities: &str) -> Vec<&'w super::world::Service> {
        let needs = [
            (c.youth, "yot"),
            (c.youth, "camhs"),
            (vulnerabilities.contains("suicide-self-harm") && !c.youth, "crisis"),
            (vulnerabilities.contains("mental-health") && !c.youth, "cmht"),
            (
                vulnerabilities.contains("drug-misuse") || vulnerabilities.contains("alcohol-misuse"),
                "substance-misuse",
            ),
            (vulnerabilities.contains("accommodation"), "housing"),
            (vulnerabilities.contains("learning-disability"), "learning-disability"),
            (vulnerabilities.contains("veteran"), "veterans"),
            (c.woman, "womens-centre"),
            (!c.youth, "cmht"),
        ];
        let world: &'w super::world::World = self.world;
        let mut found: Vec<&'w super::world::Service> = Vec::new();
        for service in needs
            .iter()
            .filter(|(need, _)| *need)
            .filter_map(|(_, t)| world.service(t))
        {
            if !found.iter().any(|s| s.id == service.id) {
                found.push(service);
            }
        }
        found
    }

    /// One or two referrals made at `at`; a referral from an episode still open today is
    /// awaiting its answer, an old one has its answer (and often the first appointment).
    pub fn referrals(
        &mut self,
        rng: &mut Rng,
        episode_id: &str,
        c: &Contact<'_>,
        vulnerabilities: &str,
        (at, author): (Millis, &'w str),
        closed: bool,
    ) {
        let services = self.services_for(c, vulnerabilities);
        let wanted = if rng.chance(0.15) { 2 } else { 1 };
        for service in services.into_iter().take(wanted) {
            let consent = rng.weighted(&[(85, "given"), (10, "not-required"), (5, "declined")]);
            let sent = at + rng.range(1, 5) * MINUTE;
            let answered = sent + rng.range(4 * 60, 5 * 24 * 60) * MINUTE;
            let (status, answered_at) = match closed && answered <= self.now {
                true => (rng.weighted(OUTCOMES), Some(answered)),
                false => ("sent", None),
            };
            let reference = self.referral_reference();
            let note = format!(
                "Referral {reference} to {} – {}",
                service.label,
                label_of(CONSENT, consent).unwrap_or(consent)
            );
            self.timeline(rng, episode_id, (at, author), "note", note);
            if let Some(when) = answered_at {
                let label = label_of(STATUSES, status).unwrap_or(status).to_lowercase();
                let body = format!("Referral {reference}: {} answered – {label}", service.label);
                self.timeline(rng, episode_id, (when, author), "contact", body);
            }
            self.batch.referrals.push(rows::Referral {
                id: rng.uuid(),
                episode_id: episode_id.to_string(),
                service_id: Some(&service.id),
                kind: "partner",
                reason: rng.pick::<&str>(texts::REFERRAL_REASONS),
                urgency: rng.weighted(&[(70, "routine"), (22, "soon"), (8, "urgent")]),
                shared_information: rng.pick::<&str>(texts::SHARED),
                consent,
                lawful_basis: (consent == "not-required").then(|| rng.pick(LAWFUL_BASES).0),
                consent_override: (consent == "declined")
                    .then_some("Risk of serious harm to others; shared under the safeguarding policy"),
                status,
                submission_key: rng.uuid(),
                reference,
                answer_reason: (status == "declined").then_some("Does not meet our criteria; signposted to the GP"),
                answer_message: (status == "more-information").then_some("Please send the latest risk assessment"),
                created_by: author,
                created_at: at,
                sent_at: Some(sent.min(self.now)),
                answered_at,
                last_chased_at: None,
                chase_count: 0,
                updated_at: answered_at.unwrap_or(sent.min(self.now)),
            });
            self.stats.referrals += 1;
        }
    }

    /// A safeguarding concern raised with the local authority, and the episode's flag.
    pub fn safeguarding(&mut self, rng: &mut Rng, episode_id: &str, c: &Contact<'_>, (at, author): (Millis, &'w str)) {
        let (kind, agency) = if c.youth {
            ("child", CHILDRENS_SAFEGUARDING)
        } else {
            ("adult", ADULT_SAFEGUARDING)
        };
        let raised_on = local_date(at);
        let agency_reference = rng
            .chance(0.6)
            .then(|| format!("SG-{}-{:06}", raised_on.format("%y"), rng.below(1_000_000)));
        let outcome = (at < self.now - 2 * DAY && rng.chance(0.7)).then(|| *rng.pick(texts::SAFEGUARDING_OUTCOMES));
        let mut note = format!(
            "Safeguarding concern ({kind}) raised with {agency} on {}",
            raised_on.format("%-d %B %Y")
        );
        if let Some(r) = &agency_reference {
            note.push_str(&format!(", reference {r}"));
        }
        if let Some(o) = outcome {
            note.push_str(&format!(". Outcome: {o}"));
        }
        self.timeline(rng, episode_id, (at, author), "note", note);
        self.batch.safeguarding.push(rows::Safeguarding {
            id: rng.uuid(),
            episode_id: episode_id.to_string(),
            kind,
            agency,
            raised_on: raised_on.format("%Y-%m-%d").to_string(),
            agency_reference,
            outcome,
            recorded_by: author,
            recorded_at: at,
        });
        self.stats.safeguarding += 1;
    }
}
