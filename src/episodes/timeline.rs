//! The timeline on the episode page: the entries shown, and the form to add or correct one
//! (the store is `records::timeline`).

use actix_web::{HttpResponse, web};
use maud::{Markup, html};
use serde::Deserialize;

use crate::audit::{self, Event};
use crate::domain::local_time;
use crate::records::access;
use crate::records::timeline::{Entry, Kind, add, for_episode};
use crate::views::components;
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::see_other;

pub fn view(entries: &[Entry]) -> Markup {
    let position = |id: &str| entries.iter().position(|e| e.id == id).map(|i| entries.len() - i);
    html! {
        @if entries.is_empty() { p { "Nothing recorded yet." } }
        ol.app-timeline reversed {
            @for (i, e) in entries.iter().enumerate() {
                li.app-timeline__item id={ "entry-" (entries.len() - i) } {
                    p.app-timeline__meta {
                        strong { (e.kind.label()) }
                        " – " (local_time::date_time(e.at)) " – " (e.author)
                    }
                    @if let Some(n) = e.corrects_id.as_deref().and_then(position) {
                        p.app-hint { "Corrects " a href={ "#entry-" (n) } { "entry " (n) } }
                    }
                    p.app-timeline__body { (e.body) }
                }
            }
        }
    }
}

/// The form to add a note, a contact or a clinical judgement, or to correct an entry.
pub fn form(episode_id: &str, csrf: &str, entries: &[Entry], values: &EntryForm, errors: &Errors) -> Markup {
    let kinds: Vec<(String, String)> = Kind::WRITTEN
        .iter()
        .map(|k| (k.code().into(), k.label().into()))
        .collect();
    let correctable: Vec<(String, String)> =
        std::iter::once((String::new(), "Nothing – this is a new entry".to_string()))
            .chain(entries.iter().enumerate().map(|(i, e)| {
                let preview: String = e.body.chars().take(60).collect();
                (e.id.clone(), format!("Entry {}: {}", entries.len() - i, preview))
            }))
            .collect();
    html! {
        form method="post" action={ "/episodes/" (episode_id) "/timeline" } novalidate {
            (components::csrf_field(csrf))
            (components::select("kind", "Type of entry", &kinds, &values.kind, errors))
            (components::textarea("body", "Entry", &values.body, Some("What happened, what you judged and why"), errors))
            (components::select("corrects", "Does this correct an earlier entry?", &correctable, &values.corrects, errors))
            button.app-button type="submit" { "Add to timeline" }
        }
    }
}

#[derive(Deserialize, Default, Debug, Clone)]
pub struct EntryForm {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub corrects: String,
}

pub async fn post(ctx: Ctx, id: web::Path<String>, form: web::Form<EntryForm>) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let (ep, _person) = access::open(&ctx, id.into_inner().into(), None).await?;
    let mut errors = Errors::default();
    let kind = Kind::WRITTEN.iter().copied().find(|k| k.code() == form.kind);
    if kind.is_none() {
        errors.add("kind", "Select the type of entry");
    }
    let body = form.body.trim().to_string();
    if body.is_empty() {
        errors.add("body", "Enter what happened");
    } else if body.chars().count() > 5000 {
        errors.add("body", "Entry must be 5000 characters or fewer");
    }
    let (uid, eid, corrects) = (ctx.user.id.clone(), ep.id.clone(), form.corrects.trim().to_string());
    if !errors.is_empty() {
        return super::page::render(&ctx, ep.id, Some((&form, &errors)), None).await;
    }
    let kind = if corrects.is_empty() {
        kind.unwrap_or(Kind::Note)
    } else {
        Kind::Correction
    };
    let added = ctx
        .write(move |tx| {
            let corrects = if corrects.is_empty() {
                None
            } else {
                let belongs = for_episode(tx.conn, &eid)?.iter().any(|e| e.id == corrects);
                if !belongs {
                    return Ok(false);
                }
                Some(corrects.as_str())
            };
            let entry = add(tx.conn, tx.now, &eid, &uid, kind, &body, corrects)?;
            tx.audit(
                Event::allowed(audit::CREATE)
                    .record("timeline-entry", &entry)
                    .detail(format!("episode {eid}; {}", kind.code())),
            )?;
            Ok(true)
        })
        .await?;
    if !added {
        let mut errors = Errors::default();
        errors.add("corrects", "Select an entry from this episode's timeline");
        return super::page::render(&ctx, ep.id, Some((&form, &errors)), None).await;
    }
    Ok(see_other(&format!("/episodes/{}#timeline", ep.id)))
}
