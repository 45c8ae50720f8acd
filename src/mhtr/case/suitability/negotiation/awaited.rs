//! POST /mhtr/cases/{id}/negotiation/review-awaited: anyone else in the team records that the
//! consultant clinical psychologist's review is awaited (she alone records the review), with
//! what she is asked to look at. The negotiation page lists who asked and when.

use actix_web::{HttpResponse, web};
use maud::{Markup, html};
use serde::Deserialize;

use super::{Forms, load_data, page, require_negotiation};
use crate::audit;
use crate::auth::CurrentUser;
use crate::domain::local_time;
use crate::mhtr::case;
use crate::mhtr::case::suitability::store::{self, ReviewRequest};
use crate::mhtr::case::suitability::{MhtrCase, optional_text, page_path};
use crate::views::components;
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::see_other;

#[derive(Deserialize, Default, Debug, Clone)]
pub struct AwaitedForm {
    #[serde(default)]
    awaited_note: String,
}

/// Who has asked for the review, newest first.
pub fn requests(list: &[ReviewRequest]) -> Markup {
    html! {
        @if !list.is_empty() {
            ul.app-list {
                @for r in list {
                    li {
                        "Review asked for by " (r.requested_by) ", " (local_time::date_time(r.requested_at))
                        @if let Some(note) = &r.note { ": " (note) }
                    }
                }
            }
        }
    }
}

/// The form for anyone in the team but the psychologist.
pub fn form(
    c: &MhtrCase,
    user: &CurrentUser,
    psychologists: &[(String, String)],
    f: &AwaitedForm,
    errors: &Errors,
) -> Markup {
    if psychologists.is_empty() || psychologists.iter().any(|(id, _)| *id == user.id) {
        return html! {};
    }
    html! {
        h3.app-heading-s { "Record that her review is awaited" }
        form method="post" action=(page_path(&c.id, "negotiation/review-awaited")) novalidate {
            (components::csrf_field(&user.csrf_token))
            (components::textarea("awaited_note", "What should she look at? (optional)", &f.awaited_note, Some("For example: the CMHT will only take her on after a risk review"), errors))
            button.app-button.app-button--secondary type="submit" { "Record that the review is awaited" }
        }
    }
}

pub async fn submit(ctx: Ctx, id: web::Path<String>, form: web::Form<AwaitedForm>) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let (c, person) = case::load(&ctx, id.into_inner().into(), (audit::CREATE, None)).await?;
    require_negotiation(&c)?;
    let mut errors = Errors::default();
    let note = optional_text(
        &mut errors,
        ("awaited_note", "What she should look at"),
        &form.awaited_note,
    );
    if !errors.is_empty() {
        let data = load_data(&ctx, &c).await?;
        let forms = Forms {
            awaited: form,
            ..Forms::default()
        };
        return Ok(page(&ctx, (&c, &person), &data, &forms, &errors));
    }
    let uid = ctx.user.id.clone();
    let stage = (audit::CREATE, require_negotiation as case::StageCheck);
    case::record_change(&ctx, &c.id, stage, move |conn, now, fresh| {
        store::insert_review_request(conn, now, (&fresh.id, &uid), note.as_deref())?;
        Ok("psychology review awaited".to_string())
    })
    .await?;
    Ok(see_other(&page_path(&c.id, "negotiation")))
}
