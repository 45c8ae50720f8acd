//! Referrals to the MHTR team from outside the app (court-based probation, the primary
//! care MHTR team, the judiciary, self), entered by the practitioner with the referrer's
//! details. Each opens a case waiting in intake; the intake decision is in [`decision`].

pub mod decision;
pub mod form;

use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use maud::html;

use self::form::{ExternalForm, ExternalReferral};
use super::access;
use super::case::{self, RECORD};
use super::hearing;
use crate::audit::{self, Event};
use crate::db::schema::{mhtr_case_events, mhtr_cases, people};
use crate::domain::CalendarDate;
use crate::domain::local_time;
use crate::domain::mhtr::{MhtrStatus, report_due_by};
use crate::domain::new_id;
use crate::domain::person::name_key;
use crate::people::{self as persons, PersonValues};
use crate::views::components;
use crate::views::form::Errors;
use crate::web::context::{Ctx, Tx};
use crate::web::error::AppError;
use crate::web::routes::{Record, Routes};
use crate::web::see_other;

const PATH: &str = "/mhtr/referrals/new";

#[rustfmt::skip]
pub fn routes(r: &mut Routes) {
    use crate::web::routes::Guard::{Clinical, MhtrTeam};
    r.get(PATH, MhtrTeam, Record::MhtrIntake, new_form)
        .post(PATH, MhtrTeam, Record::MhtrIntake, submit)
        .get("/mhtr/intake/cases/{id}", Clinical, Record::MhtrCase, decision::show)
        .post("/mhtr/intake/cases/{id}", Clinical, Record::MhtrCase, decision::decide);
}

/// The intake decision page of a case entered from outside.
pub fn decision_path(case_id: &str) -> String {
    format!("/mhtr/intake/cases/{case_id}")
}

fn form_page(ctx: &Ctx, form: &ExternalForm, errors: &Errors) -> HttpResponse {
    let title = "Enter a referral from outside the service";
    let teams = super::teams::of_user(&ctx.user);
    let body = html! {
        (components::error_summary(errors))
        p { a href="/mhtr/intake" { "Back to MHTR intake" } }
        h1.app-heading-l { (title) }
        p { "For referrals from court-based probation, the primary care MHTR team, the judiciary, or from the woman herself. Referrals from a court liaison and diversion team arrive in the intake on their own." }
        form method="post" action=(PATH) novalidate {
            (components::csrf_field(&ctx.user.csrf_token))
            (form::fields(&teams, form, errors))
            button.app-button type="submit" { "Save referral" }
        }
    };
    ctx.form_page(title, errors, body)
}

pub async fn new_form(ctx: Ctx) -> Result<HttpResponse, AppError> {
    access::require_mhtr_member(&ctx, audit::VIEW).await?;
    Ok(form_page(&ctx, &ExternalForm::default(), &Errors::default()))
}

pub async fn submit(ctx: Ctx, form: web::Form<ExternalForm>) -> Result<HttpResponse, AppError> {
    let team_ids = access::require_mhtr_member(&ctx, audit::CREATE).await?;
    let form = form.into_inner();
    let referral = match form.validate(&team_ids, local_time::local_date(ctx.now())) {
        Ok(r) => r,
        Err(errors) => return Ok(form_page(&ctx, &form, &errors)),
    };
    let uid = ctx.user.id.clone();
    let case_id = ctx.write(move |tx| record(tx, &uid, &referral)).await?;
    Ok(see_other(&decision_path(&case_id)))
}

/// The person the referral is about: the one with that NHS number, else the one with exactly
/// that name and date of birth (and no other NHS number), else a new record.
fn find_or_create_person(tx: &mut Tx<'_>, user_id: &str, r: &ExternalReferral) -> Result<String, AppError> {
    if let Some(nhs) = r.nhs_number.as_deref()
        && let Some(id) = persons::nhs_number_taken(tx.conn, nhs)?
    {
        return Ok(id);
    }
    let dob = CalendarDate::from(r.date_of_birth).iso();
    let mut same_name = people::table
        .filter(people::given_key.eq(name_key(&r.given_name)))
        .filter(people::family_key.eq(name_key(&r.family_name)))
        .filter(people::date_of_birth.eq(&dob))
        .filter(people::merged_into.is_null())
        .order(people::created_at.asc())
        .select((people::id, people::nhs_number))
        .load::<(String, Option<String>)>(tx.conn)?;
    same_name.retain(|(_, nhs)| nhs.is_none() || r.nhs_number.is_none());
    if let Some((id, _)) = same_name.into_iter().next() {
        return Ok(id);
    }
    let values = PersonValues {
        nhs_number: r.nhs_number.clone(),
        pnc_id: None,
        cro_number: None,
        given_name: r.given_name.clone(),
        family_name: r.family_name.clone(),
        date_of_birth: r.date_of_birth,
        sex: None,
        gender_identity: None,
        ethnic_category: None,
        preferred_language: None,
        interpreter_needed: false,
        gp_practice: None,
    };
    let id = persons::create(tx.conn, tx.now, user_id, &values)?;
    tx.audit(Event::allowed(audit::CREATE).record("person", &id))?;
    Ok(id)
}

/// Opens the case at "referred" with its first event, or returns the case already waiting in
/// intake for her in this team (a form sent twice lands on the same referral). An open case
/// further along is refused: she is already on the pathway.
fn record(tx: &mut Tx<'_>, user_id: &str, r: &ExternalReferral) -> Result<String, AppError> {
    let person_id = find_or_create_person(tx, user_id, r)?;
    // Two submits at once wait for each other here, so only one opens a case.
    super::referral::lock_person(tx.conn, &person_id)?;
    let open: Vec<(String, String)> = mhtr_cases::table
        .filter(mhtr_cases::person_id.eq(&person_id))
        .filter(mhtr_cases::team_id.eq(&r.team_id))
        .filter(mhtr_cases::status.ne_all([MhtrStatus::Completed.code(), MhtrStatus::Closed.code()]))
        .select((mhtr_cases::id, mhtr_cases::status))
        .load(tx.conn)?;
    if let Some((id, status)) = open.first() {
        if status == MhtrStatus::Referred.code() {
            return Ok(id.clone());
        }
        return Err(AppError::Refused(
            "She already has an open MHTR case with this team. Go to the case from the intake page".into(),
        ));
    }
    let id = new_id();
    let due = report_due_by(r.deadline_kind, local_time::local_date(tx.now), r.next_hearing);
    diesel::insert_into(mhtr_cases::table)
        .values((
            mhtr_cases::id.eq(&id),
            mhtr_cases::person_id.eq(&person_id),
            mhtr_cases::team_id.eq(&r.team_id),
            mhtr_cases::status.eq(MhtrStatus::Referred.code()),
            mhtr_cases::referral_source.eq(&r.source),
            mhtr_cases::court.eq(&r.court),
            mhtr_cases::next_hearing.eq(r.next_hearing.map(hearing::to_stored)),
            mhtr_cases::deadline_kind.eq(r.deadline_kind.code()),
            mhtr_cases::report_due.eq(hearing::to_stored(due)),
            mhtr_cases::referral_reason.eq(&r.reason),
            mhtr_cases::referrer_name.eq(&r.referrer_name),
            mhtr_cases::referrer_organisation.eq(&r.referrer_organisation),
            mhtr_cases::referrer_email.eq(&r.referrer_email),
            mhtr_cases::referrer_phone.eq(&r.referrer_phone),
            mhtr_cases::accepted_at.eq(tx.now),
            mhtr_cases::created_by.eq(user_id),
            mhtr_cases::created_at.eq(tx.now),
            mhtr_cases::updated_at.eq(tx.now),
        ))
        .execute(tx.conn)?;
    let referred = MhtrStatus::Referred.code();
    let from = r
        .referrer_name
        .as_deref()
        .or(r.referrer_organisation.as_deref())
        .unwrap_or(form::source_label(&r.source));
    diesel::insert_into(mhtr_case_events::table)
        .values((
            mhtr_case_events::id.eq(new_id()),
            mhtr_case_events::case_id.eq(&id),
            mhtr_case_events::at.eq(tx.now),
            mhtr_case_events::author_id.eq(user_id),
            mhtr_case_events::from_status.eq(referred),
            mhtr_case_events::to_status.eq(referred),
            mhtr_case_events::note.eq(format!("Referral received from {from}")),
        ))
        .execute(tx.conn)?;
    let event = Event::allowed(audit::CREATE)
        .record(RECORD, &id)
        .detail(format!("external referral; source {}", r.source));
    tx.audit(event)?;
    Ok(id)
}

/// Whether a case is one entered from outside and still waiting for its intake decision.
pub fn waiting_in_intake(c: &case::MhtrCase) -> bool {
    c.referral_id.is_none() && c.status() == MhtrStatus::Referred
}
