//! GET /account/sessions: the signed-in user's own sessions, most recently used first, each
//! with when it started and was last used; POST ends one (or every other one). A user ends
//! only their own: any other id changes nothing. Ending is audited.

use actix_web::{HttpResponse, web};
use maud::html;
use serde::Deserialize;

use crate::audit::{self, Event};
use crate::auth::session;
use crate::domain::local_time;
use crate::views::components::{self, Tone};
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::see_other;

pub const PATH: &str = "/account/sessions";

#[derive(Deserialize)]
pub struct EndForm {
    /// A session's id, or `others` for every session but this one.
    #[serde(default)]
    session: String,
}

pub async fn show(ctx: Ctx) -> Result<HttpResponse, AppError> {
    let (uid, now) = (ctx.user.id.clone(), ctx.now());
    let live = ctx
        .read(move |conn| Ok(session::live_sessions(conn, &uid, now)?))
        .await?;
    let this = &ctx.user.session_id;
    let end = |value: &str, label: &str| {
        html! {
            form.app-inline-form method="post" action=(PATH) {
                (components::csrf_field(&ctx.user.csrf_token))
                input type="hidden" name="session" value=(value);
                button.app-button.app-button--secondary type="submit" { (label) }
            }
        }
    };
    let rows: Vec<Vec<maud::Markup>> = live
        .iter()
        .map(|s| {
            vec![
                html! { (local_time::date_time(s.created_at)) },
                html! { (local_time::date_time(s.last_seen_at)) },
                if &s.id == this {
                    components::tag("This session", Tone::Good)
                } else {
                    end(&s.id, "End this session")
                },
            ]
        })
        .collect();
    let body = html! {
        h1.app-heading-l { "Your sessions" }
        p { "Where you are signed in now. At most " (ctx.state.config.max_sessions_per_user) " are kept at once: signing in again ends the one used least recently. End any you do not recognise, and tell your information governance lead." }
        (components::table("Your sessions, most recently used first", &["Signed in", "Last used", ""], &rows))
        @if live.len() > 1 { (end("others", "End every other session")) }
    };
    Ok(ctx.form_page("Your sessions", &Errors::default(), body))
}

pub async fn end(ctx: Ctx, form: web::Form<EndForm>) -> Result<HttpResponse, AppError> {
    let (uid, this, now) = (ctx.user.id.clone(), ctx.user.session_id.clone(), ctx.now());
    let chosen = form.into_inner().session;
    ctx.write(move |tx| {
        let live = session::live_sessions(tx.conn, &uid, now)?;
        let ending: Vec<&str> = live
            .iter()
            .map(|s| s.id.as_str())
            .filter(|id| if chosen == "others" { *id != this } else { *id == chosen })
            .collect();
        // Nothing of theirs by that id (already ended, or not theirs): nothing to do.
        if ending.is_empty() {
            return Ok(());
        }
        for id in &ending {
            session::revoke(tx.conn, id, now)?;
        }
        let detail = format!("{} of their own sessions ended", ending.len());
        tx.audit(Event::allowed(audit::SIGN_OUT).record("user", &uid).detail(detail))
    })
    .await?;
    Ok(see_other(PATH))
}
