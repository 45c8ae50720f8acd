//! Onward referrals: consent per recipient, a check-answers step, email handoff through the
//! outbox, partner answers through single-use links, chasing, and attendance.

pub mod answer;
pub mod chase;
pub mod delivery;
pub mod follow_up;
pub mod form;
pub mod on_episode;
pub mod reply;
pub mod retry;
pub mod status;

use diesel::prelude::*;

use crate::clock::Millis;
use crate::config::Config;
use crate::db::DbConnection;
use crate::db::schema::{answer_links, referrals};
use crate::domain::codes::label_of;
use crate::domain::ids::ReferralId;
use crate::domain::referral::{self as rules, SecurityClass, security_class};
pub use crate::domain::referral::{Kind, Status};
use crate::email::{outbox, templates};
use crate::partners::ServiceEntry;

pub const NAV: &[crate::views::nav::NavItem] = &[crate::views::nav::NavItem {
    href: "/referrals",
    label: "Referrals",
    shown_to: crate::auth::CurrentUser::sees_records,
}];

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = referrals)]
pub struct Referral {
    pub id: ReferralId,
    pub episode_id: String,
    pub service_id: Option<String>,
    #[diesel(deserialize_as = String)]
    pub kind: Kind,
    pub reason: String,
    pub urgency: String,
    pub shared_information: String,
    pub consent: String,
    pub lawful_basis: Option<String>,
    pub consent_override: Option<String>,
    #[diesel(deserialize_as = String)]
    pub status: Status,
    pub submission_key: String,
    pub reference: String,
    pub answer_reason: Option<String>,
    pub answer_message: Option<String>,
    pub created_by: String,
    pub created_at: Millis,
    pub sent_at: Option<Millis>,
    pub answered_at: Option<Millis>,
    pub last_chased_at: Option<Millis>,
    pub chase_count: i32,
    pub updated_at: Millis,
}

impl Referral {
    /// Writes what happened to the referral on its episode's timeline.
    pub fn on_timeline(
        &self,
        conn: &mut DbConnection,
        (now, author): (Millis, &str),
        kind: crate::records::timeline::Kind,
        text: &str,
    ) -> QueryResult<()> {
        crate::records::timeline::add(conn, now, &self.episode_id, author, kind, text, None).map(|_| ())
    }

    pub fn status_label(&self) -> &'static str {
        self.status.label()
    }

    /// What the person was told and on what basis, for the letter and the record.
    pub fn consent_statement(&self) -> String {
        match self.consent.as_str() {
            "given" => "The person consented to this referral and to sharing this information.".into(),
            "not-required" => format!(
                "Shared without consent on this lawful basis: {}.",
                self.lawful_basis
                    .as_deref()
                    .and_then(|b| label_of(rules::LAWFUL_BASES, b))
                    .unwrap_or("recorded in the case record")
            ),
            _ => format!(
                "The person declined consent. Shared because: {}",
                self.consent_override.as_deref().unwrap_or("")
            ),
        }
    }
}

pub fn find(conn: &mut DbConnection, id: &ReferralId) -> QueryResult<Option<Referral>> {
    referrals::table
        .find(id)
        .select(Referral::as_select())
        .first(conn)
        .optional()
}

/// A referral and its episode, if the user may see the episode (checked and audited there).
pub async fn load_for(
    ctx: &crate::web::context::Ctx,
    id: ReferralId,
) -> Result<(Referral, crate::records::Episode), crate::web::error::AppError> {
    use crate::web::error::AppError;
    let r = ctx.read(move |conn| find(conn, &id)?.ok_or(AppError::NotFound)).await?;
    let (ep, _) = crate::records::access::open(ctx, r.episode_id.clone().into(), None).await?;
    Ok((r, ep))
}

pub fn for_episode(conn: &mut DbConnection, episode_id: &str) -> QueryResult<Vec<Referral>> {
    referrals::table
        .filter(referrals::episode_id.eq(episode_id))
        .select(Referral::as_select())
        .order(referrals::created_at.desc())
        .load(conn)
}

/// Which of these episodes have a referral sent before `before` and still unanswered.
pub fn overdue_episodes(conn: &mut DbConnection, episode_ids: &[&str], before: Millis) -> QueryResult<Vec<String>> {
    referrals::table
        .filter(crate::db::one_of(referrals::episode_id, episode_ids))
        .filter(referrals::status.eq(Status::Sent.code()))
        .filter(referrals::sent_at.le(before))
        .select(referrals::episode_id)
        .distinct()
        .load(conn)
}

/// A short reference partners can quote on the phone, e.g. "R-7K2Q9M".
pub fn new_reference() -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    let token = crate::auth::session::random_token();
    let code: String = token
        .as_bytes()
        .chunks(2)
        .take(6)
        .map(|pair| {
            let n = u8::from_str_radix(std::str::from_utf8(pair).unwrap_or("00"), 16).unwrap_or(0);
            ALPHABET[usize::from(n) % ALPHABET.len()] as char
        })
        .collect();
    format!("R-{code}")
}

/// What a message about a referral needs besides the referral itself.
pub struct MailContext<'a> {
    pub team: &'a str,
    pub practitioner: &'a str,
    pub contact_phone: &'a str,
    pub person: templates::Person<'a>,
}

/// Queues one message per address of the service, each with its own single-use answer link.
/// Secure addresses get the letter, standard ones the notice.
pub fn queue_messages(
    conn: &mut DbConnection,
    now: Millis,
    config: &Config,
    r: &Referral,
    service: &ServiceEntry,
    ctx: &MailContext<'_>,
    purpose: templates::Purpose<'_>,
) -> QueryResult<usize> {
    let expires = now + config.answer_link_days * 24 * 3_600_000;
    let answer_by = crate::domain::local_time::local_day(expires);
    let service_name = format!("{} – {}", service.organisation, service.name);
    for address in &service.addresses {
        let token = crate::auth::session::random_token();
        diesel::insert_into(answer_links::table)
            .values((
                answer_links::token_hash.eq(crate::auth::session::token_id(&token)),
                answer_links::referral_id.eq(&r.id),
                answer_links::email.eq(address),
                answer_links::expires_at.eq(expires),
                answer_links::created_at.eq(now),
            ))
            .execute(conn)?;
        let answer_url = format!("{}/answer/{token}", config.public_base());
        let consent = r.consent_statement();
        let mail = templates::Referral {
            reference: &r.reference,
            team: ctx.team,
            contact_phone: ctx.contact_phone,
            practitioner: ctx.practitioner,
            service: &service_name,
            urgency: label_of(rules::URGENCY, &r.urgency).unwrap_or(&r.urgency),
            answer_url: &answer_url,
            answer_by: &answer_by,
            reason: &r.reason,
            shared_information: &r.shared_information,
            consent_statement: &consent,
            purpose,
        };
        let rendered = match security_class(address, &config.secure_domains) {
            SecurityClass::Secure => templates::letter(&mail, &ctx.person),
            SecurityClass::Standard => templates::notice(&mail),
        };
        outbox::enqueue(
            conn,
            now,
            &outbox::NewMessage {
                referral_id: Some(&r.id),
                recipient: address,
                subject: &rendered.subject,
                body_text: &rendered.text,
                body_html: Some(&rendered.html),
            },
        )?;
    }
    Ok(service.addresses.len())
}
