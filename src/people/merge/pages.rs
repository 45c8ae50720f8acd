//! The merge journey: choose the duplicate, check what moves, confirm.

use actix_web::{HttpResponse, web};
use maud::{Markup, html};
use serde::Deserialize;

use super::UNDO_DAYS;
use super::store::{self, MOVED};
use crate::access::{Intent, Subject};
use crate::audit::{self, Event};
use crate::domain::ids::PersonId;
use crate::domain::words::count;
use crate::people::handlers::{Shown, shown_matches};
use crate::people::search::Criteria;
use crate::records::Person;
use crate::views::components;
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::see_other;

const REASON_MAX: usize = 500;

#[derive(Deserialize, Default, Debug)]
pub struct MergeForm {
    #[serde(default)]
    duplicate: String,
    #[serde(default)]
    reason: String,
    /// "yes" once the check page has been seen.
    #[serde(default)]
    confirm: String,
}

pub(super) fn check_reason(errors: &mut Errors, reason: &str, enter: &str) {
    let reason = reason.trim();
    if reason.is_empty() {
        errors.add("reason", enter);
    } else if reason.chars().count() > REASON_MAX {
        errors.add("reason", format!("Reason must be {REASON_MAX} characters or fewer"));
    }
}

pub(super) async fn reach(ctx: &Ctx, id: PersonId, intent: Intent) -> Result<Person, AppError> {
    ctx.reach(Subject::Person(id.clone()), intent, move |conn, _| {
        crate::records::person::find(conn, &id)?.ok_or(AppError::NotFound)
    })
    .await
}

/// The other records matching the kept one's name and date of birth (or PNC ID); the search
/// is audited like any other.
async fn candidates(ctx: &Ctx, kept: &Person) -> Result<Vec<Shown>, AppError> {
    let criteria = Criteria {
        pnc: kept
            .pnc_id
            .as_deref()
            .and_then(|p| crate::domain::identifiers::PncId::parse(p).ok()),
        given: kept.given_name.clone(),
        family: kept.family_name.clone(),
        dob: Some(kept.dob()),
        nhs: None,
    };
    let kept_id = kept.id.clone();
    let mut shown = shown_matches(ctx, criteria, |_| true).await?;
    shown.retain(|s| s.found.person.id != kept_id);
    Ok(shown)
}

fn identity(p: &Person) -> Markup {
    let or_not = |v: Option<String>| v.unwrap_or_else(|| "Not recorded".into());
    components::summary_list(&[
        ("Name", html! { (p.list_name()) }),
        ("Date of birth", html! { (p.dob_display()) }),
        ("NHS number", html! { (or_not(p.nhs_display())) }),
        ("PNC ID", html! { (or_not(p.pnc_id.clone())) }),
        ("CRO number", html! { (or_not(p.cro_number.clone())) }),
    ])
}

fn choose_page(ctx: &Ctx, kept: &Person, shown: &[Shown], form: &MergeForm, errors: &Errors) -> HttpResponse {
    let open: Vec<&Shown> = shown.iter().filter(|s| s.open).collect();
    let elsewhere = shown.len() - open.len();
    let options: Vec<(String, String)> = open
        .iter()
        .map(|s| {
            let p = &s.found.person;
            let nhs = p.nhs_display().map(|n| format!(", NHS number {n}")).unwrap_or_default();
            let why = s.found.reasons.join("; ");
            (
                p.id.to_string(),
                format!("{}, born {}{nhs} – {why}", p.list_name(), p.dob_display()),
            )
        })
        .collect();
    let options: Vec<(&str, &str)> = options.iter().map(|(v, l)| (v.as_str(), l.as_str())).collect();
    let body = html! {
        (components::error_summary(errors))
        span.app-caption { (kept.list_name()) }
        h1.app-heading-l { "Merge a duplicate record into this one" }
        p { "This record is kept. The duplicate's contacts, MHTR referrals and cases, reports and alerts move to it, and the duplicate's address leads here. You can undo the merge for " (UNDO_DAYS) " days; after that, ask an administrator." }
        (identity(kept))
        form method="post" action={ "/people/" (kept.id) "/merge" } novalidate {
            (components::csrf_field(&ctx.user.csrf_token))
            @if options.is_empty() {
                p #duplicate { "No other record your teams work with matches this person's name and date of birth." }
            } @else {
                (components::radios("duplicate", "Which record is the duplicate?", &options, &form.duplicate, errors))
            }
            @if elsewhere > 0 {
                p.app-hint { (count(elsewhere as i64, "matching record is", "matching records are")) " held only by other teams, so not shown. Ask their team to merge them." }
            }
            (components::textarea("reason", "Why are these the same person?", &form.reason, Some("For example: same name, date of birth and address; the custody record was created twice"), errors))
            @if !options.is_empty() { button.app-button type="submit" { "Continue" } }
        }
        p { a href={ "/people/" (kept.id) } { "Back to the person" } }
    };
    ctx.form_page("Merge a duplicate record", errors, body)
}

pub async fn choose(ctx: Ctx, id: web::Path<PersonId>) -> Result<HttpResponse, AppError> {
    let kept = reach(&ctx, id.into_inner(), Intent::Read("merge: choose the duplicate")).await?;
    let shown = candidates(&ctx, &kept).await?;
    Ok(choose_page(
        &ctx,
        &kept,
        &shown,
        &MergeForm::default(),
        &Errors::default(),
    ))
}

fn check_page(ctx: &Ctx, (kept, duplicate): (&Person, &Person), moving: &[usize], form: &MergeForm) -> HttpResponse {
    let moves: Vec<String> = MOVED
        .iter()
        .zip(moving)
        .filter(|(_, n)| **n > 0)
        .map(|((_, one, many), n)| count(*n as i64, one, many))
        .collect();
    let body = html! {
        span.app-caption { (kept.list_name()) }
        h1.app-heading-l { "Check before you merge" }
        div.app-columns {
            div { h2.app-heading-m { "Kept" } (identity(kept)) }
            div { h2.app-heading-m { "Duplicate, merged into it" } (identity(duplicate)) }
        }
        h2.app-heading-m { "What moves to the kept record" }
        @if moves.is_empty() { p { "Nothing: the duplicate has no contacts, cases, reports or alerts." } }
        @else { ul.app-list { @for m in &moves { li { (m) } } } }
        p { "Identifiers the kept record does not have are taken from the duplicate. Its other details stay as they are; correct them afterwards if they need it." }
        (components::summary_list(&[("Why", html! { (form.reason.trim()) })]))
        form method="post" action={ "/people/" (kept.id) "/merge" } novalidate {
            (components::csrf_field(&ctx.user.csrf_token))
            input type="hidden" name="duplicate" value=(form.duplicate);
            input type="hidden" name="reason" value=(form.reason);
            input type="hidden" name="confirm" value="yes";
            button.app-button.app-button--warning type="submit" { "Merge these records" }
        }
        p { a href={ "/people/" (kept.id) "/merge" } { "Cancel" } }
    };
    ctx.render(
        actix_web::http::StatusCode::OK,
        &ctx.page("Check before you merge"),
        body,
    )
}

pub async fn check_or_merge(
    ctx: Ctx,
    id: web::Path<PersonId>,
    form: web::Form<MergeForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let kept = reach(&ctx, id.into_inner(), Intent::Write(audit::UPDATE)).await?;
    let mut errors = Errors::default();
    if form.duplicate.trim().is_empty() {
        errors.add("duplicate", "Select the duplicate record");
    }
    check_reason(&mut errors, &form.reason, "Enter why these are the same person");
    let duplicate = if errors.is_empty() {
        let dup = reach(
            &ctx,
            PersonId::from(form.duplicate.trim()),
            Intent::Write(audit::UPDATE),
        )
        .await?;
        if let Some(why) = store::conflict(&kept, &dup) {
            errors.add("duplicate", why);
        }
        Some(dup)
    } else {
        None
    };
    let Some(duplicate) = duplicate.filter(|_| errors.is_empty()) else {
        let shown = candidates(&ctx, &kept).await?;
        return Ok(choose_page(&ctx, &kept, &shown, &form, &errors));
    };
    if form.confirm != "yes" {
        let dup_id = duplicate.id.clone();
        let moving = ctx
            .read(move |conn| Ok(store::rows_of(conn, &dup_id)?.iter().map(Vec::len).collect::<Vec<_>>()))
            .await?;
        return Ok(check_page(&ctx, (&kept, &duplicate), &moving, &form));
    }
    let (kept_id, dup_id, uid, reason) = (
        kept.id.clone(),
        duplicate.id.clone(),
        ctx.user.id.clone(),
        form.reason.trim().to_string(),
    );
    ctx.write(move |tx| {
        // Read both again: the check is against what is stored now.
        let kept = crate::records::person::find(tx.conn, &kept_id)?.ok_or(AppError::NotFound)?;
        let dup = crate::records::person::find(tx.conn, &dup_id)?.ok_or(AppError::NotFound)?;
        if let Some(why) = store::conflict(&kept, &dup) {
            return Err(AppError::Refused(why.trim_end_matches('.').into()));
        }
        let (merge_id, moved) = store::merge(tx.conn, tx.now, (&kept, &dup), &uid, &reason)?;
        let detail = format!("merge {merge_id}: {dup_id} into {kept_id}; moved {moved:?}; {reason}");
        for person in [&kept_id, &dup_id] {
            tx.audit(
                Event::allowed(audit::UPDATE)
                    .record("person", person)
                    .person(person)
                    .detail(detail.clone()),
            )?;
        }
        Ok(())
    })
    .await?;
    Ok(see_other(&format!("/people/{}#merges", kept.id)))
}
