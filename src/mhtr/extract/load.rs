//! Loads the facts of every case of some teams: each child table once for all the cases,
//! grouped in memory, so the query count does not grow with the number of cases.

use std::collections::{HashMap, HashSet};

use diesel::prelude::*;

use super::columns::{CaseFacts, Measure, Order, Sessions};
use crate::clock::Millis;
use crate::db::schema::{
    mhtr_case_events, mhtr_cases, mhtr_compliance_events, mhtr_hearings, mhtr_measures, mhtr_orders, mhtr_referrals,
    mhtr_sessions, people, teams,
};
use crate::db::{DbConnection, from_text, one_of};
use crate::domain::CalendarDate;
use crate::domain::ids::TeamId;
use crate::mhtr::case::MhtrCase;
use crate::records::Person;

const ATTENDED: &str = "attended";
/// A session the service cancelled was never offered.
const CANCELLED_BY_SERVICE: &str = "cancelled-by-service";
const BREACH_REFERRED: &str = "breach-referred";

pub fn cases(conn: &mut DbConnection, team_ids: &[TeamId]) -> QueryResult<Vec<CaseFacts>> {
    let in_teams = one_of(mhtr_cases::team_id, team_ids);
    // An internal referral reached the team when L&D sent it, before the case opened.
    let found: Vec<(MhtrCase, Person, String, Option<Millis>)> = mhtr_cases::table
        .inner_join(people::table)
        .inner_join(teams::table.on(teams::id.eq(mhtr_cases::team_id)))
        .left_join(mhtr_referrals::table.on(mhtr_cases::referral_id.eq(mhtr_referrals::id.nullable())))
        .filter(in_teams.clone())
        .order((mhtr_cases::created_at.asc(), mhtr_cases::id.asc()))
        .select((
            MhtrCase::as_select(),
            Person::as_select(),
            teams::name,
            mhtr_referrals::created_at.nullable(),
        ))
        .load(conn)?;

    let mut reached: HashMap<String, HashMap<String, Millis>> = HashMap::new();
    let events: Vec<(String, String, String, Millis)> = mhtr_case_events::table
        .inner_join(mhtr_cases::table)
        .filter(in_teams.clone())
        .select((
            mhtr_case_events::case_id,
            mhtr_case_events::from_status,
            mhtr_case_events::to_status,
            mhtr_case_events::at,
        ))
        .load(conn)?;
    for (case_id, from, to, at) in events {
        // Staying put (a referral received, an adjournment) reaches nothing new.
        if from == to {
            continue;
        }
        let first = reached.entry(case_id).or_default().entry(to).or_insert(at);
        *first = (*first).min(at);
    }

    let mut sessions: HashMap<String, Sessions> = HashMap::new();
    let rows: Vec<(String, String, Option<String>)> = mhtr_sessions::table
        .inner_join(mhtr_cases::table)
        .filter(in_teams.clone())
        .select((
            mhtr_sessions::case_id,
            mhtr_sessions::planned_on,
            mhtr_sessions::attendance,
        ))
        .load(conn)?;
    for (case_id, planned_on, attendance) in rows {
        let entry = sessions.entry(case_id).or_default();
        match attendance.as_deref() {
            Some(ATTENDED) => {
                entry.attended += 1;
                entry.offered += 1;
                let on: CalendarDate = from_text(planned_on)?;
                entry.first_attended = Some(entry.first_attended.map_or(on, |first| first.min(on)));
            }
            Some(CANCELLED_BY_SERVICE) | None => {}
            Some(_) => entry.offered += 1,
        }
    }
    let breaches: HashSet<String> = mhtr_compliance_events::table
        .inner_join(mhtr_cases::table)
        .filter(in_teams.clone())
        .filter(mhtr_compliance_events::kind.eq(BREACH_REFERRED))
        .select(mhtr_compliance_events::case_id)
        .load::<String>(conn)?
        .into_iter()
        .collect();

    let mut measures: HashMap<String, Vec<Measure>> = HashMap::new();
    let rows: Vec<(String, String, String, i32, String, Millis)> = mhtr_measures::table
        .inner_join(mhtr_cases::table)
        .filter(in_teams.clone())
        .select((
            mhtr_measures::case_id,
            mhtr_measures::measure,
            mhtr_measures::phase,
            mhtr_measures::score,
            mhtr_measures::taken_on,
            mhtr_measures::recorded_at,
        ))
        .load(conn)?;
    for (case_id, measure, phase, score, taken_on, recorded_at) in rows {
        measures.entry(case_id).or_default().push(Measure {
            measure,
            phase,
            score,
            taken_on: from_text(taken_on)?,
            recorded_at,
        });
    }

    let mut latest_hearing: HashMap<String, (CalendarDate, Millis, String)> = HashMap::new();
    let hearings: Vec<(String, String, Millis, String)> = mhtr_hearings::table
        .inner_join(mhtr_cases::table)
        .filter(in_teams.clone())
        .select((
            mhtr_hearings::case_id,
            mhtr_hearings::heard_on,
            mhtr_hearings::recorded_at,
            mhtr_hearings::outcome,
        ))
        .load(conn)?;
    for (case_id, heard_on, recorded_at, outcome) in hearings {
        let candidate = (from_text(heard_on)?, recorded_at, outcome);
        let entry = latest_hearing.entry(case_id).or_insert_with(|| candidate.clone());
        if (candidate.0, candidate.1) > (entry.0, entry.1) {
            *entry = candidate;
        }
    }

    let orders: HashMap<String, Order> = mhtr_orders::table
        .inner_join(mhtr_cases::table)
        .filter(in_teams)
        .select((
            mhtr_orders::case_id,
            mhtr_orders::order_type,
            mhtr_orders::completion_outcome,
            mhtr_orders::completed_at,
        ))
        .load::<(String, String, Option<String>, Option<Millis>)>(conn)?
        .into_iter()
        .map(|(case_id, order_type, completion_outcome, completed_at)| {
            let order = Order {
                order_type,
                completion_outcome,
                completed_at,
            };
            (case_id, order)
        })
        .collect();

    Ok(found
        .into_iter()
        .map(|(case, person, team, referred)| CaseFacts {
            referred_at: referred.unwrap_or(case.created_at),
            reached: reached.remove(case.id.as_str()).unwrap_or_default(),
            sessions: sessions.remove(case.id.as_str()).unwrap_or_default(),
            breach_referred: breaches.contains(case.id.as_str()),
            measures: measures.remove(case.id.as_str()).unwrap_or_default(),
            court_outcome: latest_hearing.remove(case.id.as_str()).map(|(_, _, outcome)| outcome),
            order: orders.get(case.id.as_str()).cloned(),
            case,
            person,
            team,
        })
        .collect())
}
