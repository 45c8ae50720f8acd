//! The three steps as pages: choose services, details and consent, check answers.

use actix_web::HttpResponse;
use maud::{Markup, html};

use super::input::ReferralForm;
use crate::domain::codes::label_of;
use crate::domain::referral::{self as rules, SecurityClass, security_class};
use crate::partners::ServiceEntry;
use crate::views::components::{self, Tone};
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::form_status;

pub(super) fn service_label(s: &ServiceEntry) -> String {
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

fn caption(person: &crate::records::Person) -> Markup {
    html! { span.app-caption { (person.list_name()) ", born " (person.dob_display()) } }
}

/// What each step's page shows besides the form: the request, the episode, the person and
/// the services.
pub(super) struct Step<'a> {
    pub(super) ctx: &'a Ctx,
    pub(super) episode_id: &'a str,
    pub(super) person: &'a crate::records::Person,
    pub(super) services: &'a [ServiceEntry],
}

impl<'a> Step<'a> {
    pub(super) fn new(
        ctx: &'a Ctx,
        ep: &'a crate::records::Episode,
        person: &'a crate::records::Person,
        services: &'a [ServiceEntry],
    ) -> Self {
        Step {
            ctx,
            episode_id: &ep.id,
            person,
            services,
        }
    }
}

fn respond_page(step: &Step<'_>, title: &str, body: Markup, errors: &Errors) -> HttpResponse {
    let page = step.ctx.page(title).with_errors(!errors.is_empty());
    step.ctx.render(form_status(errors), &page, body)
}

/// Step 1: choose the services (a GET form, so it works without JavaScript).
pub(super) fn choose_page(step: &Step<'_>, youth: bool, errors: &Errors) -> HttpResponse {
    let secure = &step.ctx.state.config.secure_domains;
    let body = html! {
        (components::error_summary(errors))
        (caption(step.person))
        h1.app-heading-l { "Make a referral" }
        @if youth { p { (components::tag("Under 18", Tone::Warning)) " Youth offending team, CAMHS and children's safeguarding are listed first." } }
        form method="get" action={ "/episodes/" (step.episode_id) "/referrals/new" } novalidate {
            // Tells a submit with nothing ticked from a first visit.
            input type="hidden" name="step" value="choose";
            div.app-form-group.app-form-group--error[errors.get("services").is_some()] {
                fieldset.app-fieldset #services {
                    legend.app-fieldset__legend { "Which services are you referring to?" }
                    @if let Some(e) = errors.get("services") { p.app-error-message { span.app-visually-hidden { "Error: " } (e) } }
                    @for (i, s) in step.services.iter().enumerate() {
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
    respond_page(step, "Make a referral", body, errors)
}

/// Step 2: the details and consent for each chosen service.
pub(super) fn details_page(step: &Step<'_>, form: &ReferralForm, errors: &Errors) -> HttpResponse {
    let chosen: Vec<&ServiceEntry> = form
        .services
        .iter()
        .filter_map(|id| step.services.iter().find(|s| &s.id == id))
        .collect();
    let body = html! {
        (components::error_summary(errors))
        (caption(step.person))
        h1.app-heading-l { "Referral details and consent" }
        form method="post" action={ "/episodes/" (step.episode_id) "/referrals/check" } novalidate {
            (components::csrf_field(&step.ctx.user.csrf_token))
            input type="hidden" name="submission_key" value=(form.submission_key);
            @for s in &chosen { input type="hidden" name="services" value=(s.id); }
            (components::textarea("reason", "Reason for the referral", &form.reason, None, errors))
            (components::radios("urgency", "How urgent is it?", rules::URGENCY, &form.urgency, errors))
            (components::textarea("shared_information", "Needs and risks you will share", &form.shared_information,
                Some("Only what the service needs. Secure addresses receive this; others get a notice with no personal information"), errors))
            @for s in &chosen {
                @let c = form.consent_for(&s.id);
                @let (consent, basis, over) = (c.consent.as_str(), c.basis.as_str(), c.over.as_str());
                div.app-card {
                    h2.app-heading-s { (service_label(s)) }
                    (components::radios(&format!("consent-{}", s.id), "Consent to this referral", rules::CONSENT, consent, errors))
                    @let consent_field = format!("consent-{}", s.id);
                    (components::shown_when(&consent_field, "not-required", components::select(&format!("basis-{}", s.id), "Lawful basis, if consent is not required", &components::code_options("Select a lawful basis", rules::LAWFUL_BASES), basis, errors)))
                    (components::shown_when(&consent_field, "declined", components::textarea_named(&format!("override-{}", s.id), "If consent was declined: why the referral must still be made", over, errors)))
                    (components::textarea_named(&format!("consulted-{}", s.id), "Senior clinician consulted, if you share without consent in the public interest or to protect life", &c.consulted, errors))
                }
            }
            button.app-button type="submit" { "Continue" }
        }
    };
    respond_page(step, "Referral details and consent", body, errors)
}

/// Hidden copies of every answer, so the check-answers page can send or go back.
fn carried(form: &ReferralForm) -> Markup {
    html! {
        input type="hidden" name="submission_key" value=(form.submission_key);
        input type="hidden" name="reason" value=(form.reason);
        input type="hidden" name="urgency" value=(form.urgency);
        input type="hidden" name="shared_information" value=(form.shared_information);
        @for c in &form.consent {
            @let s = &c.service;
            input type="hidden" name="services" value=(s);
            input type="hidden" name={ "consent-" (s) } value=(c.consent);
            input type="hidden" name={ "basis-" (s) } value=(c.basis);
            input type="hidden" name={ "override-" (s) } value=(c.over);
            input type="hidden" name={ "consulted-" (s) } value=(c.consulted);
        }
    }
}

/// Step 3: check answers, then send or change.
pub(super) fn check_page(step: &Step<'_>, form: &ReferralForm) -> HttpResponse {
    let secure = &step.ctx.state.config.secure_domains;
    let base = format!("/episodes/{}/referrals", step.episode_id);
    let body = html! {
        (caption(step.person))
        h1.app-heading-l { "Check your referral before sending" }
        (components::summary_list(&[
            ("Reason", html! { (form.reason) }),
            ("Urgency", html! { (label_of(rules::URGENCY, &form.urgency).unwrap_or("")) }),
            ("Shared with secure addresses", html! { (form.shared_information) }),
        ]))
        @for c in &form.consent {
            @let (consent, basis, over) = (&c.consent, &c.basis, &c.over);
            @if let Some(s) = step.services.iter().find(|e| e.id == c.service) {
                h2.app-heading-s { (service_label(s)) }
                (components::summary_list(&[
                    ("Consent", html! {
                        (label_of(rules::CONSENT, consent).unwrap_or(""))
                        @if consent == "not-required" { " – " (label_of(rules::LAWFUL_BASES, basis).unwrap_or("")) }
                        @if consent == "declined" { " – shared because: " (over) }
                        @if c.needs_consultation() { br; "Consulted: " (c.consulted) }
                    }),
                    ("Sent to", class_tags(s, secure)),
                ]))
            }
        }
        form method="post" action=(base) {
            (components::csrf_field(&step.ctx.user.csrf_token))
            (carried(form))
            button.app-button type="submit" { "Send referral" }
        }
        form method="post" action={ (base) "/edit" } {
            (components::csrf_field(&step.ctx.user.csrf_token))
            (carried(form))
            button.app-button.app-button--secondary type="submit" { "Change the details" }
        }
    };
    respond_page(step, "Check your referral before sending", body, &Errors::default())
}
