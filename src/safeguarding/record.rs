//! GET/POST /episodes/{id}/safeguarding: record a concern raised with an agency. Allowed on
//! a closed episode too, since a safeguarding concern can follow the end of the contact.

use actix_web::{HttpResponse, web};
use chrono::NaiveDate;
use diesel::prelude::*;
use maud::html;
use serde::Deserialize;

use super::date_raised::{self, parse_date_raised};
use super::{AGENCY_MAX, Concern, KINDS, OUTCOME_MAX, RECORD, REFERENCE_MAX};
use crate::audit::{self, Event};
use crate::db::schema::{episodes, safeguarding_concerns};
use crate::domain::CalendarDate;
use crate::domain::codes;
use crate::domain::ids::ConcernId;
use crate::domain::local_time;
use crate::partners::{self, ServiceEntry};
use crate::records::Person;
use crate::records::timeline::{self, Kind};
use crate::records::{Episode, access};
use crate::views::components::{self, Field};
use crate::views::form::Errors;
use crate::web::context::{Ctx, Tx};
use crate::web::error::AppError;
use crate::web::{form_status, see_other};

/// The form as typed; everything is kept as text so a rejected form shows what was typed.
#[derive(Deserialize, Default, Debug, Clone)]
pub struct ConcernForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    agency: String,
    #[serde(default, rename = "raised-day")]
    raised_day: String,
    #[serde(default, rename = "raised-month")]
    raised_month: String,
    #[serde(default, rename = "raised-year")]
    raised_year: String,
    #[serde(default)]
    agency_reference: String,
    #[serde(default)]
    outcome: String,
}

/// A checked concern, ready to save.
#[derive(Debug, Clone, PartialEq, Eq)]
struct NewConcern {
    kind: String,
    agency: String,
    raised_on: NaiveDate,
    agency_reference: Option<String>,
    outcome: Option<String>,
}

impl NewConcern {
    /// "Safeguarding concern (child) raised with Brent Children's Social Care on 3 May 2026,
    /// reference BCS-1", with the outcome when one is already known.
    fn timeline_note(&self) -> String {
        let mut note = format!(
            "Safeguarding concern ({}) raised with {} on {}",
            if self.kind == "child" { "child" } else { "adult" },
            self.agency,
            super::long_date(self.raised_on)
        );
        if let Some(reference) = &self.agency_reference {
            note.push_str(&format!(", reference {reference}"));
        }
        if let Some(outcome) = &self.outcome {
            note.push_str(&format!(". Outcome: {outcome}"));
        }
        note
    }
}

impl ConcernForm {
    /// A blank form; for someone under 18 the concern is most likely about them as a child.
    fn blank(youth: bool) -> Self {
        ConcernForm {
            kind: if youth { "child".into() } else { String::new() },
            ..ConcernForm::default()
        }
    }

    /// The concern, or every problem found, in the order the fields appear.
    fn validate(&self, today: NaiveDate) -> Result<NewConcern, Errors> {
        let mut errors = Errors::default();
        if codes::label_of(KINDS, &self.kind).is_none() {
            errors.add("kind", "Select whether the concern is about an adult or a child");
        }
        let agency = self.agency.trim();
        if agency.is_empty() {
            errors.add("agency", "Enter the agency the concern was raised with");
        } else if agency.chars().count() > AGENCY_MAX {
            errors.add("agency", format!("Agency must be {AGENCY_MAX} characters or fewer"));
        }
        let raised = parse_date_raised(&self.raised_day, &self.raised_month, &self.raised_year, today);
        if let Err((field, message)) = raised {
            errors.add(field, message);
        }
        check_reference(&mut errors, &self.agency_reference);
        check_outcome(&mut errors, &self.outcome);
        match raised {
            Ok(raised_on) if errors.is_empty() => Ok(NewConcern {
                kind: self.kind.clone(),
                agency: agency.to_string(),
                raised_on,
                agency_reference: super::optional_text(&self.agency_reference),
                outcome: super::optional_text(&self.outcome),
            }),
            _ => Err(errors),
        }
    }
}

/// Shared with the outcome form: the reference is optional but short.
pub(super) fn check_reference(errors: &mut Errors, reference: &str) {
    if reference.trim().chars().count() > REFERENCE_MAX {
        errors.add(
            "agency_reference",
            format!("Agency reference number must be {REFERENCE_MAX} characters or fewer"),
        );
    }
}

/// Shared with the outcome form: the outcome is optional, within the usual note length.
pub(super) fn check_outcome(errors: &mut Errors, outcome: &str) {
    if outcome.trim().chars().count() > OUTCOME_MAX {
        errors.add("outcome", format!("Outcome must be {OUTCOME_MAX} characters or fewer"));
    }
}

/// What the page shows besides the form.
struct Context<'a> {
    ep: &'a Episode,
    person: &'a Person,
    concerns: &'a [Concern],
    services: Vec<ServiceEntry>,
}

/// The kind whose services are offered first: the one chosen on the form, else the one an
/// under-18 most likely needs.
fn preferred_kind(chosen: &str, youth: bool) -> &str {
    match chosen {
        "adult" | "child" => chosen,
        _ if youth => "child",
        _ => "adult",
    }
}

fn page(ctx: &Ctx, shown: Context<'_>, form: &ConcernForm, errors: &Errors) -> HttpResponse {
    let ep = shown.ep;
    let services = super::safeguarding_services(shown.services, preferred_kind(&form.kind, ep.youth));
    let body = html! {
        (components::error_summary(errors))
        (super::episode_caption(ep, shown.person))
        h1.app-heading-l { "Record a safeguarding concern" }
        p { "Record a concern you have raised with the local authority or another agency under your local safeguarding policy. The person will be flagged on the list and on their record." }
        form method="post" action={ "/episodes/" (ep.id) "/safeguarding" } novalidate {
            (components::csrf_field(&ctx.user.csrf_token))
            (components::radios("kind", "Who is the concern about?", KINDS, &form.kind, errors))
            (components::input(Field::text("agency", "Agency the concern was raised with", &form.agency).hint("For example, Brent Children's Social Care").autocomplete("off"), errors))
            (components::date_input(date_raised::WHOLE, "Date raised", Some("For example, 27 3 2026"), [&form.raised_day, &form.raised_month, &form.raised_year], errors))
            (components::input(Field::text("agency_reference", "Agency reference number (optional)", &form.agency_reference).hint("The agency's own reference, if they gave one").autocomplete("off"), errors))
            (components::textarea("outcome", "Outcome (optional)", &form.outcome, Some("For example, strategy meeting arranged. You can add this later"), errors))
            button.app-button type="submit" { "Save safeguarding concern" }
        }
        @if !shown.concerns.is_empty() {
            h2.app-heading-m { "Concerns already recorded" }
            (super::concern_cards(shown.concerns))
        }
        (super::referral_links(&ep.id, &services))
    };
    let page = ctx
        .page("Record a safeguarding concern")
        .with_errors(!errors.is_empty());
    ctx.render(form_status(errors), &page, body)
}

/// The concerns already recorded and the active directory services, in one trip.
async fn load_context(ctx: &Ctx, episode_id: &str) -> Result<(Vec<Concern>, Vec<ServiceEntry>), AppError> {
    let id = episode_id.to_string();
    ctx.read(move |conn| Ok((super::for_episode(conn, &id)?, partners::active_services(conn)?)))
        .await
}

async fn render(
    ctx: &Ctx,
    (ep, person): (&Episode, &Person),
    form: &ConcernForm,
    errors: &Errors,
) -> Result<HttpResponse, AppError> {
    let (concerns, services) = load_context(ctx, &ep.id).await?;
    let shown = Context {
        ep,
        person,
        concerns: &concerns,
        services,
    };
    Ok(page(ctx, shown, form, errors))
}

pub async fn show(ctx: Ctx, id: web::Path<String>) -> Result<HttpResponse, AppError> {
    let (ep, person) = access::open(&ctx, id.into_inner().into(), Some("safeguarding form")).await?;
    let form = ConcernForm::blank(ep.youth);
    render(&ctx, (&ep, &person), &form, &Errors::default()).await
}

/// Saves the concern, flags the episode, and notes both on the timeline and in the audit
/// trail, all or nothing.
fn record_concern(tx: &mut Tx<'_>, user_id: &str, episode_id: &str, concern: &NewConcern) -> Result<(), AppError> {
    let id = ConcernId::generate();
    diesel::insert_into(safeguarding_concerns::table)
        .values((
            safeguarding_concerns::id.eq(&id),
            safeguarding_concerns::episode_id.eq(episode_id),
            safeguarding_concerns::kind.eq(&concern.kind),
            safeguarding_concerns::agency.eq(&concern.agency),
            safeguarding_concerns::raised_on.eq(CalendarDate::from(concern.raised_on).iso()),
            safeguarding_concerns::agency_reference.eq(&concern.agency_reference),
            safeguarding_concerns::outcome.eq(&concern.outcome),
            safeguarding_concerns::recorded_by.eq(user_id),
            safeguarding_concerns::recorded_at.eq(tx.now),
        ))
        .execute(tx.conn)?;
    diesel::update(episodes::table.find(episode_id))
        .set((episodes::safeguarding.eq(true), episodes::updated_at.eq(tx.now)))
        .execute(tx.conn)?;
    timeline::add(
        tx.conn,
        tx.now,
        episode_id,
        user_id,
        Kind::Note,
        &concern.timeline_note(),
        None,
    )?;
    tx.audit(Event::allowed(audit::CREATE).record(RECORD, &id).detail(format!(
        "{} concern on episode {episode_id}; episode flagged",
        concern.kind
    )))?;
    Ok(())
}

pub async fn save(ctx: Ctx, id: web::Path<String>, form: web::Form<ConcernForm>) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let (ep, person) = access::open(&ctx, id.into_inner().into(), None).await?;
    let concern = match form.validate(local_time::local_date(ctx.now())) {
        Ok(concern) => concern,
        Err(errors) => return render(&ctx, (&ep, &person), &form, &errors).await,
    };
    let (uid, eid) = (ctx.user.id.clone(), ep.id.clone());
    ctx.write(move |tx| record_concern(tx, &uid, &eid, &concern)).await?;
    Ok(see_other(&format!("/episodes/{}", ep.id)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 5, 20).unwrap()
    }

    fn filled() -> ConcernForm {
        ConcernForm {
            kind: "child".into(),
            agency: " Brent Children's Social Care ".into(),
            raised_day: "3".into(),
            raised_month: "5".into(),
            raised_year: "2026".into(),
            agency_reference: " BCS-1 ".into(),
            outcome: String::new(),
        }
    }

    #[test]
    fn a_complete_form_becomes_a_concern_and_a_timeline_note() {
        let concern = filled().validate(today()).unwrap();
        assert_eq!(concern.agency, "Brent Children's Social Care");
        assert_eq!(concern.agency_reference.as_deref(), Some("BCS-1"));
        assert_eq!(concern.outcome, None);
        assert_eq!(
            concern.timeline_note(),
            "Safeguarding concern (child) raised with Brent Children's Social Care on 3 May 2026, reference BCS-1"
        );
    }

    #[test]
    fn every_problem_is_reported_in_field_order() {
        let form = ConcernForm {
            kind: "pet".into(),
            agency: " ".into(),
            raised_day: "31".into(),
            raised_month: "2".into(),
            agency_reference: "x".repeat(REFERENCE_MAX + 1),
            outcome: "x".repeat(OUTCOME_MAX + 1),
            ..ConcernForm::default()
        };
        let errors = form.validate(today()).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["kind", "agency", "raised-year", "agency_reference", "outcome"]);
    }

    #[test]
    fn under_18s_default_to_a_child_concern() {
        assert_eq!(ConcernForm::blank(true).kind, "child");
        assert_eq!(ConcernForm::blank(false).kind, "");
        assert_eq!(preferred_kind("", true), "child");
        assert_eq!(preferred_kind("adult", true), "adult");
        assert_eq!(preferred_kind("", false), "adult");
    }
}
