//! The appropriate adult for someone under 18 (PACE Code C): the form, its checks, and
//! recording it on the episode and its timeline.

use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use maud::html;

use super::records::{AppropriateAdult, load_adult};
use super::{Episode, episode_caption};
use crate::audit::{self, Event};
use crate::db::schema::appropriate_adults;
use crate::domain::codes::{self, CodeList};
use crate::domain::episode::EpisodeStatus;
use crate::domain::phone::phone_problem;
use crate::records::Person;
use crate::records::access;
use crate::records::timeline::{self, Kind};
use crate::views::components::{self, Field};
use crate::views::form::Errors;
use crate::web::context::{Ctx, Tx};
use crate::web::error::AppError;
use crate::web::{form_status, see_other};

const NAME_MAX: usize = 100;
const ADULT_RECORD: &str = "appropriate-adult";

#[derive(serde::Deserialize, Default, Debug, Clone)]
pub struct AdultForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    relationship: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    present: String,
}

const PRESENT: CodeList = &[("yes", "Yes"), ("no", "No")];

impl AdultForm {
    fn from_record(a: &AppropriateAdult) -> Self {
        AdultForm {
            name: a.name.clone(),
            relationship: a.relationship.clone(),
            phone: a.phone.clone(),
            present: if a.present { "yes" } else { "no" }.into(),
        }
    }

    fn validate(&self) -> Errors {
        let mut errors = Errors::default();
        let name = self.name.trim();
        if name.is_empty() {
            errors.add("name", "Enter the appropriate adult's name");
        } else if name.chars().count() > NAME_MAX {
            errors.add("name", format!("Name must be {NAME_MAX} characters or fewer"));
        }
        if codes::label_of(codes::APPROPRIATE_ADULT_RELATIONSHIPS, &self.relationship).is_none() {
            errors.add(
                "relationship",
                "Select who the appropriate adult is to the young person",
            );
        }
        if self.phone.trim().is_empty() {
            errors.add("phone", "Enter the appropriate adult's phone number");
        } else {
            errors.check("phone", phone_problem(&self.phone));
        }
        if codes::label_of(PRESENT, &self.present).is_none() {
            errors.add("present", "Select whether the appropriate adult is present now");
        }
        errors
    }
}

/// Appropriate adults are for under-18s, and only on an open episode.
fn require_youth_open(ep: &Episode) -> Result<(), AppError> {
    if !ep.youth {
        return Err(AppError::Refused(
            "An appropriate adult is only recorded for someone who was under 18 at the time of the alert".into(),
        ));
    }
    if !ep.status().is_open() {
        return Err(AppError::Refused(
            "This episode is closed. Reopen it before recording an appropriate adult".into(),
        ));
    }
    Ok(())
}

fn adult_page(ctx: &Ctx, ep: &Episode, person: &Person, form: &AdultForm, errors: &Errors) -> HttpResponse {
    let relationships = components::code_options("Select a relationship", codes::APPROPRIATE_ADULT_RELATIONSHIPS);
    let body = html! {
        (components::error_summary(errors))
        (episode_caption(ep, person))
        h1.app-heading-l { "Appropriate adult" }
        p { "Under PACE Code C anyone under 18 in custody must have an appropriate adult. If no one else can act, the youth offending team must provide one." }
        form method="post" action={ "/episodes/" (ep.id) "/appropriate-adult" } novalidate {
            (components::csrf_field(&ctx.user.csrf_token))
            (components::input(Field::text("name", "Full name", &form.name).autocomplete("off"), errors))
            (components::select("relationship", "Relationship to the young person", &relationships, &form.relationship, errors))
            (components::input(Field::text("phone", "Phone number", &form.phone).kind("tel").autocomplete("off"), errors))
            (components::radios("present", "Is the appropriate adult present now?", PRESENT, &form.present, errors))
            button.app-button type="submit" { "Save appropriate adult" }
        }
    };
    let page = ctx.page("Appropriate adult").with_errors(!errors.is_empty());
    ctx.render(form_status(errors), &page, body)
}

pub async fn show_adult(ctx: Ctx, id: web::Path<String>) -> Result<HttpResponse, AppError> {
    let (ep, person) = access::open(&ctx, id.into_inner().into(), Some("appropriate adult form")).await?;
    require_youth_open(&ep)?;
    let form = load_adult(&ctx, &ep.id)
        .await?
        .map(|a| AdultForm::from_record(&a))
        .unwrap_or_default();
    Ok(adult_page(&ctx, &ep, &person, &form, &Errors::default()))
}

/// Inserts or replaces the appropriate adult and notes it on the timeline; returns the
/// episode as re-read, to choose where to go next.
fn record_adult(tx: &mut Tx<'_>, user_id: &str, episode_id: &str, form: &AdultForm) -> Result<Episode, AppError> {
    let ep = crate::records::episode::find(tx.conn, episode_id)?.ok_or(AppError::NotFound)?;
    require_youth_open(&ep)?;
    let replaced = diesel::delete(appropriate_adults::table.find(episode_id)).execute(tx.conn)? > 0;
    let adult = AppropriateAdult {
        episode_id: episode_id.to_string(),
        name: form.name.trim().to_string(),
        relationship: form.relationship.clone(),
        phone: form.phone.trim().to_string(),
        present: form.present == "yes",
        recorded_by: user_id.to_string(),
        recorded_at: tx.now,
    };
    diesel::insert_into(appropriate_adults::table)
        .values((
            appropriate_adults::episode_id.eq(&adult.episode_id),
            appropriate_adults::name.eq(&adult.name),
            appropriate_adults::relationship.eq(&adult.relationship),
            appropriate_adults::phone.eq(&adult.phone),
            appropriate_adults::present.eq(adult.present),
            appropriate_adults::recorded_by.eq(&adult.recorded_by),
            appropriate_adults::recorded_at.eq(tx.now),
        ))
        .execute(tx.conn)?;
    let note = format!("Appropriate adult recorded: {}", adult.describe());
    timeline::add(tx.conn, tx.now, episode_id, user_id, Kind::Note, &note, None)?;
    let action = if replaced { audit::UPDATE } else { audit::CREATE };
    tx.audit(
        Event::allowed(action)
            .record(ADULT_RECORD, episode_id)
            .detail(format!("relationship {}", adult.relationship)),
    )?;
    Ok(ep)
}

pub async fn save_adult(ctx: Ctx, id: web::Path<String>, form: web::Form<AdultForm>) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let (ep, person) = access::open(&ctx, id.into_inner().into(), None).await?;
    require_youth_open(&ep)?;
    let errors = form.validate();
    if !errors.is_empty() {
        return Ok(adult_page(&ctx, &ep, &person, &form, &errors));
    }
    let (uid, eid) = (ctx.user.id.clone(), ep.id.clone());
    let ep = ctx.write(move |tx| record_adult(tx, &uid, &eid, &form)).await?;
    let next = if ep.status() == EpisodeStatus::InScreening {
        format!("/episodes/{}/screening", ep.id)
    } else {
        format!("/episodes/{}", ep.id)
    };
    Ok(see_other(&next))
}
