//! GET/POST /mhtr/cases/{id}/report/send: the latest signed-off version goes to a probation
//! address from the partner directory, through the outbox. A secure address gets the report;
//! a standard address a notice without personal data. The first send at recommendation moves
//! the case to awaiting sentence; later sends (after an addendum) move nothing.

use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use maud::html;
use serde::Deserialize;

use super::{RECORD, path, report_of};
use crate::audit::{self, Event};
use crate::db::schema::teams;
use crate::domain::mhtr::{Action, MhtrStatus};
use crate::domain::referral::{SecurityClass, security_class};
use crate::email::outbox::{self, NewMessage};
use crate::mhtr::case::{self as mhtr_case, MhtrCase};
use crate::partners::{self, Filter};
use crate::records::Person;
use crate::reports::{self, Full, email};
use crate::views::components;
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::see_other;
use crate::web::state::AppState;

const PROBATION: &str = "probation";

#[derive(Deserialize, Default, Debug, Clone)]
pub struct SendForm {
    #[serde(default)]
    recipient: String,
}

/// One address a report may go to.
struct Choice {
    address: String,
    label: String,
}

/// Every address of the active probation services in the partner directory.
fn probation_addresses(state: &AppState, conn: &mut crate::db::DbConnection) -> QueryResult<Vec<Choice>> {
    let filter = Filter {
        service_type: Some(PROBATION.into()),
        active_only: true,
    };
    let secure = &state.config.secure_domains;
    Ok(partners::services(conn, &filter)?
        .into_iter()
        .flat_map(|s| {
            s.addresses
                .iter()
                .map(|a| Choice {
                    label: format!(
                        "{} – {}: {a} ({})",
                        s.organisation,
                        s.name,
                        security_class(a, secure).label().to_lowercase()
                    ),
                    address: a.clone(),
                })
                .collect::<Vec<_>>()
        })
        .collect())
}

fn signed_off(full: Option<Full>) -> Result<(Full, i32), AppError> {
    let full = full.ok_or_else(super::not_drafted)?;
    let version = full.sendable()?;
    Ok((full, version))
}

/// The report is shared only within recorded consent: her latest decision must be consent given.
fn consent_stands(conn: &mut crate::db::DbConnection, case_id: &str) -> Result<(), AppError> {
    if crate::mhtr::case::suitability::consent_given(conn, case_id)? {
        return Ok(());
    }
    Err(AppError::Refused(
        "Her consent to an MHTR is not recorded as given, or she has withdrawn it, so the report cannot be shared"
            .into(),
    ))
}

fn page(
    ctx: &Ctx,
    (c, person, version): (&MhtrCase, &Person, i32),
    choices: &[Choice],
    form: &SendForm,
    errors: &Errors,
) -> HttpResponse {
    let options: Vec<(&str, &str)> = choices.iter().map(|c| (c.address.as_str(), c.label.as_str())).collect();
    let body = html! {
        (components::error_summary(errors))
        span.app-caption { "Suitability report: " (person.list_name()) }
        p { a href=(path(&c.id)) { "Back to the report" } }
        h1.app-heading-l { "Send the report to probation" }
        p { "Version " (version) ", the latest signed-off version, will be sent." }
        p { "A secure address (" (ctx.state.config.secure_domains.join(", ")) ") receives the report. A standard address receives only a notice that the report is ready, with no personal information." }
        @if choices.is_empty() {
            p { "No probation service in the partner directory has an email address. Ask an administrator to add one." }
        } @else {
            form method="post" action={ (path(&c.id)) "/send" } novalidate {
                (components::csrf_field(&ctx.user.csrf_token))
                (components::radios("recipient", "Who should receive it?", &options, &form.recipient, errors))
                button.app-button type="submit" { "Send the report" }
            }
        }
    };
    let title = format!("Send the suitability report – {}", person.list_name());
    ctx.form_page(&title, errors, body)
}

pub async fn show(ctx: Ctx, id: web::Path<String>) -> Result<HttpResponse, AppError> {
    let view = (audit::VIEW, Some("MHTR suitability report: send"));
    let (c, person, full) = super::load(&ctx, id.into_inner().into(), view).await?;
    let (_, version) = signed_off(full)?;
    let (st, case_id) = (ctx.state.clone(), c.id.clone());
    let choices = ctx
        .read(move |conn| {
            consent_stands(conn, &case_id)?;
            Ok(probation_addresses(&st, conn)?)
        })
        .await?;
    Ok(page(
        &ctx,
        (&c, &person, version),
        &choices,
        &SendForm::default(),
        &Errors::default(),
    ))
}

pub async fn submit(ctx: Ctx, id: web::Path<String>, form: web::Form<SendForm>) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let (c, person, full) = super::load(&ctx, id.into_inner().into(), (audit::CREATE, None)).await?;
    let (_, version) = signed_off(full)?;
    let st = ctx.state.clone();
    let choices = ctx.read(move |conn| Ok(probation_addresses(&st, conn)?)).await?;
    let Some(recipient) = choices
        .iter()
        .find(|ch| ch.address == form.recipient)
        .map(|ch| ch.address.clone())
    else {
        let mut errors = Errors::default();
        errors.add("recipient", "Select a probation address to send the report to");
        return Ok(page(&ctx, (&c, &person, version), &choices, &form, &errors));
    };
    let (uid, sender, case_id) = (ctx.user.id.clone(), ctx.user.display_name.clone(), c.id.clone());
    let secure = security_class(&recipient, &ctx.state.config.secure_domains) == SecurityClass::Secure;
    ctx.write(move |tx| {
        let case = mhtr_case::find(tx.conn, &case_id)?.ok_or(AppError::NotFound)?;
        consent_stands(tx.conn, &case.id)?;
        // Read again inside the transaction: an addendum may have been signed since.
        let (full, version) = signed_off(report_of(tx.conn, &case.id)?)?;
        let team: String = teams::table.find(&case.team_id).select(teams::name).first(tx.conn)?;
        let sending = email::Sending {
            team: &team,
            sender: &sender,
            version,
        };
        let rendered = if secure {
            let about = super::about(&person, &case);
            email::letter(&full, &sending, &reports::shown_identifiers(&full, &about))
        } else {
            email::notice(&full, &sending, None)
        };
        let outbox_id = outbox::enqueue(
            tx.conn,
            tx.now,
            &NewMessage {
                referral_id: None,
                recipient: &recipient,
                subject: &rendered.subject,
                body_text: &rendered.text,
                body_html: Some(&rendered.html),
            },
        )?;
        reports::record_send(
            tx.conn,
            tx.now,
            &full.report.id,
            (version, &recipient),
            &outbox_id,
            &uid,
        )?;
        let note = format!("Suitability report version {version} sent to {recipient}");
        if case.status() == MhtrStatus::Recommendation {
            mhtr_case::apply(tx.conn, tx.now, &uid, &case, Action::SendRecommendation, Some(&note))?;
        }
        let event = Event::allowed(audit::CREATE).record(RECORD, &case.id).detail(note);
        tx.audit(event)
    })
    .await?;
    ctx.state.outbox.wake();
    Ok(see_other(&mhtr_case::path(&c.id)))
}
