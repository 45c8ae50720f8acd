//! Sending: one referral per chosen service, its messages queued in the outbox, noted on the
//! timeline and audited. A double submit creates nothing new.

use actix_web::{HttpResponse, web};
use diesel::prelude::*;

use super::input::ReferralForm;
use super::load;
use super::pages::{Step, details_page, service_label};
use crate::audit::{self, Event};
use crate::db::schema::referrals;
use crate::domain::codes::label_of;
use crate::domain::ids::{EpisodeId, ReferralId};
use crate::domain::referral as rules;
use crate::email::templates;
use crate::email::templates::Purpose;
use crate::records::timeline;
use crate::referrals::{Kind, MailContext, Referral, Status, new_reference, queue_messages};
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::see_other;

pub async fn send(
    ctx: Ctx,
    id: web::Path<EpisodeId>,
    body: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let (ep, person, services) = load(&ctx, id.into_inner()).await?;
    let form = ReferralForm::from_pairs(body.into_inner());
    let errors = form.validate(&services);
    if !errors.is_empty() || form.submission_key.len() < 32 {
        let step = Step::new(&ctx, &ep, &person, &services);
        return Ok(details_page(&step, &form, &errors));
    }
    if !ep.status().is_open() {
        return Err(AppError::Refused(
            "This episode is closed. Reopen it before making a referral".into(),
        ));
    }
    let uid = ctx.user.id.clone();
    let config = ctx.state.config.clone();
    let team = ctx.user.team_names();
    let practitioner = ctx.user.display_name.clone();
    let phone = ctx
        .read({
            let uid = uid.clone();
            move |conn| Ok(crate::shifts::current(conn, &uid)?.map(|(s, _)| s.contact_phone))
        })
        .await?
        .unwrap_or_else(|| "the number on your referral letter".to_string());
    let eid = ep.id.clone();
    ctx.write(move |tx| {
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
        // Agreements first, so that declining one service of a scope agreed for another
        // limits the scope rather than refusing it.
        let mut answers: Vec<&super::input::ServiceConsent> = form.consent.iter().collect();
        answers.sort_by_key(|c| c.consent != "given");
        for c in answers {
            let (service_id, consent, basis, over) = (&c.service, &c.consent, &c.basis, &c.over);
            // The same submission for the same service: already made, nothing to do.
            let existing: Option<String> = referrals::table
                .filter(referrals::submission_key.eq(&form.submission_key))
                .filter(referrals::service_id.eq(service_id))
                .select(referrals::id)
                .first(tx.conn)
                .optional()?;
            if existing.is_some() {
                continue;
            }
            let Some(service) = services.iter().find(|s| &s.id == service_id) else {
                continue;
            };
            let r = insert(tx.conn, tx.now, &eid, &uid, &form, service_id, consent, basis, over)?;
            through_the_gate(tx, (&uid, &practitioner), (&eid, &person.id), service, &r, c)?;
            queue_messages(tx.conn, tx.now, &config, &r, service, &mail, Purpose::First)?;
            let note = format!(
                "Referral {} to {} – {}",
                r.reference,
                service_label(service),
                label_of(rules::CONSENT, consent).unwrap_or(consent)
            );
            timeline::add(tx.conn, tx.now, &eid, &uid, timeline::Kind::Note, &note, None)?;
            tx.audit(Event::allowed(audit::CREATE).record("referral", &r.id).detail(format!(
                "episode {eid}; consent {consent}; {} messages queued",
                service.addresses.len()
            )))?;
            tx.audit(
                Event::allowed("email")
                    .record("referral", &r.id)
                    .detail(format!("{} queued", service.addresses.len())),
            )?;
        }
        Ok(())
    })
    .await?;
    ctx.state.outbox.wake();
    Ok(see_other(&format!("/episodes/{}?done=referral-sent#referrals", ep.id)))
}

/// The referral passes the share gate: the consent answer given here goes into the
/// episode's consent record, and the referral is shared on it, or on the lawful basis
/// recorded instead (which the IG lead then reviews).
fn through_the_gate(
    tx: &mut crate::web::context::Tx<'_>,
    (uid, practitioner): (&str, &str),
    (episode_id, person_id): (&str, &str),
    service: &crate::partners::ServiceEntry,
    r: &Referral,
    c: &super::input::ServiceConsent,
) -> Result<(), AppError> {
    use crate::domain::sharing::{Answer, Basis, OtherBasis, Scope};
    let scope = Scope::for_service_type(&service.service_type);
    let name = service_label(service);
    let answered = match c.consent.as_str() {
        "given" => Some(Answer::Granted),
        "declined" => Some(Answer::Refused),
        _ => None,
    };
    if let Some(answer) = answered {
        let note = format!("Answered when referring to {name} ({})", r.reference);
        let ids = (episode_id, person_id);
        let answer = (scope, answer, name.as_str());
        crate::sharing::answers::record_answer(tx.conn, tx.now, (uid, practitioner), ids, answer, &note)?;
    }
    let basis_label = label_of(rules::LAWFUL_BASES, &c.basis).unwrap_or(&c.basis);
    let other = match (c.consent.as_str(), c.basis.as_str()) {
        ("given", _) => None,
        ("not-required", "safeguarding") => {
            Some((Basis::Safeguarding, format!("Referral {}: {basis_label}", r.reference)))
        }
        ("not-required", "legal-duty") => Some((Basis::LegalRequirement, basis_label.to_string())),
        ("not-required", _) => Some((Basis::PublicInterest, basis_label.to_string())),
        _ => Some((Basis::PublicInterest, c.over.trim().to_string())),
    }
    .map(|(basis, detail)| OtherBasis {
        basis,
        detail,
        consulted: Some(c.consulted.trim().to_string()).filter(|s| !s.is_empty()),
        caldicott_told: false,
    });
    let content = format!("{}\n{}", r.reason, r.shared_information);
    let out = crate::sharing::Outbound {
        episode_id,
        person_id,
        scope,
        recipient: &name,
        document: &format!("Referral {}", r.reference),
        document_version: None,
        content: &content,
        other: other.as_ref(),
    };
    match crate::sharing::share(tx.conn, tx.now, tx.actor, &out)? {
        Ok(_) => Ok(()),
        Err(refusal) => Err(AppError::Refused(refusal.message())),
    }
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
    let id = ReferralId::generate();
    let optional = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
    diesel::insert_into(referrals::table)
        .values((
            referrals::id.eq(&id),
            referrals::episode_id.eq(episode_id),
            referrals::service_id.eq(Some(service_id)),
            referrals::kind.eq(Kind::Partner.code()),
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
            referrals::status.eq(Status::Queued.code()),
            referrals::submission_key.eq(&form.submission_key),
            referrals::reference.eq(new_reference()),
            referrals::created_by.eq(user_id),
            referrals::created_at.eq(now),
            referrals::updated_at.eq(now),
        ))
        .execute(conn)?;
    referrals::table.find(&id).select(Referral::as_select()).first(conn)
}
