//! Consent to share and the share gate (issue 12, decision 0014): a person's consent is
//! recorded on an episode by scope, in versions that are never edited; every document or
//! message about the person that leaves the service passes [`share`], which allows it on consent
//! covering the recipient's scope or on another lawful basis recorded with its
//! justification, and writes what went where, on what basis, as what content.

pub mod answers;
mod consent;
pub mod store;

use maud::{Markup, html};
use sha2::{Digest, Sha256};

use crate::audit::{self, Actor, Event};
use crate::clock::Millis;
use crate::db::DbConnection;
use crate::domain::local_time;
use crate::domain::sharing::{self, ConsentFor, OtherBasis, Refusal, Scope};
use crate::records::timeline;
use crate::views::components::{self, Tone};
use crate::web::routes::{Guard, Record, Routes};

/// How long the IG lead has to review a share made without consent.
pub const REVIEW_DAYS: i64 = 7;

#[rustfmt::skip]
pub fn routes(r: &mut Routes) {
    const CONSENT: &str = "/episodes/{id}/consent-to-share";
    r.get(CONSENT, Guard::Clinical, Record::Episode, consent::show)
        .post(CONSENT, Guard::Clinical, Record::Episode, consent::save);
}

/// One document or message about to leave the service.
pub struct Outbound<'a> {
    pub episode_id: &'a str,
    pub person_id: &'a str,
    pub scope: Scope,
    /// Who it goes to, in words: "Custody sergeant, Wembley (custody.wembley@met.police.uk)".
    pub recipient: &'a str,
    /// What it is: "Custody summary".
    pub document: &'a str,
    pub document_version: Option<i32>,
    /// Exactly what is sent, for the content hash kept with the share.
    pub content: &'a str,
    /// Another lawful basis, when the practitioner recorded one for this share.
    pub other: Option<&'a OtherBasis>,
}

/// The gate. Allowed: the share is written (with its content hash), put on the episode's
/// timeline and the audit trail, and queued for the IG lead when not on consent; returns its
/// id. Refused: nothing is written but a `denied` audit row.
pub fn share(
    conn: &mut DbConnection,
    now: Millis,
    actor: &Actor,
    out: &Outbound<'_>,
) -> diesel::QueryResult<Result<String, Refusal>> {
    let consent = store::current(conn, out.episode_id)?;
    let consent_for = consent.as_ref().map(|c| ConsentFor {
        answer: c.answer(out.scope),
        capacity: c.capacity,
    });
    let event = |outcome: Event<'static>| {
        outcome
            .record("episode", out.episode_id)
            .person(out.person_id)
            .detail(format!("{} to {} ({})", out.document, out.recipient, out.scope.code()))
    };
    let basis = match sharing::gate(out.scope, consent_for, out.other) {
        Ok(basis) => basis,
        Err(refusal) => {
            audit::record(conn, now, actor, event(Event::denied(SHARE)))?;
            return Ok(Err(refusal));
        }
    };
    let user_id = actor.user_id.as_deref().unwrap_or_default();
    let hash = crate::domain::hex(&Sha256::digest(out.content.as_bytes()));
    let other = out.other.filter(|_| basis.needs_review());
    let id = store::insert_share(
        conn,
        now,
        user_id,
        &store::NewShare {
            episode_id: out.episode_id,
            person_id: out.person_id,
            scope: out.scope,
            recipient: out.recipient,
            document: out.document,
            document_version: out.document_version,
            content_hash: &hash,
            basis,
            basis_detail: other.map(|o| o.detail.as_str()),
            consulted: other.and_then(|o| o.consulted.as_deref()),
            caldicott_told: other.is_some_and(|o| o.caldicott_told),
            consent_id: consent
                .as_ref()
                .filter(|_| !basis.needs_review())
                .map(|c| c.id.as_str()),
            review_due: basis.needs_review().then_some(now + REVIEW_DAYS * 24 * 3_600_000),
        },
    )?;
    timeline::add(
        conn,
        now,
        out.episode_id,
        user_id,
        timeline::Kind::Note,
        &format!(
            "Shared: {} with {} – basis: {}",
            out.document,
            out.recipient,
            basis.label().to_lowercase()
        ),
        None,
    )?;
    audit::record(conn, now, actor, event(Event::allowed(SHARE)))?;
    Ok(Ok(id))
}

/// The audit trail's action for a document or message leaving the service.
pub const SHARE: &str = "share";

/// The episode page's section: the consent that counts now, and what has been shared.
pub fn episode_section(
    episode_id: &str,
    consent: Option<&store::Consent>,
    shares: &[store::Share],
    open: bool,
) -> Markup {
    html! {
        h2.app-heading-m #sharing { "Consent to share" }
        @match consent {
            None => p { "No consent to share recorded yet. Reports and information to police, the CPS, court or probation need it, or another lawful basis." },
            Some(c) => {
                p {
                    "Version " (c.version) ", recorded by " (c.captured_by) " on " (local_time::date_time(c.captured_at))
                    @if c.withdrawal { " " (components::tag("Consent withdrawn", Tone::Bad)) }
                    @if !c.capacity.consent_stands() { " " (components::tag("Not able to consent", Tone::Bad)) }
                }
                (consent::scopes_table(c))
            }
        }
        @if open {
            p { a.app-button.app-button--secondary href={ "/episodes/" (episode_id) "/consent-to-share" } {
                @if consent.is_some() { "Change or withdraw consent" } @else { "Record consent to share" }
            } }
        }
        @if !shares.is_empty() {
            h3.app-heading-s { "Shared" }
            (shares_table(shares))
        }
    }
}

/// What was shared, newest first: when, what, to whom on what scope, the basis, by whom.
pub fn shares_table(shares: &[store::Share]) -> Markup {
    let rows: Vec<Vec<Markup>> = shares
        .iter()
        .map(|s| {
            vec![
                html! { (local_time::date_time(s.shared_at)) },
                html! { (s.document) @if let Some(v) = s.document_version { ", version " (v) } },
                html! { (s.recipient) br; span.app-hint { (s.scope_label()) } },
                html! {
                    (s.basis_label())
                    @if s.review_due.is_some() && s.review_outcome.is_none() { br; (components::tag("Waiting for IG review", Tone::Warning)) }
                },
                html! { (s.shared_by) },
            ]
        })
        .collect();
    components::table(
        "Documents and information shared, newest first",
        &["When", "What", "To", "Basis", "By"],
        &rows,
    )
}
