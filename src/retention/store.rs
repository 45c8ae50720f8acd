//! Each person's retention row: recomputed from their dates, a batch of people at a time, and
//! the appraisal queue read from it.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use diesel::dsl::{count, count_star, max};
use diesel::prelude::*;

use crate::clock::Millis;
use crate::db::DbConnection;
use crate::db::schema::{
    episodes, legal_holds, mhtr_cases, mhtr_referrals, people, person_retention, retention_decisions,
};
use crate::domain::local_time::local_date;
use crate::domain::retention::{self, Periods, RetentionClass};

/// What the rules and any appraisal give one person today.
struct Computed {
    class: RetentionClass,
    last_contact_on: Option<NaiveDate>,
    review_on: Option<NaiveDate>,
}

/// The latest end of any contact, and whether one is still open, per person.
#[derive(Default, Clone, Copy)]
struct Contact {
    last_ended: Option<Millis>,
    open: bool,
}

fn merge_contacts(into: &mut HashMap<String, Contact>, rows: Vec<(String, Option<Millis>, i64, i64)>) {
    for (person, last, all, ended) in rows {
        let c = into.entry(person).or_default();
        c.last_ended = c.last_ended.max(last);
        c.open |= all > ended;
    }
}

/// Every episode, MHTR case and MHTR referral of these people, one grouped query each.
fn contacts(conn: &mut DbConnection, ids: &[&str]) -> QueryResult<HashMap<String, Contact>> {
    let mut found = HashMap::new();
    let e = episodes::table
        .filter(episodes::person_id.eq_any(ids))
        .group_by(episodes::person_id)
        .select((
            episodes::person_id,
            max(episodes::closed_at),
            count_star(),
            count(episodes::closed_at),
        ))
        .load(conn)?;
    merge_contacts(&mut found, e);
    let c = mhtr_cases::table
        .filter(mhtr_cases::person_id.eq_any(ids))
        .group_by(mhtr_cases::person_id)
        .select((
            mhtr_cases::person_id,
            max(mhtr_cases::closed_at),
            count_star(),
            count(mhtr_cases::closed_at),
        ))
        .load(conn)?;
    merge_contacts(&mut found, c);
    let r = mhtr_referrals::table
        .filter(mhtr_referrals::person_id.eq_any(ids))
        .group_by(mhtr_referrals::person_id)
        .select((
            mhtr_referrals::person_id,
            max(mhtr_referrals::decided_at),
            count_star(),
            count(mhtr_referrals::decided_at),
        ))
        .load(conn)?;
    merge_contacts(&mut found, r);
    Ok(found)
}

fn date(text: &str) -> Option<NaiveDate> {
    text.parse().ok()
}

/// Recomputes the retention rows of these people (ids of records not merged into another).
pub fn recompute(conn: &mut DbConnection, now: Millis, periods: Periods, ids: &[&str]) -> QueryResult<usize> {
    let today = local_date(now);
    let found: Vec<(String, String, Option<String>, Millis)> = people::table
        .filter(people::id.eq_any(ids))
        .filter(people::merged_into.is_null())
        .select((people::id, people::date_of_birth, people::died_on, people::created_at))
        .load(conn)?;
    let contact = contacts(conn, ids)?;
    let extended: HashMap<String, Option<String>> = retention_decisions::table
        .filter(retention_decisions::person_id.eq_any(ids))
        .filter(retention_decisions::decision.eq(super::EXTEND))
        .group_by(retention_decisions::person_id)
        .select((retention_decisions::person_id, max(retention_decisions::new_review_on)))
        .load(conn)?
        .into_iter()
        .collect();
    for (id, born, died, created) in &found {
        let Some(born) = date(born) else { continue };
        let c = contact.get(id).copied().unwrap_or_default();
        let computed = if c.open {
            let class = if retention::age_on(born, today) < 18 {
                RetentionClass::ChildMentalHealth
            } else {
                RetentionClass::MentalHealth
            };
            Computed {
                class,
                last_contact_on: None,
                review_on: None,
            }
        } else {
            let last = local_date(c.last_ended.unwrap_or(*created));
            let rule = retention::review_date(born, last, died.as_deref().and_then(date), periods);
            let extension = extended.get(id).cloned().flatten().as_deref().and_then(date);
            Computed {
                class: rule.class,
                last_contact_on: Some(last),
                review_on: Some(rule.review_on.max(extension.unwrap_or(NaiveDate::MIN))),
            }
        };
        store(conn, id, &computed, today)?;
    }
    Ok(found.len())
}

fn store(conn: &mut DbConnection, id: &str, c: &Computed, today: NaiveDate) -> QueryResult<()> {
    let iso = |d: Option<NaiveDate>| d.map(|d| d.to_string());
    let values = (
        person_retention::class.eq(c.class.code()),
        person_retention::last_contact_on.eq(iso(c.last_contact_on)),
        person_retention::review_on.eq(iso(c.review_on)),
        person_retention::computed_on.eq(today.to_string()),
    );
    let updated = diesel::update(person_retention::table.find(id))
        .set(values.clone())
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(person_retention::table)
            .values((person_retention::person_id.eq(id), values))
            .execute(conn)?;
    }
    Ok(())
}

/// Recomputes the people after `after` in id order, at most `limit`; answers the last id
/// handled, or `None` when there were none left.
pub fn recompute_after(
    conn: &mut DbConnection,
    now: Millis,
    periods: Periods,
    after: &str,
    limit: i64,
) -> QueryResult<Option<String>> {
    let ids: Vec<String> = people::table
        .filter(people::id.gt(after))
        .order(people::id.asc())
        .limit(limit)
        .select(people::id)
        .load(conn)?;
    let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    recompute(conn, now, periods, &refs)?;
    Ok(ids.last().cloned())
}

/// One record on the appraisal queue.
#[derive(Debug, Clone)]
pub struct Due {
    pub person_id: String,
    pub name: String,
    pub date_of_birth: String,
    pub class: RetentionClass,
    pub last_contact_on: Option<String>,
    pub review_on: String,
    pub held: bool,
}

/// Records whose review date has come, not preserved, the longest overdue first.
pub fn due(conn: &mut DbConnection, now: Millis, limit: i64) -> QueryResult<(Vec<Due>, i64)> {
    let today = local_date(now).to_string();
    let base = || {
        person_retention::table
            .filter(person_retention::review_on.le(today.clone()))
            .filter(person_retention::preserved.eq(false))
    };
    let total: i64 = base().count().get_result(conn)?;
    type Found = (String, String, String, String, String, Option<String>, Option<String>);
    let rows: Vec<Found> = base()
        .inner_join(people::table)
        .filter(people::merged_into.is_null())
        .order((person_retention::review_on.asc(), person_retention::person_id.asc()))
        .limit(limit)
        .select((
            people::id,
            people::given_name,
            people::family_name,
            people::date_of_birth,
            person_retention::class,
            person_retention::last_contact_on,
            person_retention::review_on,
        ))
        .load(conn)?;
    let ids: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    let held = held_among(conn, &ids)?;
    let due = rows
        .into_iter()
        .filter_map(|(id, given, family, dob, class, last, review)| {
            Some(Due {
                held: held.contains(&id),
                name: format!("{family}, {given}"),
                person_id: id,
                date_of_birth: dob,
                class: class.parse().ok()?,
                last_contact_on: last,
                review_on: review?,
            })
        })
        .collect();
    Ok((due, total))
}

/// Which of these people have a legal hold in force.
pub fn held_among(conn: &mut DbConnection, ids: &[&str]) -> QueryResult<HashSet<String>> {
    Ok(legal_holds::table
        .filter(legal_holds::person_id.eq_any(ids))
        .filter(legal_holds::lifted_at.is_null())
        .select(legal_holds::person_id)
        .load::<String>(conn)?
        .into_iter()
        .collect())
}
