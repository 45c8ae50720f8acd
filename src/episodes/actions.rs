//! The one-click actions on an episode: allocate to me (or take over), start screening,
//! start assessment. Taking someone else's person is never silent: a page that showed the
//! episode unallocated, or held by someone else, asks first; a takeover goes on the timeline.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::html;
use serde::Deserialize;

use crate::audit::{self, Event};
use crate::auth::accounts;
use crate::domain::episode::Action;
use crate::records::timeline::{self, Kind};
use crate::records::{Episode, access};
use crate::views::components;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::see_other;

#[derive(Deserialize)]
pub struct ActionForm {
    #[serde(default)]
    action: String,
    /// "list" to return to the site list instead of the episode.
    #[serde(default)]
    back: String,
    /// The list's filters (its query string), kept on the way back.
    #[serde(default)]
    filters: String,
    /// The user id the page showed holding the episode, empty for no one.
    #[serde(default)]
    from: String,
}

/// What an allocation found when it looked again inside its transaction.
enum Allocated {
    Done,
    /// Someone else holds the episode and the page did not show it: ask before taking over.
    HeldBy {
        user_id: String,
        name: String,
    },
}

pub async fn act(ctx: Ctx, id: web::Path<String>, form: web::Form<ActionForm>) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let (ep, person) = access::open(&ctx, id.into_inner().into(), None).await?;
    let action = match form.action.as_str() {
        "allocate" => None,
        "start-screening" => Some(Action::StartScreening),
        "start-assessment" => Some(Action::StartAssessment),
        _ => return Err(AppError::BadRequest("Unknown action.")),
    };
    let (uid, eid, shown_holder) = (ctx.user.id.clone(), ep.id.clone(), form.from.clone());
    let outcome = ctx
        .write(move |tx| {
            // Re-read inside the transaction so two practitioners cannot both move it.
            let ep = crate::records::episode::find(tx.conn, &eid)?.ok_or(AppError::NotFound)?;
            if !ep.status().is_open() {
                return Err(AppError::Refused("This episode is closed. Reopen it first".into()));
            }
            let mut detail = Vec::new();
            if let Some(action) = action {
                let to = crate::records::episode::apply(tx.conn, tx.now, &uid, &ep, action, None)?;
                detail.push(format!("status -> {}", to.code()));
                if ep.allocated_to.is_none() {
                    crate::records::episode::allocate(tx.conn, tx.now, &eid, &uid)?;
                    detail.push("allocated to self".into());
                }
            } else {
                match allocate(tx.conn, tx.now, &ep, &uid, &shown_holder)? {
                    Allocated::Done => detail.push("allocated to self".into()),
                    held => return Ok(held),
                }
                if let Some(holder) = ep.allocated_to.as_deref().filter(|h| *h != uid) {
                    detail.push(format!("taken over from {holder}"));
                }
            }
            tx.audit(
                Event::allowed(audit::UPDATE)
                    .record(access::RECORD, &eid)
                    .detail(detail.join("; ")),
            )?;
            Ok(Allocated::Done)
        })
        .await?;
    if let Allocated::HeldBy { user_id, name } = outcome {
        return Ok(confirm_takeover(&ctx, &ep, &person.list_name(), &form, &user_id, &name));
    }
    Ok(see_other(&back_to(&ep, &form)))
}

/// Allocates the episode to `uid` unless someone else holds it whom the page did not show.
fn allocate(
    conn: &mut crate::db::DbConnection,
    now: crate::clock::Millis,
    ep: &Episode,
    uid: &str,
    shown_holder: &str,
) -> Result<Allocated, AppError> {
    match ep.allocated_to.as_deref() {
        Some(holder) if holder == uid => return Ok(Allocated::Done),
        Some(holder) if holder != shown_holder => {
            let name = accounts::find(conn, holder)?.map_or_else(|| "someone else".into(), |u| u.display_name);
            return Ok(Allocated::HeldBy {
                user_id: holder.to_string(),
                name,
            });
        }
        Some(holder) => {
            let from = accounts::find(conn, holder)?.map_or_else(|| "someone else".into(), |u| u.display_name);
            let by = accounts::find(conn, uid)?.map_or_else(|| uid.to_string(), |u| u.display_name);
            timeline::add(
                conn,
                now,
                &ep.id,
                uid,
                Kind::Handover,
                &format!("Allocation taken over from {from} by {by}."),
                None,
            )?;
        }
        None => {}
    }
    crate::records::episode::allocate(conn, now, &ep.id, uid)?;
    Ok(Allocated::Done)
}

/// Where the action returns to: the site's list or the shift's (with its filters), or the
/// episode.
fn back_to(ep: &Episode, form: &ActionForm) -> String {
    let list = match form.back.as_str() {
        "list" => format!("/sites/{}/list", ep.site_id),
        "shift" => "/shift/list".to_string(),
        _ => return format!("/episodes/{}", ep.id),
    };
    // Only a query string of the list's own filters goes back into the address.
    let filters = form.filters.as_str();
    let plain = filters.len() <= 100
        && filters
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'=' | b'&' | b'-' | b'_'));
    if plain && !filters.is_empty() {
        format!("{list}?{filters}")
    } else {
        list
    }
}

fn confirm_takeover(
    ctx: &Ctx,
    ep: &Episode,
    person: &str,
    form: &ActionForm,
    holder_id: &str,
    holder: &str,
) -> HttpResponse {
    let title = format!("{person} is allocated to {holder}");
    let body = html! {
        h1.app-heading-l { (title) }
        p { (holder) " took " (person) " after your page was loaded. Check with them before you take over: "
            "the takeover is recorded on the episode's timeline." }
        form method="post" action={ "/episodes/" (ep.id) "/actions" } {
            (components::csrf_field(&ctx.user.csrf_token))
            input type="hidden" name="action" value="allocate";
            input type="hidden" name="from" value=(holder_id);
            input type="hidden" name="back" value=(form.back);
            input type="hidden" name="filters" value=(form.filters);
            div.app-actions {
                button.app-button type="submit" { "Take over from " (holder) }
                a.app-link href=(back_to(ep, form)) { "Leave it with " (holder) }
            }
        }
    };
    // 409: the page the request came from no longer matches the record.
    ctx.render(StatusCode::CONFLICT, &ctx.page(&title), body)
}
