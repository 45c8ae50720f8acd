//! The returns pages: the list with a form to start one, and a return's own page with its
//! validation, data quality, figures and the actions its status allows.

use std::collections::HashMap;

use actix_web::{HttpResponse, web};
use maud::{Markup, html};
use serde::Deserialize;

use super::RECORD;
use super::checks::{self, Worked};
use super::facts::Recorded;
use super::store::{self, DataReturn, ReturnStatus};
use super::view::{definitions, return_table, rule_explained};
use crate::audit::{self, Event};
use crate::domain::local_time::{date_time, local_day};
use crate::domain::period::{Period, choices};
use crate::domain::return_checks::{FieldQuality, Finding, quality_definitions};
use crate::views::components::{self, Tone};
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::{reauth, see_other};

/// Findings listed on the page per kind; the rest are counted.
const SHOWN_FINDINGS: usize = 50;

pub(super) fn quarters(now: crate::clock::Millis) -> Vec<Period> {
    choices(now)
        .into_iter()
        .filter(|p| matches!(p, Period::Quarter(..)))
        .collect()
}

#[derive(Deserialize, Default)]
pub struct StartForm {
    #[serde(default)]
    quarter: String,
}

pub async fn index(ctx: Ctx) -> Result<HttpResponse, AppError> {
    render_index(&ctx, &StartForm::default(), &Errors::default()).await
}

async fn render_index(ctx: &Ctx, form: &StartForm, errors: &Errors) -> Result<HttpResponse, AppError> {
    let returns = ctx.read(|conn| Ok(store::all(conn)?)).await?;
    let options: Vec<(String, String)> = std::iter::once((String::new(), "Select a quarter".to_string()))
        .chain(quarters(ctx.now()).into_iter().map(|q| (q.code(), q.label())))
        .collect();
    let rows: Vec<Vec<Markup>> = returns
        .iter()
        .map(|r| {
            vec![
                html! { a href={ "/returns/" (r.id) } { (quarter_label(&r.quarter)) } },
                html! { (r.version) },
                html! { (status_tag(r.status)) },
                html! { (date_time(r.created_at)) },
                html! { (r.locked_at.map(date_time).unwrap_or_default()) },
            ]
        })
        .collect();
    let body = html! {
        h1.app-heading-l { "Commissioner returns" }
        p { "The quarterly L&D return, by site and month, with small numbers hidden. Validate a return, correct what blocks it in the records, then lock it: the locked file is kept exactly as it was." }
        (components::error_summary(errors))
        form method="post" action="/returns" novalidate {
            (components::csrf_field(&ctx.user.csrf_token))
            (components::select("quarter", "Quarter", &options, &form.quarter, errors))
            button.app-button type="submit" { "Start the return" }
        }
        @if returns.is_empty() {
            p { "No return has been started yet." }
        } @else {
            (components::table("Returns, newest first", &["Quarter", "Version", "Status", "Started", "Locked"], &rows))
        }
    };
    Ok(ctx.form_page("Commissioner returns", errors, body))
}

/// Starts a draft for the quarter, or opens the quarter's draft if there is one.
pub async fn start(ctx: Ctx, form: web::Form<StartForm>) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let chosen = Period::parse(&form.quarter).filter(|p| quarters(ctx.now()).contains(p));
    let Some(quarter) = chosen else {
        let mut errors = Errors::default();
        errors.add("quarter", "Select the quarter the return is for");
        return render_index(&ctx, &form, &errors).await;
    };
    let rule = ctx.state.config.suppression_rule.code();
    let by = ctx.user.id.clone();
    let id = ctx
        .write(move |tx| {
            if let Some(open) = store::open_for(tx.conn, &quarter.code())? {
                return Ok(open.id);
            }
            let id = store::start(tx.conn, &quarter.code(), rule, &by, tx.now)?;
            tx.audit(
                Event::allowed(audit::CREATE)
                    .record(RECORD, &id)
                    .detail(format!("return for {} started", quarter.code())),
            )?;
            Ok(id)
        })
        .await?;
    Ok(see_other(&format!("/returns/{id}")))
}

pub(super) async fn find(ctx: &Ctx, id: String) -> Result<DataReturn, AppError> {
    ctx.read(move |conn| store::find(conn, &id)?.ok_or(AppError::NotFound))
        .await
}

pub(super) fn quarter_of(r: &DataReturn) -> Result<Period, AppError> {
    Period::parse(&r.quarter).ok_or_else(|| AppError::Internal("a stored return with no quarter".into()))
}

fn quarter_label(code: &str) -> String {
    Period::parse(code).map_or(code.to_string(), Period::label)
}

fn status_tag(status: ReturnStatus) -> Markup {
    let tone = match status {
        ReturnStatus::Draft => Tone::Neutral,
        ReturnStatus::Validated | ReturnStatus::Locked => Tone::Good,
    };
    components::tag(status.label(), tone)
}

pub async fn show(ctx: Ctx, id: web::Path<String>) -> Result<HttpResponse, AppError> {
    render(&ctx, id.into_inner(), &Errors::default()).await
}

/// The return's page; `errors` are the lock form's.
pub(super) async fn render(ctx: &Ctx, id: String, errors: &Errors) -> Result<HttpResponse, AppError> {
    let found = find(ctx, id).await?;
    let quarter = quarter_of(&found)?;
    let worked = checks::worked(ctx, quarter).await?;
    ctx.audit(Event::allowed(audit::VIEW).record(RECORD, &found.id)).await?;
    let title = format!("Return for {}", quarter.label());
    let rule = ctx.state.config.suppression_rule;
    let body = html! {
        p { a href="/returns" { "All returns" } }
        h1.app-heading-l { (title) }
        (components::error_summary(errors))
        (summary(&found))
        @if found.status == ReturnStatus::Locked {
            p { a.app-button href={ "/returns/" (found.id) "/file.csv" } download { "Download the locked file (CSV)" } }
        } @else {
            @if quarter.bounds().1 > ctx.now() {
                (components::notification("This quarter has not ended: its figures will change until it does.", false))
            }
            (validation(&worked))
            (actions(ctx, &found, &worked, errors))
        }
        h2.app-heading-m { "The figures" }
        @if found.status == ReturnStatus::Locked {
            p { "The figures below are worked from the records as they stand now; the locked file is what was sent." }
        }
        p { (rule_explained(rule)) }
        (return_table(&worked.rows, rule, quarter))
        @if found.status != ReturnStatus::Locked {
            p { a href={ "/returns/" (found.id) "/file.csv" } download { "Download this draft (CSV)" } }
        }
        (definitions())
    };
    Ok(ctx.form_page(&title, errors, body))
}

fn summary(r: &DataReturn) -> Markup {
    let mut rows = vec![
        ("Status", status_tag(r.status)),
        (
            "Version",
            html! { (r.version) @if r.version > 1 { " (a refresh of a locked return)" } },
        ),
        ("Small-number rule", html! { (r.suppression_rule) }),
        ("Started", html! { (date_time(r.created_at)) }),
    ];
    if let Some(at) = r.validated_at {
        rows.push((
            "Last validated",
            html! { (date_time(at)) ": " (r.blocking) " blocking, " (r.warnings) " warnings" },
        ));
    }
    if let (Some(at), Some(sha)) = (r.locked_at, &r.sha256) {
        rows.push(("Locked", html! { (date_time(at)) }));
        rows.push(("File SHA-256", html! { code { (sha) } }));
        rows.push(("Made by", html! { (r.generator_version.clone().unwrap_or_default()) }));
        rows.push((
            "Rows",
            html! { (r.row_count.unwrap_or(0)) " rows from " (r.episode_count.unwrap_or(0)) " episodes" },
        ));
    }
    components::summary_list(&rows)
}

fn findings(heading: &str, list: &[Finding], facts: &HashMap<&str, &Recorded>) -> Markup {
    html! {
        h3.app-heading-s { (heading) " (" (list.len()) ")" }
        ul.app-list {
            @for f in list.iter().take(SHOWN_FINDINGS) {
                li {
                    strong { (f.field) ": " } (f.message)
                    @if let Some(e) = f.episode_id.as_deref() {
                        " Episode " code { (e) }
                        @if let Some(found) = facts.get(e) {
                            ", " (found.facts.site.name) ", alert on " (local_day(found.facts.alert_at))
                        }
                        "."
                    }
                }
            }
        }
        @if list.len() > SHOWN_FINDINGS {
            p { "And " (list.len() - SHOWN_FINDINGS) " more." }
        }
    }
}

fn validation(worked: &Worked) -> Markup {
    let v = &worked.validation;
    let by_id: HashMap<&str, &Recorded> = worked.facts.iter().map(|f| (f.record.id.as_str(), f)).collect();
    html! {
        h2.app-heading-m { "Validation" }
        @if v.blocking.is_empty() {
            p { "Nothing blocks this return, as the records stand now." }
        } @else {
            p { "These must be corrected in the records before the return can be locked. A practitioner in the episode's team can correct them." }
            (findings("Blocking problems", &v.blocking, &by_id))
        }
        @if !v.warnings.is_empty() {
            (findings("Warnings: check these, they do not stop the return", &v.warnings, &by_id))
        }
        (quality(&v.quality))
    }
}

fn quality(fields: &[FieldQuality]) -> Markup {
    let rows: Vec<Vec<Markup>> = fields
        .iter()
        .map(|q| {
            vec![
                html! { (q.field) },
                html! { (q.valid) },
                html! { (q.other) },
                html! { (q.default) },
                html! { (q.invalid) },
                html! { (q.missing) },
            ]
        })
        .collect();
    html! {
        h3.app-heading-s { "Data quality, field by field (LD12)" }
        (components::table("Records in each data-quality category", &["Field", "Valid", "Other", "Default", "Invalid", "Missing"], &rows))
        dl.app-definitions {
            @for (name, meaning) in quality_definitions() { dt { (name) } dd { (meaning) } }
        }
    }
}

fn actions(ctx: &Ctx, r: &DataReturn, worked: &Worked, errors: &Errors) -> Markup {
    let base = format!("/returns/{}", r.id);
    html! {
        form method="post" action={ (base) "/validate" } {
            (components::csrf_field(&ctx.user.csrf_token))
            button.app-button.app-button--secondary type="submit" { "Validate the return" }
        }
        @if r.status == ReturnStatus::Validated && worked.validation.can_lock() {
            h2.app-heading-m { "Lock the return" }
            p { "Locking keeps this file exactly as it is, with its SHA-256, for sending to the commissioner. A locked return cannot be changed; a correction later is a new version of the quarter." }
            @if reauth::is_fresh(&ctx.user, &ctx.state) {
                form method="post" action={ (base) "/lock" } novalidate {
                    (components::csrf_field(&ctx.user.csrf_token))
                    (components::checkboxes("confirm", "Before you lock it", &[("yes".into(), "I have checked the figures and the warnings, and this return is ready to send".into())], &[], errors))
                    button.app-button type="submit" { "Lock the return" }
                }
            } @else {
                p { a.app-button href=(reauth::confirm_url(&base)) { "Confirm it is you to lock the return" } }
            }
        }
    }
}
