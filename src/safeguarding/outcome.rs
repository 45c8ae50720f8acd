//! GET/POST /episodes/{id}/safeguarding/{concern_id}: the agency's answer, which often comes
//! days after the concern was raised: its reference number and the outcome.

use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use maud::html;
use serde::Deserialize;

use super::record::{check_outcome, check_reference};
use super::{Concern, RECORD};
use crate::audit::{self, Event};
use crate::db::schema::safeguarding_concerns;
use crate::domain::ids::{ConcernId, EpisodeId};
use crate::partners::{self, ServiceEntry};
use crate::records::Person;
use crate::records::timeline::{self, Kind};
use crate::records::{Episode, access};
use crate::views::components::{self, Field};
use crate::views::form::Errors;
use crate::web::context::{Ctx, Tx};
use crate::web::error::AppError;
use crate::web::{form_status, see_other};

#[derive(Deserialize, Default, Debug, Clone)]
pub struct OutcomeForm {
    #[serde(default)]
    agency_reference: String,
    #[serde(default)]
    outcome: String,
}

/// The answer as it will be stored: blank boxes are no value.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Answer {
    agency_reference: Option<String>,
    outcome: Option<String>,
}

impl OutcomeForm {
    fn from_concern(concern: &Concern) -> Self {
        OutcomeForm {
            agency_reference: concern.agency_reference.clone().unwrap_or_default(),
            outcome: concern.outcome.clone().unwrap_or_default(),
        }
    }

    fn validate(&self) -> Result<Answer, Errors> {
        let mut errors = Errors::default();
        check_reference(&mut errors, &self.agency_reference);
        check_outcome(&mut errors, &self.outcome);
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Answer {
            agency_reference: super::optional_text(&self.agency_reference),
            outcome: super::optional_text(&self.outcome),
        })
    }
}

impl Answer {
    /// The names of the fields this answer changes, for the audit trail (never the text).
    fn changed_fields(&self, concern: &Concern) -> Vec<&'static str> {
        let mut changed = Vec::new();
        if self.outcome != concern.outcome {
            changed.push("outcome");
        }
        if self.agency_reference != concern.agency_reference {
            changed.push("agency reference");
        }
        changed
    }

    /// The timeline entry: "Safeguarding outcome recorded: Strategy meeting arranged
    /// (Brent Children's Social Care, reference BCS-1)". `None` when nothing changed.
    fn timeline_note(&self, concern: &Concern) -> Option<String> {
        let outcome_changed = self.outcome != concern.outcome;
        let reference_changed = self.agency_reference != concern.agency_reference;
        let what = match (&self.outcome, outcome_changed, reference_changed) {
            (Some(outcome), true, _) => format!("Safeguarding outcome recorded: {outcome}"),
            (None, true, _) => "Safeguarding outcome removed".to_string(),
            (_, false, true) if self.agency_reference.is_some() => "Safeguarding agency reference recorded".to_string(),
            (_, false, true) => "Safeguarding agency reference removed".to_string(),
            (_, false, false) => return None,
        };
        let reference = match &self.agency_reference {
            Some(r) => format!(", reference {r}"),
            None => String::new(),
        };
        Some(format!("{what} ({}{reference})", concern.agency))
    }
}

fn page(
    ctx: &Ctx,
    (ep, person): (&Episode, &Person),
    (concern, services): (&Concern, Vec<ServiceEntry>),
    form: &OutcomeForm,
    errors: &Errors,
) -> HttpResponse {
    let services = super::safeguarding_services(services, &concern.kind);
    let body = html! {
        (components::error_summary(errors))
        (super::episode_caption(ep, person))
        h1.app-heading-l { "Safeguarding outcome" }
        (super::summary(concern))
        form method="post" action={ "/episodes/" (ep.id) "/safeguarding/" (concern.id) } novalidate {
            (components::csrf_field(&ctx.user.csrf_token))
            (components::input(Field::text("agency_reference", "Agency reference number (optional)", &form.agency_reference).hint("The agency's own reference, if they gave one").autocomplete("off"), errors))
            (components::textarea("outcome", "Outcome", &form.outcome, Some("What the agency decided or did, for example, strategy meeting arranged"), errors))
            button.app-button type="submit" { "Save outcome" }
        }
        (super::referral_links(&ep.id, &services))
    };
    let page = ctx.page("Safeguarding outcome").with_errors(!errors.is_empty());
    ctx.render(form_status(errors), &page, body)
}

/// The concern, if it belongs to this episode, and the active directory services.
async fn load_concern(
    ctx: &Ctx,
    episode_id: &str,
    concern_id: ConcernId,
) -> Result<(Concern, Vec<ServiceEntry>), AppError> {
    let eid = episode_id.to_string();
    ctx.read(move |conn| {
        let concern = super::find_in_episode(conn, &eid, &concern_id)?.ok_or(AppError::NotFound)?;
        Ok((concern, partners::active_services(conn)?))
    })
    .await
}

pub async fn show(ctx: Ctx, path: web::Path<(EpisodeId, ConcernId)>) -> Result<HttpResponse, AppError> {
    let (id, concern_id) = path.into_inner();
    let (ep, person) = access::open(&ctx, id, Some("safeguarding outcome form")).await?;
    let (concern, services) = load_concern(&ctx, &ep.id, concern_id).await?;
    let form = OutcomeForm::from_concern(&concern);
    Ok(page(
        &ctx,
        (&ep, &person),
        (&concern, services),
        &form,
        &Errors::default(),
    ))
}

/// Writes the answer, comparing with the concern as re-read inside the transaction so the
/// audit trail names exactly what this change altered. Nothing is written if nothing changed.
fn record_answer(
    tx: &mut Tx<'_>,
    user_id: &str,
    (episode_id, concern_id): (&str, &ConcernId),
    answer: &Answer,
) -> Result<(), AppError> {
    let concern = super::find_in_episode(tx.conn, episode_id, concern_id)?.ok_or(AppError::NotFound)?;
    let Some(note) = answer.timeline_note(&concern) else {
        return Ok(());
    };
    diesel::update(safeguarding_concerns::table.find(concern_id))
        .set((
            safeguarding_concerns::agency_reference.eq(&answer.agency_reference),
            safeguarding_concerns::outcome.eq(&answer.outcome),
        ))
        .execute(tx.conn)?;
    timeline::add(tx.conn, tx.now, episode_id, user_id, Kind::Note, &note, None)?;
    tx.audit(
        Event::allowed(audit::UPDATE)
            .record(RECORD, concern_id)
            .detail(format!("changed: {}", answer.changed_fields(&concern).join(", "))),
    )
}

pub async fn save(
    ctx: Ctx,
    path: web::Path<(EpisodeId, ConcernId)>,
    form: web::Form<OutcomeForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let (id, concern_id) = path.into_inner();
    let (ep, person) = access::open(&ctx, id, None).await?;
    let answer = match form.validate() {
        Ok(answer) => answer,
        Err(errors) => {
            let (concern, services) = load_concern(&ctx, &ep.id, concern_id).await?;
            return Ok(page(&ctx, (&ep, &person), (&concern, services), &form, &errors));
        }
    };
    let (uid, eid) = (ctx.user.id.clone(), ep.id.clone());
    ctx.write(move |tx| record_answer(tx, &uid, (&eid, &concern_id), &answer))
        .await?;
    Ok(see_other(&format!("/episodes/{}", ep.id)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn concern(reference: Option<&str>, outcome: Option<&str>) -> Concern {
        Concern {
            id: "c".into(),
            episode_id: "e".into(),
            kind: "child".into(),
            agency: "Brent Children's Social Care".into(),
            raised_on: "2026-05-03".parse().unwrap(),
            agency_reference: reference.map(Into::into),
            outcome: outcome.map(Into::into),
            recorded_by: "u".into(),
            recorded_at: 0,
        }
    }

    fn answer(reference: Option<&str>, outcome: Option<&str>) -> Answer {
        Answer {
            agency_reference: reference.map(Into::into),
            outcome: outcome.map(Into::into),
        }
    }

    #[test]
    fn a_new_outcome_goes_on_the_timeline_with_the_agency() {
        let before = concern(None, None);
        let after = answer(Some("BCS-1"), Some("Strategy meeting arranged"));
        assert_eq!(
            after.timeline_note(&before).as_deref(),
            Some(
                "Safeguarding outcome recorded: Strategy meeting arranged (Brent Children's Social Care, reference BCS-1)"
            )
        );
        assert_eq!(after.changed_fields(&before), ["outcome", "agency reference"]);
    }

    #[test]
    fn a_reference_alone_and_no_change_are_told_apart() {
        let before = concern(None, Some("Strategy meeting arranged"));
        let after = answer(Some("BCS-1"), Some("Strategy meeting arranged"));
        assert_eq!(
            after.timeline_note(&before).as_deref(),
            Some("Safeguarding agency reference recorded (Brent Children's Social Care, reference BCS-1)")
        );
        assert_eq!(after.changed_fields(&before), ["agency reference"]);
        let unchanged = concern(Some("BCS-1"), Some("Strategy meeting arranged"));
        assert_eq!(after.timeline_note(&unchanged), None);
    }

    #[test]
    fn blank_boxes_are_no_value() {
        let form = OutcomeForm {
            agency_reference: "  ".into(),
            outcome: "\n".into(),
        };
        assert_eq!(form.validate().ok(), Some(answer(None, None)));
    }
}
