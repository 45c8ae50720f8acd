//! The screening page: the form, the appropriate-adult and youth-route panels for under-18s,
//! and recording the screening with its status change.

use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use maud::{Markup, html};

use super::form::ScreeningForm;
use super::records::{AppropriateAdult, find_appropriate_adult, label, load_adult};
use super::{CONSENT, Episode, FULL_ASSESSMENT_NEEDED, RISKS, episode_caption};
use crate::audit::{self, Event};
use crate::db::schema::{episodes, screenings};
use crate::domain::codes;
use crate::domain::episode::{Action, EpisodeStatus};
use crate::records::Person;
use crate::records::access;
use crate::views::components;
use crate::views::form::Errors;
use crate::web::context::{Ctx, Tx};
use crate::web::error::AppError;
use crate::web::{form_status, see_other};

/// Where to refer a young person before anything else (docs/domain.md §3.4).
const YOUTH_ROUTES: &[&str] = &["Youth offending team (YOT)", "CAMHS", "Children's safeguarding"];

const RECORD: &str = "screening";

/// Screening is recorded only while it is under way; anything else gets a plain reason.
fn require_in_screening(ep: &Episode) -> Result<(), AppError> {
    let why = match ep.status() {
        EpisodeStatus::InScreening => return Ok(()),
        EpisodeStatus::Waiting => "Start screening before recording it",
        EpisodeStatus::Closed => "This episode is closed. Reopen it before recording a screening",
        _ => "The screening for this episode has already been recorded",
    };
    Err(AppError::Refused(why.into()))
}

fn adult_panel(ep: &Episode, adult: Option<&AppropriateAdult>, errors: &Errors) -> Markup {
    let error = errors.get("appropriate_adult");
    let link = format!("/episodes/{}/appropriate-adult", ep.id);
    html! {
        div.app-card.app-form-group--error[error.is_some()] #appropriate_adult tabindex="-1" {
            h2.app-heading-m { "Appropriate adult" }
            p { "This person was under 18 at the time of the alert. Under PACE Code C they must have an appropriate adult: a parent or guardian, a social worker or another responsible adult." }
            @if let Some(e) = error { p.app-error-message { span.app-visually-hidden { "Error: " } (e) } }
            @if let Some(a) = adult {
                (components::summary_list(&[
                    ("Name", html! { (a.name) }),
                    ("Relationship", html! { (label(codes::APPROPRIATE_ADULT_RELATIONSHIPS, &a.relationship)) }),
                    ("Phone", html! { (a.phone) }),
                    ("Present now", html! { (if a.present { "Yes" } else { "No" }) }),
                ]))
                p { a href=(link) { "Change the appropriate adult" } }
            } @else {
                p { strong { "No appropriate adult is recorded yet." } }
                a.app-button.app-button--secondary href=(link) { "Record an appropriate adult" }
            }
        }
    }
}

fn youth_routes_panel() -> Markup {
    html! {
        div.app-card {
            h2.app-heading-m { "Youth referral routes to consider first" }
            ul.app-list { @for route in YOUTH_ROUTES { li { (route) } } }
            p.app-hint { "Record any referral you make on the timeline." }
        }
    }
}

fn screening_fields(form: &ScreeningForm, errors: &Errors) -> Markup {
    let risks: Vec<String> = RISKS
        .iter()
        .map(|(c, _)| c.to_string())
        .filter(|c| form.has_risk(c))
        .collect();
    let safeguarding: Vec<String> = form.safeguarding.then(|| "yes".to_string()).into_iter().collect();
    html! {
        (components::radios("consent", "Did the person consent to screening?", CONSENT, &form.consent, errors))
        (components::checkboxes("vulnerabilities", "Vulnerabilities identified (select all that apply, or none identified)", &components::choices(codes::VULNERABILITIES), &form.vulnerabilities, errors))
        (components::textarea("presenting_concerns", "Presenting concerns", &form.presenting_concerns, Some("What you found: need, risk and urgency"), errors))
        (components::checkboxes("risks", "Immediate risks (select all that apply)", &components::choices(RISKS), &risks, errors))
        (components::checkboxes("safeguarding", "Safeguarding", &[("yes".into(), "There is a safeguarding concern (adult or child)".into())], &safeguarding, errors))
        (components::radios("outcome", "Outcome of the screening", codes::SCREENING_OUTCOMES, &form.outcome, errors))
    }
}

fn screening_page(
    ctx: &Ctx,
    ep: &Episode,
    person: &Person,
    adult: Option<&AppropriateAdult>,
    form: &ScreeningForm,
    errors: &Errors,
) -> HttpResponse {
    let body = html! {
        (components::error_summary(errors))
        (episode_caption(ep, person))
        h1.app-heading-l { "Record screening" }
        p { strong { "Concern raised: " } (ep.concern) }
        @if ep.youth {
            (adult_panel(ep, adult, errors))
            (youth_routes_panel())
        }
        form method="post" action={ "/episodes/" (ep.id) "/screening" } novalidate {
            (components::csrf_field(&ctx.user.csrf_token))
            (screening_fields(form, errors))
            button.app-button type="submit" { "Complete screening" }
        }
    };
    let page = ctx.page("Record screening").with_errors(!errors.is_empty());
    ctx.render(form_status(errors), &page, body)
}

pub async fn show(ctx: Ctx, id: web::Path<String>) -> Result<HttpResponse, AppError> {
    let (ep, person) = access::open(&ctx, id.into_inner().into(), Some("screening form")).await?;
    require_in_screening(&ep)?;
    let adult = load_adult(&ctx, &ep.id).await?;
    let form = ScreeningForm::for_episode(&ep);
    Ok(screening_page(
        &ctx,
        &ep,
        &person,
        adult.as_ref(),
        &form,
        &Errors::default(),
    ))
}

/// Writes the screening, the flags and the status change; the checks are repeated inside
/// the transaction so a concurrent change cannot slip past them.
fn record_screening(tx: &mut Tx<'_>, user_id: &str, episode_id: &str, form: &ScreeningForm) -> Result<(), AppError> {
    let ep = crate::records::episode::find(tx.conn, episode_id)?.ok_or(AppError::NotFound)?;
    require_in_screening(&ep)?;
    if ep.youth && find_appropriate_adult(tx.conn, episode_id)?.is_none() {
        return Err(AppError::Refused(
            "Record an appropriate adult before completing screening for someone under 18".into(),
        ));
    }
    diesel::delete(screenings::table.find(episode_id)).execute(tx.conn)?;
    diesel::insert_into(screenings::table)
        .values((
            screenings::episode_id.eq(episode_id),
            screenings::consent.eq(&form.consent),
            screenings::vulnerabilities.eq(form.vulnerabilities_stored()),
            screenings::presenting_concerns.eq(form.presenting_concerns.trim()),
            screenings::outcome.eq(&form.outcome),
            screenings::completed_by.eq(user_id),
            screenings::completed_at.eq(tx.now),
        ))
        .execute(tx.conn)?;
    diesel::update(episodes::table.find(episode_id))
        .set((
            episodes::risk_to_self.eq(form.has_risk("self")),
            episodes::risk_to_others.eq(form.has_risk("others")),
            episodes::risk_from_others.eq(form.has_risk("from-others")),
            // A recorded concern keeps the flag, whatever a concurrent form said.
            episodes::safeguarding
                .eq(form.safeguarding || !crate::safeguarding::for_episode(tx.conn, episode_id)?.is_empty()),
        ))
        .execute(tx.conn)?;
    let action = Action::CompleteScreening {
        needs_assessment: form.outcome == FULL_ASSESSMENT_NEEDED,
    };
    let to = crate::records::episode::apply(tx.conn, tx.now, user_id, &ep, action, Some(&form.timeline_note()))?;
    tx.audit(Event::allowed(audit::CREATE).record(RECORD, episode_id).detail(format!(
        "outcome {}; status -> {}",
        form.outcome,
        to.code()
    )))?;
    Ok(())
}

pub async fn save(
    ctx: Ctx,
    id: web::Path<String>,
    body: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let form = ScreeningForm::from_pairs(body.into_inner());
    let (ep, person) = access::open(&ctx, id.into_inner().into(), None).await?;
    require_in_screening(&ep)?;
    let adult = load_adult(&ctx, &ep.id).await?;
    let eid = ep.id.to_string();
    let concerns = ctx
        .read(move |conn| Ok(crate::safeguarding::for_episode(conn, &eid)?.len()))
        .await?;
    let errors = form.validate(ep.youth && adult.is_none(), concerns);
    if !errors.is_empty() {
        return Ok(screening_page(&ctx, &ep, &person, adult.as_ref(), &form, &errors));
    }
    let (uid, eid) = (ctx.user.id.clone(), ep.id.clone());
    ctx.write(move |tx| record_screening(tx, &uid, &eid, &form)).await?;
    Ok(see_other(&format!("/episodes/{}", ep.id)))
}
