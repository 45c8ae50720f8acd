//! Making referrals from an episode: choose services, say why and what is shared, record
//! consent for each recipient, check the answers, send. A double submit creates nothing new.

use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use maud::{Markup, html};

use super::{MailContext, Referral};
use crate::audit::{self, Event};
use crate::auth::CurrentUser;
use crate::db::schema::referrals;
use crate::db::write_tx;
use crate::domain::codes::label_of;
use crate::domain::referral::{self as rules, SecurityClass, YOUTH_ROUTES, security_class};
use crate::email::templates;
use crate::episodes::{access, timeline};
use crate::partners::{self, ServiceEntry};
use crate::state::AppState;
use crate::views::components::{self, Tone};
use crate::views::{Page, layout};
use crate::web::error::AppError;
use crate::web::form::Errors;
use crate::web::{form_status, html as respond, see_other};

/// The referral form as submitted: shared details plus consent for each chosen service.
#[derive(Debug, Default, Clone)]
pub struct ReferralForm {
    pub services: Vec<String>,
    pub reason: String,
    pub urgency: String,
    pub shared_information: String,
    /// (service id, consent, lawful basis, override reason)
    pub consent: Vec<(String, String, String, String)>,
    pub submission_key: String,
}

impl ReferralForm {
    pub fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let mut f = ReferralForm::default();
        let mut per_service = std::collections::BTreeMap::<String, (String, String, String)>::new();
        for (k, v) in pairs {
            match k.as_str() {
                "services" => f.services.push(v),
                "reason" => f.reason = v,
                "urgency" => f.urgency = v,
                "shared_information" => f.shared_information = v,
                "submission_key" => f.submission_key = v,
                _ => {
                    if let Some(id) = k.strip_prefix("consent-") {
                        per_service.entry(id.to_string()).or_default().0 = v;
                    } else if let Some(id) = k.strip_prefix("basis-") {
                        per_service.entry(id.to_string()).or_default().1 = v;
                    } else if let Some(id) = k.strip_prefix("override-") {
                        per_service.entry(id.to_string()).or_default().2 = v;
                    }
                }
            }
        }
        f.services.dedup();
        f.consent = f
            .services
            .iter()
            .map(|s| {
                let (c, b, o) = per_service.get(s).cloned().unwrap_or_default();
                (s.clone(), c, b, o)
            })
            .collect();
        f
    }

    fn consent_for(&self, service: &str) -> (&str, &str, &str) {
        self.consent
            .iter()
            .find(|(s, ..)| s == service)
            .map_or(("", "", ""), |(_, c, b, o)| (c.as_str(), b.as_str(), o.as_str()))
    }

    pub fn validate(&self, services: &[ServiceEntry]) -> Errors {
        let mut errors = Errors::default();
        if self.services.is_empty() || self.services.iter().any(|s| !services.iter().any(|e| &e.id == s)) {
            errors.add("services", "Select at least one service from the directory");
        }
        let reason = self.reason.trim();
        if reason.is_empty() {
            errors.add("reason", "Enter the reason for the referral");
        } else if reason.chars().count() > 2000 {
            errors.add("reason", "Reason must be 2000 characters or fewer");
        }
        if label_of(rules::URGENCY, &self.urgency).is_none() {
            errors.add("urgency", "Select how urgent the referral is");
        }
        let shared = self.shared_information.trim();
        if shared.is_empty() {
            errors.add(
                "shared_information",
                "Enter the needs and risks you will share – the minimum the service needs",
            );
        } else if shared.chars().count() > 4000 {
            errors.add("shared_information", "What is shared must be 4000 characters or fewer");
        }
        for (service, consent, basis, over) in &self.consent {
            let name = services
                .iter()
                .find(|e| &e.id == service)
                .map_or("this service", |e| e.name.as_str());
            let field = format!("consent-{service}");
            match consent.as_str() {
                "given" => {}
                "not-required" if label_of(rules::LAWFUL_BASES, basis).is_some() => {}
                "not-required" => errors.add(format!("basis-{service}"), format!("Select the lawful basis for sharing with {name} without consent")),
                "declined" if !over.trim().is_empty() => {}
                "declined" => errors.add(
                    format!("override-{service}"),
                    format!("Consent was declined: record why the referral to {name} must still be made, or remove the service"),
                ),
                _ => errors.add(field, format!("Select whether the person consented to the referral to {name}")),
            }
        }
        errors
    }
}

/// Services with youth routes first for under-18s, then by organisation and name.
fn ordered(mut services: Vec<ServiceEntry>, youth: bool) -> Vec<ServiceEntry> {
    services.sort_by_key(|s| {
        (
            !(youth && YOUTH_ROUTES.contains(&s.service_type.as_str())),
            s.organisation.clone(),
            s.name.clone(),
        )
    });
    services
}

fn service_label(s: &ServiceEntry) -> String {
    let kind = label_of(rules::SERVICE_TYPES, &s.service_type).unwrap_or("Other");
    format!("{} – {} ({kind})", s.organisation, s.name)
}

fn class_tags(s: &ServiceEntry, secure: &[String]) -> Markup {
    html! {
        @for a in &s.addresses {
            @let class = security_class(a, secure);
            (components::tag(class.label(), if class == SecurityClass::Secure { Tone::Good } else { Tone::Neutral }))
            " " span.app-hint { (a) } br;
        }
    }
}

fn caption(person: &crate::people::Person) -> Markup {
    html! { span.app-caption { (person.list_name()) ", born " (person.dob_display()) } }
}

struct Ctx<'a> {
    state: &'a AppState,
    user: &'a CurrentUser,
    episode_id: &'a str,
    person: &'a crate::people::Person,
    services: &'a [ServiceEntry],
}

fn respond_page(ctx: &Ctx<'_>, title: &str, body: Markup, errors: &Errors) -> HttpResponse {
    let page = Page::signed_in(title, ctx.user, ctx.state.demo).with_errors(!errors.is_empty());
    respond(form_status(errors), layout::render(&page, body))
}

/// Step 1: choose the services (a GET form, so it works without JavaScript).
fn choose_page(ctx: &Ctx<'_>, youth: bool, errors: &Errors) -> HttpResponse {
    let secure = &ctx.state.config.secure_domains;
    let body = html! {
        (components::error_summary(errors))
        (caption(ctx.person))
        h1.app-heading-l { "Make a referral" }
        @if youth { p { (components::tag("Under 18", Tone::Warning)) " Youth offending team, CAMHS and children's safeguarding are listed first." } }
        form method="get" action={ "/episodes/" (ctx.episode_id) "/referrals/new" } novalidate {
            div.app-form-group.app-form-group--error[errors.get("services").is_some()] {
                fieldset.app-fieldset #services {
                    legend.app-fieldset__legend { "Which services are you referring to?" }
                    @if let Some(e) = errors.get("services") { p.app-error-message { span.app-visually-hidden { "Error: " } (e) } }
                    @for (i, s) in ctx.services.iter().enumerate() {
                        div.app-checkbox {
                            input type="checkbox" id={ "services-" (i) } name="services" value=(s.id);
                            label for={ "services-" (i) } { (service_label(s)) br; (class_tags(s, secure)) }
                        }
                    }
                }
            }
            button.app-button type="submit" { "Continue" }
        }
    };
    respond_page(ctx, "Make a referral", body, errors)
}

/// Step 2: the details and consent for each chosen service.
fn details_page(ctx: &Ctx<'_>, form: &ReferralForm, errors: &Errors) -> HttpResponse {
    let chosen: Vec<&ServiceEntry> = form
        .services
        .iter()
        .filter_map(|id| ctx.services.iter().find(|s| &s.id == id))
        .collect();
    let body = html! {
        (components::error_summary(errors))
        (caption(ctx.person))
        h1.app-heading-l { "Referral details and consent" }
        form method="post" action={ "/episodes/" (ctx.episode_id) "/referrals/check" } novalidate {
            (components::csrf_field(&ctx.user.csrf_token))
            input type="hidden" name="submission_key" value=(form.submission_key);
            @for s in &chosen { input type="hidden" name="services" value=(s.id); }
            (components::textarea("reason", "Reason for the referral", &form.reason, None, errors))
            (components::radios("urgency", "How urgent is it?", rules::URGENCY, &form.urgency, errors))
            (components::textarea("shared_information", "Needs and risks you will share", &form.shared_information,
                Some("Only what the service needs. Secure addresses receive this; others get a notice with no personal information"), errors))
            @for s in &chosen {
                @let (consent, basis, over) = form.consent_for(&s.id);
                div.app-card {
                    h2.app-heading-s { (service_label(s)) }
                    (components::radios(&format!("consent-{}", s.id), "Consent to this referral", rules::CONSENT, consent, errors))
                    (components::select(&format!("basis-{}", s.id), "Lawful basis, if consent is not required", &components::code_options("Select a lawful basis", rules::LAWFUL_BASES), basis, errors))
                    (components::textarea_named(&format!("override-{}", s.id), "If consent was declined: why the referral must still be made", over, errors))
                }
            }
            button.app-button type="submit" { "Continue" }
        }
    };
    respond_page(ctx, "Referral details and consent", body, errors)
}

/// Hidden copies of every answer, so the check-answers page can send or go back.
fn carried(form: &ReferralForm) -> Markup {
    html! {
        input type="hidden" name="submission_key" value=(form.submission_key);
        input type="hidden" name="reason" value=(form.reason);
        input type="hidden" name="urgency" value=(form.urgency);
        input type="hidden" name="shared_information" value=(form.shared_information);
        @for (s, c, b, o) in &form.consent {
            input type="hidden" name="services" value=(s);
            input type="hidden" name={ "consent-" (s) } value=(c);
            input type="hidden" name={ "basis-" (s) } value=(b);
            input type="hidden" name={ "override-" (s) } value=(o);
        }
    }
}

/// Step 3: check answers, then send or change.
fn check_page(ctx: &Ctx<'_>, form: &ReferralForm) -> HttpResponse {
    let secure = &ctx.state.config.secure_domains;
    let base = format!("/episodes/{}/referrals", ctx.episode_id);
    let body = html! {
        (caption(ctx.person))
        h1.app-heading-l { "Check your referral before sending" }
        (components::summary_list(&[
            ("Reason", html! { (form.reason) }),
            ("Urgency", html! { (label_of(rules::URGENCY, &form.urgency).unwrap_or("")) }),
            ("Shared with secure addresses", html! { (form.shared_information) }),
        ]))
        @for (service, consent, basis, over) in &form.consent {
            @if let Some(s) = ctx.services.iter().find(|e| &e.id == service) {
                h2.app-heading-s { (service_label(s)) }
                (components::summary_list(&[
                    ("Consent", html! {
                        (label_of(rules::CONSENT, consent).unwrap_or(""))
                        @if consent == "not-required" { " – " (label_of(rules::LAWFUL_BASES, basis).unwrap_or("")) }
                        @if consent == "declined" { " – shared because: " (over) }
                    }),
                    ("Sent to", class_tags(s, secure)),
                ]))
            }
        }
        form method="post" action=(base) {
            (components::csrf_field(&ctx.user.csrf_token))
            (carried(form))
            button.app-button type="submit" { "Send referral" }
        }
        form method="post" action={ (base) "/edit" } {
            (components::csrf_field(&ctx.user.csrf_token))
            (carried(form))
            button.app-button.app-button--secondary type="submit" { "Change the details" }
        }
    };
    respond_page(ctx, "Check your referral before sending", body, &Errors::default())
}

async fn load(
    state: &AppState,
    user: &CurrentUser,
    id: String,
) -> Result<(crate::episodes::Episode, crate::people::Person, Vec<ServiceEntry>), AppError> {
    let (ep, person) = access::load(state, user, id, Some("referral form")).await?;
    let services = state.db(|conn| Ok(partners::active_services(conn)?)).await?;
    let youth = ep.youth;
    Ok((ep, person, ordered(services, youth)))
}

pub async fn new(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<String>,
    query: web::Query<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let (ep, person, services) = load(&state, &user, id.into_inner()).await?;
    let chosen: Vec<String> = query
        .into_inner()
        .into_iter()
        .filter(|(k, _)| k == "services")
        .map(|(_, v)| v)
        .collect();
    let ctx = Ctx {
        state: &state,
        user: &user,
        episode_id: &ep.id,
        person: &person,
        services: &services,
    };
    if chosen.is_empty() {
        return Ok(choose_page(&ctx, ep.youth, &Errors::default()));
    }
    if chosen.iter().any(|c| !services.iter().any(|s| &s.id == c)) {
        let mut errors = Errors::default();
        errors.add("services", "Select at least one service from the directory");
        return Ok(choose_page(&ctx, ep.youth, &errors));
    }
    let form = ReferralForm {
        consent: chosen
            .iter()
            .map(|s| (s.clone(), String::new(), String::new(), String::new()))
            .collect(),
        services: chosen,
        submission_key: crate::auth::session::random_token(),
        ..ReferralForm::default()
    };
    Ok(details_page(&ctx, &form, &Errors::default()))
}

pub async fn check(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<String>,
    body: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let (ep, person, services) = load(&state, &user, id.into_inner()).await?;
    let form = ReferralForm::from_pairs(body.into_inner());
    let ctx = Ctx {
        state: &state,
        user: &user,
        episode_id: &ep.id,
        person: &person,
        services: &services,
    };
    let errors = form.validate(&services);
    if !errors.is_empty() {
        return Ok(details_page(&ctx, &form, &errors));
    }
    Ok(check_page(&ctx, &form))
}

pub async fn edit(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<String>,
    body: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let (ep, person, services) = load(&state, &user, id.into_inner()).await?;
    let form = ReferralForm::from_pairs(body.into_inner());
    let ctx = Ctx {
        state: &state,
        user: &user,
        episode_id: &ep.id,
        person: &person,
        services: &services,
    };
    Ok(details_page(&ctx, &form, &Errors::default()))
}

pub async fn send(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<String>,
    body: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let (ep, person, services) = load(&state, &user, id.into_inner()).await?;
    let form = ReferralForm::from_pairs(body.into_inner());
    let errors = form.validate(&services);
    if !errors.is_empty() || form.submission_key.len() < 32 {
        let ctx = Ctx {
            state: &state,
            user: &user,
            episode_id: &ep.id,
            person: &person,
            services: &services,
        };
        return Ok(details_page(&ctx, &form, &errors));
    }
    if !ep.status().is_open() {
        return Err(AppError::Refused(
            "This episode is closed. Reopen it before making a referral".into(),
        ));
    }
    let (now, actor, uid) = (state.now(), user.actor(), user.id.clone());
    let config = state.config.clone();
    let team = user.team_names();
    let practitioner = user.display_name.clone();
    let phone = state
        .db({
            let uid = uid.clone();
            move |conn| Ok(crate::shifts::current(conn, &uid)?.map(|(s, _)| s.contact_phone))
        })
        .await?
        .unwrap_or_else(|| "the number on your referral letter".to_string());
    let eid = ep.id.clone();
    state
        .db(move |conn| {
            write_tx(conn, |conn| -> Result<(), AppError> {
                let person_name = person.full_name();
                let dob = person.dob_display();
                let nhs = person.nhs_display();
                let mail = MailContext {
                    team: &team,
                    practitioner: &practitioner,
                    contact_phone: &phone,
                    person: templates::Person {
                        name: &person_name,
                        date_of_birth: &dob,
                        nhs_number: nhs.as_deref(),
                    },
                };
                for (service_id, consent, basis, over) in &form.consent {
                    // The same submission for the same service: already made, nothing to do.
                    let existing: Option<String> = referrals::table
                        .filter(referrals::submission_key.eq(&form.submission_key))
                        .filter(referrals::service_id.eq(service_id))
                        .select(referrals::id)
                        .first(conn)
                        .optional()?;
                    if existing.is_some() {
                        continue;
                    }
                    let Some(service) = services.iter().find(|s| &s.id == service_id) else {
                        continue;
                    };
                    let r = insert(conn, now, &eid, &uid, &form, service_id, consent, basis, over)?;
                    super::queue_messages(conn, now, &config, &r, service, &mail, false)?;
                    let note = format!(
                        "Referral {} to {} – {}",
                        r.reference,
                        service_label(service),
                        label_of(rules::CONSENT, consent).unwrap_or(consent)
                    );
                    timeline::add(conn, now, &eid, &uid, timeline::Kind::Note, &note, None)?;
                    audit::record(
                        conn,
                        now,
                        &actor,
                        Event::allowed(audit::CREATE).record("referral", &r.id).detail(format!(
                            "episode {eid}; consent {consent}; {} messages queued",
                            service.addresses.len()
                        )),
                    )?;
                    audit::record(
                        conn,
                        now,
                        &actor,
                        Event::allowed("email")
                            .record("referral", &r.id)
                            .detail(format!("{} queued", service.addresses.len())),
                    )?;
                }
                Ok(())
            })
        })
        .await?;
    state.outbox.wake();
    Ok(see_other(&format!("/episodes/{}#referrals", ep.id)))
}

#[allow(clippy::too_many_arguments)]
fn insert(
    conn: &mut crate::db::DbConnection,
    now: i64,
    episode_id: &str,
    user_id: &str,
    form: &ReferralForm,
    service_id: &str,
    consent: &str,
    basis: &str,
    over: &str,
) -> QueryResult<Referral> {
    let id = crate::auth::accounts::new_id();
    let optional = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
    diesel::insert_into(referrals::table)
        .values((
            referrals::id.eq(&id),
            referrals::episode_id.eq(episode_id),
            referrals::service_id.eq(Some(service_id)),
            referrals::kind.eq("partner"),
            referrals::reason.eq(form.reason.trim()),
            referrals::urgency.eq(&form.urgency),
            referrals::shared_information.eq(form.shared_information.trim()),
            referrals::consent.eq(consent),
            referrals::lawful_basis.eq(if consent == "not-required" {
                optional(basis)
            } else {
                None
            }),
            referrals::consent_override.eq(if consent == "declined" { optional(over) } else { None }),
            referrals::status.eq("queued"),
            referrals::submission_key.eq(&form.submission_key),
            referrals::reference.eq(super::new_reference()),
            referrals::created_by.eq(user_id),
            referrals::created_at.eq(now),
            referrals::updated_at.eq(now),
        ))
        .execute(conn)?;
    referrals::table.find(&id).select(Referral::as_select()).first(conn)
}
