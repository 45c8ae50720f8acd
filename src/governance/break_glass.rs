//! Break-glass: a clinician whose teams have no relationship with a person gives a reason
//! and opens the person's record read-only for a limited time. The form shows nothing of
//! the record; every use is audited and queued for the information governance lead.

use actix_web::{HttpResponse, web};
use maud::html;
use serde::Deserialize;

use crate::access::overrides::{self, BreakGlassReason, NewOverride, OverrideKind};
use crate::access::{self, Basis, Intent, Subject};
use crate::audit::{self, Event};
use crate::domain::ids::PersonId;
use crate::views::components;
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::{form_status, see_other};

const NOTE_MAX: usize = 1000;

#[derive(Deserialize, Default)]
pub struct BreakGlassForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    note: String,
}

impl BreakGlassForm {
    fn validate(&self) -> Result<(BreakGlassReason, String), Errors> {
        let mut errors = Errors::default();
        let reason = self.reason.parse::<BreakGlassReason>().ok();
        if reason.is_none() {
            errors.add("reason", "Select why you need to read this record now");
        }
        let note = self.note.trim();
        if note.is_empty() {
            errors.add("note", "Explain why you need to read this record now");
        } else if note.chars().count() > NOTE_MAX {
            errors.add("note", format!("Explanation must be {NOTE_MAX} characters or fewer"));
        }
        match reason {
            Some(r) if errors.is_empty() => Ok((r, note.to_string())),
            _ => Err(errors),
        }
    }
}

fn page(ctx: &Ctx, person_id: &str, form: &BreakGlassForm, errors: &Errors) -> HttpResponse {
    let minutes = ctx.state.config.break_glass_minutes;
    let reasons: Vec<(&str, &str)> = BreakGlassReason::ALL.iter().map(|r| (r.code(), r.label())).collect();
    let body = html! {
        (components::error_summary(errors))
        h1.app-heading-l { "Break the glass" }
        p { "Your teams have no current relationship with this person. You can open their record to read it, for " (minutes) " minutes, if you need to now." }
        div.app-card {
            p { strong { "This is recorded and reviewed." } " Your name, your reason and every page you open are written to the audit trail, and the information governance lead reviews each use. You cannot change the record while reading it this way." }
        }
        form method="post" action={ "/people/" (person_id) "/break-glass" } novalidate {
            (components::csrf_field(&ctx.user.csrf_token))
            (components::radios("reason", "Why do you need to read this record now?", &reasons, &form.reason, errors))
            (components::textarea("note", "Explain the reason", &form.note, Some("For example, who is at risk and what you need to know"), errors))
            button.app-button.app-button--warning type="submit" { "Open the record read-only" }
        }
        p { a href="/people/search" { "Cancel and go back to search" } }
    };
    let page = ctx.page("Break the glass").with_errors(!errors.is_empty());
    ctx.render(form_status(errors), &page, body)
}

/// Who may break the glass on this person: a clinician without a relationship. Someone who
/// already has one is sent to the record; anyone else is refused (audited).
async fn check(ctx: &Ctx, person_id: &str) -> Result<Option<HttpResponse>, AppError> {
    let (viewer, subject) = (ctx.user.viewer(), Subject::Person(PersonId::from(person_id)));
    let decided = ctx
        .read(move |conn| {
            Ok(access::decide(
                conn,
                &viewer,
                &subject,
                Intent::Read("break-glass form"),
            )?)
        })
        .await?;
    let open = match decided {
        Ok(grant) => Some(grant.basis),
        Err(access::Refusal::NoRelationship { .. }) => None,
        Err(access::Refusal::NotFound) => return Err(AppError::NotFound),
        Err(_) => {
            let event = Event::denied(audit::BREAK_GLASS)
                .record("person", person_id)
                .person(person_id);
            ctx.audit(event).await?;
            return Err(AppError::Forbidden);
        }
    };
    Ok(match open {
        Some(Basis::Relationship | Basis::NewToService | Basis::BreakGlass { .. }) => {
            Some(see_other(&format!("/people/{person_id}")))
        }
        None => None,
    })
}

/// Breaking the glass needs the second factor confirmed recently (`web::reauth`); after
/// confirming, the user comes back to this form.
fn require_fresh(ctx: &Ctx, person_id: &str) -> Result<(), AppError> {
    let form = format!("/people/{person_id}/break-glass");
    crate::web::reauth::require(&ctx.user, &ctx.state, &form, ctx.htmx)
}

pub async fn form(ctx: Ctx, id: web::Path<String>) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    if let Some(already) = check(&ctx, &id).await? {
        return Ok(already);
    }
    require_fresh(&ctx, &id)?;
    Ok(page(&ctx, &id, &BreakGlassForm::default(), &Errors::default()))
}

pub async fn start(ctx: Ctx, id: web::Path<String>, form: web::Form<BreakGlassForm>) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    if let Some(already) = check(&ctx, &id).await? {
        return Ok(already);
    }
    require_fresh(&ctx, &id)?;
    let (reason, note) = match form.validate() {
        Ok(v) => v,
        Err(errors) => return Ok(page(&ctx, &id, &form, &errors)),
    };
    let config = &ctx.state.config;
    let expires_at = ctx.now() + config.break_glass_minutes * 60_000;
    let review_due = ctx.now() + config.access_review_days * 24 * 60 * 60 * 1000;
    let (user_id, person_id) = (ctx.user.id.clone(), id.clone());
    ctx.write(move |tx| {
        let new = NewOverride {
            kind: OverrideKind::BreakGlass,
            user_id: &user_id,
            person_id: &person_id,
            episode_id: None,
            reason: reason.code(),
            note: &note,
            expires_at,
            review_due,
        };
        let override_id = overrides::insert(tx.conn, tx.now, &new)?;
        let event = Event::allowed(audit::BREAK_GLASS)
            .record("person", &person_id)
            .person(&person_id)
            .basis("break-glass")
            .detail(format!(
                "{}: {note} (until {}; review {override_id})",
                reason.label(),
                crate::domain::local_time::date_time(expires_at)
            ));
        tx.audit(event)
    })
    .await?;
    Ok(see_other(&format!("/people/{id}")))
}
