//! People: identity and demographics, found search-first so duplicates are not created.

pub mod alerts;
pub mod edit;
pub mod form;
pub mod handlers;
pub mod merge;
pub mod page;
pub mod search;

use diesel::prelude::*;

use crate::clock::Millis;
use crate::db::DbConnection;
use crate::db::schema::people;
use crate::domain::CalendarDate;

pub const NAV: &[crate::views::nav::NavItem] = &[crate::views::nav::NavItem {
    href: "/people/search",
    label: "Find a person",
    shown_to: crate::auth::CurrentUser::sees_records,
}];

/// Validated person details, ready to store.
#[derive(Debug, Clone)]
pub struct PersonValues {
    pub nhs_number: Option<String>,
    pub pnc_id: Option<String>,
    pub cro_number: Option<String>,
    pub given_name: String,
    pub family_name: String,
    pub date_of_birth: chrono::NaiveDate,
    pub sex: Option<String>,
    pub gender_identity: Option<String>,
    pub ethnic_category: Option<String>,
    pub preferred_language: Option<String>,
    pub interpreter_needed: bool,
    pub gp_practice: Option<String>,
}

/// The stored columns a person's details fill, for adding a person and for correcting one.
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = people, treat_none_as_null = true)]
struct DetailsRow<'a> {
    nhs_number: Option<&'a str>,
    pnc_id: Option<&'a str>,
    cro_number: Option<&'a str>,
    given_name: &'a str,
    family_name: &'a str,
    given_key: String,
    family_key: String,
    date_of_birth: String,
    sex: Option<&'a str>,
    gender_identity: Option<&'a str>,
    ethnic_category: Option<&'a str>,
    preferred_language: Option<&'a str>,
    interpreter_needed: bool,
    gp_practice: Option<&'a str>,
    updated_at: Millis,
}

impl<'a> DetailsRow<'a> {
    fn of(v: &'a PersonValues, now: Millis) -> DetailsRow<'a> {
        use crate::domain::person::name_key;
        DetailsRow {
            nhs_number: v.nhs_number.as_deref(),
            pnc_id: v.pnc_id.as_deref(),
            cro_number: v.cro_number.as_deref(),
            given_name: &v.given_name,
            family_name: &v.family_name,
            given_key: name_key(&v.given_name),
            family_key: name_key(&v.family_name),
            date_of_birth: CalendarDate::from(v.date_of_birth).iso(),
            sex: v.sex.as_deref(),
            gender_identity: v.gender_identity.as_deref(),
            ethnic_category: v.ethnic_category.as_deref(),
            preferred_language: v.preferred_language.as_deref(),
            interpreter_needed: v.interpreter_needed,
            gp_practice: v.gp_practice.as_deref(),
            updated_at: now,
        }
    }
}

pub fn create(conn: &mut DbConnection, now: Millis, user_id: &str, v: &PersonValues) -> QueryResult<String> {
    let id = crate::domain::new_id();
    diesel::insert_into(people::table)
        .values((
            people::id.eq(&id),
            DetailsRow::of(v, now),
            people::created_by.eq(Some(user_id)),
            people::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(id)
}

/// What changed between the record and the new values, each as "Label: 'old' -> 'new'",
/// for the audit trail (which keeps the old values; the record keeps only the new).
pub fn changes(p: &crate::records::Person, v: &PersonValues) -> Vec<String> {
    let shown = |o: &Option<String>| o.clone().unwrap_or_default();
    let old_dob = p.dob();
    let pairs: [(&str, String, String); 12] = [
        ("NHS number", shown(&p.nhs_number), shown(&v.nhs_number)),
        ("PNC ID", shown(&p.pnc_id), shown(&v.pnc_id)),
        ("CRO number", shown(&p.cro_number), shown(&v.cro_number)),
        ("First name", p.given_name.clone(), v.given_name.clone()),
        ("Last name", p.family_name.clone(), v.family_name.clone()),
        ("Date of birth", old_dob.to_string(), v.date_of_birth.to_string()),
        ("Sex", shown(&p.sex), shown(&v.sex)),
        ("Gender identity", shown(&p.gender_identity), shown(&v.gender_identity)),
        ("Ethnic category", shown(&p.ethnic_category), shown(&v.ethnic_category)),
        (
            "Preferred language",
            shown(&p.preferred_language),
            shown(&v.preferred_language),
        ),
        (
            "Interpreter needed",
            p.interpreter_needed.to_string(),
            v.interpreter_needed.to_string(),
        ),
        ("GP practice", shown(&p.gp_practice), shown(&v.gp_practice)),
    ];
    pairs
        .into_iter()
        .filter(|(_, old, new)| old != new)
        .map(|(label, old, new)| format!("{label}: '{old}' -> '{new}'"))
        .collect()
}

pub fn update(conn: &mut DbConnection, now: Millis, id: &str, v: &PersonValues) -> QueryResult<usize> {
    diesel::update(people::table.find(id))
        .set(DetailsRow::of(v, now))
        .execute(conn)
}

pub fn nhs_number_taken(conn: &mut DbConnection, nhs: &str) -> QueryResult<Option<String>> {
    people::table
        .filter(people::nhs_number.eq(nhs))
        .select(people::id)
        .first(conn)
        .optional()
}
