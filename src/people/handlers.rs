//! Finding and adding people.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::{Markup, html};

use super::form::{self, PersonForm};
use super::search::{self, Match, SearchForm};
use crate::access::{self, Intent, Subject};
use crate::audit::{self, Event};
use crate::domain::local_time;
use crate::views::components::{self, Field};
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::{form_status, see_other};

fn search_fields(form: &SearchForm, errors: &Errors) -> Markup {
    html! {
        (components::input(Field::text("nhs_number", "NHS number", &form.nhs_number).hint("10 digits"), errors))
        (components::input(Field::text("pnc_id", "PNC ID", &form.pnc_id).hint("Like 2002/0073319Z"), errors))
        p.app-hint { "Or search by name and date of birth:" }
        (components::input(Field::text("given_name", "First name", &form.given_name).autocomplete("off"), errors))
        (components::input(Field::text("family_name", "Last name", &form.family_name).autocomplete("off"), errors))
        (components::date_input("dob", "Date of birth", None, [&form.dob_day, &form.dob_month, &form.dob_year], errors))
    }
}

fn new_person_link(form: &SearchForm) -> String {
    let query = serde_urlencoded::to_string([
        ("given_name", form.given_name.trim()),
        ("family_name", form.family_name.trim()),
        ("dob-day", form.dob_day.trim()),
        ("dob-month", form.dob_month.trim()),
        ("dob-year", form.dob_year.trim()),
        ("nhs_number", form.nhs_number.trim()),
        ("pnc_id", form.pnc_id.trim()),
    ])
    .unwrap_or_default();
    format!("/people/new?{query}")
}

/// A search match and whether the user may see the person's details.
pub(super) struct Shown {
    pub(super) found: Match,
    pub(super) open: bool,
}

/// A person the user's teams do not work with: their existence and why they matched, no
/// details; recording a contact claims the relationship, break-glass opens the record.
fn known_elsewhere(m: &Match) -> Markup {
    html! {
        div.app-card {
            h3.app-heading-s { "Known to another team" }
            p { "A person matching these details is recorded by another team. Their details are not shown because your teams have no relationship with them." }
            (components::summary_list(&[
                ("Why it may be them", html! { ul.app-list { @for r in &m.reasons { li { (r) } } } }),
            ]))
            a.app-button href={ "/episodes/new?person=" (m.person.id) } { "Record a new contact for this person" }
            " "
            a.app-button.app-button--secondary href={ "/people/" (m.person.id) "/break-glass" } { "Break the glass to read their record" }
        }
    }
}

fn results(form: &SearchForm, shown: &[Shown]) -> Markup {
    html! {
        h2.app-heading-m #results { (shown.len()) " possible " (if shown.len() == 1 { "match" } else { "matches" }) }
        @if shown.is_empty() {
            p { "No one with these details is recorded." }
        }
        (matched_cards(shown))
        p { a.app-button.app-button--secondary href=(new_person_link(form)) { "None of these – add a new person" } }
    }
}

fn matched_cards(shown: &[Shown]) -> Markup {
    html! {
        @for Shown { found: m, open } in shown {
            @if !open { (known_elsewhere(m)) } @else {
            div.app-card {
                h3.app-heading-s { (m.person.list_name()) }
                (components::summary_list(&[
                    ("Date of birth", html! { (m.person.dob_display()) }),
                    ("NHS number", html! { (m.person.nhs_display().unwrap_or_else(|| "Not recorded".into())) }),
                    ("PNC ID", html! { (m.person.pnc_id.clone().unwrap_or_else(|| "Not recorded".into())) }),
                    ("Why it may be them", html! { ul.app-list { @for r in &m.reasons { li { (r) } } } }),
                ]))
                a.app-button href={ "/episodes/new?person=" (m.person.id) } { "Record a new contact for " (m.person.full_name()) }
            }
            }
        }
    }
}

/// The audit row names every person a search showed, and whether their details were shown.
fn search_detail(shown: &[Shown]) -> String {
    let ids: Vec<String> = shown
        .iter()
        .map(|s| {
            let how = if s.open { "details" } else { "known elsewhere" };
            format!("{} ({how})", s.found.person.id)
        })
        .collect();
    format!("{} matches: {}", shown.len(), ids.join(", "))
}

/// The people matching `criteria` that `keep` keeps, each with whether the user's teams may
/// see their details; the search is audited with everyone it showed.
pub(super) async fn shown_matches(
    ctx: &Ctx,
    criteria: search::Criteria,
    keep: fn(&Match) -> bool,
) -> Result<Vec<Shown>, AppError> {
    let viewer = ctx.user.viewer();
    let found = ctx
        .read(move |conn| {
            let mut shown = Vec::new();
            for found in search::find_matches(conn, &criteria)?.into_iter().filter(keep) {
                let subject = Subject::Person(found.person.id.clone());
                let open = access::decide(conn, &viewer, &subject, Intent::Read("search result"))?.is_ok();
                shown.push(Shown { found, open });
            }
            Ok(shown)
        })
        .await?;
    let event = Event::allowed(audit::SEARCH)
        .record("person-search", "-")
        .detail(search_detail(&found));
    ctx.audit(event).await?;
    Ok(found)
}

pub async fn search_page(ctx: Ctx, query: web::Query<SearchForm>) -> Result<HttpResponse, AppError> {
    let form = query.into_inner();
    let today = local_time::local_date(ctx.now());
    let mut errors = Errors::default();
    let mut matches = None;
    if !form.is_empty() {
        match form.criteria(today) {
            Err(e) => errors = e,
            Ok(criteria) => {
                matches = Some(shown_matches(&ctx, criteria, |_| true).await?);
            }
        }
    }
    let body = html! {
        (components::error_summary(&errors))
        h1.app-heading-l { "Find a person" }
        p { "Search before adding someone, so the same person is not recorded twice." }
        form method="get" action="/people/search" novalidate {
            (search_fields(&form, &errors))
            button.app-button type="submit" { "Search" }
        }
        @if let Some(m) = &matches { (results(&form, m)) }
    };
    let page = ctx.page("Find a person").with_errors(!errors.is_empty());
    Ok(ctx.render(form_status(&errors), &page, body))
}

fn new_page(ctx: &Ctx, form: &PersonForm, errors: &Errors) -> HttpResponse {
    let page = ctx.page("Add a new person").with_errors(!errors.is_empty());
    ctx.render(form_status(errors), &page, new_body(ctx, form, errors, &[]))
}

fn new_body(ctx: &Ctx, form: &PersonForm, errors: &Errors, same: &[Shown]) -> Markup {
    html! {
        (components::error_summary(errors))
        h1.app-heading-l { "Add a new person" }
        @if !same.is_empty() {
            div.app-panel #already-recorded {
                h2.app-heading-m { "Someone with this name and date of birth is already recorded" }
                p { "Check whether this is the same person before adding another record: two records for one person split their history." }
                (matched_cards(same))
            }
        }
        form method="post" action="/people/new" novalidate {
            (components::csrf_field(&ctx.user.csrf_token))
            (form::fields(form, errors))
            @if same.is_empty() {
                button.app-button type="submit" { "Save and continue" }
            } @else {
                input type="hidden" name="confirm_new" value="yes";
                button.app-button.app-button--secondary type="submit" { "This is a different person – add them" }
            }
        }
        p { a href="/people/search" { "Back to search" } }
    }
}

/// Without an NHS number, someone already recorded with the same name and date of birth is
/// shown first; the practitioner then adds a new person only by saying it is someone else.
async fn same_name_and_birth(
    ctx: &Ctx,
    form: &PersonForm,
    values: &super::PersonValues,
) -> Result<Vec<Shown>, AppError> {
    if values.nhs_number.is_some() || form.confirm_new == "yes" {
        return Ok(Vec::new());
    }
    let criteria = search::Criteria {
        given: values.given_name.clone(),
        family: values.family_name.clone(),
        dob: Some(values.date_of_birth),
        ..Default::default()
    };
    shown_matches(ctx, criteria, |m| m.reasons.contains(&search::SAME_NAME_AND_BIRTH)).await
}

pub async fn new_form(ctx: Ctx, query: web::Query<PersonForm>) -> Result<HttpResponse, AppError> {
    Ok(new_page(&ctx, &query.into_inner(), &Errors::default()))
}

pub async fn create(ctx: Ctx, form: web::Form<PersonForm>) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let values = match form.validate(local_time::local_date(ctx.now())) {
        Ok(v) => v,
        Err(errors) => return Ok(new_page(&ctx, &form, &errors)),
    };
    let same = same_name_and_birth(&ctx, &form, &values).await?;
    if !same.is_empty() {
        let body = new_body(&ctx, &form, &Errors::default(), &same);
        // 409: nothing saved until the practitioner says this is someone else.
        return Ok(ctx.render(StatusCode::CONFLICT, &ctx.page("Add a new person"), body));
    }
    let uid = ctx.user.id.clone();
    let created = ctx
        .write(move |tx| -> Result<Option<String>, AppError> {
            if let Some(nhs) = &values.nhs_number
                && super::nhs_number_taken(tx.conn, nhs)?.is_some()
            {
                return Ok(None);
            }
            let id = super::create(tx.conn, tx.now, &uid, &values)?;
            tx.audit(Event::allowed(audit::CREATE).record("person", &id))?;
            Ok(Some(id))
        })
        .await?;
    match created {
        Some(id) => Ok(see_other(&format!("/episodes/new?person={id}"))),
        None => {
            let mut errors = Errors::default();
            errors.add(
                "nhs_number",
                "A person with this NHS number is already recorded. Search for them instead",
            );
            Ok(new_page(&ctx, &form, &errors))
        }
    }
}
