//! Search-first person lookup: by NHS number, PNC ID, or name and date of birth, tolerant of
//! case, accents, hyphens and apostrophes, swapped names, nicknames and small typos.
//! Every query uses an index (NHS number, PNC ID, or date of birth / family name); the
//! tolerant comparison then runs over those few candidates in Rust.

use chrono::NaiveDate;
use diesel::prelude::*;
use serde::Deserialize;

use crate::db::schema::people;
use crate::db::{DbConnection, one_of};
use crate::domain::CalendarDate;
use crate::domain::identifiers::{NhsNumber, PncId};
use crate::domain::person::{given_names_match, name_key, parse_date_of_birth};
use crate::records::Person;
use crate::views::form::Errors;

/// At most this many people share a date of birth in the candidates read for one search.
const DOB_CANDIDATES: i64 = 5_000;
pub const MAX_RESULTS: usize = 20;

#[derive(Debug, Default, Clone, Deserialize)]
pub struct SearchForm {
    #[serde(default)]
    pub nhs_number: String,
    #[serde(default)]
    pub pnc_id: String,
    #[serde(default)]
    pub given_name: String,
    #[serde(default)]
    pub family_name: String,
    #[serde(default, rename = "dob-day")]
    pub dob_day: String,
    #[serde(default, rename = "dob-month")]
    pub dob_month: String,
    #[serde(default, rename = "dob-year")]
    pub dob_year: String,
}

/// What a search looks for, validated.
#[derive(Debug, Default)]
pub struct Criteria {
    pub nhs: Option<NhsNumber>,
    pub pnc: Option<PncId>,
    pub given: String,
    pub family: String,
    pub dob: Option<NaiveDate>,
}

impl SearchForm {
    pub fn is_empty(&self) -> bool {
        [
            &self.nhs_number,
            &self.pnc_id,
            &self.given_name,
            &self.family_name,
            &self.dob_day,
            &self.dob_month,
            &self.dob_year,
        ]
        .iter()
        .all(|s| s.trim().is_empty())
    }

    pub fn criteria(&self, today: NaiveDate) -> Result<Criteria, Errors> {
        let mut errors = Errors::default();
        let mut c = Criteria {
            given: self.given_name.trim().into(),
            family: self.family_name.trim().into(),
            ..Criteria::default()
        };
        if !self.nhs_number.trim().is_empty() {
            match NhsNumber::parse(&self.nhs_number) {
                Ok(n) => c.nhs = Some(n),
                Err(m) => errors.add("nhs_number", m),
            }
        }
        if !self.pnc_id.trim().is_empty() {
            match PncId::parse(&self.pnc_id) {
                Ok(p) => c.pnc = Some(p),
                Err(m) => errors.add("pnc_id", m),
            }
        }
        let dob_typed = [&self.dob_day, &self.dob_month, &self.dob_year]
            .iter()
            .any(|s| !s.trim().is_empty());
        if dob_typed {
            match parse_date_of_birth(&self.dob_day, &self.dob_month, &self.dob_year, today) {
                Ok(d) => c.dob = Some(d),
                Err((field, message)) => errors.add(field, message),
            }
        }
        let by_name = !c.family.is_empty() && dob_typed;
        if errors.is_empty() && c.nhs.is_none() && c.pnc.is_none() && !by_name {
            errors.add(
                "nhs_number",
                "Enter an NHS number, a PNC ID, or a last name and date of birth",
            );
        }
        if errors.is_empty() { Ok(c) } else { Err(errors) }
    }
}

/// A person who may be the one being looked for, and why.
#[derive(Debug, Clone)]
pub struct Match {
    pub person: Person,
    pub reasons: Vec<&'static str>,
}

fn within_one_edit(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let (mut i, mut j, mut edits) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            i += 1;
            j += 1;
            continue;
        }
        edits += 1;
        if edits > 1 {
            return false;
        }
        match a.len().cmp(&b.len()) {
            std::cmp::Ordering::Greater => i += 1,
            std::cmp::Ordering::Less => j += 1,
            std::cmp::Ordering::Equal => {
                // A swap of two neighbouring letters counts as one edit.
                if i + 1 < a.len() && a[i] == b[j + 1] && a[i + 1] == b[j] {
                    i += 1;
                    j += 1;
                }
                i += 1;
                j += 1;
            }
        }
    }
    edits + (a.len() - i) + (b.len() - j) <= 1
}

pub const SAME_NAME_AND_BIRTH: &str = "Name and date of birth match";

/// Why a candidate with the right date of birth matches the names typed, if it does.
fn name_reason(c: &Criteria, given_name: &str, family_key: &str) -> Option<&'static str> {
    let (given, family) = (name_key(&c.given), name_key(&c.family));
    let given_ok = given.is_empty() || given_names_match(&c.given, given_name);
    if family == family_key && given_ok {
        return Some(SAME_NAME_AND_BIRTH);
    }
    if !given.is_empty() && given == family_key && given_names_match(&c.family, given_name) {
        return Some("Date of birth matches; first and last names are swapped");
    }
    if within_one_edit(&family, family_key) && given_ok {
        return Some("Date of birth matches; last name is spelled slightly differently");
    }
    if family == family_key {
        return Some("Last name and date of birth match; first name differs");
    }
    None
}

pub fn find_matches(conn: &mut DbConnection, c: &Criteria) -> QueryResult<Vec<Match>> {
    let mut found: Vec<Match> = Vec::new();
    let mut add = |person: Person, reason: &'static str| match found.iter_mut().find(|m| m.person.id == person.id) {
        Some(m) => m.reasons.push(reason),
        None => found.push(Match {
            person,
            reasons: vec![reason],
        }),
    };
    if let Some(nhs) = &c.nhs {
        for p in people::table
            .filter(people::nhs_number.eq(nhs.as_str()))
            .filter(people::merged_into.is_null())
            .select(Person::as_select())
            .load(conn)?
        {
            add(p, "NHS number matches");
        }
    }
    if let Some(pnc) = &c.pnc {
        for p in people::table
            .filter(people::pnc_id.eq(pnc.canonical()))
            .filter(people::merged_into.is_null())
            .select(Person::as_select())
            .limit(MAX_RESULTS as i64)
            .load(conn)?
        {
            add(p, "PNC ID matches");
        }
    }
    if let Some(dob) = c.dob
        && !c.family.is_empty()
    {
        // Everyone born that day, by name only (a hundred or so in a million people); whole
        // records only for those whose names match.
        let candidates: Vec<(String, String, String)> = people::table
            .filter(people::date_of_birth.eq(CalendarDate::from(dob).iso()))
            .filter(people::merged_into.is_null())
            .select((people::id, people::given_name, people::family_key))
            .limit(DOB_CANDIDATES)
            .load(conn)?;
        let reasons: Vec<(String, &'static str)> = candidates
            .into_iter()
            .filter_map(|(id, given, family)| name_reason(c, &given, &family).map(|reason| (id, reason)))
            .take(MAX_RESULTS)
            .collect();
        if !reasons.is_empty() {
            let ids: Vec<&str> = reasons.iter().map(|(id, _)| id.as_str()).collect();
            let mut people: Vec<Person> = people::table
                .filter(one_of(people::id, &ids))
                .select(Person::as_select())
                .load(conn)?;
            for (id, reason) in &reasons {
                if let Some(at) = people.iter().position(|p| p.id == *id) {
                    add(people.swap_remove(at), reason);
                }
            }
        }
    }
    found.truncate(MAX_RESULTS);
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::within_one_edit;

    #[test]
    fn one_edit_apart() {
        assert!(within_one_edit("smith", "smyth"));
        assert!(within_one_edit("smith", "smiths"));
        assert!(within_one_edit("smith", "mith"));
        assert!(within_one_edit("smith", "smtih"), "neighbouring letters swapped");
        assert!(!within_one_edit("smith", "jones"));
        assert!(!within_one_edit("smith", "smythe"));
    }
}
