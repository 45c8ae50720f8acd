//! "Who accessed this record": every audited view, change, refusal and break-glass on one
//! person's records, for the information governance lead answering a subject access request
//! or a concern. Break-glass access stands out from access through a relationship.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::{Markup, html};

use crate::access::overrides;
use crate::audit::{self, Event};
use crate::views::components::{self, Tone};
use crate::web::context::Ctx;
use crate::web::error::AppError;

fn basis_tag(row: &audit::Row) -> Markup {
    match (row.outcome, row.basis.as_deref(), row.action.as_str()) {
        (audit::Outcome::Denied, _, _) => components::tag("Refused", Tone::Bad),
        (_, Some("break-glass"), _) | (_, _, audit::BREAK_GLASS) => components::tag("Break-glass", Tone::Bad),
        (_, Some("self-claim"), _) | (_, _, audit::SELF_CLAIM) => {
            components::tag("Claimed by a new contact", Tone::Warning)
        }
        (_, Some("relationship"), _) => components::tag("Team relationship", Tone::Neutral),
        _ => html! {},
    }
}

pub async fn show(ctx: Ctx, id: web::Path<String>) -> Result<HttpResponse, AppError> {
    ctx.require(ctx.user.role.reviews_access(), "person-access-log").await?;
    let person_id = id.into_inner();
    let target = person_id.clone();
    let (rows, overrides) = ctx
        .read(move |conn| Ok((audit::for_person(conn, &target)?, overrides::for_person(conn, &target)?)))
        .await?;
    let event = Event::allowed(audit::VIEW)
        .record("person-access-log", &person_id)
        .person(&person_id);
    ctx.audit(event).await?;
    let table: Vec<Vec<Markup>> = rows
        .iter()
        .map(|r| {
            vec![
                html! { (crate::domain::local_time::date_time_seconds(r.at)) },
                html! { (r.username.as_deref().unwrap_or("–")) @if let Some(team) = &r.team { br; span.app-hint { (team) } } },
                html! { (r.action) },
                html! { (r.record_type.as_deref().unwrap_or("")) " " span.app-code { (r.record_id.as_deref().unwrap_or("")) } },
                basis_tag(r),
                html! { (r.detail.as_deref().unwrap_or("")) },
            ]
        })
        .collect();
    let glass: Vec<Vec<Markup>> = overrides
        .iter()
        .map(|(o, who)| {
            vec![
                html! { a href={ "/governance/access-reviews/" (o.id) } { (crate::domain::local_time::date_time_seconds(o.started_at)) } },
                html! { (super::reviews::kind_label(o.kind)) },
                html! { (who) },
                html! { (o.reason_label()) },
                html! { (o.review_outcome.map_or("Not yet reviewed", |r| r.label())) },
            ]
        })
        .collect();
    let body = html! {
        span.app-caption { "Person " span.app-code { (person_id) } }
        h1.app-heading-l { "Who accessed this record" }
        h2.app-heading-m { "Break-glass and claimed relationships" }
        @if glass.is_empty() { p { "None." } }
        @else { (components::table("Break-glass and claimed relationships, newest first", &["Started", "Kind", "Who", "Reason", "Review"], &glass)) }
        h2.app-heading-m { "Every access, newest first" }
        @if table.is_empty() { p { "No access recorded." } }
        @else { (components::table(&format!("The latest {} entries", table.len()), &["When", "Who", "Action", "Record", "Basis", "Detail"], &table)) }
    };
    Ok(ctx.render(StatusCode::OK, &ctx.page("Who accessed this record"), body))
}
