//! The merge journey (choose the duplicate, check what moves, confirm), the undo pages for a
//! senior practitioner and for an administrator, and the kept record's list of merges.

use actix_web::{HttpResponse, web};
use maud::{Markup, html};
use serde::Deserialize;

use super::UNDO_DAYS;
use super::store::{self, MOVED, Merge};
use crate::access::{Intent, Subject};
use crate::audit::{self, Event};
use crate::clock::Millis;
use crate::domain::ids::PersonId;
use crate::domain::local_time;
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
const DAY: Millis = 24 * 3_600_000;

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

#[derive(Deserialize, Default, Debug)]
pub struct UndoForm {
    #[serde(default)]
    reason: String,
}

fn check_reason(errors: &mut Errors, reason: &str, enter: &str) {
    let reason = reason.trim();
    if reason.is_empty() {
        errors.add("reason", enter);
    } else if reason.chars().count() > REASON_MAX {
        errors.add("reason", format!("Reason must be {REASON_MAX} characters or fewer"));
    }
}

async fn reach(ctx: &Ctx, id: PersonId, intent: Intent) -> Result<Person, AppError> {
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

/// The kept record's merges, with an undo link for a senior practitioner while it is open.
pub fn section(person_id: &str, merges: &[Merge], now: Millis, can_undo: bool) -> Markup {
    html! {
        @if !merges.is_empty() {
            h2.app-heading-m #merges { "Merged records" }
            @for m in merges {
                div.app-card {
                    p { "A duplicate record was merged into this one on " (local_time::date_time(m.merged_at)) " by " (m.merged_by) "." }
                    p { "Why: " (m.reason) }
                    @if can_undo && now - m.merged_at < UNDO_DAYS * DAY {
                        a href={ "/people/" (person_id) "/merges/" (m.id) "/undo" } { "Undo this merge" }
                    }
                }
            }
        }
    }
}

fn undo_page(ctx: &Ctx, action: &str, m: &Merge, form: &UndoForm, errors: &Errors) -> HttpResponse {
    let body = html! {
        (components::error_summary(errors))
        h1.app-heading-l { "Undo a merge" }
        (components::summary_list(&[
            ("Merged", html! { (local_time::date_time(m.merged_at)) " by " (m.merged_by) }),
            ("Why", html! { (m.reason) }),
        ]))
        p { "The two records are separated again: everything that moved goes back to the duplicate, with the identifiers it gave. Anything recorded on the kept record since stays there." }
        form method="post" action=(action) novalidate {
            (components::csrf_field(&ctx.user.csrf_token))
            (components::textarea("reason", "Why are you undoing it?", &form.reason, None, errors))
            button.app-button.app-button--warning type="submit" { "Undo the merge" }
        }
    };
    ctx.form_page("Undo a merge", errors, body)
}

#[derive(Deserialize)]
pub struct UndoPath {
    id: PersonId,
    merge_id: String,
}

/// The merge, if it is into this person, not undone, and still within the senior
/// practitioner's period.
async fn open_merge(ctx: &Ctx, path: &UndoPath, intent: Intent) -> Result<Merge, AppError> {
    reach(ctx, path.id.clone(), intent).await?;
    let (mid, kept) = (path.merge_id.clone(), path.id.to_string());
    let m = ctx
        .read(move |conn| Ok(store::find(conn, &mid)?))
        .await?
        .filter(|m| m.kept_id == kept)
        .ok_or(AppError::NotFound)?;
    if m.undone_at.is_some() {
        return Err(AppError::Refused("This merge has already been undone".into()));
    }
    if ctx.now() - m.merged_at >= UNDO_DAYS * DAY {
        return Err(AppError::Refused(format!(
            "A merge can be undone here for {UNDO_DAYS} days; ask an administrator"
        )));
    }
    Ok(m)
}

pub async fn undo_form(ctx: Ctx, path: web::Path<UndoPath>) -> Result<HttpResponse, AppError> {
    let path = path.into_inner();
    let m = open_merge(&ctx, &path, Intent::Read("undo a merge form")).await?;
    let action = format!("/people/{}/merges/{}/undo", path.id, m.id);
    Ok(undo_page(&ctx, &action, &m, &UndoForm::default(), &Errors::default()))
}

pub async fn undo(ctx: Ctx, path: web::Path<UndoPath>, form: web::Form<UndoForm>) -> Result<HttpResponse, AppError> {
    let path = path.into_inner();
    let m = open_merge(&ctx, &path, Intent::Write(audit::UPDATE)).await?;
    let action = format!("/people/{}/merges/{}/undo", path.id, m.id);
    undo_and_return(&ctx, &action, m, form.into_inner(), format!("/people/{}", path.id)).await
}

/// Undoes the merge, audited against both people, and sends the user to `done`.
async fn undo_and_return(
    ctx: &Ctx,
    action: &str,
    m: Merge,
    form: UndoForm,
    done: String,
) -> Result<HttpResponse, AppError> {
    let mut errors = Errors::default();
    check_reason(&mut errors, &form.reason, "Enter why you are undoing the merge");
    if !errors.is_empty() {
        return Ok(undo_page(ctx, action, &m, &form, &errors));
    }
    let (uid, reason) = (ctx.user.id.clone(), form.reason.trim().to_string());
    ctx.write(move |tx| {
        if !store::undo(tx.conn, tx.now, &m, &uid, &reason)? {
            return Err(AppError::Refused(
                "This merge has already been undone, or the kept record has since been merged into another".into(),
            ));
        }
        for person in [&m.kept_id, &m.merged_id] {
            tx.audit(
                Event::allowed(audit::UPDATE)
                    .record("person", person)
                    .person(person)
                    .detail(format!("merge {} undone: {reason}", m.id)),
            )?;
        }
        Ok(())
    })
    .await?;
    Ok(see_other(&done))
}

pub async fn admin_list(ctx: Ctx) -> Result<HttpResponse, AppError> {
    let merges = ctx.read(|conn| Ok(store::latest(conn, 100)?)).await?;
    let rows: Vec<Vec<Markup>> = merges
        .iter()
        .map(|m| {
            vec![
                html! { (local_time::date_time(m.merged_at)) },
                html! { (m.merged_by) },
                html! { "Kept " code { (m.kept_id) } br; "Merged " code { (m.merged_id) } },
                html! { (m.reason) },
                html! {
                    @if m.undone_at.is_some() { "Undone" }
                    @else { a href={ "/admin/merges/" (m.id) } { "Undo" span.app-visually-hidden { " the merge of " (local_time::date_time(m.merged_at)) } } }
                },
            ]
        })
        .collect();
    let body = html! {
        h1.app-heading-l { "Merged records" }
        p { "The latest 100 merges of duplicate person records. Senior practitioners can undo a merge for " (UNDO_DAYS) " days; you can undo any merge." }
        @if merges.is_empty() { p { "No records have been merged." } }
        @else { (components::table("Merges, newest first", &["When", "By", "Records", "Why", ""], &rows)) }
    };
    Ok(ctx.render(actix_web::http::StatusCode::OK, &ctx.page("Merged records"), body))
}

async fn admin_merge(ctx: &Ctx, id: String) -> Result<Merge, AppError> {
    let m = ctx
        .read(move |conn| Ok(store::find(conn, &id)?))
        .await?
        .ok_or(AppError::NotFound)?;
    if m.undone_at.is_some() {
        return Err(AppError::Refused("This merge has already been undone".into()));
    }
    Ok(m)
}

pub async fn admin_undo_form(ctx: Ctx, id: web::Path<String>) -> Result<HttpResponse, AppError> {
    let m = admin_merge(&ctx, id.into_inner()).await?;
    let action = format!("/admin/merges/{}", m.id);
    Ok(undo_page(&ctx, &action, &m, &UndoForm::default(), &Errors::default()))
}

pub async fn admin_undo(ctx: Ctx, id: web::Path<String>, form: web::Form<UndoForm>) -> Result<HttpResponse, AppError> {
    let m = admin_merge(&ctx, id.into_inner()).await?;
    let action = format!("/admin/merges/{}", m.id);
    undo_and_return(&ctx, &action, m, form.into_inner(), "/admin/merges".into()).await
}
