//! GET /mhtr/cases/{id}/report/print: the report on a page of its own, without the app's
//! header and navigation, laid out for paper by the print stylesheet.

use actix_web::{HttpResponse, web};
use maud::{DOCTYPE, html};

use super::path;
use crate::audit;
use crate::domain::local_time;
use crate::reports::view;
use crate::views::assets;
use crate::views::components;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::html as respond;

/// `?version=N` shows version N as it was signed off and sent, without later addenda.
#[derive(serde::Deserialize)]
pub struct Version {
    version: Option<i32>,
}

pub async fn show(ctx: Ctx, id: web::Path<String>, query: web::Query<Version>) -> Result<HttpResponse, AppError> {
    let access = (audit::VIEW, Some("MHTR suitability report (printable)"));
    let (c, person, full) = super::load(&ctx, id.into_inner().into(), access).await?;
    let full = full.ok_or_else(super::not_drafted)?;
    let full = match query.version {
        Some(v) => full.as_of(v).ok_or(AppError::NotFound)?,
        None => full,
    };
    let title = format!("{} – {}", full.report.title(), person.list_name());
    let markup = html! {
        (DOCTYPE)
        html lang="en-GB" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " – Liaison" }
                link rel="stylesheet" href=(assets::url("app.css"));
                link rel="stylesheet" media="print" href=(assets::url("print.css"));
            }
            body {
                div.app-width {
                    main #main-content .app-main .app-report-print {
                        p.app-no-print { a href=(path(&c.id)) { "Back to the report" } }
                        h1.app-heading-l { (full.report.title()) }
                        @if !full.report.is_final() { p { strong { "DRAFT – not signed off. Do not send." } } }
                        (components::summary_list(&[
                            ("Name", html! { (person.full_name()) }),
                            ("Date of birth", html! { (person.dob_display()) }),
                            ("NHS number", html! { (person.nhs_display().unwrap_or_else(|| "Not recorded".into())) }),
                            ("Court", html! { (c.court.as_deref().unwrap_or("Not recorded")) }),
                            ("Sentencing hearing", html! { (c.next_hearing.as_deref().map(crate::mhtr::hearing::display).unwrap_or_else(|| "Not set".into())) }),
                            ("Reference", html! { (full.report.reference()) }),
                            ("Version", html! { (view::status_line(&full)) }),
                        ]))
                        (view::body(&full))
                        p.app-hint { "Printed by " (ctx.user.display_name) " at " (local_time::date_time(ctx.now())) "." }
                        @if ctx.state.demo { p.app-hint { "Synthetic demonstration data: not a real person." } }
                    }
                }
            }
        }
    };
    Ok(respond(actix_web::http::StatusCode::OK, markup))
}
