//! GET/POST /people/{id}/edit: correcting a person's details and identifiers. Reached through
//! the access model like the person page (a break-glass reader may not change them); the
//! audit row names every field changed with its old and new value, so the trail keeps what
//! the record no longer shows.

use actix_web::{HttpResponse, web};
use maud::html;

use super::form::{self, PersonForm};
use crate::access::{Intent, Subject};
use crate::audit::{self, Event};
use crate::domain::ids::PersonId;
use crate::domain::local_time;
use crate::records::Person;
use crate::views::components;
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::see_other;

fn page(ctx: &Ctx, person: &Person, form: &PersonForm, errors: &Errors) -> HttpResponse {
    let body = html! {
        (components::error_summary(errors))
        span.app-caption { (person.list_name()) }
        h1.app-heading-l { "Change details" }
        p { "Correct what is recorded. The audit trail keeps the old values of anything you change." }
        form method="post" action={ "/people/" (person.id) "/edit" } novalidate {
            (components::csrf_field(&ctx.user.csrf_token))
            (form::fields(form, errors))
            button.app-button type="submit" { "Save changes" }
        }
        p { a href={ "/people/" (person.id) } { "Back to the person" } }
    };
    ctx.form_page("Change details", errors, body)
}

async fn reach(ctx: &Ctx, id: PersonId, intent: Intent) -> Result<Person, AppError> {
    let subject = Subject::Person(id.clone());
    ctx.reach(subject, intent, move |conn, _| {
        crate::records::person::find(conn, &id)?.ok_or(AppError::NotFound)
    })
    .await
}

pub async fn show(ctx: Ctx, id: web::Path<PersonId>) -> Result<HttpResponse, AppError> {
    let person = reach(&ctx, id.into_inner(), Intent::Read("change details form")).await?;
    Ok(page(
        &ctx,
        &person,
        &PersonForm::from_person(&person),
        &Errors::default(),
    ))
}

/// What saving found.
enum Saved {
    Changed,
    Unchanged,
    NhsNumberTaken,
}

pub async fn save(ctx: Ctx, id: web::Path<PersonId>, form: web::Form<PersonForm>) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let person = reach(&ctx, id.into_inner(), Intent::Write(audit::UPDATE)).await?;
    let values = match form.validate(local_time::local_date(ctx.now())) {
        Ok(v) => v,
        Err(errors) => return Ok(page(&ctx, &person, &form, &errors)),
    };
    let pid = person.id.clone();
    let saved = ctx
        .write(move |tx| {
            // Read again inside the transaction: the changes are against what is stored now.
            let current = crate::records::person::find(tx.conn, &pid)?.ok_or(AppError::NotFound)?;
            if let Some(nhs) = &values.nhs_number
                && super::nhs_number_taken(tx.conn, nhs)?.is_some_and(|other| other != pid.as_str())
            {
                return Ok(Saved::NhsNumberTaken);
            }
            let changes = super::changes(&current, &values);
            if changes.is_empty() {
                return Ok(Saved::Unchanged);
            }
            super::update(tx.conn, tx.now, &pid, &values)?;
            tx.audit(
                Event::allowed(audit::UPDATE)
                    .record("person", &pid)
                    .person(&pid)
                    .detail(changes.join("; ")),
            )?;
            Ok(Saved::Changed)
        })
        .await?;
    match saved {
        Saved::NhsNumberTaken => {
            let mut errors = Errors::default();
            errors.add(
                "nhs_number",
                "Another person has this NHS number. Check it, or ask a senior practitioner to merge the records",
            );
            Ok(page(&ctx, &person, &form, &errors))
        }
        Saved::Changed | Saved::Unchanged => Ok(see_other(&format!("/people/{}", person.id))),
    }
}
