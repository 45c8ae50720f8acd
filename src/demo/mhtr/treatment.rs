//! The treatment stage of the MHTR demo's stories: the order, sessions, measures, compliance
//! reports and completion.

use diesel::prelude::*;

use super::stories::Story;
use super::{COMPLETED_OUTCOME, SESSIONS, Seeder};
use crate::clock::Millis;
use crate::db::schema::{mhtr_centre_contacts, mhtr_compliance_events, mhtr_measures, mhtr_orders, mhtr_sessions};
use crate::domain::local_time::local_date;
use crate::domain::mhtr::MhtrStatus as S;
use crate::domain::new_id;
use crate::mhtr::hearing::to_stored;

impl Seeder<'_> {
    pub(super) fn treatment(&mut self, id: &str, at: Millis, story: &Story) -> QueryResult<()> {
        let sentenced = self.date(story.hearing_in);
        self.hearing(id, &sentenced, "mhtr-made", None, at)?;
        diesel::insert_into(mhtr_orders::table)
            .values((
                mhtr_orders::case_id.eq(id),
                mhtr_orders::sentenced_on.eq(&sentenced),
                mhtr_orders::order_type.eq("community-order"),
                mhtr_orders::requirement_months.eq(6),
                mhtr_orders::responsible_officer.eq("Demo Responsible Officer (synthetic)"),
                mhtr_orders::responsible_officer_email.eq("demo.brent.pdu@cjsm.net"),
                mhtr_orders::treating_practitioner.eq("Demo MHTR Psychologist"),
                mhtr_orders::recorded_by.eq(self.staff.practitioner),
                mhtr_orders::recorded_at.eq(at),
            ))
            .execute(self.conn)?;
        let completed = story.reached == S::Completed;
        // Weekly sessions from a week after sentence: all 12 for a completed case, else 6 so far.
        let held = if completed { SESSIONS } else { 6 };
        for week in 1..=held {
            let day = story.hearing_in + 7 * week;
            let attendance = match (week, completed) {
                (w, false) if w == held => None,
                (3, _) => Some("did-not-attend"),
                _ => Some("attended"),
            };
            self.session(id, &self.date(day), attendance, at)?;
        }
        self.measure(id, ("core-10", "start", 24), &self.date(story.hearing_in + 7), at)?;
        self.measure(id, ("wemwbs", "start", 33), &self.date(story.hearing_in + 7), at)?;
        self.compliance(id, &self.date(story.hearing_in + 21), at)?;
        diesel::insert_into(mhtr_centre_contacts::table)
            .values((
                mhtr_centre_contacts::id.eq(new_id()),
                mhtr_centre_contacts::case_id.eq(id),
                mhtr_centre_contacts::centre.eq("Brent Women's Centre (demo)"),
                mhtr_centre_contacts::contacted_on.eq(self.date(story.hearing_in + 10)),
                mhtr_centre_contacts::method.eq("meeting"),
                mhtr_centre_contacts::notes.eq("Joined the weekly wellbeing group; help with housing letters"),
                mhtr_centre_contacts::recorded_by.eq(self.staff.practitioner),
                mhtr_centre_contacts::recorded_at.eq(at),
            ))
            .execute(self.conn)
            .map(|_| ())
    }

    fn session(&mut self, id: &str, on: &str, attendance: Option<&str>, at: Millis) -> QueryResult<()> {
        let reason = (attendance == Some("did-not-attend")).then_some("Said she forgot; reminder texts set up");
        diesel::insert_into(mhtr_sessions::table)
            .values((
                mhtr_sessions::id.eq(new_id()),
                mhtr_sessions::case_id.eq(id),
                mhtr_sessions::planned_on.eq(on),
                mhtr_sessions::attendance.eq(attendance),
                mhtr_sessions::reason.eq(reason),
                mhtr_sessions::recorded_by.eq(self.staff.practitioner),
                mhtr_sessions::recorded_at.eq(at),
                mhtr_sessions::updated_at.eq(at),
            ))
            .execute(self.conn)
            .map(|_| ())
    }

    fn measure(
        &mut self,
        id: &str,
        (measure, phase, score): (&str, &str, i32),
        on: &str,
        at: Millis,
    ) -> QueryResult<()> {
        diesel::insert_into(mhtr_measures::table)
            .values((
                mhtr_measures::id.eq(new_id()),
                mhtr_measures::case_id.eq(id),
                mhtr_measures::measure.eq(measure),
                mhtr_measures::phase.eq(phase),
                mhtr_measures::score.eq(score),
                mhtr_measures::taken_on.eq(on),
                mhtr_measures::recorded_by.eq(self.staff.practitioner),
                mhtr_measures::recorded_at.eq(at),
            ))
            .execute(self.conn)
            .map(|_| ())
    }

    fn compliance(&mut self, id: &str, on: &str, at: Millis) -> QueryResult<()> {
        diesel::insert_into(mhtr_compliance_events::table)
            .values((
                mhtr_compliance_events::id.eq(new_id()),
                mhtr_compliance_events::case_id.eq(id),
                mhtr_compliance_events::kind.eq("non-attendance-reported"),
                mhtr_compliance_events::occurred_on.eq(on),
                mhtr_compliance_events::notes.eq("Missed session 3; responsible officer told the same day"),
                mhtr_compliance_events::recorded_by.eq(self.staff.practitioner),
                mhtr_compliance_events::recorded_at.eq(at),
            ))
            .execute(self.conn)
            .map(|_| ())
    }

    pub(super) fn completion(&mut self, id: &str, at: Millis) -> QueryResult<()> {
        self.measure(id, ("core-10", "end", 11), &to_stored(local_date(at)), at)?;
        self.measure(id, ("wemwbs", "end", 49), &to_stored(local_date(at)), at)?;
        diesel::update(mhtr_orders::table.find(id))
            .set((
                mhtr_orders::completion_outcome.eq(COMPLETED_OUTCOME),
                mhtr_orders::completed_at.eq(at),
            ))
            .execute(self.conn)
            .map(|_| ())
    }
}
