//! GET /mhtr/cases/{id}/negotiation: the negotiation of a treatment pathway – contacts with
//! secondary care teams, the consultant clinical psychologist's reviews, and the outcome –
//! with a form for each while the case is at negotiation.

pub mod awaited;
pub mod contact;
pub mod outcome;
pub mod review;

use actix_web::{HttpResponse, web};
use maud::{Markup, html};

use super::store::{self, Contact, Review};
use super::{MhtrCase, heading, render};
use crate::audit;
use crate::domain::codes::label_of;
use crate::domain::local_time;
use crate::domain::mhtr::{CONTACT_METHODS, MhtrStatus, NEGOTIATION_OUTCOMES, TREATMENT_TYPES};
use crate::mhtr::case;
use crate::partners::{self, ServiceEntry};
use crate::records::Person;
use crate::views::components;
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::error::AppError;

const TITLE: &str = "Secondary care negotiation";

pub use crate::domain::mhtr::REVIEW_DECISIONS;

/// What the page lists and the forms choose from.
pub struct Data {
    pub contacts: Vec<Contact>,
    pub reviews: Vec<Review>,
    /// Who has recorded that the review is awaited, newest first.
    pub requests: Vec<store::ReviewRequest>,
    /// Active partner services, community mental health and crisis teams first.
    pub services: Vec<ServiceEntry>,
    /// The team's consultant clinical psychologists, as (user id, name).
    pub psychologists: Vec<(String, String)>,
}

/// The three forms as typed: one was submitted, the others start empty.
#[derive(Default)]
pub struct Forms {
    pub contact: contact::ContactForm,
    pub review: review::ReviewForm,
    pub awaited: awaited::AwaitedForm,
    pub outcome: outcome::OutcomeForm,
}

/// Where a service type sorts: the teams an MHTR is usually agreed with first.
fn type_rank(service_type: &str) -> usize {
    const FIRST: [&str; 2] = ["cmht", "crisis"];
    FIRST.iter().position(|t| *t == service_type).unwrap_or_else(|| {
        let others = crate::domain::referral::SERVICE_TYPES;
        FIRST.len()
            + others
                .iter()
                .position(|(code, _)| *code == service_type)
                .unwrap_or(others.len())
    })
}

async fn load_data(ctx: &Ctx, c: &MhtrCase) -> Result<Data, AppError> {
    let (case_id, team_id) = (c.id.clone(), c.team_id.clone());
    ctx.read(move |conn| {
        let mut services = partners::active_services(conn)?;
        // Stable, so each group keeps the directory's organisation-then-name order.
        services.sort_by_key(|s| type_rank(&s.service_type));
        Ok(Data {
            contacts: store::contacts(conn, &case_id)?,
            reviews: store::reviews(conn, &case_id)?,
            requests: store::review_requests(conn, &case_id)?,
            services,
            psychologists: store::psychologists(conn, &team_id)?,
        })
    })
    .await
}

pub async fn show(ctx: Ctx, id: web::Path<String>) -> Result<HttpResponse, AppError> {
    let view = (audit::VIEW, Some("MHTR secondary care negotiation"));
    let (c, person) = case::load(&ctx, id.into_inner().into(), view).await?;
    let data = load_data(&ctx, &c).await?;
    Ok(page(&ctx, (&c, &person), &data, &Forms::default(), &Errors::default()))
}

/// Refuses a contact or review once the case has left negotiation, or before it gets there.
fn require_negotiation(c: &MhtrCase) -> Result<(), AppError> {
    if c.status() == MhtrStatus::Negotiation {
        return Ok(());
    }
    Err(AppError::Refused(format!(
        "Contacts and reviews can be added only at secondary care negotiation; this case is at “{}”",
        c.status().label().to_lowercase()
    )))
}

pub fn page(ctx: &Ctx, (c, person): (&MhtrCase, &Person), data: &Data, forms: &Forms, errors: &Errors) -> HttpResponse {
    let open = c.status() == MhtrStatus::Negotiation;
    let csrf = &ctx.user.csrf_token;
    let body = html! {
        (heading(c, person, TITLE))
        (components::summary_list(&[
            ("Proposed treatment", proposed_treatment(c)),
            ("Outcome", html! {
                @match c.negotiation_outcome.as_deref() {
                    Some(o) => (label_of(NEGOTIATION_OUTCOMES, o).unwrap_or(o)),
                    None => "Not recorded yet",
                }
            }),
        ]))
        @if !open {
            p { "Contacts, reviews and the outcome can be recorded only while the case is at secondary care negotiation. This case is at “" (c.status().label().to_lowercase()) "”." }
        }
        h2.app-heading-m { "Contacts with secondary care" }
        @if data.contacts.is_empty() { p { "No contacts recorded yet." } } @else { (contacts_table(&data.contacts)) }
        @if open { (contact::form(c, csrf, &data.services, &forms.contact, errors)) }
        h2.app-heading-m { "Consultant clinical psychologist's review" }
        @if data.reviews.is_empty() { p { "No review recorded yet: the review is awaited." } } @else { (reviews_table(&data.reviews)) }
        (awaited::requests(&data.requests))
        @if open {
            (review::form(c, &ctx.user, &data.psychologists, &forms.review, errors))
            (awaited::form(c, &ctx.user, &data.psychologists, &forms.awaited, errors))
        }
        @if open {
            h2.app-heading-m { "Outcome" }
            (outcome::form(c, csrf, &forms.outcome, errors))
        }
    };
    render(ctx, (TITLE, person), errors, body)
}

/// "Psychological therapy – primary care, 12 sessions, Islington CMHT".
pub fn proposed_treatment(c: &MhtrCase) -> Markup {
    let Some(kind) = c.treatment_type.as_deref() else {
        return html! { "Not recorded yet" };
    };
    html! {
        (label_of(TREATMENT_TYPES, kind).unwrap_or(kind))
        @if let Some(n) = c.planned_sessions { ", " (n) @if n == 1 { " session" } @else { " sessions" } }
        @if let Some(team) = &c.treating_team { ", " (team) }
    }
}

fn contacts_table(contacts: &[Contact]) -> Markup {
    let rows: Vec<Vec<Markup>> = contacts
        .iter()
        .map(|k| {
            vec![
                html! { (local_time::day(k.contacted_on)) },
                html! { (k.organisation) " – " (k.service) },
                html! { (k.clinician) },
                html! { (label_of(CONTACT_METHODS, &k.method).unwrap_or(&k.method)) },
                html! { span.app-pre-wrap { (k.agreed) } },
                html! { (k.recorded_by) },
            ]
        })
        .collect();
    components::table(
        "Contacts, newest first",
        &["Date", "Team", "Clinician", "How", "What was agreed", "Recorded by"],
        &rows,
    )
}

pub fn review_decision(code: &str) -> &str {
    label_of(REVIEW_DECISIONS, code).unwrap_or(code)
}

fn reviews_table(reviews: &[Review]) -> Markup {
    let rows: Vec<Vec<Markup>> = reviews
        .iter()
        .map(|r| {
            vec![
                html! { (local_time::day(r.reviewed_on)) },
                html! { (r.reviewer) },
                html! { (review_decision(&r.decision)) },
                html! { span.app-pre-wrap { (r.notes.as_deref().unwrap_or("")) } },
                html! { (r.recorded_by) },
            ]
        })
        .collect();
    components::table(
        "Reviews, newest first: the newest counts",
        &["Date", "Reviewer", "Decision", "Notes", "Recorded by"],
        &rows,
    )
}
