//! People: identity and demographics, found search-first so duplicates are not created.

pub mod edit;
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
    use crate::domain::person::name_key;
    diesel::update(people::table.find(id))
        .set((
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
            people::updated_at.eq(now),
        ))
        .execute(conn)
}

pub fn nhs_number_taken(conn: &mut DbConnection, nhs: &str) -> QueryResult<Option<String>> {
    people::table
        .filter(people::nhs_number.eq(nhs))
        .select(people::id)
        .first(conn)
        .optional()
}
