//! Administration of the partner directory: list (with a filter by type), add, edit.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use chrono::NaiveDate;
use maud::{Markup, html};

use super::form::{ServiceForm, ServiceValues, VERIFIED};
use super::{Filter, Service, detail};
use crate::audit::{self, Event};
use crate::domain::codes;
use crate::domain::local_time::local_date;
use crate::domain::referral::{SERVICE_TYPES, SecurityClass, security_class};
use crate::views::components::{self, Field, Tone};
use crate::views::form::Errors;
use crate::web::context::{Ctx, Tx};
use crate::web::error::AppError;
use crate::web::see_other;

const RECORD: &str = "partner-service";
const ORGANISATION_RECORD: &str = "partner-organisation";
const LIST_PATH: &str = "/admin/partners";

/// Details not checked for this many days are flagged on the list.
const STALE_AFTER_DAYS: i64 = 365;

/// The secure email domains, from configuration.
fn secure_domains(ctx: &Ctx) -> Vec<String> {
    ctx.state.config.secure_domains.clone()
}

/// The list's filter, from the query string; an unknown type shows every service.
#[derive(Debug, Default, serde::Deserialize)]
pub struct ListQuery {
    #[serde(default, rename = "type")]
    pub service_type: String,
}

pub async fn list(ctx: Ctx, query: web::Query<ListQuery>) -> Result<HttpResponse, AppError> {
    let chosen = query.into_inner().service_type;
    let known = codes::label_of(SERVICE_TYPES, &chosen).is_some();
    let filter = Filter {
        service_type: known.then(|| chosen.clone()),
        active_only: false,
    };
    let services = ctx.read(move |conn| Ok(super::services(conn, &filter)?)).await?;
    let context = ListContext {
        secure_domains: secure_domains(&ctx),
        today: local_date(ctx.now()),
    };
    let body = html! {
        h1.app-heading-l { "Partner directory" }
        p { "The services teams refer people to. Secure addresses (" (context.secure_domains.join(", ")) ") may receive the referral letter with clinical detail; standard addresses receive a notice without personal data." }
        p { a.app-button href="/admin/partners/new" { "Add a partner service" } }
        (type_filter(if known { &chosen } else { "" }))
        @if services.is_empty() { p { "There are no partner services to show." } }
        @for group in services.chunk_by(|a, b| a.organisation == b.organisation) {
            (organisation_section(group, &context))
        }
    };
    Ok(ctx.render(StatusCode::OK, &ctx.page("Partner directory"), body))
}

/// What the list needs besides the services.
struct ListContext {
    secure_domains: Vec<String>,
    today: NaiveDate,
}

fn type_filter(chosen: &str) -> Markup {
    let options = components::code_options("All types", SERVICE_TYPES);
    html! {
        form.app-filter method="get" action=(LIST_PATH) {
            (components::select("type", "Type of service", &options, chosen, &Errors::default()))
            button.app-button.app-button--secondary type="submit" { "Show" }
        }
    }
}

/// One organisation's heading and a table of its services.
fn organisation_section(services: &[Service], context: &ListContext) -> Markup {
    let Some(first) = services.first() else { return html! {} };
    let rows: Vec<Vec<Markup>> = services.iter().map(|s| service_row(s, context)).collect();
    html! {
        h2.app-heading-m { (first.organisation) }
        (components::table(
            &format!("Services of {}", first.organisation),
            &["Service", "Type", "Referral addresses", "Phone", "Last verified", "Status"],
            &rows,
        ))
    }
}

fn service_row(s: &Service, context: &ListContext) -> Vec<Markup> {
    vec![
        html! { a href={ "/admin/partners/" (s.id) } { (s.name) } },
        html! { (s.type_label()) },
        html! {
            ul.app-list {
                @for address in &s.addresses {
                    li { (address) " " (security_tag(security_class(address, &context.secure_domains))) }
                }
            }
        },
        html! { (s.phone.as_deref().unwrap_or("")) },
        verified_cell(s.last_verified.as_deref(), context.today),
        if s.active {
            components::tag("Active", Tone::Good)
        } else {
            components::tag("Inactive", Tone::Neutral)
        },
    ]
}

/// The class in words; the colour only repeats it.
fn security_tag(class: SecurityClass) -> Markup {
    match class {
        SecurityClass::Secure => components::tag(class.label(), Tone::Good),
        SecurityClass::Standard => components::tag(class.label(), Tone::Neutral),
    }
}

/// "3 March 2026", flagged when the details have not been checked for a year.
fn verified_cell(last_verified: Option<&str>, today: NaiveDate) -> Markup {
    let Some(date) = last_verified.and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()) else {
        return html! { "Not recorded" };
    };
    let stale = (today - date).num_days() > STALE_AFTER_DAYS;
    html! {
        (date.format("%-d %B %Y"))
        @if stale { " " (components::tag("Check details", Tone::Warning)) }
    }
}

/// The organisation box, with the existing organisations suggested (a datalist needs no
/// script, so it suits the strict CSP).
fn organisation_input(value: &str, names: &[String], errors: &Errors) -> Markup {
    let error = errors.get("organisation");
    html! {
        div.app-form-group.app-form-group--error[error.is_some()] {
            label.app-label for="organisation" { "Organisation" }
            div.app-hint id="organisation-hint" { "Choose an existing organisation or type the name of a new one" }
            @if let Some(e) = error {
                p.app-error-message id="organisation-error" { span.app-visually-hidden { "Error: " } (e) }
            }
            input.app-input.app-input--error[error.is_some()] type="text" id="organisation" name="organisation"
                value=(value) list="organisation-names" autocomplete="off"
                aria-describedby={ "organisation-hint" @if error.is_some() { " organisation-error" } }
                aria-invalid=[error.map(|_| "true")];
            datalist id="organisation-names" {
                @for name in names { option value=(name) {} }
            }
        }
    }
}

fn service_fields(form: &ServiceForm, organisations: &[String], secure: &[String], errors: &Errors) -> Markup {
    let types = components::code_options("Select the type of service", SERVICE_TYPES);
    let addresses_hint = format!(
        "One address per line. Addresses on {} are secure and may receive clinical detail; others receive a notice without personal data",
        secure.join(" or ")
    );
    let active: Vec<String> = form.active.iter().cloned().collect();
    html! {
        (organisation_input(&form.organisation, organisations, errors))
        (components::input(Field::text("name", "Service name", &form.name).hint("For example, Referrals and assessment"), errors))
        (components::select("service_type", "Type of service", &types, &form.service_type, errors))
        (components::textarea("addresses", "Referral email addresses", &form.addresses, Some(&addresses_hint), errors))
        (components::input(Field::text("phone", "Phone number (optional)", &form.phone).kind("tel").hint("For professionals to ring, like 020 7946 0000"), errors))
        (components::textarea("areas", "Areas covered (optional)", &form.areas, Some("For example, London Borough of Brent, ages 10 to 17"), errors))
        (components::date_input(VERIFIED, "Date details last verified (optional)", Some("When the details were last checked with the service, for example 27 3 2026"), [&form.verified_day, &form.verified_month, &form.verified_year], errors))
        (components::checkboxes("active", "Status", &[("yes".into(), "Service is taking referrals".into())], &active, errors))
    }
}

/// What the form page shows around the fields.
struct FormContext<'a> {
    service: Option<&'a Service>,
    organisations: &'a [String],
}

fn form_page(ctx: &Ctx, context: &FormContext, form: &ServiceForm, errors: &Errors) -> HttpResponse {
    let (title, action) = match context.service {
        Some(s) => (format!("Change {}", s.name), format!("/admin/partners/{}", s.id)),
        None => ("Add a partner service".to_string(), "/admin/partners/new".to_string()),
    };
    let secure = secure_domains(ctx);
    let body = html! {
        (components::error_summary(errors))
        h1.app-heading-l { (title) }
        @if let Some(s) = context.service { p.app-caption { (s.organisation) } }
        form method="post" action=(action) novalidate {
            (components::csrf_field(&ctx.user.csrf_token))
            (service_fields(form, context.organisations, &secure, errors))
            button.app-button type="submit" { "Save service" }
        }
        p { a href=(LIST_PATH) { "Back to the partner directory" } }
    };
    ctx.form_page(&title, errors, body)
}

pub async fn new_form(ctx: Ctx) -> Result<HttpResponse, AppError> {
    let organisations = ctx.read(|conn| Ok(super::organisation_names(conn)?)).await?;
    let context = FormContext {
        service: None,
        organisations: &organisations,
    };
    Ok(form_page(&ctx, &context, &ServiceForm::blank(), &Errors::default()))
}

pub async fn edit_form(ctx: Ctx, id: web::Path<String>) -> Result<HttpResponse, AppError> {
    let (service, organisations) = load(&ctx, Some(id.into_inner())).await?;
    let service = service.ok_or(AppError::NotFound)?;
    let context = FormContext {
        service: Some(&service),
        organisations: &organisations,
    };
    Ok(form_page(
        &ctx,
        &context,
        &ServiceForm::of(&service),
        &Errors::default(),
    ))
}

pub async fn create(ctx: Ctx, form: web::Form<ServiceForm>) -> Result<HttpResponse, AppError> {
    save(&ctx, None, form.into_inner()).await
}

pub async fn update(ctx: Ctx, id: web::Path<String>, form: web::Form<ServiceForm>) -> Result<HttpResponse, AppError> {
    save(&ctx, Some(id.into_inner()), form.into_inner()).await
}

/// The service being changed (404 if the id is unknown) and the organisation names.
async fn load(ctx: &Ctx, id: Option<String>) -> Result<(Option<Service>, Vec<String>), AppError> {
    ctx.read(move |conn| {
        let service = id
            .map(|id| super::find(conn, &id)?.ok_or(AppError::NotFound))
            .transpose()?;
        Ok((service, super::organisation_names(conn)?))
    })
    .await
}

/// Adds (no id) or changes (an id) a service. Nothing is saved unless every field is valid.
async fn save(ctx: &Ctx, id: Option<String>, form: ServiceForm) -> Result<HttpResponse, AppError> {
    let (service, organisations) = load(ctx, id).await?;
    let context = FormContext {
        service: service.as_ref(),
        organisations: &organisations,
    };
    let values = match form.validate(local_date(ctx.now())) {
        Ok(v) => v,
        Err(errors) => return Ok(form_page(ctx, &context, &form, &errors)),
    };
    let old = service.clone();
    let saved = ctx.write(move |tx| write(tx, old.as_ref(), &values)).await?;
    if saved.is_some() {
        return Ok(see_other(LIST_PATH));
    }
    let mut errors = Errors::default();
    errors.add("name", "This organisation already has a service with this name");
    Ok(form_page(ctx, &context, &form, &errors))
}

/// Saves and audits inside the caller's transaction; `None` when the organisation already
/// has another service of the same name.
fn write(tx: &mut Tx<'_>, old: Option<&Service>, values: &ServiceValues) -> Result<Option<String>, AppError> {
    let existing = super::organisation_by_name(tx.conn, &values.organisation)?;
    let old_id = old.map(|s| s.id.as_str());
    if let Some((org_id, _)) = &existing
        && super::service_name_taken(tx.conn, org_id, &values.name, old_id)?
    {
        return Ok(None);
    }
    // The organisation's name as stored, which may differ in letter case from what was typed.
    let values = &ServiceValues {
        organisation: existing
            .as_ref()
            .map_or(values.organisation.clone(), |(_, name)| name.clone()),
        ..values.clone()
    };
    let organisation_id = match existing {
        Some((org_id, _)) => org_id,
        None => {
            let org_id = super::create_organisation(tx.conn, tx.now, &values.organisation)?;
            let event = Event::allowed(audit::CREATE)
                .record(ORGANISATION_RECORD, &org_id)
                .detail(format!("name={}", values.organisation));
            tx.audit(event)?;
            org_id
        }
    };
    let (service_id, action, detail) = match old {
        Some(old) => {
            super::update_service(tx.conn, tx.now, &old.id, &organisation_id, values)?;
            (old.id.clone(), audit::UPDATE, detail::changes(old, values))
        }
        None => {
            let id = super::create_service(tx.conn, tx.now, &organisation_id, values)?;
            (id, audit::CREATE, detail::created(values))
        }
    };
    let event = Event::allowed(action).record(RECORD, &service_id).detail(detail);
    tx.audit(event)?;
    Ok(Some(service_id))
}
