//! GET/POST /mhtr/cases/{id}/close: ending a case early, for a reason that fits its stage.
//! The page says what closing means before anything is done.

use actix_web::{HttpResponse, web};
use maud::html;
use serde::Deserialize;

use crate::audit::{self, Event};
use crate::domain::mhtr::{self, Action, ExitReason, available_exits};
use crate::mhtr::case::{self, MhtrCase, RECORD};
use crate::records::Person;
use crate::views::components;
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::see_other;

const NOTE_MAX: usize = 2000;

#[derive(Deserialize, Default, Debug, Clone)]
pub struct CloseForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    note: String,
}

impl CloseForm {
    /// The reason and note, or what is wrong. A known reason that does not fit the stage is
    /// left for the transition table to refuse with its own explanation.
    fn validate(&self) -> Result<(ExitReason, Option<String>), Errors> {
        let mut errors = Errors::default();
        let reason = self.reason.parse::<ExitReason>().ok();
        if reason.is_none() {
            errors.add("reason", "Select why the case is closing");
        }
        let note = Some(self.note.trim().to_string()).filter(|n| !n.is_empty());
        match &note {
            None if reason == Some(ExitReason::Other) => errors.add("note", "Enter why the case is closing"),
            Some(n) if n.chars().count() > NOTE_MAX => {
                errors.add("note", format!("Note must be {NOTE_MAX} characters or fewer"));
            }
            _ => {}
        }
        match reason {
            Some(reason) if errors.is_empty() => Ok((reason, note)),
            _ => Err(errors),
        }
    }
}

fn page(ctx: &Ctx, (c, person): (&MhtrCase, &Person), form: &CloseForm, errors: &Errors) -> HttpResponse {
    let reasons: Vec<(&str, &str)> = available_exits(c.status())
        .into_iter()
        .map(|r| (r.code(), r.label()))
        .collect();
    let body = html! {
        (components::error_summary(errors))
        span.app-caption { "MHTR case" }
        p { a href=(case::path(&c.id)) { "Back to the case" } }
        h1.app-heading-l { "Close the case: " (person.list_name()) }
        p { "Closing ends the case early: it leaves the team's caseload and no further steps can be recorded. It cannot be reopened. Nothing is deleted – the record and its history are kept." }
        form method="post" action={ (case::path(&c.id)) "/close" } novalidate {
            (components::csrf_field(&ctx.user.csrf_token))
            (components::radios("reason", "Why is the case closing?", &reasons, &form.reason, errors))
            (components::textarea("note", "Note", &form.note, Some("Required if you select Other"), errors))
            button.app-button.app-button--warning type="submit" { "Close the case" }
        }
    };
    let title = format!("Close the case – {}", person.list_name());
    ctx.form_page(&title, errors, body)
}

fn already_ended(c: &MhtrCase) -> AppError {
    AppError::Refused(format!(
        "This case is {}, so it cannot be closed",
        c.status().label().to_lowercase()
    ))
}

pub async fn show(ctx: Ctx, id: web::Path<String>) -> Result<HttpResponse, AppError> {
    let view = (audit::VIEW, Some("MHTR close case"));
    let (c, person) = case::load(&ctx, id.into_inner().into(), view).await?;
    if available_exits(c.status()).is_empty() {
        return Err(already_ended(&c));
    }
    Ok(page(&ctx, (&c, &person), &CloseForm::default(), &Errors::default()))
}

pub async fn submit(ctx: Ctx, id: web::Path<String>, form: web::Form<CloseForm>) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let (c, person) = case::load(&ctx, id.into_inner().into(), (audit::UPDATE, None)).await?;
    if available_exits(c.status()).is_empty() {
        return Err(already_ended(&c));
    }
    let (reason, note) = match form.validate() {
        Ok(v) => v,
        Err(errors) => return Ok(page(&ctx, (&c, &person), &form, &errors)),
    };
    let action = Action::Close(reason);
    mhtr::transition(c.status(), action).map_err(|e| AppError::Refused(e.message().to_string()))?;
    let (uid, case_id) = (ctx.user.id.clone(), c.id.clone());
    ctx.write(move |tx| {
        let fresh = case::find(tx.conn, &case_id)?.ok_or(AppError::NotFound)?;
        case::apply(tx.conn, tx.now, &uid, &fresh, action, note.as_deref())?;
        let event = Event::allowed(audit::UPDATE)
            .record(RECORD, &case_id)
            .detail(format!("closed: {}", reason.code()));
        tx.audit(event)
    })
    .await?;
    Ok(see_other(&case::path(&c.id)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(reason: &str, note: &str) -> CloseForm {
        CloseForm {
            reason: reason.into(),
            note: note.into(),
        }
    }

    #[test]
    fn other_needs_a_note_and_unknown_reasons_are_refused() {
        assert!(form("other", " ").validate().unwrap_err().get("note").is_some());
        assert!(form("moved-away", "").validate().unwrap_err().get("reason").is_some());
        assert_eq!(
            form("other", "Moved abroad").validate().unwrap(),
            (ExitReason::Other, Some("Moved abroad".into()))
        );
        assert_eq!(form("revoked", "").validate().unwrap(), (ExitReason::Revoked, None));
    }
}
