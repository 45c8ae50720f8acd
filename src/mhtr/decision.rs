//! GET/POST /mhtr/intake/{id}: one referral with her details, and the intake decision –
//! accept, or decline with a reason. The decision goes on the L&D episode's timeline so the
//! referring team sees it without an email.

use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use maud::{Markup, html};
use serde::Deserialize;

use super::access;
use super::case;
use super::intake::hearing_cell;
use super::referral::{self, MhtrReferral, RECORD, Status};
use crate::audit::{self, Event};
use crate::auth::accounts;
use crate::db::DbConnection;
use crate::db::schema::{sites, teams};
use crate::domain::codes;
use crate::domain::ids::TeamId;
use crate::domain::local_time;
use crate::domain::mhtr::{DEADLINE_KINDS, DeadlineKind};
use crate::domain::person::age_on;
use crate::records::Episode;
use crate::records::Person;
use crate::records::timeline::{self, Kind};
use crate::views::components;
use crate::views::form::Errors;
use crate::web::context::{Ctx, Tx};
use crate::web::error::AppError;
use crate::web::see_other;

const REASON_MAX: usize = 2000;
/// The intake decision, for internal referrals and those entered from outside alike.
pub(super) const DECISIONS: &[(&str, &str)] = &[("accept", "Accept the referral"), ("decline", "Decline the referral")];

#[derive(Deserialize, Default, Debug, Clone)]
pub struct DecisionForm {
    #[serde(default)]
    pub(super) decision: String,
    #[serde(default)]
    pub(super) decline_reason: String,
    #[serde(default)]
    pub(super) deadline_kind: String,
}

/// A decision that passed validation.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Decision {
    /// Opens a case with this report deadline.
    Accept(DeadlineKind),
    Decline(String),
}

impl Decision {
    fn status(&self) -> Status {
        match self {
            Decision::Accept(_) => Status::Accepted,
            Decision::Decline(_) => Status::Declined,
        }
    }

    fn decline_reason(&self) -> Option<&str> {
        match self {
            Decision::Accept(_) => None,
            Decision::Decline(why) => Some(why),
        }
    }

    /// What the referring team reads on their episode's timeline.
    fn timeline_note(&self) -> String {
        match self {
            Decision::Accept(_) => "MHTR intake accepted".into(),
            Decision::Decline(why) => format!("MHTR intake declined: {why}"),
        }
    }
}

impl DecisionForm {
    pub(super) fn validate(&self) -> Result<Decision, Errors> {
        let mut errors = Errors::default();
        let reason = self.decline_reason.trim();
        match self.decision.as_str() {
            "accept" => match self.deadline_kind.parse::<DeadlineKind>() {
                Ok(kind) => return Ok(Decision::Accept(kind)),
                Err(_) => errors.add(
                    "deadline_kind",
                    "Select how long the court has given for the suitability report",
                ),
            },
            "decline" if reason.is_empty() => errors.add("decline_reason", "Enter why the referral is declined"),
            "decline" if reason.chars().count() > REASON_MAX => errors.add(
                "decline_reason",
                format!("Reason for declining must be {REASON_MAX} characters or fewer"),
            ),
            "decline" => return Ok(Decision::Decline(reason.to_string())),
            _ => errors.add("decision", "Select whether to accept or decline the referral"),
        }
        Err(errors)
    }
}

/// Who and what the page names besides the referral and the person.
struct Details {
    team: String,
    referred_by: String,
    episode: Option<Episode>,
    referring_team: Option<String>,
    decided_by: Option<String>,
    /// The case opened when the referral was accepted.
    case_id: Option<String>,
}

fn display_name(conn: &mut DbConnection, user_id: Option<&str>) -> Result<Option<String>, AppError> {
    match user_id {
        Some(id) => Ok(accounts::find(conn, id)?.map(|u| u.display_name)),
        None => Ok(None),
    }
}

fn team_name(conn: &mut DbConnection, team_id: &TeamId) -> Result<Option<String>, AppError> {
    Ok(teams::table.find(team_id).select(teams::name).first(conn).optional()?)
}

async fn load_details(ctx: &Ctx, r: &MhtrReferral) -> Result<Details, AppError> {
    let r = r.clone();
    ctx.read(move |conn| {
        let episode = match r.episode_id.as_deref() {
            Some(id) => crate::records::episode::find(conn, id)?,
            None => None,
        };
        let referring_team = match &episode {
            Some(e) => team_name(conn, &e.team_id)?,
            None => None,
        };
        Ok(Details {
            team: team_name(conn, &r.team_id)?.unwrap_or_default(),
            referred_by: display_name(conn, Some(&r.referred_by))?.unwrap_or_default(),
            decided_by: display_name(conn, r.decided_by.as_deref())?,
            case_id: case::for_referral(conn, &r.id)?.map(|c| c.id.into()),
            episode,
            referring_team,
        })
    })
    .await
}

fn person_details(p: &Person, today: chrono::NaiveDate) -> Markup {
    let or_not = |v: &Option<String>| v.clone().unwrap_or_else(|| "Not recorded".into());
    let gender = p
        .gender_identity
        .as_deref()
        .and_then(|g| codes::label_of(codes::GENDER_IDENTITY, g))
        .unwrap_or("Not recorded");
    components::summary_list(&[
        ("Name", html! { (p.full_name()) }),
        ("Date of birth", html! { (p.dob_display()) }),
        ("Age", html! { (age_on(p.dob(), today)) }),
        (
            "NHS number",
            html! { (p.nhs_display().unwrap_or_else(|| "Not recorded".into())) },
        ),
        ("Gender identity", html! { (gender) }),
        (
            "Preferred language",
            html! { (or_not(&p.preferred_language)) @if p.interpreter_needed { " – interpreter needed" } },
        ),
        ("GP practice", html! { (or_not(&p.gp_practice)) }),
    ])
}

fn referral_details(r: &MhtrReferral, d: &Details, today: chrono::NaiveDate) -> Markup {
    let reference = d.episode.as_ref().and_then(|e| e.reference.as_deref());
    components::summary_list(&[
        ("Referred to", html! { (d.team) }),
        (
            "Referred by",
            html! { (d.referred_by) @if let Some(t) = &d.referring_team { ", " (t) } },
        ),
        ("Referred on", html! { (local_time::date_time(r.created_at)) }),
        ("L&D episode reference", html! { (reference.unwrap_or("Not recorded")) }),
        ("Reason for referral", html! { span.app-pre-wrap { (r.reason) } }),
        ("Sentencing hearing", hearing_cell(r, today)),
        (
            "Her agreement",
            html! { "She agreed to be referred to the MHTR service" },
        ),
        ("Status", r.status().tag()),
    ])
}

fn decided(r: &MhtrReferral, d: &Details) -> Markup {
    html! {
        h2.app-heading-m { "Intake decision" }
        (components::summary_list(&[
            ("Decision", r.status().tag()),
            ("Decided by", html! { (d.decided_by.as_deref().unwrap_or("Unknown")) }),
            ("Decided on", html! { @if let Some(at) = r.decided_at { (local_time::date_time(at)) } }),
            ("Reason for declining", html! { (r.decline_reason.as_deref().unwrap_or("–")) }),
        ]))
        @if let Some(id) = &d.case_id { p { a href=(case::path(id)) { "Go to her MHTR case" } } }
    }
}

fn decision_form(r: &MhtrReferral, csrf: &str, form: &DecisionForm, errors: &Errors) -> Markup {
    html! {
        h2.app-heading-m { "Intake decision" }
        form method="post" action={ "/mhtr/intake/" (r.id) } novalidate {
            (components::csrf_field(csrf))
            (components::radios("decision", "Do you accept this referral?", DECISIONS, &form.decision, errors))
            (components::shown_when("decision", "accept", components::radios("deadline_kind", "If you accept: when does the court need the suitability report?", DEADLINE_KINDS, &form.deadline_kind, errors)))
            (components::shown_when("decision", "decline", components::textarea("decline_reason", "Reason for declining", &form.decline_reason, Some("Required if you decline. The referring team will see it."), errors)))
            button.app-button type="submit" { "Save decision" }
        }
    }
}

fn page(
    ctx: &Ctx,
    (r, person, details): (&MhtrReferral, &Person, &Details),
    form: &DecisionForm,
    errors: &Errors,
) -> HttpResponse {
    let today = local_time::local_date(ctx.now());
    let body = html! {
        (components::error_summary(errors))
        span.app-caption { "MHTR referral to " (details.team) }
        p { a href="/mhtr/intake" { "Back to MHTR intake" } }
        h1.app-heading-l { (person.list_name()) }
        h2.app-heading-m { "Her details" }
        (person_details(person, today))
        h2.app-heading-m { "Referral" }
        (referral_details(r, details, today))
        @if r.status() == Status::New { (decision_form(r, &ctx.user.csrf_token, form, errors)) }
        @else { (decided(r, details)) }
    };
    let title = format!("{} – MHTR referral", person.list_name());
    ctx.form_page(&title, errors, body)
}

pub async fn show(ctx: Ctx, id: web::Path<String>) -> Result<HttpResponse, AppError> {
    let view = (audit::VIEW, Some("intake decision page"));
    let (r, person) = access::load(&ctx, id.into_inner().into(), view).await?;
    let details = load_details(&ctx, &r).await?;
    Ok(page(
        &ctx,
        (&r, &person, &details),
        &DecisionForm::default(),
        &Errors::default(),
    ))
}

/// Refuses a second decision, naming the first.
fn already_decided(r: &MhtrReferral) -> AppError {
    AppError::Refused(format!(
        "This referral has already been {}",
        r.status().label().to_lowercase()
    ))
}

fn record_decision(
    tx: &mut Tx<'_>,
    user_id: &str,
    r: &MhtrReferral,
    decision: &Decision,
) -> Result<Option<String>, AppError> {
    let status = decision.status();
    if !referral::decide(tx.conn, tx.now, &r.id, user_id, (status, decision.decline_reason()))? {
        let current = referral::find(tx.conn, &r.id)?.ok_or(AppError::NotFound)?;
        return Err(already_decided(&current));
    }
    if let Some(episode_id) = r.episode_id.as_deref() {
        timeline::add(
            tx.conn,
            tx.now,
            episode_id,
            user_id,
            Kind::Note,
            &decision.timeline_note(),
            None,
        )?;
    }
    let event = Event::allowed(audit::UPDATE)
        .record(RECORD, &r.id)
        .detail(format!("intake {}", status.code()));
    tx.audit(event)?;
    let Decision::Accept(kind) = decision else {
        return Ok(None);
    };
    let court = court_of(tx.conn, r)?;
    let case_id = case::open_from_referral(tx.conn, tx.now, user_id, r, (*kind, court.as_deref()))?;
    let event = Event::allowed(audit::CREATE)
        .record(case::RECORD, &case_id)
        .detail("opened at intake");
    tx.audit(event)?;
    Ok(Some(case_id))
}

/// The court the referral came from: the site of the L&D episode, when that is a court.
fn court_of(conn: &mut DbConnection, r: &MhtrReferral) -> Result<Option<String>, AppError> {
    let Some(episode_id) = r.episode_id.as_deref() else {
        return Ok(None);
    };
    let Some(episode) = crate::records::episode::find(conn, episode_id)? else {
        return Ok(None);
    };
    let site: Option<(String, String)> = sites::table
        .find(&episode.site_id)
        .select((sites::kind, sites::name))
        .first(conn)
        .optional()?;
    Ok(site.and_then(|(kind, name)| crate::domain::site::court_name(&kind, name)))
}

pub async fn decide(ctx: Ctx, id: web::Path<String>, form: web::Form<DecisionForm>) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let (r, person) = access::load(&ctx, id.into_inner().into(), (audit::UPDATE, None)).await?;
    if r.status() != Status::New {
        return Err(already_decided(&r));
    }
    let decision = match form.validate() {
        Ok(decision) => decision,
        Err(errors) => {
            let details = load_details(&ctx, &r).await?;
            return Ok(page(&ctx, (&r, &person, &details), &form, &errors));
        }
    };
    let (uid, for_tx) = (ctx.user.id.clone(), r.clone());
    let opened = ctx
        .write(move |tx| record_decision(tx, &uid, &for_tx, &decision))
        .await?;
    match opened {
        Some(case_id) => Ok(see_other(&case::path(&case_id))),
        None => Ok(see_other(&format!("/mhtr/intake/{}", r.id))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(decision: &str, reason: &str) -> DecisionForm {
        DecisionForm {
            decision: decision.into(),
            decline_reason: reason.into(),
            deadline_kind: "five-working-days".into(),
        }
    }

    #[test]
    fn declining_needs_a_reason_and_accepting_does_not() {
        assert_eq!(
            form("accept", "").validate().ok(),
            Some(Decision::Accept(DeadlineKind::FiveWorkingDays))
        );
        let no_deadline = DecisionForm {
            deadline_kind: String::new(),
            ..form("accept", "")
        };
        assert!(no_deadline.validate().unwrap_err().get("deadline_kind").is_some());
        assert!(
            form("decline", "  ")
                .validate()
                .unwrap_err()
                .get("decline_reason")
                .is_some()
        );
        assert_eq!(
            form("decline", " Not eligible: under 18 ").validate().ok(),
            Some(Decision::Decline("Not eligible: under 18".into()))
        );
        assert!(form("", "").validate().unwrap_err().get("decision").is_some());
    }

    #[test]
    fn the_timeline_says_what_was_decided() {
        assert_eq!(
            Decision::Accept(DeadlineKind::SameDay).timeline_note(),
            "MHTR intake accepted"
        );
        assert_eq!(
            Decision::Decline("No capacity".into()).timeline_note(),
            "MHTR intake declined: No capacity"
        );
    }
}
