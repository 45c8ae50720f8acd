//! Destroying a record: the check page listing what goes, and the confirmed destruction that
//! leaves a tombstone.

use actix_web::{HttpResponse, web};
use maud::{Markup, html};
use serde::Deserialize;

use super::forms::reason;
use super::pages::{self, Found};
use super::{DESTROY, RECORD, destroy, record};
use crate::audit::{self, Event};
use crate::domain::local_time::local_date;
use crate::views::components;
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::reauth;
use crate::web::see_other;

#[derive(Deserialize, Default)]
pub struct DestroyForm {
    #[serde(default)]
    reason: String,
}

/// Why the record cannot be destroyed now, if it cannot.
fn not_destroyable(r: &record::Record, today: &str) -> Option<&'static str> {
    if r.active_hold().is_some() {
        return Some("The record is under a legal hold");
    }
    match &r.retention {
        Some(ret) if ret.due(today) => None,
        _ => Some("The record is not due for appraisal"),
    }
}

fn confirm_page(
    ctx: &Ctx,
    r: &record::Record,
    plan: &destroy::Plan,
    form: &DestroyForm,
    errors: &Errors,
) -> HttpResponse {
    let p = &r.identity;
    let rows: Vec<Vec<Markup>> = plan
        .counts
        .iter()
        .map(|(t, n)| vec![html! { (t) }, html! { (n) }])
        .collect();
    let body = html! {
        (components::error_summary(errors))
        span.app-caption { "Retention" }
        h1.app-heading-l { "Destroy the record of " (p.given_name) " " (p.family_name) "?" }
        (components::notification("This cannot be undone. Every row below is removed for good; only a tombstone recording the destruction is kept.", false))
        (components::table(&format!("{} rows to remove", plan.total()), &["What", "Rows"], &rows))
        form method="post" action={ "/records/people/" (p.id) "/destroy" } novalidate {
            (components::csrf_field(&ctx.user.csrf_token))
            (components::textarea("reason", "Reason for destruction", &form.reason, Some("For example, retention period ended; appraised and of no further value"), errors))
            button.app-button.app-button--warning type="submit" { "Destroy this record permanently" }
        }
        p { a href={ "/records/people/" (p.id) } { "Cancel and go back" } }
    };
    let page = ctx.page("Destroy a record").with_errors(!errors.is_empty());
    ctx.render(crate::web::form_status(errors), &page, body)
}

async fn plan_for(ctx: &Ctx, id: &str) -> Result<(Box<record::Record>, destroy::Plan), AppError> {
    let Found::Present(r) = pages::load(ctx, id).await? else {
        return Err(AppError::NotFound);
    };
    if let Some(why) = not_destroyable(&r, &local_date(ctx.now()).to_string()) {
        return Err(AppError::Refused(why.into()));
    }
    confirmed_recently(ctx, id)?;
    let id = id.to_string();
    let plan = ctx
        .read(move |conn| {
            let ids = destroy::people_of(conn, &id)?;
            Ok(destroy::plan(conn, &ids)?)
        })
        .await?;
    Ok((r, plan))
}

pub async fn confirm(ctx: Ctx, id: web::Path<String>) -> Result<HttpResponse, AppError> {
    let (r, plan) = plan_for(&ctx, &id).await?;
    ctx.audit(
        Event::allowed(audit::VIEW)
            .record(RECORD, &id)
            .person(&id)
            .detail("destruction check"),
    )
    .await?;
    Ok(confirm_page(
        &ctx,
        &r,
        &plan,
        &DestroyForm::default(),
        &Errors::default(),
    ))
}

/// Destruction is the one act that cannot be undone: like break-glass it needs the records
/// manager's factor (or password) confirmed within the last few minutes (decision 0018).
fn confirmed_recently(ctx: &Ctx, id: &str) -> Result<(), AppError> {
    reauth::require(
        &ctx.user,
        &ctx.state,
        &format!("/records/people/{id}/destroy"),
        ctx.htmx,
    )
}

pub async fn destroy(ctx: Ctx, id: web::Path<String>, form: web::Form<DestroyForm>) -> Result<HttpResponse, AppError> {
    let (id, form) = (id.into_inner(), form.into_inner());
    confirmed_recently(&ctx, &id)?;
    let mut errors = Errors::default();
    let why = reason(&form.reason, "reason", "Enter the reason for destruction", &mut errors);
    if !errors.is_empty() {
        let (r, plan) = plan_for(&ctx, &id).await?;
        return Ok(confirm_page(&ctx, &r, &plan, &form, &errors));
    }
    let (by, today) = (ctx.user.id.clone(), local_date(ctx.now()).to_string());
    ctx.write(move |tx| {
        let r = record::load(tx.conn, &id)?.ok_or(AppError::NotFound)?;
        if let Some(why) = not_destroyable(&r, &today) {
            return Err(AppError::Refused(why.into()));
        }
        let ret = r.retention.as_ref().ok_or(AppError::NotFound)?;
        let tombstone = destroy::Tombstone {
            person_id: &id,
            class: &ret.class,
            last_contact_on: ret.last_contact_on.as_deref(),
            review_on: ret.review_on.as_deref().unwrap_or_default(),
            reason: &why,
            approved_by: &by,
        };
        let ids = destroy::people_of(tx.conn, &id)?;
        let done = destroy::destroy(tx.conn, tx.now, &tombstone, &ids).map_err(|e| match e {
            destroy::DestroyError::Changed(_) => AppError::Refused(e.to_string()),
            destroy::DestroyError::Db(db) => AppError::from(db),
        })?;
        let detail = format!("record {} destroyed ({}): {why}", ids.join(", "), done);
        tx.audit(Event::allowed(DESTROY).record(RECORD, &done).detail(detail))?;
        Ok(())
    })
    .await?;
    Ok(see_other("/records/appraisal"))
}
