//! People: identity and demographics, found search-first so duplicates are not created.

pub mod form;
pub mod handlers;
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

pub fn create(conn: &mut DbConnection, now: Millis, user_id: &str, v: &PersonValues) -> QueryResult<String> {
    use crate::domain::person::name_key;
    let id = crate::domain::new_id();
    diesel::insert_into(people::table)
        .values((
            people::id.eq(&id),
            people::nhs_number.eq(&v.nhs_number),
            people::pnc_id.eq(&v.pnc_id),
            people::cro_number.eq(&v.cro_number),
            people::given_name.eq(&v.given_name),
            people::family_name.eq(&v.family_name),
            people::given_key.eq(name_key(&v.given_name)),
            people::family_key.eq(name_key(&v.family_name)),
            people::date_of_birth.eq(CalendarDate::from(v.date_of_birth).iso()),
            people::sex.eq(&v.sex),
            people::gender_identity.eq(&v.gender_identity),
            people::ethnic_category.eq(&v.ethnic_category),
            people::preferred_language.eq(&v.preferred_language),
            people::interpreter_needed.eq(v.interpreter_needed),
            people::gp_practice.eq(&v.gp_practice),
            people::created_by.eq(Some(user_id)),
            people::created_at.eq(now),
            people::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(id)
}

pub fn nhs_number_taken(conn: &mut DbConnection, nhs: &str) -> QueryResult<Option<String>> {
    people::table
        .filter(people::nhs_number.eq(nhs))
        .select(people::id)
        .first(conn)
        .optional()
}
