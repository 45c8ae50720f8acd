//! The administrator's view of the outbox: counts, the oldest unsent message, every message
//! with its last error, and a retry for failed ones. Subjects carry no personal data.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::{Markup, html};
use serde::Deserialize;

use crate::audit::{self, Event};
use crate::domain::local_time;
use crate::domain::local_time::duration;
use crate::domain::words::count;
use crate::email::outbox::{self, Message, Status};
use crate::views::components::{self, Tone};
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::see_other;

#[derive(Deserialize, Default)]
pub struct Query {
    #[serde(default)]
    status: String,
    #[serde(default)]
    done: String,
}

fn status_tag(status: Status) -> Markup {
    match status {
        Status::Sent => components::tag("Sent", Tone::Good),
        Status::Failed => components::tag("Failed – action needed", Tone::Bad),
        Status::Pending => components::tag("Queued", Tone::Warning),
        Status::Cancelled => components::tag("Stopped: consent withdrawn", Tone::Neutral),
    }
}

fn rows(messages: &[Message], csrf: &str) -> Vec<Vec<Markup>> {
    messages
        .iter()
        .map(|m| {
            vec![
                html! { (local_time::date_time(m.created_at)) },
                html! { (m.recipient) },
                html! { (m.subject) br; span.app-hint.app-code { (m.message_id) } },
                html! { (status_tag(m.status)) " " (m.attempts) " attempts" },
                html! { (m.last_error.as_deref().unwrap_or("")) },
                html! {
                    @if m.status == Status::Failed {
                        form method="post" action={ "/admin/outbox/" (m.id) "/retry" } {
                            (components::csrf_field(csrf))
                            button.app-button.app-button--small type="submit" { "Retry" span.app-visually-hidden { ": " (m.subject) } }
                        }
                    }
                },
            ]
        })
        .collect()
}

pub async fn page(ctx: Ctx, query: web::Query<Query>) -> Result<HttpResponse, AppError> {
    // Any other value in the address, or none, lists every status.
    let status = Status::ALL.iter().copied().find(|s| s.code() == query.status);
    let (summary, messages) = ctx
        .read(move |conn| Ok((outbox::summary(conn)?, outbox::list(conn, status, 200)?)))
        .await?;
    ctx.audit(Event::allowed(audit::VIEW).record("outbox", "-")).await?;
    let now = ctx.now();
    let statuses = [
        ("", "Any status"),
        (Status::Pending.code(), "Queued"),
        (Status::Failed.code(), "Failed"),
        (Status::Sent.code(), "Sent"),
    ]
    .map(|(a, b)| (a.to_string(), b.to_string()));
    let body = html! {
        @if query.done == "retried" { (components::notification("Message queued to send again", true)) }
        h1.app-heading-l { "Email outbox" }
        (components::summary_list(&[
            ("Queued", html! { (summary.pending) }),
            ("Failed – action needed", html! { (summary.failed) }),
            ("Sent", html! { (summary.sent) }),
            ("Oldest unsent", html! { @match summary.oldest_pending { Some(t) => { (duration(now - t)) " ago" }, None => "None" } }),
        ]))
        form.app-filter method="get" action="/admin/outbox" {
            (components::select("status", "Status", &statuses, status.map_or("", Status::code), &Errors::default()))
            button.app-button.app-button--secondary type="submit" { "Filter" }
        }
        @if messages.is_empty() { p { "No messages." } }
        @else { (components::table(&format!("{}, newest first", count(messages.len() as i64, "message", "messages")), &["Queued at", "To", "Subject", "Status", "Last error", ""], &rows(&messages, &ctx.user.csrf_token))) }
    };
    Ok(ctx.render(StatusCode::OK, &ctx.page("Email outbox"), body))
}

pub async fn retry(ctx: Ctx, id: web::Path<String>) -> Result<HttpResponse, AppError> {
    let (id, hooks) = (id.into_inner(), ctx.state.outbox_hooks.clone());
    ctx.write(move |tx| {
        if !outbox::retry(tx.conn, tx.now, &id, &hooks)? {
            return Err(AppError::Refused("Only a failed message can be retried".into()));
        }
        tx.audit(Event::allowed("email").record("outbox", &id).detail("retry"))
    })
    .await?;
    ctx.state.outbox.wake();
    Ok(see_other("/admin/outbox?done=retried"))
}
