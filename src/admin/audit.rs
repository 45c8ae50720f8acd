//! "Who accessed this record, when": the administrator's view of the audit trail.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::html;

use crate::audit::{Event, Filter, Outcome, PAGE_SIZE, VIEW, search};
use crate::views::components::{self, Field, Tone};
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::error::AppError;

pub async fn page(ctx: Ctx, query: web::Query<Filter>) -> Result<HttpResponse, AppError> {
    let filter = query.into_inner();
    let f = filter.clone();
    let rows = ctx
        .write(move |tx| {
            let rows = search(tx.conn, &f)?;
            let detail = format!(
                "type={} id={} user={} action={}",
                f.record_type, f.record_id, f.username, f.action
            );
            tx.audit(Event::allowed(VIEW).record("audit", "-").detail(detail))?;
            Ok(rows)
        })
        .await?;
    let no_errors = Errors::default();
    let table_rows: Vec<Vec<maud::Markup>> = rows
        .iter()
        .map(|r| {
            vec![
                html! { (crate::domain::local_time::date_time_seconds(r.at)) },
                html! { (r.username.as_deref().unwrap_or("–")) @if let Some(role) = &r.role { br; span.app-hint { (role) } } },
                html! { (r.team.as_deref().unwrap_or("")) },
                html! { (r.action) },
                html! {
                    (r.record_type.as_deref().unwrap_or("")) " " span.app-code { (r.record_id.as_deref().unwrap_or("")) }
                    @if let Some(person) = &r.person_id { br; a href={ "/governance/people/" (person) "/access" } { "Who accessed this person's records" } }
                },
                match r.outcome { Outcome::Allowed => components::tag("Allowed", Tone::Good), Outcome::Denied => components::tag("Denied", Tone::Bad) },
                html! { (r.detail.as_deref().unwrap_or("")) },
            ]
        })
        .collect();
    let body = html! {
        h1.app-heading-l { "Audit trail" }
        p { "Every view of personal data, every change, sign-in and sign-out. Entries cannot be changed or deleted." }
        form.app-filter method="get" action="/admin/audit" {
            (components::input(Field::text("record_type", "Record type", &filter.record_type).hint("For example, user"), &no_errors))
            (components::input(Field::text("record_id", "Record ID", &filter.record_id), &no_errors))
            (components::input(Field::text("username", "Username", &filter.username), &no_errors))
            (components::input(Field::text("action", "Action", &filter.action).hint("view, create, update, sign-in or sign-out"), &no_errors))
            button.app-button.app-button--secondary type="submit" { "Search" }
        }
        @if rows.is_empty() { p { "No audit entries match." } }
        @else {
            (components::table(
                &format!("Newest first, showing {} (at most {PAGE_SIZE})", rows.len()),
                &["When", "Who", "Team", "Action", "Record", "Outcome", "Detail"],
                &table_rows,
            ))
        }
    };
    Ok(ctx.render(StatusCode::OK, &ctx.page("Audit trail"), body))
}
