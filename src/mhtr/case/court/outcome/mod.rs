//! GET/POST /mhtr/cases/{id}/court: what the court did at a hearing. An MHTR made stores the
//! order and starts treatment; another sentence closes the case; an adjournment keeps the
//! case where it is and moves the hearing and the report deadline.

mod form;

use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use maud::{Markup, html};

use self::form::{ADJOURNED, CourtForm, HEARD, Outcome, Recorded};
use super::{Hearing, Order, court_record};
use crate::audit::{self, Event};
use crate::db::DbConnection;
use crate::db::schema::{mhtr_cases, mhtr_hearings, mhtr_orders};
use crate::domain::CalendarDate;
use crate::domain::codes::label_of;
use crate::domain::local_time;
use crate::domain::mhtr::{self, Action, COURT_OUTCOMES, ExitReason, ORDER_TYPES, adjourn};
use crate::domain::new_id;
use crate::mhtr::case::{self, MhtrCase, RECORD};
use crate::mhtr::hearing::{display, to_stored};
use crate::records::Person;
use crate::views::components::{self, Field};
use crate::views::form::Errors;
use crate::web::context::{Ctx, Tx};
use crate::web::error::AppError;
use crate::web::see_other;
fn action_for(code: &str) -> Option<Action> {
    match code {
        "mhtr-made" => Some(Action::MhtrMade),
        "other-sentence" => Some(Action::Close(ExitReason::OtherSentence)),
        "adjourned" => Some(Action::Adjourn),
        _ => None,
    }
}

/// The outcomes that can be recorded at the case's stage.
fn offered(c: &MhtrCase) -> Vec<(&'static str, &'static str)> {
    COURT_OUTCOMES
        .iter()
        .filter(|(code, _)| action_for(code).is_some_and(|a| mhtr::transition(c.status(), a).is_ok()))
        .copied()
        .collect()
}

/// Tidied single-line text, or an error when blank or too long.
struct Shown {
    hearings: Vec<Hearing>,
    order: Option<Order>,
}

fn shown(conn: &mut DbConnection, case_id: &str) -> QueryResult<Shown> {
    Ok(Shown {
        hearings: super::hearings(conn, case_id)?,
        order: super::order(conn, case_id)?,
    })
}

fn form_body(c: &MhtrCase, csrf: &str, form: &CourtForm, errors: &Errors) -> Markup {
    let outcomes = offered(c);
    let mhtr_possible = outcomes.iter().any(|(code, _)| *code == "mhtr-made");
    let adjourn_possible = outcomes.iter().any(|(code, _)| *code == "adjourned");
    html! {
        form method="post" action={ (case::path(&c.id)) "/court" } novalidate {
            (components::csrf_field(csrf))
            (components::date_input(HEARD.prefix, "Hearing date", Some("For example, 27 3 2026"),
                [&form.heard_day, &form.heard_month, &form.heard_year], errors))
            (components::radios("outcome", "What did the court decide?", &outcomes, &form.outcome, errors))
            @if mhtr_possible {
                h2.app-heading-m { "If an MHTR was made" }
                (components::radios("order_type", "Type of order", ORDER_TYPES, &form.order_type, errors))
                (components::input(Field::text("requirement_months", "Length of the requirement, in months", &form.requirement_months)
                    .hint("A whole number from 1 to 36"), errors))
                (components::input(Field::text("responsible_officer", "Responsible officer (probation)", &form.responsible_officer), errors))
                (components::input(Field::text("responsible_officer_email", "Responsible officer's email address", &form.responsible_officer_email)
                    .kind("email").hint("Non-attendance is reported to this address").autocomplete("off"), errors))
                (components::input(Field::text("treating_practitioner", "Treating practitioner", &form.treating_practitioner), errors))
            }
            @if adjourn_possible {
                h2.app-heading-m { "If the hearing was adjourned" }
                (components::date_input(ADJOURNED.prefix, "New hearing date", Some("The report deadline is worked out again from the hearing date"),
                    [&form.adjourned_day, &form.adjourned_month, &form.adjourned_year], errors))
            }
            (components::textarea("notes", "Notes (optional)", &form.notes, None, errors))
            button.app-button type="submit" { "Save court outcome" }
        }
    }
}

fn page(
    ctx: &Ctx,
    (c, person, record): (&MhtrCase, &Person, &Shown),
    form: &CourtForm,
    errors: &Errors,
) -> HttpResponse {
    let open = !offered(c).is_empty();
    let body = html! {
        (components::error_summary(errors))
        span.app-caption { "MHTR case" }
        p { a href=(case::path(&c.id)) { "Back to the case" } }
        h1.app-heading-l { "Court outcome: " (person.list_name()) }
        @if let Some(next) = &c.next_hearing {
            p { "Next hearing: " (display(next)) }
        }
        @if open { (form_body(c, &ctx.user.csrf_token, form, errors)) }
        @else { p { "No court outcome can be recorded now: the case is " (c.status().label().to_lowercase()) "." } }
        h2.app-heading-m { "Past hearings" }
        (court_record(&record.hearings, record.order.as_ref()))
    };
    let title = format!("Court outcome – {}", person.list_name());
    ctx.form_page(&title, errors, body)
}

pub async fn show(ctx: Ctx, id: web::Path<String>) -> Result<HttpResponse, AppError> {
    let view = (audit::VIEW, Some("MHTR court outcome"));
    let (c, person) = case::load(&ctx, id.into_inner().into(), view).await?;
    let case_id = c.id.clone();
    let record = ctx.read(move |conn| Ok(shown(conn, &case_id)?)).await?;
    let form = CourtForm {
        treating_practitioner: c.treating_team.clone().unwrap_or_default(),
        ..CourtForm::default()
    };
    Ok(page(&ctx, (&c, &person, &record), &form, &Errors::default()))
}

/// Stores the hearing and what follows from it, then moves the case.
fn save(tx: &mut Tx<'_>, uid: &str, c: &MhtrCase, r: &Recorded) -> Result<(), AppError> {
    let heard_on = CalendarDate::from(r.heard_on);
    let adjourned_to = match r.outcome {
        Outcome::Adjourned(to) => Some(CalendarDate::from(to).iso()),
        _ => None,
    };
    diesel::insert_into(mhtr_hearings::table)
        .values((
            mhtr_hearings::id.eq(new_id()),
            mhtr_hearings::case_id.eq(&c.id),
            mhtr_hearings::heard_on.eq(heard_on.iso()),
            mhtr_hearings::outcome.eq(r.outcome.code()),
            mhtr_hearings::adjourned_to.eq(&adjourned_to),
            mhtr_hearings::notes.eq(&r.notes),
            mhtr_hearings::recorded_by.eq(uid),
            mhtr_hearings::recorded_at.eq(tx.now),
        ))
        .execute(tx.conn)?;
    let (action, note) = match &r.outcome {
        Outcome::MhtrMade(t) => {
            diesel::insert_into(mhtr_orders::table)
                .values((
                    mhtr_orders::case_id.eq(&c.id),
                    mhtr_orders::sentenced_on.eq(heard_on.iso()),
                    mhtr_orders::order_type.eq(t.order_type),
                    mhtr_orders::requirement_months.eq(t.months),
                    mhtr_orders::responsible_officer.eq(&t.officer),
                    mhtr_orders::responsible_officer_email.eq(&t.officer_email),
                    mhtr_orders::treating_practitioner.eq(&t.practitioner),
                    mhtr_orders::recorded_by.eq(uid),
                    mhtr_orders::recorded_at.eq(tx.now),
                ))
                .execute(tx.conn)?;
            let order = label_of(ORDER_TYPES, t.order_type).unwrap_or(t.order_type);
            (Action::MhtrMade, format!("{order} with a {}-month MHTR", t.months))
        }
        Outcome::OtherSentence => (
            Action::Close(ExitReason::OtherSentence),
            r.notes
                .clone()
                .unwrap_or_else(|| "The court passed another sentence".into()),
        ),
        Outcome::Adjourned(to) => {
            // Without a known deadline kind the new hearing itself is the deadline.
            let due = c.deadline_kind().map_or(*to, |kind| adjourn(kind, r.heard_on, *to));
            diesel::update(mhtr_cases::table.find(&c.id))
                .set((
                    mhtr_cases::next_hearing.eq(to_stored(*to)),
                    mhtr_cases::report_due.eq(to_stored(due)),
                ))
                .execute(tx.conn)?;
            let note = format!(
                "Adjourned to {}; report now due {}",
                local_time::day(*to),
                local_time::day(due)
            );
            (Action::Adjourn, note)
        }
    };
    case::apply(tx.conn, tx.now, uid, c, action, Some(&note))?;
    let event = Event::allowed(audit::UPDATE)
        .record(RECORD, &c.id)
        .detail(format!("court outcome {} on {heard_on}: {note}", r.outcome.code()));
    tx.audit(event)
}

pub async fn submit(ctx: Ctx, id: web::Path<String>, form: web::Form<CourtForm>) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let (c, person) = case::load(&ctx, id.into_inner().into(), (audit::UPDATE, None)).await?;
    if offered(&c).is_empty() {
        return Err(AppError::Refused(format!(
            "No court outcome can be recorded when the case is {}",
            c.status().label().to_lowercase()
        )));
    }
    // An outcome that does not fit the stage is refused with the domain's explanation.
    if let Some(action) = action_for(&form.outcome) {
        mhtr::transition(c.status(), action).map_err(|e| AppError::Refused(e.message().to_string()))?;
    }
    let today = local_time::local_date(ctx.now());
    let recorded = match form.validate(today) {
        Ok(r) => r,
        Err(errors) => {
            let case_id = c.id.clone();
            let record = ctx.read(move |conn| Ok(shown(conn, &case_id)?)).await?;
            return Ok(page(&ctx, (&c, &person, &record), &form, &errors));
        }
    };
    let (uid, case_id) = (ctx.user.id.clone(), c.id.clone());
    ctx.write(move |tx| {
        let fresh = case::find(tx.conn, &case_id)?.ok_or(AppError::NotFound)?;
        save(tx, &uid, &fresh, &recorded)
    })
    .await?;
    Ok(see_other(&case::path(&c.id)))
}
