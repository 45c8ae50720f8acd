//! Referring a woman from an L&D episode to an MHTR team in the same deployment: no email,
//! the referral goes straight onto that team's intake list.

use actix_web::{HttpResponse, web};
use chrono::NaiveDate;
use maud::{Markup, html};
use serde::Deserialize;

use super::hearing;
use super::referral::{self, MhtrReferral, NewReferral, RECORD, Status};
use super::teams;
use crate::audit::{self, Event};
use crate::auth::accounts::Team;
use crate::domain::ids::PersonId;
use crate::domain::local_time;
use crate::records::Person;
use crate::records::timeline::{self, Kind};
use crate::records::{Episode, access};
use crate::views::components;
use crate::views::form::Errors;
use crate::web::context::{Ctx, Tx};
use crate::web::error::AppError;
use crate::web::see_other;

const REASON_MAX: usize = 2000;
const AGREES: &str = "agrees";
const NO_MHTR_TEAM: &str = "There is no MHTR team in this service to refer to";

#[derive(Deserialize, Default, Debug, Clone)]
pub struct ReferralForm {
    /// The receiving team's id; may be left out when only one MHTR team can be chosen.
    #[serde(default)]
    team: String,
    #[serde(default)]
    reason: String,
    #[serde(default, rename = "hearing-day")]
    hearing_day: String,
    #[serde(default, rename = "hearing-month")]
    hearing_month: String,
    #[serde(default, rename = "hearing-year")]
    hearing_year: String,
    #[serde(default)]
    agrees: String,
}

/// What the form offers: the deployment's MHTR teams, and her referrals so far.
struct Context {
    teams: Vec<Team>,
    existing: Vec<(MhtrReferral, String)>,
}

impl Context {
    /// MHTR teams she has no referral waiting with: the ones worth offering.
    fn choices(&self) -> Vec<&Team> {
        let waiting = |t: &Team| {
            self.existing
                .iter()
                .any(|(r, _)| r.team_id == t.id && r.status() == Status::New)
        };
        self.teams.iter().filter(|t| !waiting(t)).collect()
    }

    /// The chosen team: the one offered (or the only one there is) when none was picked,
    /// else the one picked. Any MHTR team is accepted, so a stale form or a double submit
    /// still finds the referral already waiting.
    fn team(&self, chosen: &str) -> Option<&Team> {
        if !chosen.is_empty() {
            return self.teams.iter().find(|t| t.id == chosen);
        }
        match (self.choices().as_slice(), self.teams.as_slice()) {
            ([only], _) => Some(*only),
            ([], [only]) => Some(only),
            _ => None,
        }
    }
}

/// A referral that passed validation.
struct Valid {
    team: Team,
    reason: String,
    hearing: Option<NaiveDate>,
}

impl ReferralForm {
    fn validate(&self, context: &Context, today: NaiveDate) -> Result<Valid, Errors> {
        let mut errors = Errors::default();
        let team = context.team(&self.team).cloned();
        if team.is_none() {
            errors.add("team", "Select the MHTR team to refer her to");
        }
        let reason = self.reason.trim().to_string();
        if reason.is_empty() {
            errors.add("reason", "Enter the reason for referral");
        } else if reason.chars().count() > REASON_MAX {
            errors.add(
                "reason",
                format!("Reason for referral must be {REASON_MAX} characters or fewer"),
            );
        }
        let hearing = hearing::parse(&self.hearing_day, &self.hearing_month, &self.hearing_year, today).unwrap_or_else(
            |(field, message)| {
                errors.add(field, message);
                None
            },
        );
        if self.agrees != "yes" {
            errors.add(AGREES, "Confirm that she agrees to be referred to the MHTR service");
        }
        match team {
            Some(team) if errors.is_empty() => Ok(Valid { team, reason, hearing }),
            _ => Err(errors),
        }
    }
}

/// Referrals are made from open episodes, as onward referrals are.
fn require_open(ep: &Episode) -> Result<(), AppError> {
    if ep.status().is_open() {
        return Ok(());
    }
    Err(AppError::Refused(
        "This episode is closed. Reopen it before making a referral".into(),
    ))
}

async fn load_context(ctx: &Ctx, person_id: PersonId) -> Result<Context, AppError> {
    ctx.read(move |conn| {
        Ok(Context {
            teams: teams::all(conn)?,
            existing: referral::for_person(conn, &person_id)?,
        })
    })
    .await
}

fn form_url(ep: &Episode) -> String {
    format!("/episodes/{}/mhtr-referral", ep.id)
}

/// Her referrals so far, so nobody refers her twice without knowing.
fn existing_referrals(existing: &[(MhtrReferral, String)]) -> Markup {
    html! {
        @if !existing.is_empty() {
            h2.app-heading-m { "Referrals to the MHTR service so far" }
            ul.app-list {
                @for (r, team) in existing {
                    li {
                        (team) " – referred " (local_time::date_time(r.created_at)) " " (r.status().tag())
                        @if r.status() == Status::New { br; span.app-hint { "Waiting for the MHTR team's intake decision." } }
                        @if let Some(why) = &r.decline_reason { br; span.app-hint { "Declined: " (why) } }
                    }
                }
            }
        }
    }
}

fn eligibility_note() -> Markup {
    html! {
        div.app-panel {
            p { "The MHTR service accepts people who identify as women, including trans women and non-binary people assigned female at birth. Refer on what she tells you, whatever sex or gender is recorded." }
            p { "The MHTR team checks the other criteria (for example age, plea and the likely sentence) at intake." }
        }
    }
}

/// The team question: radios when there is a choice, else the one team named.
fn team_question(choices: &[&Team], chosen: &str, errors: &Errors) -> Markup {
    match choices {
        [only] => html! {
            p { "She will be referred to " strong { (only.name) } "." }
            input type="hidden" name="team" value=(only.id);
        },
        _ => {
            let options: Vec<(&str, &str)> = choices.iter().map(|t| (t.id.as_str(), t.name.as_str())).collect();
            components::radios(
                "team",
                "Which MHTR team are you referring her to?",
                &options,
                chosen,
                errors,
            )
        }
    }
}

fn the_form(ep: &Episode, csrf: &str, choices: &[&Team], form: &ReferralForm, errors: &Errors) -> Markup {
    let agreed: Vec<String> = [form.agrees.clone()].into_iter().filter(|a| a == "yes").collect();
    let agreement = [(
        "yes".to_string(),
        "She agrees to be referred to the MHTR service".to_string(),
    )];
    html! {
        form method="post" action=(form_url(ep)) novalidate {
            (components::csrf_field(csrf))
            (team_question(choices, &form.team, errors))
            (components::textarea("reason", "Reason for referral", &form.reason, Some("Her mental health need and why a Mental Health Treatment Requirement may suit her"), errors))
            (components::date_input(hearing::WHOLE, "Sentencing hearing date (optional)", Some("If known. The MHTR assessment must be done by this date. For example, 27 3 2027"), [&form.hearing_day, &form.hearing_month, &form.hearing_year], errors))
            (components::checkboxes(AGREES, "Her agreement", &agreement, &agreed, errors))
            button.app-button type="submit" { "Send referral" }
        }
    }
}

fn form_page(
    ctx: &Ctx,
    (ep, person): (&Episode, &Person),
    context: &Context,
    form: &ReferralForm,
    errors: &Errors,
) -> HttpResponse {
    let choices = context.choices();
    let body = html! {
        (components::error_summary(errors))
        span.app-caption { (person.list_name()) ", born " (person.dob_display()) }
        p { a href={ "/episodes/" (ep.id) } { "Back to the episode" } }
        h1.app-heading-l { "Refer to the MHTR service" }
        p { "The referral goes straight to the MHTR team's intake list. They will accept or decline it, and their decision is added to this episode's timeline." }
        (existing_referrals(&context.existing))
        @if context.teams.is_empty() {
            p { (NO_MHTR_TEAM) ". Ask an administrator to add one." }
        } @else if choices.is_empty() {
            p { "She has already been referred to every MHTR team and is waiting for their decision." }
        } @else {
            (eligibility_note())
            (the_form(ep, &ctx.user.csrf_token, &choices, form, errors))
        }
    };
    ctx.form_page("Refer to the MHTR service", errors, body)
}

pub async fn show(ctx: Ctx, id: web::Path<String>) -> Result<HttpResponse, AppError> {
    let (ep, person) = access::load(
        &ctx.state,
        &ctx.user,
        id.into_inner().into(),
        Some("mhtr referral form"),
    )
    .await?;
    require_open(&ep)?;
    person
        .mhtr_offered(ctx.now())
        .map_err(|why| AppError::Refused(why.into()))?;
    let context = load_context(&ctx, person.id.clone()).await?;
    Ok(form_page(
        &ctx,
        (&ep, &person),
        &context,
        &ReferralForm::default(),
        &Errors::default(),
    ))
}

/// What saving did: made a new referral, or found one already waiting for that team.
enum Saved {
    Created,
    AlreadyWaiting,
}

fn record_referral(
    tx: &mut Tx<'_>,
    user_id: &str,
    (ep, person_id): (&Episode, &str),
    valid: &Valid,
) -> Result<Saved, AppError> {
    referral::lock_person(tx.conn, person_id)?;
    if referral::open_for(tx.conn, person_id, &valid.team.id)?.is_some() {
        return Ok(Saved::AlreadyWaiting);
    }
    let new = NewReferral {
        person_id,
        episode_id: Some(&ep.id),
        team_id: &valid.team.id,
        reason: &valid.reason,
        hearing_date: valid.hearing,
        referred_by: user_id,
    };
    let id = referral::create(tx.conn, tx.now, &new)?;
    let note = format!("Referred to {} (MHTR) for intake", valid.team.name);
    timeline::add(tx.conn, tx.now, &ep.id, user_id, Kind::Note, &note, None)?;
    let event = Event::allowed(audit::CREATE)
        .record(RECORD, &id)
        .detail(format!("episode {}; team {}", ep.id, valid.team.name));
    tx.audit(event)?;
    Ok(Saved::Created)
}

pub async fn submit(ctx: Ctx, id: web::Path<String>, form: web::Form<ReferralForm>) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let (ep, person) = access::load(&ctx.state, &ctx.user, id.into_inner().into(), None).await?;
    require_open(&ep)?;
    person
        .mhtr_offered(ctx.now())
        .map_err(|why| AppError::Refused(why.into()))?;
    let context = load_context(&ctx, person.id.clone()).await?;
    if context.teams.is_empty() {
        return Err(AppError::Refused(NO_MHTR_TEAM.into()));
    }
    let valid = match form.validate(&context, local_time::local_date(ctx.now())) {
        Ok(valid) => valid,
        Err(errors) => return Ok(form_page(&ctx, (&ep, &person), &context, &form, &errors)),
    };
    let (uid, for_tx) = (ctx.user.id.clone(), ep.clone());
    let saved = ctx
        .write(move |tx| record_referral(tx, &uid, (&for_tx, &for_tx.person_id), &valid))
        .await?;
    Ok(match saved {
        Saved::Created => see_other(&format!("/episodes/{}?done=mhtr-referred#referrals", ep.id)),
        Saved::AlreadyWaiting => see_other(&form_url(&ep)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn team(id: &str) -> Team {
        Team {
            id: id.into(),
            name: format!("{id} MHTR"),
            created_at: 0,
            kind: crate::domain::TeamKind::Mhtr,
        }
    }

    fn waiting_with(team_id: &str) -> (MhtrReferral, String) {
        let r = MhtrReferral {
            id: "r".into(),
            person_id: "p".into(),
            episode_id: None,
            team_id: team_id.into(),
            reason: "x".into(),
            hearing_date: None,
            status: Status::New,
            decline_reason: None,
            referred_by: "u".into(),
            created_at: 0,
            decided_by: None,
            decided_at: None,
        };
        (r, String::new())
    }

    #[test]
    fn the_only_team_on_offer_is_chosen_without_asking() {
        let context = Context {
            teams: vec![team("a"), team("b")],
            existing: vec![waiting_with("a")],
        };
        assert_eq!(context.team("").map(|t| t.id.as_str()), Some("b"));
        assert_eq!(context.team("a").map(|t| t.id.as_str()), Some("a"), "a stale form");
        assert!(context.team("elsewhere").is_none());
        let context = Context {
            teams: vec![team("a")],
            existing: vec![waiting_with("a")],
        };
        assert_eq!(context.team("").map(|t| t.id.as_str()), Some("a"), "a double submit");
        let context = Context {
            teams: vec![team("a"), team("b")],
            existing: Vec::new(),
        };
        assert!(context.team("").is_none(), "two teams: she must be asked");
    }
}
