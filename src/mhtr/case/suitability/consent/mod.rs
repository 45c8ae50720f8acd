//! GET/POST /mhtr/cases/{id}/consent: her decision about an MHTR, with how her capacity to
//! consent was assessed and who witnessed it. Given (with the proposed treatment) moves the
//! case to negotiation; declined closes it; until sentence she can withdraw consent, which
//! closes it too. The form offers only the decisions that fit the case's stage.

mod validate;

use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use maud::{Markup, html};

pub use validate::DECISIONS;
use validate::{ConsentForm, decisions, refusal};

use super::store::{self, Consent, NewConsent};
use super::{MhtrCase, heading, page_path, render};
use crate::audit::{self, Event};
use crate::db::schema::mhtr_cases;
use crate::domain::codes::{CodeList, label_of};
use crate::domain::local_time;
use crate::domain::mhtr::{MhtrStatus, TREATMENT_TYPES};
use crate::mhtr::case::find_locked;
use crate::mhtr::case::{self as case, RECORD};
use crate::records::Person;
use crate::views::components::{self, Field};
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::see_other;

const TITLE: &str = "Consent to an MHTR";

pub async fn show(ctx: Ctx, id: web::Path<String>) -> Result<HttpResponse, AppError> {
    let view = (audit::VIEW, Some("MHTR consent"));
    let (c, person) = case::load(&ctx, id.into_inner().into(), view).await?;
    let recorded = history(&ctx, &c).await?;
    Ok(page(
        &ctx,
        (&c, &person),
        &recorded,
        &ConsentForm::default(),
        &Errors::default(),
    ))
}

async fn history(ctx: &Ctx, c: &MhtrCase) -> Result<Vec<Consent>, AppError> {
    let case_id = c.id.clone();
    ctx.read(move |conn| Ok(store::consents(conn, &case_id)?)).await
}

pub async fn submit(ctx: Ctx, id: web::Path<String>, form: web::Form<ConsentForm>) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let (c, person) = case::load(&ctx, id.into_inner().into(), (audit::UPDATE, None)).await?;
    if decisions(c.status()).is_empty() {
        return Err(refusal(c.status()));
    }
    let decision = match form.validate(c.status(), local_time::local_date(ctx.now())) {
        Ok(d) => d,
        Err(errors) => {
            let recorded = history(&ctx, &c).await?;
            return Ok(page(&ctx, (&c, &person), &recorded, &form, &errors));
        }
    };
    let (uid, case_id) = (ctx.user.id.clone(), c.id.clone());
    ctx.write(move |tx| {
        let current = find_locked(tx.conn, &case_id)?;
        if !decisions(current.status())
            .iter()
            .any(|(code, _)| *code == decision.decision)
        {
            return Err(refusal(current.status()));
        }
        let row = NewConsent {
            decision: decision.decision,
            decided_on: decision.decided_on,
            capacity_note: &decision.capacity_note,
            witness: &decision.witness,
        };
        store::insert_consent(tx.conn, tx.now, (&case_id, &uid), &row)?;
        if let Some(t) = &decision.treatment {
            diesel::update(mhtr_cases::table.find(&case_id))
                .set((
                    mhtr_cases::treatment_type.eq(&t.kind),
                    mhtr_cases::planned_sessions.eq(t.sessions),
                    mhtr_cases::treating_team.eq(&t.team),
                ))
                .execute(tx.conn)?;
        }
        let note = decision.history_note();
        case::apply(tx.conn, tx.now, &uid, &current, decision.action(), Some(&note))?;
        let event = Event::allowed(audit::UPDATE)
            .record(RECORD, &case_id)
            .detail(format!("consent {}", decision.decision));
        tx.audit(event)
    })
    .await?;
    Ok(see_other(&case::path(&c.id)))
}

fn page(
    ctx: &Ctx,
    (c, person): (&MhtrCase, &Person),
    recorded: &[Consent],
    form: &ConsentForm,
    errors: &Errors,
) -> HttpResponse {
    let offered = decisions(c.status());
    let body = html! {
        (heading(c, person, TITLE))
        @if !recorded.is_empty() { (history_table(recorded)) }
        @if offered.is_empty() {
            p { "Consent is recorded at the consent stage, and can be withdrawn until she is sentenced. This case is at “" (c.status().label().to_lowercase()) "”." }
        } @else {
            (consent_form(c, &ctx.user.csrf_token, offered, form, errors))
        }
    };
    render(ctx, (TITLE, person), errors, body)
}

fn consent_form(c: &MhtrCase, csrf: &str, offered: CodeList, form: &ConsentForm, errors: &Errors) -> Markup {
    let at_consent = c.status() == MhtrStatus::Consent;
    let (legend, button) = if at_consent {
        ("What did she decide?", "Record consent")
    } else {
        ("Has she withdrawn her consent?", "Record consent withdrawn")
    };
    html! {
        form method="post" action=(page_path(&c.id, "consent")) novalidate {
            (components::csrf_field(csrf))
            (components::radios("decision", legend, offered, &form.decision, errors))
            (components::date_input("decided", "Date of her decision", Some("For example, 27 3 2026"), [&form.day, &form.month, &form.year], errors))
            (components::textarea("capacity_note", "How was her capacity to consent assessed?", &form.capacity_note, None, errors))
            (components::input(Field::text("witness_name", "Who witnessed her decision?", &form.witness_name).hint("Their full name"), errors))
            (components::input(Field::text("witness_role", "Witness's role", &form.witness_role).hint("For example, probation officer"), errors))
            @if at_consent {
                h2.app-heading-m { "Proposed treatment" }
                p.app-hint { "Answer these only if she gives consent." }
                (components::radios("treatment_type", "Type of treatment", TREATMENT_TYPES, &form.treatment_type, errors))
                (components::input(Field::text("sessions", "Number of sessions", &form.sessions).hint("A whole number from 1 to 52"), errors))
                (components::input(Field::text("treating_team", "Treating team or practitioner", &form.treating_team), errors))
            }
            (components::textarea("note", "Note (optional)", &form.note, None, errors))
            button.app-button type="submit" { (button) }
        }
    }
}

fn history_table(recorded: &[Consent]) -> Markup {
    let rows: Vec<Vec<Markup>> = recorded
        .iter()
        .map(|r| {
            vec![
                html! { (label_of(DECISIONS, &r.decision).unwrap_or(&r.decision)) },
                html! { (local_time::day(r.decided_on)) },
                html! { span.app-pre-wrap { (r.capacity_note) } },
                html! { (r.witness) },
                html! { (r.recorded_by) },
            ]
        })
        .collect();
    components::table(
        "Decisions recorded, newest first",
        &["Decision", "Date", "Capacity", "Witness", "Recorded by"],
        &rows,
    )
}
