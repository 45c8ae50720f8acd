//! GET/POST /episodes/{id}/reports/{kind}/send: the latest signed-off version goes to a
//! recipient from the partner directory, through the share gate and the outbox. The gate
//! allows it on the person's consent for the kind's scope, or on another lawful basis the
//! practitioner records here (which goes to the IG lead's review queue). A secure address
//! gets the report; a standard address a notice with a single-use link to that version.

use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use maud::html;
use serde::Deserialize;

use super::{RECORD, path};
use crate::audit::{self, Event};
use crate::db::DbConnection;
use crate::db::schema::{shares, teams};
use crate::domain::referral::{SecurityClass, security_class};
use crate::domain::sharing::{Basis, OtherBasis, Refusal, Scope};
use crate::email::outbox::{self, NewMessage};
use crate::partners::{self, Filter};
use crate::records::{Episode, Person};
use crate::reports::{self, Full, email, links};
use crate::sharing::{self, Outbound};
use crate::views::components;
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::see_other;
use crate::web::state::AppState;

#[derive(Deserialize, Default, Debug, Clone)]
pub struct SendForm {
    #[serde(default)]
    recipient: String,
    #[serde(default)]
    basis: String,
    #[serde(default)]
    basis_detail: String,
    #[serde(default)]
    consulted: String,
    #[serde(default)]
    caldicott_told: String,
}

impl SendForm {
    /// Another lawful basis, when one was chosen instead of consent.
    fn other(&self) -> Option<OtherBasis> {
        let basis = Basis::try_from(self.basis.clone())
            .ok()
            .filter(|b| *b != Basis::Consent)?;
        Some(OtherBasis {
            basis,
            detail: self.basis_detail.trim().to_string(),
            consulted: Some(self.consulted.trim().to_string()).filter(|c| !c.is_empty()),
            caldicott_told: !self.caldicott_told.is_empty(),
        })
    }
}

/// One address the report may go to.
struct Choice {
    address: String,
    /// "Wembley custody suite – Custody sergeant (standard)".
    label: String,
    /// The recipient in words for the share record: the service and the address.
    recipient: String,
}

fn addresses(state: &AppState, conn: &mut DbConnection, kind: &reports::ReportKind) -> QueryResult<Vec<Choice>> {
    let secure = &state.config.secure_domains;
    let mut out = Vec::new();
    for t in kind.recipient_types {
        let filter = Filter {
            service_type: Some((*t).into()),
            active_only: true,
        };
        for s in partners::services(conn, &filter)? {
            for a in &s.addresses {
                out.push(Choice {
                    label: format!(
                        "{} – {}: {a} ({})",
                        s.organisation,
                        s.name,
                        security_class(a, secure).label().to_lowercase()
                    ),
                    recipient: format!("{} – {} ({a})", s.organisation, s.name),
                    address: a.clone(),
                });
            }
        }
    }
    Ok(out)
}

fn signed_off(full: Option<Full>) -> Result<(Full, i32), AppError> {
    let full = full.ok_or_else(super::not_drafted)?;
    match full.version {
        Some(v) => Ok((full, v)),
        None => Err(AppError::Refused(
            "The report has not been signed off yet: only a signed-off report can be sent".into(),
        )),
    }
}

const BASES: [(&str, &str); 4] = [
    ("consent", "The person's consent to share, as recorded"),
    ("legal-requirement", "Required by law or a court order"),
    (
        "public-interest",
        "Public interest: risk of serious harm or serious crime",
    ),
    ("safeguarding", "Safeguarding"),
];

fn page(
    ctx: &Ctx,
    (ep, person, full, version): (&Episode, &Person, &Full, i32),
    choices: &[Choice],
    form: &SendForm,
    errors: &Errors,
) -> HttpResponse {
    let base = path(&ep.id, full.report.kind);
    let options: Vec<(&str, &str)> = choices.iter().map(|c| (c.address.as_str(), c.label.as_str())).collect();
    let basis = if form.basis.is_empty() {
        "consent"
    } else {
        form.basis.as_str()
    };
    let markup = html! {
        (components::error_summary(errors))
        span.app-caption { (full.report.title()) ": " (person.list_name()) }
        p { a href=(base) { "Back to the report" } }
        h1.app-heading-l { "Send the " (full.report.title().to_lowercase()) }
        p { "Version " (version) ", the latest signed-off version, will be sent." }
        p { "A secure address (" (ctx.state.config.secure_domains.join(", ")) ") receives the report. A standard address receives a notice with no personal information and a link that opens this version once, within " (links::LINK_HOURS) " hours." }
        @if choices.is_empty() {
            p { "No recipient of the right kind in the partner directory has an email address. Ask an administrator to add one." }
        } @else {
            form method="post" action={ (base) "/send" } novalidate {
                (components::csrf_field(&ctx.user.csrf_token))
                (components::radios("recipient", "Who should receive it?", &options, &form.recipient, errors))
                (components::radios("basis", "On what basis is it shared?", &BASES, basis, errors))
                (components::textarea_named("basis_detail", "If not on consent: the law or court order, the justification, or the safeguarding referral's reference", &form.basis_detail, errors))
                (components::shown_when("basis", "public-interest", html! {
                    (components::input(components::Field::text("consulted", "Senior clinician consulted", &form.consulted), errors))
                    div.app-checkbox {
                        input type="checkbox" id="caldicott_told" name="caldicott_told" value="yes" checked[!form.caldicott_told.is_empty()];
                        label for="caldicott_told" { "The Caldicott Guardian was told" }
                    }
                }))
                button.app-button type="submit" { "Send the report" }
            }
        }
    };
    ctx.form_page(&format!("Send – {}", full.report.title()), errors, markup)
}

pub async fn show(ctx: Ctx, parts: web::Path<(String, String)>) -> Result<HttpResponse, AppError> {
    let (ep, person, kind, full) = super::load(&ctx, parts.into_inner(), Some("report: send")).await?;
    let (full, version) = signed_off(full)?;
    let st = ctx.state.clone();
    let choices = ctx.read(move |conn| Ok(addresses(&st, conn, kind.spec())?)).await?;
    Ok(page(
        &ctx,
        (&ep, &person, &full, version),
        &choices,
        &SendForm::default(),
        &Errors::default(),
    ))
}

/// The field a refusal belongs to, on this form.
fn refusal_field(r: &Refusal) -> &'static str {
    match r {
        Refusal::Incomplete(field, _) => field,
        _ => "basis",
    }
}

pub async fn submit(
    ctx: Ctx,
    parts: web::Path<(String, String)>,
    form: web::Form<SendForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let (ep, person, kind, full) = super::load(&ctx, parts.into_inner(), None).await?;
    let (full, version) = signed_off(full)?;
    let st = ctx.state.clone();
    let choices = ctx.read(move |conn| Ok(addresses(&st, conn, kind.spec())?)).await?;
    let mut errors = Errors::default();
    let choice = choices.iter().find(|c| c.address == form.recipient);
    if choice.is_none() {
        errors.add("recipient", "Select who should receive the report");
    }
    let valid_basis = form.basis.is_empty() || BASES.iter().any(|(c, _)| *c == form.basis);
    if !valid_basis {
        errors.add("basis", "Select the basis for sharing");
    }
    let Some(choice) = choice.filter(|_| errors.is_empty()) else {
        return Ok(page(&ctx, (&ep, &person, &full, version), &choices, &form, &errors));
    };
    let scope = kind.spec().scope.unwrap_or(Scope::Court);
    let other = form.other();
    let secure = security_class(&choice.address, &ctx.state.config.secure_domains) == SecurityClass::Secure;
    let (address, recipient) = (choice.address.clone(), choice.recipient.clone());
    let (uid, sender, base) = (
        ctx.user.id.clone(),
        ctx.user.display_name.clone(),
        ctx.state.config.public_base(),
    );
    let (episode, about) = (ep.clone(), super::about(&person, &ep));
    let refused = ctx
        .write(move |tx| {
            // Read again inside the transaction: an addendum may have been signed since.
            let (full, version) = signed_off(super::report_of(tx.conn, &episode.id, kind)?)?;
            let team: String = teams::table.find(&episode.team_id).select(teams::name).first(tx.conn)?;
            let sending = email::Sending {
                team: &team,
                sender: &sender,
                version,
            };
            let letter = email::letter(&full, &sending, &reports::shown_identifiers(&full, &about));
            let out = Outbound {
                episode_id: &episode.id,
                person_id: &episode.person_id,
                scope,
                recipient: &recipient,
                document: full.report.title(),
                document_version: Some(version),
                content: &letter.text,
                other: other.as_ref(),
            };
            let share_id = match sharing::share(tx.conn, tx.now, tx.actor, &out)? {
                Ok(id) => id,
                Err(refusal) => return Ok(Some(refusal)),
            };
            let rendered = if secure {
                letter
            } else {
                let token = links::create(tx.conn, tx.now, &full.report.id, version, &address)?;
                email::notice(&full, &sending, Some(&format!("{base}/shared/{token}")))
            };
            let message = NewMessage {
                referral_id: None,
                recipient: &address,
                subject: &rendered.subject,
                body_text: &rendered.text,
                body_html: Some(&rendered.html),
            };
            let outbox_id = outbox::enqueue(tx.conn, tx.now, &message)?;
            diesel::update(shares::table.find(&share_id))
                .set(shares::outbox_id.eq(&outbox_id))
                .execute(tx.conn)?;
            reports::record_send(tx.conn, tx.now, &full.report.id, (version, &address), &outbox_id, &uid)?;
            let event = Event::allowed(audit::CREATE)
                .record(RECORD, &episode.id)
                .person(&episode.person_id)
                .detail(format!("{} version {version} sent to {address}", kind.spec().title));
            tx.audit(event)?;
            Ok(None)
        })
        .await?;
    if let Some(refusal) = refused {
        let mut errors = Errors::default();
        errors.add(refusal_field(&refusal), refusal.message());
        return Ok(page(&ctx, (&ep, &person, &full, version), &choices, &form, &errors));
    }
    ctx.state.outbox.wake();
    Ok(see_other(&format!("/episodes/{}#sharing", ep.id)))
}
