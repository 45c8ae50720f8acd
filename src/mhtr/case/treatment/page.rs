//! GET /mhtr/cases/{id}/treatment: the treatment record with a form for each kind of entry
//! while the case is in treatment. A rejected form comes back here with its answers kept.

use actix_web::{HttpResponse, web};
use diesel::QueryResult;
use maud::html;

use super::{Treatment, centre, complete, compliance, measures, sessions};
use crate::audit;
use crate::db::DbConnection;
use crate::domain::mhtr::{MhtrStatus, measures_in_use};
use crate::mhtr::case::court::order_summary;
use crate::mhtr::case::{self, MhtrCase};
use crate::records::Person;
use crate::views::components;
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::error::AppError;

/// What the page shows besides the forms.
pub struct Shown {
    pub t: Treatment,
    /// The Women's Centres in the partner directory, to choose from.
    pub centres: Vec<String>,
}

pub fn shown(conn: &mut DbConnection, case_id: &str) -> QueryResult<Shown> {
    Ok(Shown {
        t: Treatment::load(conn, case_id)?,
        centres: centre::options(conn)?,
    })
}

/// The answers in each form: all blank, except a rejected one.
#[derive(Default)]
pub struct Forms {
    pub plan: sessions::PlanForm,
    pub measure: measures::MeasureForm,
    pub centre: centre::CentreForm,
    pub compliance: compliance::ComplianceForm,
}

pub fn render(
    ctx: &Ctx,
    (c, person): (&MhtrCase, &Person),
    shown: &Shown,
    forms: &Forms,
    errors: &Errors,
) -> HttpResponse {
    let open = c.status() == MhtrStatus::Treatment;
    let csrf = ctx.user.csrf_token.as_str();
    let t = &shown.t;
    let in_use = measures_in_use(&ctx.state.config.mhtr_outcome_measures);
    let body = html! {
        (components::error_summary(errors))
        span.app-caption { "MHTR case" }
        p { a href=(case::path(&c.id)) { "Back to the case" } }
        h1.app-heading-l { "Treatment: " (person.list_name()) }
        @if !open { p { "Treatment can no longer be recorded: the case is " (c.status().label().to_lowercase()) "." } }
        h2.app-heading-m { "The order" }
        @match &t.order {
            Some(o) => (order_summary(o)),
            None => p { "The court's order has not been recorded." },
        }
        h2.app-heading-m { "Sessions" }
        (sessions::section(c, t, open))
        @if open { (sessions::plan_form(c, csrf, &forms.plan, errors)) }
        h2.app-heading-m { "Outcome measures" }
        (measures::table(&t.measures))
        @if open { (measures::form(c, csrf, &in_use, &forms.measure, errors)) }
        h2.app-heading-m { "Women's Centre liaison" }
        (centre::table(&t.contacts))
        @if open { (centre::form(c, csrf, &shown.centres, &forms.centre, errors)) }
        h2.app-heading-m { "Compliance" }
        (compliance::table(&t.events))
        @if open { (compliance::form(c, csrf, &forms.compliance, errors)) }
        h2.app-heading-m { "Completion" }
        (complete::summary(t.order.as_ref()))
        @if open { p { a.app-button.app-button--secondary href={ (super::treatment_path(&c.id)) "/complete" } { "Record treatment as completed" } } }
    };
    let title = format!("Treatment – {}", person.list_name());
    ctx.form_page(&title, errors, body)
}

/// The page again with one form's answers and what is wrong with them.
pub async fn reject(
    ctx: &Ctx,
    (c, person): (&MhtrCase, &Person),
    forms: &Forms,
    errors: &Errors,
) -> Result<HttpResponse, AppError> {
    let case_id = c.id.clone();
    let shown = ctx.read(move |conn| Ok(shown(conn, &case_id)?)).await?;
    Ok(render(ctx, (c, person), &shown, forms, errors))
}

pub async fn show(ctx: Ctx, id: web::Path<String>) -> Result<HttpResponse, AppError> {
    let view = (audit::VIEW, Some("MHTR treatment"));
    let (c, person) = case::load(&ctx, id.into_inner().into(), view).await?;
    let case_id = c.id.clone();
    let shown = ctx.read(move |conn| Ok(shown(conn, &case_id)?)).await?;
    if shown.t.order.is_none() {
        super::in_treatment(&c)?;
    }
    Ok(render(
        &ctx,
        (&c, &person),
        &shown,
        &Forms::default(),
        &Errors::default(),
    ))
}
