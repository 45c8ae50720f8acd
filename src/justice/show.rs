//! GET /episodes/{id}/reports/{kind}: the report, or a button to draft it; POST drafts it from
//! what the episode records; POST …/addenda adds an addendum to a final report.

use actix_web::{HttpResponse, web};
use maud::{Markup, html};
use serde::Deserialize;

use super::{RECORD, cannot_sign_off, path};
use crate::audit::{self, Event};
use crate::domain::local_time;
use crate::records::{Episode, Person};
use crate::reports::kinds::Signer;
use crate::reports::{self, Full, Kind, SendRow, view};
use crate::views::components;
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::see_other;

const ADDENDUM_MAX: usize = 10_000;

type Parts = web::Path<(String, String)>;

#[derive(Deserialize, Default, Debug, Clone)]
pub struct AddendumForm {
    #[serde(default)]
    text: String,
}

fn not_yet(ep: &Episode, kind: Kind, csrf: &str) -> Markup {
    html! {
        p { "No " (kind.spec().title.to_lowercase()) " has been drafted for this episode." }
        @if ep.status().is_open() {
            p { "The draft is filled in from what the episode records: the screening, the assessment, the consent to share and the referrals made. You can change every section before it is signed off." }
            form method="post" action=(path(&ep.id, kind)) novalidate {
                (components::csrf_field(csrf))
                button.app-button type="submit" { "Draft the " (kind.spec().title.to_lowercase()) }
            }
        } @else {
            p { "The episode is closed, so no new report can be drafted." }
        }
    }
}

fn draft_sections(ctx: &Ctx, ep: &Episode, full: &Full, signer: Signer) -> Markup {
    let base = path(&ep.id, full.report.kind);
    html! {
        p { a href={ (base) "/identifiers" } { "Identifiers on this report" } }
        @for s in &full.sections {
            section.app-report-section {
                h2.app-heading-m { (s.title) }
                (view::section_content(full, s, "Not written yet."))
                p { a href={ (base) "/sections/" (s.code) } { "Change" span.app-visually-hidden { " " (s.title.to_lowercase()) } } }
            }
        }
        h2.app-heading-m { "Sign-off" }
        p { (signer.label()) " signs off this report, after its quality checklist." }
        @match cannot_sign_off(&ctx.user, signer, &full.report) {
            Some(why) => p { (why) "." },
            None => p { a.app-button href={ (base) "/sign-off" } { "Check and sign off" } },
        }
        p { a href={ (base) "/print" } { "Printable draft" } }
    }
}

fn final_report(
    ctx: &Ctx,
    (ep, full, sends): (&Episode, &Full, &[SendRow]),
    form: &AddendumForm,
    errors: &Errors,
) -> Markup {
    let base = path(&ep.id, full.report.kind);
    let unsigned: Vec<_> = full.addenda.iter().filter(|a| a.version.is_none()).collect();
    html! {
        p {
            a.app-button href={ (base) "/send" } { "Send the report" } " "
            a href={ (base) "/print" } { "Printable version" }
        }
        h2.app-heading-m { "Sent" }
        @if sends.is_empty() { p { "Not sent yet." } }
        @else { ul { @for s in sends { li {
            "Version " (s.version) " to " (s.recipient) " on " (local_time::date_time(s.sent_at)) " by " (s.sent_by) " – "
            a href={ (base) "/print?version=" (s.version) } { "view version " (s.version) " as sent" }
        } } } }
        (view::body(full))
        @if !full.waivers.is_empty() {
            h2.app-heading-m { "Checklist items waived at sign-off" }
            ul { @for w in &full.waivers { li { (w.item) ": " (w.reason) " (" (w.by) ")" } } }
        }
        @if !unsigned.is_empty() {
            h2.app-heading-m { "Addenda waiting for sign-off" }
            @for a in &unsigned {
                section.app-report-section {
                    p.app-pre-wrap { (a.body) }
                    p.app-hint { "Added by " (a.author) " on " (local_time::local_day(a.created_at)) "." }
                    p { a href={ (base) "/addenda/" (a.id) "/sign-off" } { "Sign off this addendum" } }
                }
            }
        }
        h2.app-heading-m { "Add an addendum" }
        p { "The signed-off report cannot be changed. Record any change or new information as an addendum; once signed off it becomes the next version." }
        form method="post" action={ (base) "/addenda" } novalidate {
            (components::csrf_field(&ctx.user.csrf_token))
            (components::textarea("text", "Addendum", &form.text, None, errors))
            button.app-button type="submit" { "Add addendum" }
        }
    }
}

fn page(
    ctx: &Ctx,
    (ep, person, kind, full): (&Episode, &Person, Kind, Option<&Full>),
    (signer, sends): (Signer, &[SendRow]),
    form: &AddendumForm,
    errors: &Errors,
) -> HttpResponse {
    let title = kind.spec().title;
    let body = html! {
        (components::error_summary(errors))
        span.app-caption { (person.list_name()) }
        p { a href={ "/episodes/" (ep.id) "#reports" } { "Back to the episode" } }
        h1.app-heading-l { (title) }
        @match full {
            None => (not_yet(ep, kind, &ctx.user.csrf_token)),
            Some(full) => {
                p { (view::version_tag(full.version)) " " (view::status_line(full)) }
                @if full.report.is_final() { (final_report(ctx, (ep, full, sends), form, errors)) }
                @else { (draft_sections(ctx, ep, full, signer)) }
            },
        }
    };
    ctx.form_page(&format!("{title} – {}", person.list_name()), errors, body)
}

/// Who signs this kind off, and every send of the report so far.
async fn signer_and_sends(ctx: &Ctx, kind: Kind, full: Option<&Full>) -> Result<(Signer, Vec<SendRow>), AppError> {
    let id = full.map(|f| f.report.id.clone());
    ctx.read(move |conn| {
        let sends = match &id {
            Some(id) => reports::sends(conn, id)?,
            None => Vec::new(),
        };
        Ok((reports::signer_for(conn, kind)?, sends))
    })
    .await
}

pub async fn show(ctx: Ctx, parts: Parts) -> Result<HttpResponse, AppError> {
    let (ep, person, kind, full) = super::load(&ctx, parts.into_inner(), Some("report")).await?;
    let (signer, sends) = signer_and_sends(&ctx, kind, full.as_ref()).await?;
    Ok(page(
        &ctx,
        (&ep, &person, kind, full.as_ref()),
        (signer, &sends),
        &AddendumForm::default(),
        &Errors::default(),
    ))
}

pub async fn draft(ctx: Ctx, parts: Parts) -> Result<HttpResponse, AppError> {
    let (ep, _person, kind, full) = super::load(&ctx, parts.into_inner(), None).await?;
    if full.is_some() {
        return Ok(see_other(&path(&ep.id, kind)));
    }
    if !ep.status().is_open() {
        return Err(AppError::Refused(
            "The episode is closed, so no new report can be drafted".into(),
        ));
    }
    let (uid, name, episode) = (ctx.user.id.clone(), ctx.user.display_name.clone(), ep.clone());
    ctx.write(move |tx| {
        // Two clicks at once make one draft: the second finds the first.
        super::draft(tx.conn, tx.now, (&uid, &name), &episode, kind)?;
        let event = Event::allowed(audit::CREATE)
            .record(RECORD, &episode.id)
            .person(&episode.person_id)
            .detail(format!("{} drafted", kind.spec().title));
        tx.audit(event)
    })
    .await?;
    Ok(see_other(&path(&ep.id, kind)))
}

pub async fn add_addendum(ctx: Ctx, parts: Parts, form: web::Form<AddendumForm>) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let (ep, person, kind, full) = super::load(&ctx, parts.into_inner(), None).await?;
    let full = full.ok_or_else(super::not_drafted)?;
    let text = form.text.trim().to_string();
    let mut errors = Errors::default();
    if text.is_empty() {
        errors.add("text", "Enter the addendum");
    } else if text.chars().count() > ADDENDUM_MAX {
        errors.add("text", format!("Addendum must be {ADDENDUM_MAX} characters or fewer"));
    }
    if !errors.is_empty() {
        let (signer, sends) = signer_and_sends(&ctx, kind, Some(&full)).await?;
        return Ok(page(
            &ctx,
            (&ep, &person, kind, Some(&full)),
            (signer, &sends),
            &form,
            &errors,
        ));
    }
    let (uid, eid, pid, report_id) = (ctx.user.id.clone(), ep.id.clone(), ep.person_id.clone(), full.report.id);
    ctx.write(move |tx| {
        reports::add_addendum(tx.conn, tx.now, &report_id, &uid, &text)?;
        let event = Event::allowed(audit::CREATE)
            .record(RECORD, &eid)
            .person(&pid)
            .detail(format!("{} addendum added", kind.spec().title));
        tx.audit(event)
    })
    .await?;
    Ok(see_other(&path(&ep.id, kind)))
}
