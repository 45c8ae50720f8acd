//! A person: the identity every episode, case and referral hangs on.

use diesel::prelude::*;

use crate::clock::Millis;
use crate::db::DbConnection;
use crate::db::schema::people;
use crate::domain::CalendarDate;
use crate::domain::ids::PersonId;

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = people)]
pub struct Person {
    pub id: PersonId,
    pub nhs_number: Option<String>,
    pub pnc_id: Option<String>,
    pub cro_number: Option<String>,
    pub given_name: String,
    pub family_name: String,
    pub given_key: String,
    pub family_key: String,
    #[diesel(deserialize_as = String)]
    pub date_of_birth: CalendarDate,
    pub sex: Option<String>,
    pub gender_identity: Option<String>,
    pub ethnic_category: Option<String>,
    pub preferred_language: Option<String>,
    pub interpreter_needed: bool,
    pub gp_practice: Option<String>,
    pub created_by: Option<String>,
    pub created_at: Millis,
    pub updated_at: Millis,
    /// The record this one was merged into, as a duplicate: its address redirects there.
    pub merged_into: Option<PersonId>,
}

impl Person {
    /// "SMITH, Jane" — the order custody and court lists use.
    pub fn list_name(&self) -> String {
        format!("{}, {}", self.family_name.to_uppercase(), self.given_name)
    }

    pub fn full_name(&self) -> String {
        format!("{} {}", self.given_name, self.family_name)
    }

    pub fn dob(&self) -> chrono::NaiveDate {
        self.date_of_birth.date()
    }

    /// "15 Mar 1990".
    pub fn dob_display(&self) -> String {
        crate::domain::local_time::day(self.date_of_birth)
    }

    /// Whether she may be referred to the (women's, adult) MHTR service as of `now`: `Err`
    /// with the reason shown instead of the referral.
    pub fn mhtr_offered(&self, now: crate::clock::Millis) -> Result<(), &'static str> {
        use crate::domain::{local_time, person::age_on};
        crate::domain::mhtr::offer::offered(
            age_on(self.dob(), local_time::local_date(now)),
            self.sex.as_deref(),
            self.gender_identity.as_deref(),
        )
    }

    pub fn nhs_display(&self) -> Option<String> {
        let n = self.nhs_number.as_deref()?;
        crate::domain::identifiers::NhsNumber::parse(n)
            .ok()
            .map(|n| n.formatted())
    }
}

pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<Person>> {
    people::table
        .find(id)
        .select(Person::as_select())
        .first(conn)
        .optional()
}

/// The record this one was merged into, if it was; no personal data.
pub fn merged_into(conn: &mut DbConnection, id: &str) -> QueryResult<Option<String>> {
    Ok(people::table
        .find(id)
        .select(people::merged_into)
        .first::<Option<String>>(conn)
        .optional()?
        .flatten())
}

/// The people merged into this one and not undone: their audit trails are now its too.
pub fn merged_ids(conn: &mut DbConnection, kept_id: &str) -> QueryResult<Vec<String>> {
    use crate::db::schema::person_merges;
    person_merges::table
        .filter(person_merges::kept_id.eq(kept_id))
        .filter(person_merges::undone_at.is_null())
        .select(person_merges::merged_id)
        .load(conn)
}
