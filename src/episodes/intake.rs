//! Recording a new contact (episode) for a person found by search or just added.

use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use maud::html;
use serde::Deserialize;

use crate::access::{self, Intent, Refusal, overrides};
use crate::audit::{self, Event};
use crate::auth::CurrentUser;
use crate::clock::Millis;
use crate::db::DbConnection;
use crate::db::schema::episodes;
use crate::domain::codes;
use crate::domain::date_input;
use crate::domain::episode::EpisodeStatus;
use crate::domain::ids::{SiteId, TeamId};
use crate::domain::local_time;
use crate::domain::person::is_youth;
use crate::records::Person;
use crate::sites::{self, Site};
use crate::views::components::{self, Field};
use crate::views::form::Errors;
use crate::web::context::{Ctx, Tx};
use crate::web::error::AppError;
use crate::web::{form_status, see_other};

/// A second submit of the same intake within this window returns the first episode.
const DOUBLE_SUBMIT_MS: Millis = 2 * 60_000;

#[derive(Deserialize, Default, Debug, Clone)]
pub struct IntakeForm {
    #[serde(default)]
    pub person: String,
    #[serde(default)]
    pub site_id: String,
    #[serde(default)]
    pub cj_stage: String,
    #[serde(default)]
    pub alert_at: String,
    #[serde(default)]
    pub reference: String,
    #[serde(default)]
    pub offence: String,
    #[serde(default)]
    pub arrest_or_listing_at: String,
    #[serde(default)]
    pub referral_source: String,
    #[serde(default)]
    pub concern: String,
    #[serde(default)]
    pub voluntary_attendance: Option<String>,
    #[serde(default)]
    pub location: String,
    #[serde(default)]
    pub urgent: Option<String>,
}

struct IntakeValues {
    site: Site,
    cj_stage: String,
    alert_at: Millis,
    reference: Option<String>,
    offence: Option<String>,
    arrest_or_listing_at: Option<Millis>,
    referral_source: String,
    concern: String,
    voluntary_attendance: bool,
    location: Option<String>,
    urgent: bool,
}

fn optional(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

impl IntakeForm {
    fn validate(&self, sites: &[Site], now: Millis) -> Result<IntakeValues, Errors> {
        let mut errors = Errors::default();
        let site = sites.iter().find(|s| s.id == self.site_id).cloned();
        if site.is_none() {
            errors.add("site_id", "Select the site where the person is");
        }
        if codes::label_of(codes::CJ_STAGES, &self.cj_stage).is_none() {
            errors.add("cj_stage", "Select the criminal justice stage");
        }
        // Within a year of today: an older alert or a listing years away is a typing slip.
        let today = local_time::local_date(now);
        let near = |t: Millis, back, ahead| date_input::window(today, back, ahead).contains(&local_time::local_date(t));
        let alert_at = local_time::parse_local_input(&self.alert_at);
        match alert_at {
            None => errors.add(
                "alert_at",
                "Enter the date and time of the alert, like 22/11/2026 14:05",
            ),
            Some(t) if t > now + 5 * 60_000 => errors.add("alert_at", "Time of the alert must not be in the future"),
            Some(t) if !near(t, 1, 0) => errors.add("alert_at", "Time of the alert must be within the last year"),
            _ => {}
        }
        let arrest = optional(&self.arrest_or_listing_at);
        let arrest_at = arrest.as_deref().and_then(local_time::parse_local_input);
        match arrest_at {
            None if arrest.is_some() => errors.add(
                "arrest_or_listing_at",
                "Enter the time of arrest or listing as a date and time",
            ),
            Some(t) if !near(t, 1, 1) => errors.add(
                "arrest_or_listing_at",
                "Time of arrest or listing must be within a year of today",
            ),
            _ => {}
        }
        if codes::label_of(codes::REFERRAL_SOURCES, &self.referral_source).is_none() {
            errors.add("referral_source", "Select who raised the concern");
        }
        let concern = self.concern.trim();
        if concern.is_empty() {
            errors.add("concern", "Enter the concern raised");
        } else if concern.chars().count() > 2000 {
            errors.add("concern", "Concern must be 2000 characters or fewer");
        }
        for (field, value, label, max) in [
            (
                "reference",
                &self.reference,
                "Custody record number or court reference",
                60,
            ),
            ("offence", &self.offence, "Offence", 500),
            ("location", &self.location, "Location", 60),
        ] {
            if value.trim().chars().count() > max {
                errors.add(field, format!("{label} must be {max} characters or fewer"));
            }
        }
        match (site, alert_at) {
            (Some(site), Some(alert_at)) if errors.is_empty() => Ok(IntakeValues {
                site,
                cj_stage: self.cj_stage.clone(),
                alert_at,
                reference: optional(&self.reference),
                offence: optional(&self.offence),
                arrest_or_listing_at: arrest_at,
                referral_source: self.referral_source.clone(),
                concern: concern.to_string(),
                voluntary_attendance: self.voluntary_attendance.is_some(),
                location: optional(&self.location),
                urgent: self.urgent.is_some(),
            }),
            _ => Err(errors),
        }
    }
}

fn team_ids(user: &CurrentUser) -> Vec<TeamId> {
    user.teams.iter().map(|t| t.id.clone()).collect()
}

/// The person a contact is being recorded for, and whether the user's teams already work
/// with them. For someone they do not, the form shows no details of the existing record:
/// saving the contact claims the relationship for that episode, and the claim is reviewed.
struct Subject {
    person: Person,
    related: bool,
}

fn page(ctx: &Ctx, subject: &Subject, sites: &[Site], form: &IntakeForm, errors: &Errors) -> HttpResponse {
    let person = &subject.person;
    let site_options = components::code_options("Select a site", &[])
        .into_iter()
        .chain(sites.iter().map(|s| (s.id.to_string(), s.name.clone())))
        .collect::<Vec<_>>();
    let body = html! {
        (components::error_summary(errors))
        @if subject.related {
            span.app-caption { (person.list_name()) ", born " (person.dob_display()) }
        }
        h1.app-heading-l { "Record a new contact" }
        @if !subject.related {
            div.app-card {
                p { "This person is not known to your team, so their existing record is not shown." }
                p { "Saving this contact gives your team a relationship with them for this contact only. Other teams' contacts will show as a summary. The information governance lead reviews every contact recorded this way." }
            }
        }
        form method="post" action="/episodes" novalidate {
            (components::csrf_field(&ctx.user.csrf_token))
            input type="hidden" name="person" value=(person.id);
            (components::select("site_id", "Site", &site_options, &form.site_id, errors))
            (components::select("cj_stage", "Criminal justice stage", &components::code_options("Select a stage", codes::CJ_STAGES), &form.cj_stage, errors))
            (components::input(Field::text("alert_at", "Time of the alert", &form.alert_at).kind("datetime-local").hint("When L&D were told about the person. Age and the youth flag are worked out at this time"), errors))
            (components::input(Field::text("location", "Location (optional)", &form.location).hint("Cell number or court room"), errors))
            (components::select("referral_source", "Who raised the concern", &components::code_options("Select a source", codes::REFERRAL_SOURCES), &form.referral_source, errors))
            (components::textarea("concern", "Concern raised", &form.concern, None, errors))
            (components::input(Field::text("reference", "Custody record number or court case reference (optional)", &form.reference), errors))
            (components::input(Field::text("offence", "Offence or offences (optional)", &form.offence), errors))
            (components::input(Field::text("arrest_or_listing_at", "Time of arrest or court listing (optional)", &form.arrest_or_listing_at).kind("datetime-local"), errors))
            (components::checkboxes("voluntary_attendance", "Voluntary attendance", &[("yes".into(), "The person is attending voluntarily".into())], &form.voluntary_attendance.iter().cloned().collect::<Vec<_>>(), errors))
            (components::checkboxes("urgent", "Urgency", &[("yes".into(), "Urgent – see as a priority".into())], &form.urgent.iter().cloned().collect::<Vec<_>>(), errors))
            button.app-button type="submit" { "Save contact" }
        }
    };
    let page = ctx.page("Record a new contact").with_errors(!errors.is_empty());
    ctx.render(form_status(errors), &page, body)
}

#[derive(Deserialize)]
pub struct NewQuery {
    person: String,
}

/// The person and the user's teams' sites, after asking the access model about the person.
/// `audit_view` records the form's view (the GET); the POST audits what it creates.
async fn subject_and_sites(ctx: &Ctx, person_id: String, audit_view: bool) -> Result<(Subject, Vec<Site>), AppError> {
    let (teams, viewer, id) = (team_ids(&ctx.user), ctx.user.viewer(), person_id.clone());
    let found = ctx
        .read(move |conn| {
            let target = access::Subject::Person(id.clone().into());
            let related = match access::decide(conn, &viewer, &target, Intent::Write(audit::CREATE))? {
                Ok(_) => true,
                Err(Refusal::NoRelationship { .. } | Refusal::ReadOnly { .. }) => false,
                Err(Refusal::NotFound) => return Err(AppError::NotFound),
                Err(Refusal::Role) => return Ok(None),
            };
            let person = crate::records::person::find(conn, &id)?.ok_or(AppError::NotFound)?;
            Ok(Some((Subject { person, related }, sites::for_teams(conn, &teams)?)))
        })
        .await?;
    let Some((subject, sites)) = found else {
        let event = Event::denied(audit::VIEW)
            .record("person", &person_id)
            .person(&person_id);
        ctx.audit(event).await?;
        return Err(AppError::Forbidden);
    };
    if audit_view {
        let detail = if subject.related {
            "contact intake form"
        } else {
            "contact intake form; not known to the team, no details shown"
        };
        let mut event = Event::allowed(audit::VIEW)
            .record("person", &person_id)
            .detail(detail)
            .person(&person_id);
        if subject.related {
            event = event.basis("relationship");
        }
        ctx.audit(event).await?;
    }
    Ok((subject, sites))
}

pub async fn new_form(ctx: Ctx, query: web::Query<NewQuery>) -> Result<HttpResponse, AppError> {
    let (subject, sites) = subject_and_sites(&ctx, query.into_inner().person, true).await?;
    let site_id = ctx.user.sites.first().map(|s| s.id.to_string()).unwrap_or_default();
    // Custody is before charge, court after: the stage a site of its kind usually sees.
    let site = sites.iter().find(|s| s.id == site_id.as_str()).or(sites.first());
    let form = IntakeForm {
        cj_stage: codes::default_cj_stage(site.map_or("", |s| s.kind.code())).to_string(),
        site_id,
        alert_at: local_time::local_input_value(ctx.now()),
        ..IntakeForm::default()
    };
    Ok(page(&ctx, &subject, &sites, &form, &Errors::default()))
}

/// An open episode for the same person at the same site created moments ago by this user.
fn just_created(
    conn: &mut DbConnection,
    person_id: &str,
    site_id: &SiteId,
    user_id: &str,
    now: Millis,
) -> QueryResult<Option<String>> {
    episodes::table
        .filter(episodes::person_id.eq(person_id))
        .filter(episodes::site_id.eq(site_id))
        .filter(episodes::created_by.eq(user_id))
        .filter(episodes::closed_at.is_null())
        .filter(episodes::created_at.ge(now - DOUBLE_SUBMIT_MS))
        .select(episodes::id)
        .first(conn)
        .optional()
}

/// Marks a contact recorded for a person the team had no relationship with: a self-claim
/// for the information governance lead's review, and its audit row.
fn claim_relationship(
    tx: &mut Tx<'_>,
    review_due: Millis,
    (user_id, person_id, episode_id): (&str, &str, &str),
) -> Result<(), AppError> {
    let claim = overrides::NewOverride {
        kind: overrides::OverrideKind::SelfClaim,
        user_id,
        person_id,
        episode_id: Some(episode_id),
        reason: overrides::NEW_CONTACT,
        note: "",
        expires_at: tx.now,
        review_due,
    };
    let claim_id = overrides::insert(tx.conn, tx.now, &claim)?;
    let event = Event::allowed(audit::SELF_CLAIM)
        .record(crate::records::access::RECORD, episode_id)
        .detail(format!("relationship claimed by a new contact; review {claim_id}"))
        .person(person_id)
        .basis("self-claim");
    tx.audit(event)
}

pub async fn create(ctx: Ctx, form: web::Form<IntakeForm>) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let (subject, sites) = subject_and_sites(&ctx, form.person.clone(), false).await?;
    let now = ctx.now();
    let v = match form.validate(&sites, now) {
        Ok(v) => v,
        Err(errors) => return Ok(page(&ctx, &subject, &sites, &form, &errors)),
    };
    let Subject { person, related } = subject;
    let review_due = now + ctx.state.config.access_review_days * 24 * 60 * 60 * 1000;
    let youth = is_youth(person.dob(), local_time::local_date(v.alert_at));
    let uid = ctx.user.id.clone();
    let id = ctx
        .write(move |tx| {
            if let Some(existing) = just_created(tx.conn, &person.id, &v.site.id, &uid, now)? {
                return Ok(existing);
            }
            let id = crate::domain::new_id();
            diesel::insert_into(episodes::table)
                .values((
                    episodes::id.eq(&id),
                    episodes::person_id.eq(&person.id),
                    episodes::site_id.eq(&v.site.id),
                    episodes::team_id.eq(&v.site.team_id),
                    episodes::cj_stage.eq(&v.cj_stage),
                    episodes::status.eq(EpisodeStatus::Waiting.code()),
                    episodes::youth.eq(youth),
                    episodes::alert_at.eq(v.alert_at),
                    episodes::reference.eq(&v.reference),
                    episodes::offence.eq(&v.offence),
                    episodes::arrest_or_listing_at.eq(v.arrest_or_listing_at),
                    episodes::referral_source.eq(&v.referral_source),
                    episodes::concern.eq(&v.concern),
                    episodes::voluntary_attendance.eq(v.voluntary_attendance),
                    episodes::location.eq(&v.location),
                    episodes::urgent.eq(v.urgent),
                    episodes::created_by.eq(&uid),
                    episodes::created_at.eq(now),
                    episodes::updated_at.eq(now),
                ))
                .execute(tx.conn)?;
            let body = format!("Identified at {}: {}", v.site.name, v.concern);
            crate::records::timeline::add(
                tx.conn,
                tx.now,
                &id,
                &uid,
                crate::records::timeline::Kind::Status,
                &body,
                None,
            )?;
            let created = Event::allowed(audit::CREATE)
                .record(crate::records::access::RECORD, &id)
                .detail(format!("person {}", person.id))
                .person(&person.id);
            tx.audit(created)?;
            if !related {
                claim_relationship(tx, review_due, (&uid, &person.id, &id))?;
            }
            Ok(id)
        })
        .await?;
    Ok(see_other(&format!("/episodes/{id}")))
}
