//! Synthetic MHTR cases at every stage of the pathway, from a referral waiting at intake to a
//! completed order, with the records each stage leaves behind. Every woman here is invented.

use chrono::{Duration, NaiveDate};
use diesel::prelude::*;

use crate::clock::Millis;
use crate::db::DbConnection;
use crate::db::schema::{
    mhtr_assessment_sections, mhtr_case_events, mhtr_cases, mhtr_consents, mhtr_hearings, mhtr_negotiation_contacts,
    mhtr_psychology_reviews, partner_services,
};
use crate::domain::local_time::local_date;
use crate::domain::mhtr::{ASSESSMENT_SECTIONS, DeadlineKind, ExitReason, MhtrStatus as S, adjourn, is_working_day};
use crate::domain::new_id;
use crate::mhtr::case::report;
use crate::mhtr::hearing::to_stored;
use crate::mhtr::referral::{self, NewReferral};
use crate::{reports, sites};

mod answers;
mod stories;
mod treatment;

use stories::{STORIES, Story};

const DAY: Millis = 24 * 60 * 60_000;
const COURT: &str = super::ld::WILLESDEN;
/// How the demo's completed order ended.
const COMPLETED_OUTCOME: &str = "completed-some-missed";
/// Treatment is weekly; the completed demo case had all its sessions.
const SESSIONS: i64 = 12;

/// The pathway in order; a case at a stage has passed every stage before it. Every status
/// but the last, the side exit `Closed`.
const PATHWAY: &[S] = S::ALL.split_at(S::ALL.len() - 1).0;

/// Who seeds the MHTR demo, and where its referral from court L&D comes from.
pub struct Staff<'a> {
    pub team_id: &'a str,
    pub practitioner: &'a str,
    pub psychologist: &'a str,
    pub ld_team_id: &'a str,
    pub ld_practitioner: &'a str,
}

/// How many women the MHTR demo adds: one a story, and the one waiting at intake.
pub const WOMEN: usize = STORIES.len() + 1;

struct Seeder<'a> {
    conn: &'a mut DbConnection,
    now: Millis,
    staff: Staff<'a>,
    cmht: Option<String>,
}

/// Adds the MHTR demo unless the team already has cases.
pub fn seed(conn: &mut DbConnection, now: Millis, staff: Staff<'_>) -> QueryResult<()> {
    let existing: i64 = mhtr_cases::table
        .filter(mhtr_cases::team_id.eq(staff.team_id))
        .count()
        .get_result(conn)?;
    if existing > 0 {
        return Ok(());
    }
    let cmht = partner_services::table
        .filter(partner_services::service_type.eq("cmht"))
        .select(partner_services::id)
        .first(conn)
        .optional()?;
    let mut s = Seeder { conn, now, staff, cmht };
    for story in STORIES {
        s.case(story)?;
    }
    s.referral_from_court_ld()
}

impl Seeder<'_> {
    fn today(&self) -> NaiveDate {
        local_date(self.now)
    }

    /// The first weekday `days` from today.
    fn court_day(&self, days: i64) -> NaiveDate {
        court_day_from(self.today() + Duration::days(days))
    }

    /// The stored form of the weekday `days_from_today` away (or the next): the demo's
    /// hearings and appointments fall when courts and services work.
    fn date(&self, days_from_today: i64) -> String {
        to_stored(self.court_day(days_from_today))
    }

    /// A woman waiting at intake: assessed by the court L&D team this morning, referred on.
    fn referral_from_court_ld(&mut self) -> QueryResult<()> {
        let Some(site) = sites::list(self.conn, true)?.into_iter().find(|s| s.name == COURT) else {
            return Ok(());
        };
        let woman = (100, "Mina", "Demo-Morris", (1994, 11, 19));
        let author = self.staff.ld_practitioner;
        let person = super::ld::person(self.conn, self.now, author, woman)?;
        let at = (self.now, 150);
        let concern = "Tearful in the dock; describes voices and years of untreated depression";
        let episode = super::ld::assessed_at_court(
            self.conn,
            at,
            (self.staff.ld_team_id, author),
            (&person, &site.id),
            concern,
        )?;
        let new = NewReferral {
            person_id: &person,
            episode_id: Some(&episode),
            team_id: self.staff.team_id,
            reason: "Pleaded guilty to theft; sentencing adjourned for reports. Long history of depression, \
                     never treated; she would like help. An MHTR may suit her.",
            hearing_date: Some(self.court_day(5)),
            referred_by: author,
        };
        referral::create(self.conn, self.now - 60 * 60_000, &new)?;
        Ok(())
    }

    fn case(&mut self, story: &Story) -> QueryResult<()> {
        let person = super::ld::person(self.conn, self.now, self.staff.practitioner, story.woman)?;
        let id = new_id();
        let accepted = self.now - story.days_ago * DAY;
        let accepted_on = local_date(accepted);
        let hearing = self.court_day(story.hearing_in);
        let external = story.source != "court-ld";
        diesel::insert_into(mhtr_cases::table)
            .values((
                mhtr_cases::id.eq(&id),
                mhtr_cases::person_id.eq(&person),
                mhtr_cases::team_id.eq(self.staff.team_id),
                mhtr_cases::status.eq(S::Referred.code()),
                mhtr_cases::referral_source.eq(story.source),
                mhtr_cases::court.eq(COURT),
                mhtr_cases::next_hearing.eq(to_stored(hearing)),
                mhtr_cases::deadline_kind.eq("fifteen-working-days"),
                mhtr_cases::report_due.eq(to_stored(hearing.min(accepted_on + Duration::days(21)))),
                mhtr_cases::referral_reason.eq("Synthetic demo referral: low mood, anxiety and self-harm; \
                                                 sentencing for a low-level offence"),
                mhtr_cases::referrer_name.eq(external.then_some("Demo Referrer (synthetic)")),
                mhtr_cases::referrer_organisation.eq(external.then_some("Demo Court Probation Team")),
                mhtr_cases::referrer_email.eq(external.then_some("demo.court.probation@cjsm.net")),
                mhtr_cases::accepted_at.eq(accepted),
                mhtr_cases::created_by.eq(self.staff.practitioner),
                mhtr_cases::created_at.eq(accepted),
                mhtr_cases::updated_at.eq(accepted),
            ))
            .execute(self.conn)?;
        let steps = PATHWAY.iter().position(|s| *s == story.reached).unwrap_or(0);
        // Each step a day after the one before until sentence; treatment runs weekly from it.
        let sentenced = self.now + (hearing - self.today()).num_days() * DAY;
        let at = |step: usize| match PATHWAY[step] {
            S::Treatment => sentenced,
            S::Completed => sentenced + (7 * SESSIONS + 1) * DAY,
            _ => accepted + step as i64 * DAY,
        };
        for step in 1..=steps {
            self.event(&id, at(step), (PATHWAY[step - 1], PATHWAY[step]), None)?;
            self.stage_records(&id, PATHWAY[step], at(step), story)?;
        }
        let mut status = story.reached;
        if let Some((reason, note)) = story.exit {
            let closed = at(steps) + DAY / 2;
            self.event(&id, closed, (story.reached, S::Closed), Some(note))?;
            diesel::update(mhtr_cases::table.find(&id))
                .set((
                    mhtr_cases::closed_at.eq(closed),
                    mhtr_cases::exit_reason.eq(reason.code()),
                    mhtr_cases::exit_note.eq(note),
                ))
                .execute(self.conn)?;
            if reason == ExitReason::OtherSentence {
                self.hearing(&id, &to_stored(hearing), "other-sentence", None, closed)?;
            }
            status = S::Closed;
        }
        if story.reached == S::AwaitingSentence && story.exit.is_none() {
            self.adjournment(&id, hearing, accepted)?;
        }
        diesel::update(mhtr_cases::table.find(&id))
            .set(mhtr_cases::status.eq(status.code()))
            .execute(self.conn)?;
        let reached = |stage: S| PATHWAY[..=steps].contains(&stage);
        if reached(S::Recommendation) {
            // Drafted on reaching recommendation; signed off by the psychologist next day.
            let case = crate::mhtr::case::find(self.conn, &id)?.ok_or(diesel::result::Error::NotFound)?;
            let drafted = accepted + 5 * DAY;
            let report = report::draft_from_case(self.conn, drafted, self.staff.practitioner, &case)?;
            if reached(S::AwaitingSentence) {
                reports::sign_off(self.conn, drafted + DAY / 2, &report, self.staff.psychologist, &[])
                    .map_err(|_| diesel::result::Error::RollbackTransaction)?;
            }
        }
        Ok(())
    }

    /// The records a case has once it has reached `stage`.
    fn stage_records(&mut self, id: &str, stage: S, at: Millis, story: &Story) -> QueryResult<()> {
        match stage {
            S::Assessment => {
                diesel::update(mhtr_cases::table.find(id))
                    .set((
                        mhtr_cases::eligibility_outcome.eq("eligible"),
                        mhtr_cases::eligibility_reasons.eq(""),
                        mhtr_cases::eligibility_at.eq(at),
                    ))
                    .execute(self.conn)?;
                // A case still at assessment has three sections done; later ones all.
                let done = if story.reached == S::Assessment {
                    3
                } else {
                    ASSESSMENT_SECTIONS.len()
                };
                self.assessment(id, at, done)
            }
            S::Negotiation => {
                self.consent(id, at)?;
                // Still negotiating: one contact so far, no review yet.
                if story.reached == S::Negotiation {
                    self.negotiation(id, at, false)?;
                }
                Ok(())
            }
            S::Recommendation => self.negotiation(id, at, true),
            S::Treatment => self.treatment(id, at, story),
            S::Completed => self.completion(id, at),
            S::Referred | S::Eligibility | S::Consent | S::AwaitingSentence | S::Closed => Ok(()),
        }
    }

    fn event(&mut self, id: &str, at: Millis, (from, to): (S, S), note: Option<&str>) -> QueryResult<()> {
        diesel::insert_into(mhtr_case_events::table)
            .values((
                mhtr_case_events::id.eq(new_id()),
                mhtr_case_events::case_id.eq(id),
                mhtr_case_events::at.eq(at),
                mhtr_case_events::author_id.eq(self.staff.practitioner),
                mhtr_case_events::from_status.eq(from.code()),
                mhtr_case_events::to_status.eq(to.code()),
                mhtr_case_events::note.eq(note),
            ))
            .execute(self.conn)
            .map(|_| ())
    }

    fn assessment(&mut self, id: &str, at: Millis, sections_done: usize) -> QueryResult<()> {
        for (n, section) in ASSESSMENT_SECTIONS.iter().enumerate() {
            let complete = n < sections_done;
            let content: serde_json::Map<String, serde_json::Value> = section
                .fields
                .iter()
                .filter(|_| complete || n == sections_done)
                .map(|(code, _)| (code.to_string(), answers::answer(code).into()))
                .collect();
            if content.is_empty() {
                continue;
            }
            diesel::insert_into(mhtr_assessment_sections::table)
                .values((
                    mhtr_assessment_sections::case_id.eq(id),
                    mhtr_assessment_sections::section.eq(section.code),
                    mhtr_assessment_sections::content.eq(serde_json::Value::Object(content).to_string()),
                    mhtr_assessment_sections::complete.eq(complete),
                    mhtr_assessment_sections::updated_by.eq(self.staff.practitioner),
                    mhtr_assessment_sections::updated_at.eq(at),
                ))
                .execute(self.conn)?;
        }
        Ok(())
    }

    fn consent(&mut self, id: &str, at: Millis) -> QueryResult<()> {
        diesel::insert_into(mhtr_consents::table)
            .values((
                mhtr_consents::id.eq(new_id()),
                mhtr_consents::case_id.eq(id),
                mhtr_consents::decision.eq("given"),
                mhtr_consents::decided_on.eq(to_stored(local_date(at))),
                mhtr_consents::capacity_note.eq("Understood, retained and weighed what an MHTR involves and \
                                                  what happens if she misses sessions; communicated her choice."),
                mhtr_consents::witness.eq("Demo Duty Probation Officer (synthetic)"),
                mhtr_consents::recorded_by.eq(self.staff.practitioner),
                mhtr_consents::recorded_at.eq(at),
            ))
            .execute(self.conn)?;
        diesel::update(mhtr_cases::table.find(id))
            .set((
                mhtr_cases::treatment_type.eq("primary-care-psychological-therapy"),
                mhtr_cases::planned_sessions.eq(12),
                mhtr_cases::treating_team.eq("Demo MHTR psychology team"),
            ))
            .execute(self.conn)
            .map(|_| ())
    }

    fn negotiation(&mut self, id: &str, at: Millis, agreed: bool) -> QueryResult<()> {
        let Some(cmht) = self.cmht.clone() else {
            return Ok(());
        };
        diesel::insert_into(mhtr_negotiation_contacts::table)
            .values((
                mhtr_negotiation_contacts::id.eq(new_id()),
                mhtr_negotiation_contacts::case_id.eq(id),
                mhtr_negotiation_contacts::service_id.eq(cmht),
                mhtr_negotiation_contacts::clinician.eq("Dr Demo Consultant (synthetic)"),
                mhtr_negotiation_contacts::contacted_on.eq(to_stored(local_date(at))),
                mhtr_negotiation_contacts::method.eq("phone"),
                mhtr_negotiation_contacts::agreed.eq("Primary care therapy first; CMHT will review if risk rises"),
                mhtr_negotiation_contacts::recorded_by.eq(self.staff.practitioner),
                mhtr_negotiation_contacts::recorded_at.eq(at),
            ))
            .execute(self.conn)?;
        if !agreed {
            return Ok(());
        }
        diesel::insert_into(mhtr_psychology_reviews::table)
            .values((
                mhtr_psychology_reviews::id.eq(new_id()),
                mhtr_psychology_reviews::case_id.eq(id),
                mhtr_psychology_reviews::reviewer_id.eq(self.staff.psychologist),
                mhtr_psychology_reviews::reviewed_on.eq(to_stored(local_date(at))),
                mhtr_psychology_reviews::decision.eq("supported"),
                mhtr_psychology_reviews::notes.eq("Suitable for 12 sessions of trauma-informed therapy"),
                mhtr_psychology_reviews::recorded_by.eq(self.staff.psychologist),
                mhtr_psychology_reviews::recorded_at.eq(at),
            ))
            .execute(self.conn)?;
        diesel::update(mhtr_cases::table.find(id))
            .set(mhtr_cases::negotiation_outcome.eq("pathway-agreed"))
            .execute(self.conn)
            .map(|_| ())
    }

    fn hearing(&mut self, id: &str, on: &str, outcome: &str, to: Option<&str>, at: Millis) -> QueryResult<()> {
        diesel::insert_into(mhtr_hearings::table)
            .values((
                mhtr_hearings::id.eq(new_id()),
                mhtr_hearings::case_id.eq(id),
                mhtr_hearings::heard_on.eq(on),
                mhtr_hearings::outcome.eq(outcome),
                mhtr_hearings::adjourned_to.eq(to),
                mhtr_hearings::recorded_by.eq(self.staff.practitioner),
                mhtr_hearings::recorded_at.eq(at),
            ))
            .execute(self.conn)
            .map(|_| ())
    }

    /// The first hearing was adjourned for the report; the deadline moved with it.
    fn adjournment(&mut self, id: &str, new_hearing: NaiveDate, accepted: Millis) -> QueryResult<()> {
        let first = court_day_from(local_date(accepted) + Duration::days(1));
        let at = accepted + (first - local_date(accepted)).num_days() * DAY + 60 * 60_000;
        self.hearing(id, &to_stored(first), "adjourned", Some(&to_stored(new_hearing)), at)?;
        self.event(
            id,
            at,
            (S::Eligibility, S::Eligibility),
            Some("Adjourned for the report"),
        )?;
        let due = adjourn(DeadlineKind::FifteenWorkingDays, first, new_hearing);
        diesel::update(mhtr_cases::table.find(id))
            .set(mhtr_cases::report_due.eq(to_stored(due)))
            .execute(self.conn)
            .map(|_| ())
    }
}

/// `day`, or the weekday after it: courts do not sit at weekends.
fn court_day_from(mut day: NaiveDate) -> NaiveDate {
    while !is_working_day(day) {
        day += Duration::days(1);
    }
    day
}
