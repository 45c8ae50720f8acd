//! Liaison with a Women's Centre during treatment: who, when, how and what was said.

use actix_web::{HttpResponse, web};
use chrono::NaiveDate;
use diesel::prelude::*;
use maud::{Markup, html};
use serde::Deserialize;

use super::CentreContact;
use super::page::{self, Forms};
use crate::db::DbConnection;
use crate::db::schema::mhtr_centre_contacts;
use crate::domain::CalendarDate;
use crate::domain::codes::label_of;
use crate::domain::date_input::{self, DateRule};
use crate::domain::local_time;
use crate::domain::mhtr::CONTACT_METHODS;
use crate::domain::new_id;
use crate::mhtr::case::MhtrCase;
use crate::partners::{self, Filter};
use crate::views::components::{self, Field};
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::see_other;

/// The partner directory's service type for Women's Centres.
const WOMENS_CENTRE: &str = "womens-centre";
const CENTRE_MAX: usize = 200;
const NOTES_MAX: usize = 2000;

const CONTACTED: DateRule = DateRule::happened("Date of contact", "contacted", "Enter the date of the contact");

/// The active Women's Centres in the partner directory, as "Organisation – Service".
pub fn options(conn: &mut DbConnection) -> QueryResult<Vec<String>> {
    let filter = Filter {
        service_type: Some(WOMENS_CENTRE.into()),
        active_only: true,
    };
    Ok(partners::services(conn, &filter)?
        .into_iter()
        .map(|s| format!("{} – {}", s.organisation, s.name))
        .collect())
}

#[derive(Deserialize, Default, Debug, Clone)]
pub struct CentreForm {
    #[serde(default)]
    centre: String,
    #[serde(default, rename = "contacted-day")]
    day: String,
    #[serde(default, rename = "contacted-month")]
    month: String,
    #[serde(default, rename = "contacted-year")]
    year: String,
    #[serde(default)]
    method: String,
    #[serde(default)]
    centre_notes: String,
}

#[derive(Debug, PartialEq, Eq)]
struct Contact {
    centre: String,
    contacted_on: NaiveDate,
    method: String,
    notes: Option<String>,
}

impl CentreForm {
    /// With centres in the directory the centre must be one of them; otherwise it is typed.
    fn validate(&self, centres: &[String], today: NaiveDate) -> Result<Contact, Errors> {
        let mut errors = Errors::default();
        let centre = self.centre.split_whitespace().collect::<Vec<_>>().join(" ");
        if centre.is_empty() {
            errors.add("centre", "Enter the Women's Centre");
        } else if !centres.is_empty() && !centres.contains(&centre) {
            errors.add("centre", "Select a Women's Centre from the list");
        } else if centre.chars().count() > CENTRE_MAX {
            errors.add("centre", format!("Centre must be {CENTRE_MAX} characters or fewer"));
        }
        let contacted_on = date_input::parse(&self.day, &self.month, &self.year, &CONTACTED, today)
            .map_err(|(field, message)| errors.add(field, message))
            .ok();
        if label_of(CONTACT_METHODS, &self.method).is_none() {
            errors.add("method", "Select how the contact took place");
        }
        let notes = super::notes(&mut errors, "centre_notes", &self.centre_notes, NOTES_MAX);
        match contacted_on {
            Some(contacted_on) if errors.is_empty() => Ok(Contact {
                centre,
                contacted_on,
                method: self.method.clone(),
                notes,
            }),
            _ => Err(errors),
        }
    }
}

pub fn table(contacts: &[CentreContact]) -> Markup {
    let rows: Vec<Vec<Markup>> = contacts
        .iter()
        .map(|c| {
            vec![
                html! { (local_time::day(c.contacted_on)) },
                html! { (c.centre) },
                html! { (label_of(CONTACT_METHODS, &c.method).unwrap_or(&c.method)) },
                html! { span.app-pre-wrap { (c.notes.as_deref().unwrap_or("")) } },
            ]
        })
        .collect();
    html! {
        @if rows.is_empty() { p { "No Women's Centre contacts have been recorded." } }
        @else { (components::table("Women's Centre contacts, oldest first", &["Date", "Centre", "How", "Notes"], &rows)) }
    }
}

pub fn form(c: &MhtrCase, csrf: &str, centres: &[String], form: &CentreForm, errors: &Errors) -> Markup {
    let options: Vec<(String, String)> = std::iter::once((String::new(), "Select a centre".to_string()))
        .chain(centres.iter().map(|n| (n.clone(), n.clone())))
        .collect();
    html! {
        form method="post" action={ (super::treatment_path(&c.id)) "/centre-contacts" } novalidate {
            (components::csrf_field(csrf))
            @if centres.is_empty() {
                (components::input(Field::text("centre", "Women's Centre", &form.centre), errors))
            } @else {
                (components::select("centre", "Women's Centre", &options, &form.centre, errors))
            }
            (components::date_input(CONTACTED.prefix, "Date of contact", Some("For example, 27 3 2026"), [&form.day, &form.month, &form.year], errors))
            (components::radios("method", "How did the contact take place?", CONTACT_METHODS, &form.method, errors))
            (components::textarea("centre_notes", "Notes (optional)", &form.centre_notes, None, errors))
            button.app-button type="submit" { "Save contact" }
        }
    }
}

pub async fn submit(ctx: Ctx, id: web::Path<String>, form: web::Form<CentreForm>) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let (c, person) = super::load_for_change(&ctx, id.into_inner()).await?;
    let centres = ctx.read(move |conn| Ok(options(conn)?)).await?;
    let contact = match form.validate(&centres, local_time::local_date(ctx.now())) {
        Ok(v) => v,
        Err(errors) => {
            let forms = Forms {
                centre: form,
                ..Forms::default()
            };
            return page::reject(&ctx, (&c, &person), &forms, &errors).await;
        }
    };
    let uid = ctx.user.id.clone();
    super::record_change(&ctx, &c.id, move |conn, now, fresh| {
        let on = CalendarDate::from(contact.contacted_on);
        diesel::insert_into(mhtr_centre_contacts::table)
            .values((
                mhtr_centre_contacts::id.eq(new_id()),
                mhtr_centre_contacts::case_id.eq(&fresh.id),
                mhtr_centre_contacts::centre.eq(&contact.centre),
                mhtr_centre_contacts::contacted_on.eq(on.iso()),
                mhtr_centre_contacts::method.eq(&contact.method),
                mhtr_centre_contacts::notes.eq(&contact.notes),
                mhtr_centre_contacts::recorded_by.eq(&uid),
                mhtr_centre_contacts::recorded_at.eq(now),
            ))
            .execute(conn)?;
        Ok(format!(
            "Women's Centre contact with {} on {on} by {}",
            contact.centre, contact.method
        ))
    })
    .await?;
    Ok(see_other(&super::treatment_path(&c.id)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(centre: &str) -> CentreForm {
        CentreForm {
            centre: centre.into(),
            day: "1".into(),
            month: "11".into(),
            year: "2026".into(),
            method: "phone".into(),
            centre_notes: String::new(),
        }
    }

    #[test]
    fn the_centre_comes_from_the_directory_when_it_has_any() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        let listed = vec!["Hibiscus – Women's Centre".to_string()];
        assert!(form("Hibiscus – Women's Centre").validate(&listed, today).is_ok());
        assert!(form("Somewhere else").validate(&listed, today).is_err());
        assert_eq!(
            form(" Somewhere  else ").validate(&[], today).unwrap().centre,
            "Somewhere else"
        );
        assert!(form("").validate(&[], today).unwrap_err().get("centre").is_some());
    }
}
