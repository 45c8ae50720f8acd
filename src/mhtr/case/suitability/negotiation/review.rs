//! POST /mhtr/cases/{id}/negotiation/review: the consultant clinical psychologist's review
//! of the proposed pathway. The newest review is the one that counts.

use actix_web::{HttpResponse, web};
use chrono::NaiveDate;
use maud::{Markup, html};
use serde::Deserialize;

use super::{Forms, REVIEW_DECISIONS, load_data, page, require_negotiation};
use crate::audit;
use crate::auth::CurrentUser;
use crate::domain::CalendarDate;
use crate::domain::codes::label_of;
use crate::domain::date_input::DateRule;
use crate::domain::local_time;
use crate::mhtr::case;
use crate::mhtr::case::suitability::store::{self, NewReview};
use crate::mhtr::case::suitability::{MhtrCase, checked_date, optional_text, page_path};
use crate::views::components;
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::see_other;

const REVIEWED_ON: DateRule = DateRule::happened("Date of the review", "reviewed", "Enter the date of the review");

const NO_PSYCHOLOGIST: &str = "No one in this team has the consultant clinical psychologist role, so a review \
                               cannot be recorded. Ask an administrator to give the team's psychologist that role.";

/// Only the psychologist records her own review: no one records one in her name.
const ONLY_THE_PSYCHOLOGIST: &str = "Only the consultant clinical psychologist records her review. \
                                     Until she does, the case shows the review as awaited.";

#[derive(Deserialize, Default, Debug, Clone)]
pub struct ReviewForm {
    #[serde(default, rename = "reviewed-day")]
    day: String,
    #[serde(default, rename = "reviewed-month")]
    month: String,
    #[serde(default, rename = "reviewed-year")]
    year: String,
    #[serde(default)]
    review_decision: String,
    #[serde(default)]
    review_notes: String,
}

struct Checked {
    reviewer_id: String,
    reviewed_on: CalendarDate,
    decision: String,
    notes: Option<String>,
}

impl ReviewForm {
    /// `reviewer_id` is the signed-in psychologist's: she reviews, and records it.
    fn validate(&self, reviewer_id: &str, today: NaiveDate) -> Result<Checked, Errors> {
        let mut errors = Errors::default();
        let reviewed_on = checked_date([&self.day, &self.month, &self.year], &REVIEWED_ON, today, &mut errors);
        if label_of(REVIEW_DECISIONS, &self.review_decision).is_none() {
            errors.add("review_decision", "Select whether the review supports the pathway");
        }
        let notes = optional_text(&mut errors, ("review_notes", "Notes"), &self.review_notes);
        let (Some(reviewed_on), true) = (reviewed_on, errors.is_empty()) else {
            return Err(errors);
        };
        Ok(Checked {
            reviewer_id: reviewer_id.to_string(),
            reviewed_on,
            decision: self.review_decision.clone(),
            notes,
        })
    }
}

pub async fn submit(ctx: Ctx, id: web::Path<String>, form: web::Form<ReviewForm>) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let (c, person) = case::load(&ctx, id.into_inner().into(), (audit::CREATE, None)).await?;
    require_negotiation(&c)?;
    let data = load_data(&ctx, &c).await?;
    if !data.psychologists.iter().any(|(id, _)| *id == ctx.user.id) {
        return Err(AppError::Refused(ONLY_THE_PSYCHOLOGIST.into()));
    }
    let checked = match form.validate(&ctx.user.id, local_time::local_date(ctx.now())) {
        Ok(v) => v,
        Err(errors) => {
            let forms = Forms {
                review: form,
                ..Forms::default()
            };
            return Ok(page(&ctx, (&c, &person), &data, &forms, &errors));
        }
    };
    let uid = ctx.user.id.clone();
    let stage = (audit::CREATE, require_negotiation as case::StageCheck);
    case::record_change(&ctx, &c.id, stage, move |conn, now, fresh| {
        let row = NewReview {
            reviewer_id: &checked.reviewer_id,
            reviewed_on: checked.reviewed_on,
            decision: &checked.decision,
            notes: checked.notes.as_deref(),
        };
        store::insert_review(conn, now, (&fresh.id, &uid), &row)?;
        Ok(format!("psychology review {}", checked.decision))
    })
    .await?;
    Ok(see_other(&page_path(&c.id, "negotiation")))
}

/// The psychologist's own form; anyone else reads who the review is awaited from.
pub fn form(
    c: &MhtrCase,
    user: &CurrentUser,
    psychologists: &[(String, String)],
    f: &ReviewForm,
    errors: &Errors,
) -> Markup {
    if psychologists.is_empty() {
        return html! { p { (NO_PSYCHOLOGIST) } };
    }
    if !psychologists.iter().any(|(id, _)| *id == user.id) {
        let names: Vec<&str> = psychologists.iter().map(|(_, name)| name.as_str()).collect();
        return html! {
            p.app-hint { (ONLY_THE_PSYCHOLOGIST) " The team's psychologist: " (names.join(", ")) "." }
        };
    }
    html! {
        h3.app-heading-s { "Record your review" }
        form method="post" action=(page_path(&c.id, "negotiation/review")) novalidate {
            (components::csrf_field(&user.csrf_token))
            p { "Reviewer: " (user.display_name) " (you)" }
            (components::date_input("reviewed", "Date of the review", Some("For example, 27 3 2026"), [&f.day, &f.month, &f.year], errors))
            (components::radios("review_decision", "Decision", REVIEW_DECISIONS, &f.review_decision, errors))
            (components::textarea("review_notes", "Notes (optional)", &f.review_notes, None, errors))
            button.app-button type="submit" { "Save review" }
        }
    }
}
