//! POST /mhtr/cases/{id}/negotiation/contacts: a contact with a secondary care team from
//! the partner directory about taking her on.

use actix_web::{HttpResponse, web};
use chrono::NaiveDate;
use maud::{Markup, html};
use serde::Deserialize;

use super::{Forms, load_data, page, require_negotiation};
use crate::audit;
use crate::domain::CalendarDate;
use crate::domain::codes::label_of;
use crate::domain::date_input::DateRule;
use crate::domain::local_time;
use crate::domain::mhtr::CONTACT_METHODS;
use crate::domain::referral::SERVICE_TYPES;
use crate::mhtr::case;
use crate::mhtr::case::suitability::store::{self, NewContact};
use crate::mhtr::case::suitability::{MhtrCase, NAME_MAX, TEXT_MAX, checked_date, page_path, required_text};
use crate::partners::ServiceEntry;
use crate::views::components::{self, Field};
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::see_other;

const CONTACTED_ON: DateRule = DateRule::happened("Date of contact", "contacted", "Enter the date of the contact");

#[derive(Deserialize, Default, Debug, Clone)]
pub struct ContactForm {
    #[serde(default)]
    service_id: String,
    #[serde(default)]
    clinician: String,
    #[serde(default, rename = "contacted-day")]
    day: String,
    #[serde(default, rename = "contacted-month")]
    month: String,
    #[serde(default, rename = "contacted-year")]
    year: String,
    #[serde(default)]
    method: String,
    #[serde(default)]
    agreed: String,
}

struct Checked {
    service_id: String,
    clinician: String,
    contacted_on: CalendarDate,
    method: String,
    agreed: String,
}

impl ContactForm {
    fn validate(&self, services: &[ServiceEntry], today: NaiveDate) -> Result<Checked, Errors> {
        let mut errors = Errors::default();
        if !services.iter().any(|s| s.id == self.service_id) {
            errors.add("service_id", "Select the secondary care team you contacted");
        }
        let clinician = required_text(
            &mut errors,
            ("clinician", "Clinician", "Enter the name of the clinician"),
            &self.clinician,
            NAME_MAX,
        );
        let contacted_on = checked_date([&self.day, &self.month, &self.year], &CONTACTED_ON, today, &mut errors);
        if label_of(CONTACT_METHODS, &self.method).is_none() {
            errors.add("method", "Select how the contact was made");
        }
        let agreed = required_text(
            &mut errors,
            ("agreed", "What was agreed", "Enter what was agreed"),
            &self.agreed,
            TEXT_MAX,
        );
        let (Some(contacted_on), true) = (contacted_on, errors.is_empty()) else {
            return Err(errors);
        };
        Ok(Checked {
            service_id: self.service_id.clone(),
            clinician,
            contacted_on,
            method: self.method.clone(),
            agreed,
        })
    }
}

pub async fn submit(ctx: Ctx, id: web::Path<String>, form: web::Form<ContactForm>) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let (c, person) = case::load(&ctx, id.into_inner().into(), (audit::CREATE, None)).await?;
    require_negotiation(&c)?;
    let data = load_data(&ctx, &c).await?;
    let checked = match form.validate(&data.services, local_time::local_date(ctx.now())) {
        Ok(v) => v,
        Err(errors) => {
            let forms = Forms {
                contact: form,
                ..Forms::default()
            };
            return Ok(page(&ctx, (&c, &person), &data, &forms, &errors));
        }
    };
    let uid = ctx.user.id.clone();
    let stage = (audit::CREATE, require_negotiation as case::StageCheck);
    case::record_change(&ctx, &c.id, stage, move |conn, now, fresh| {
        let row = NewContact {
            service_id: &checked.service_id,
            clinician: &checked.clinician,
            contacted_on: checked.contacted_on,
            method: &checked.method,
            agreed: &checked.agreed,
        };
        store::insert_contact(conn, now, (&fresh.id, &uid), &row)?;
        Ok(format!("negotiation contact with service {}", checked.service_id))
    })
    .await?;
    Ok(see_other(&page_path(&c.id, "negotiation")))
}

/// The directory's services grouped by type, in the order given.
fn grouped(services: &[ServiceEntry]) -> Vec<(&str, Vec<&ServiceEntry>)> {
    let mut groups: Vec<(&str, Vec<&ServiceEntry>)> = Vec::new();
    for s in services {
        let label = label_of(SERVICE_TYPES, &s.service_type).unwrap_or("Other");
        match groups.last_mut() {
            Some((last, members)) if *last == label => members.push(s),
            _ => groups.push((label, vec![s])),
        }
    }
    groups
}

/// A select of the directory's teams in groups by type; the shared select has no groups.
fn service_select(services: &[ServiceEntry], selected: &str, errors: &Errors) -> Markup {
    let error = errors.get("service_id");
    let described = match error {
        Some(_) => "service_id-hint service_id-error",
        None => "service_id-hint",
    };
    html! {
        div.app-form-group.app-form-group--error[error.is_some()] {
            label.app-label for="service_id" { "Secondary care team" }
            div.app-hint id="service_id-hint" { "From the partner directory. Community mental health and crisis teams are listed first." }
            @if let Some(e) = error { p.app-error-message id="service_id-error" { span.app-visually-hidden { "Error: " } (e) } }
            select.app-select id="service_id" name="service_id" aria-describedby=(described) {
                option value="" { "Select a team" }
                @for (label, members) in grouped(services) {
                    optgroup label=(label) {
                        @for s in members {
                            option value=(s.id) selected[s.id == selected] { (s.organisation) " – " (s.name) }
                        }
                    }
                }
            }
        }
    }
}

pub fn form(c: &MhtrCase, csrf: &str, services: &[ServiceEntry], f: &ContactForm, errors: &Errors) -> Markup {
    html! {
        h3.app-heading-s { "Record a contact" }
        form method="post" action=(page_path(&c.id, "negotiation/contacts")) novalidate {
            (components::csrf_field(csrf))
            @if services.is_empty() {
                p { "There are no active teams in the partner directory. Ask an administrator to add the secondary care teams you work with." }
            }
            (service_select(services, &f.service_id, errors))
            (components::input(Field::text("clinician", "Clinician", &f.clinician).hint("Who you spoke to or met"), errors))
            (components::date_input("contacted", "Date of contact", Some("For example, 27 3 2026"), [&f.day, &f.month, &f.year], errors))
            (components::radios("method", "How was the contact made?", CONTACT_METHODS, &f.method, errors))
            (components::textarea("agreed", "What was agreed", &f.agreed, None, errors))
            button.app-button type="submit" { "Save contact" }
        }
    }
}
