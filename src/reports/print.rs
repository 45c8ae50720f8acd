//! A report laid out for paper: one clean A4 page set with the service's letterhead, the
//! OFFICIAL-SENSITIVE marking at the top and foot of every page, page x of y (print.css),
//! the reference and version in the footer, who printed it and when, and a "superseded"
//! mark when a newer version exists. The same for every kind of report.

use maud::{DOCTYPE, Markup, html};

use super::{About, Full, view};
use crate::domain::local_time;
use crate::views::{assets, components};
use crate::web::context::Ctx;
use crate::web::error::AppError;

/// The protective marking of every report (Government Security Classifications).
pub const MARKING: &str = "OFFICIAL-SENSITIVE";

pub struct Printed<'a> {
    pub full: &'a Full,
    /// The service's letterhead, a line each.
    pub letterhead: &'a str,
    /// What the report may show of the person, by its allow-list.
    pub identifiers: &'a [(&'static str, String)],
    /// The newest signed-off version, when it is newer than the one printed.
    pub superseded_by: Option<i32>,
    /// Where "Back to the report" goes; none for a recipient's link.
    pub back: Option<&'a str>,
    /// "Printed by Sam Senior at 1 Dec 2026, 10:04".
    pub printed: String,
    pub demo: bool,
}

pub fn document(p: &Printed<'_>) -> Markup {
    let full = p.full;
    let version = full
        .version
        .map_or_else(|| "Draft".to_string(), |v| format!("Version {v}"));
    let title = full.report.title();
    html! {
        (DOCTYPE)
        html lang="en-GB" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " " (full.report.reference()) " – Liaison" }
                link rel="stylesheet" href=(assets::url("app.css"));
                link rel="stylesheet" media="print" href=(assets::url("print.css"));
            }
            body {
                div.app-width {
                    main #main-content .app-main .app-report-print {
                        @if let Some(back) = p.back { p.app-no-print { a href=(back) { "Back to the report" } } }
                        p.app-marking { (MARKING) }
                        div.app-letterhead { (p.letterhead) }
                        @if let Some(newer) = p.superseded_by {
                            p.app-superseded { "Superseded: version " (newer) " is the current version of this report." }
                        }
                        h1.app-heading-l { (title) }
                        @if !full.report.is_final() { p { strong { "DRAFT – not signed off. Do not send." } } }
                        @let rows: Vec<(&str, Markup)> = p.identifiers.iter().map(|(l, v)| (*l, html! { (v) })).collect();
                        (components::summary_list(&rows))
                        (components::summary_list(&[
                            ("Reference", html! { (full.report.reference()) }),
                            ("Author", html! { (full.author) }),
                            ("Version", html! { (view::status_line(full)) }),
                        ]))
                        (view::body(full))
                        p.app-hint { (p.printed) "." }
                        @if p.demo { p.app-hint { "Synthetic demonstration data: not a real person." } }
                        p.app-marking { (MARKING) }
                        p.app-print-footer { (full.report.reference()) ", " (version) }
                    }
                }
            }
        }
    }
}

/// `?version=N` prints version N as it was signed off and sent, without later addenda.
#[derive(serde::Deserialize)]
pub struct VersionQuery {
    pub version: Option<i32>,
}

/// The printable page of a report for the signed-in user: version `wanted` (or the report as
/// it stands), with what its kind lets it show of the person, and `back` to the report.
pub async fn page(
    ctx: &Ctx,
    full: Full,
    wanted: Option<i32>,
    about: &About,
    back: &str,
) -> Result<actix_web::HttpResponse, AppError> {
    let (full, superseded_by) = full.to_print(wanted)?;
    let team = full.report.team_id.clone();
    let letterhead = ctx.read(move |conn| Ok(super::letterhead(conn, &team)?)).await?;
    let identifiers = super::shown_identifiers(&full, about);
    let markup = document(&Printed {
        full: &full,
        letterhead: &letterhead,
        identifiers: &identifiers,
        superseded_by,
        back: Some(back),
        printed: format!(
            "Printed by {} at {}",
            ctx.user.display_name,
            local_time::date_time(ctx.now())
        ),
        demo: ctx.state.demo,
    });
    Ok(crate::web::html(actix_web::http::StatusCode::OK, markup))
}
