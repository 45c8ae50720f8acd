//! Each person's retention row: recomputed from their dates, a batch of people at a time, and
//! the appraisal queue read from it.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use diesel::dsl::{count, count_star, max};
use diesel::prelude::*;

use crate::clock::Millis;
use crate::db::schema::{
    episodes, legal_holds, mhtr_cases, mhtr_referrals, people, person_retention, retention_decisions,
};
use crate::db::{DbConnection, one_of};
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
        .filter(one_of(episodes::person_id, ids))
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
        .filter(one_of(mhtr_cases::person_id, ids))
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
        .filter(one_of(mhtr_referrals::person_id, ids))
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
    let computed = compute(conn, now, periods, ids)?;
    store_all(conn, local_date(now), &computed, Overwrite::Always)
}

/// What the rules and any appraisal give each of these people today; reads only.
fn compute(
    conn: &mut DbConnection,
    now: Millis,
    periods: Periods,
    ids: &[&str],
) -> QueryResult<Vec<(String, Computed)>> {
    let today = local_date(now);
    let found: Vec<(String, String, Option<String>, Millis)> = people::table
        .filter(one_of(people::id, ids))
        .filter(people::merged_into.is_null())
        .select((people::id, people::date_of_birth, people::died_on, people::created_at))
        .load(conn)?;
    let contact = contacts(conn, ids)?;
    let extended: HashMap<String, Option<String>> = retention_decisions::table
        .filter(one_of(retention_decisions::person_id, ids))
        .filter(retention_decisions::decision.eq(super::EXTEND))
        .group_by(retention_decisions::person_id)
        .select((retention_decisions::person_id, max(retention_decisions::new_review_on)))
        .load(conn)?
        .into_iter()
        .collect();
    let mut computed = Vec::with_capacity(found.len());
    for (id, born, died, created) in found {
        let Some(born) = date(&born) else { continue };
        let c = contact.get(&id).copied().unwrap_or_default();
        let row = if c.open {
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
            let last = local_date(c.last_ended.unwrap_or(created));
            let rule = retention::review_date(born, last, died.as_deref().and_then(date), periods);
            let extension = extended.get(&id).cloned().flatten().as_deref().and_then(date);
            Computed {
                class: rule.class,
                last_contact_on: Some(last),
                review_on: Some(rule.review_on.max(extension.unwrap_or(NaiveDate::MIN))),
            }
        };
        computed.push((id, row));
    }
    Ok(computed)
}

/// Whether a row already worked out today is written again.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Overwrite {
    Always,
    /// The daily pass computes from a snapshot taken before its write: a row worked out since
    /// (a records manager's decision) is newer than what the pass holds, and is kept.
    UnlessWorkedOutToday,
}

fn store_all(
    conn: &mut DbConnection,
    today: NaiveDate,
    rows: &[(String, Computed)],
    overwrite: Overwrite,
) -> QueryResult<usize> {
    let iso = |d: Option<NaiveDate>| d.map(|d| d.to_string());
    let today = today.to_string();
    for (id, c) in rows {
        let values = (
            person_retention::class.eq(c.class.code()),
            person_retention::last_contact_on.eq(iso(c.last_contact_on)),
            person_retention::review_on.eq(iso(c.review_on)),
            person_retention::computed_on.eq(&today),
        );
        let row = person_retention::table.find(id);
        let updated = match overwrite {
            Overwrite::Always => diesel::update(row).set(values.clone()).execute(conn)?,
            Overwrite::UnlessWorkedOutToday => diesel::update(row.filter(person_retention::computed_on.ne(&today)))
                .set(values.clone())
                .execute(conn)?,
        };
        // Nothing updated: no row yet, or (for the pass) one worked out today, which stays.
        let absent = updated == 0
            && (overwrite == Overwrite::Always
                || !diesel::select(diesel::dsl::exists(row)).get_result::<bool>(conn)?);
        if absent {
            diesel::insert_into(person_retention::table)
                .values((person_retention::person_id.eq(id), values))
                .execute(conn)?;
        }
    }
    Ok(rows.len())
}

/// A batch of the daily pass: the next people in id order, worked out from one snapshot
/// without holding the write lock.
pub struct Batch {
    last: Option<String>,
    computed: Vec<(String, Computed)>,
}

impl Batch {
    pub fn read(conn: &mut DbConnection, now: Millis, periods: Periods, after: &str, limit: i64) -> QueryResult<Batch> {
        let ids: Vec<String> = people::table
            .filter(people::id.gt(after))
            .order(people::id.asc())
            .limit(limit)
            .select(people::id)
            .load(conn)?;
        let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        let computed = compute(conn, now, periods, &refs)?;
        Ok(Batch {
            last: ids.last().cloned(),
            computed,
        })
    }

    /// The batch's last person; `None` when no one was left.
    pub fn last(&self) -> Option<&str> {
        self.last.as_deref()
    }

    /// Writes the batch (in the caller's write transaction), keeping rows worked out since.
    pub fn write(&self, conn: &mut DbConnection, now: Millis) -> QueryResult<usize> {
        store_all(conn, local_date(now), &self.computed, Overwrite::UnlessWorkedOutToday)
    }
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
        .filter(one_of(legal_holds::person_id, ids))
        .filter(legal_holds::lifted_at.is_null())
        .select(legal_holds::person_id)
        .load::<String>(conn)?
        .into_iter()
        .collect())
}
