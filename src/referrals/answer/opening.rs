//! Opening a partner's answer link: refused while the address is guessing, every open and
//! every failed try audited, and the page given only the minimum about the person.

use actix_web::HttpRequest;
use diesel::prelude::*;

use super::super::Referral;
use crate::audit::{self, Actor, Event};
use crate::auth::session::token_id;
use crate::clock::Millis;
use crate::db::schema::{answer_links, episodes, people, teams};
use crate::db::{DbConnection, write_tx};
use crate::domain::ids::ReferralId;
use crate::domain::local_time;
use crate::domain::referral::{SecurityClass, security_class};
use crate::web::client_addr;
use crate::web::error::AppError;
use crate::web::state::AppState;

#[derive(Queryable, Debug)]
pub(super) struct Link {
    pub(super) referral_id: ReferralId,
    pub(super) email: String,
    pub(super) expires_at: Millis,
    pub(super) used_at: Option<Millis>,
}

/// What the partner's page may show.
pub(super) struct View {
    pub(super) link: Link,
    pub(super) referral: Referral,
    pub(super) team: String,
    /// Only for a secure address: the minimum to match the letter (initials and date of
    /// birth), or the full name where the deployment opts in.
    pub(super) person: Option<String>,
    pub(super) person_id: String,
}

pub(super) enum Found {
    Usable(Box<View>),
    Used,
    Expired,
    Unknown,
    /// Too many links that do not work from this address.
    Throttled,
}

impl Found {
    /// What the audit trail says of a link that did not open.
    fn failure(&self) -> &'static str {
        match self {
            Found::Usable(_) => "opened",
            Found::Used => "used",
            Found::Expired => "expired",
            Found::Unknown => "unknown",
            Found::Throttled => "throttled",
        }
    }
}

/// The audit action of an answer link opened or tried.
pub const OPEN: &str = "answer-link";

/// "J. B., born 1 Jun 1990".
fn initials(given: &str, family: &str, dob: &str) -> String {
    let first = |s: &str| {
        s.chars()
            .next()
            .map(|c| format!("{}.", c.to_uppercase()))
            .unwrap_or_default()
    };
    format!("{} {}, born {dob}", first(given), first(family))
}

/// Opens a link: refused while the address is guessing; every open and every failed try
/// audited (one write transaction).
pub(super) async fn open(state: &AppState, req: &HttpRequest, token: &str) -> Result<Found, AppError> {
    let (now, addr, t) = (state.now(), client_addr(req), token.to_string());
    let (secure, full_name) = (state.config.secure_domains.clone(), state.config.answer_links_show_name);
    state
        .db(move |conn| {
            write_tx(conn, |conn| -> Result<Found, AppError> {
                let actor = Actor {
                    role: Some("partner".into()),
                    client_addr: Some(addr.clone()),
                    ..Actor::default()
                };
                if audit::refuse_link_guessing(conn, OPEN, &actor, now)? {
                    return Ok(Found::Throttled);
                }
                let found = look_up(conn, &t, now, (&secure, full_name))?;
                match &found {
                    Found::Usable(v) => {
                        let actor = Actor {
                            username: Some(format!("partner: {}", v.link.email)),
                            ..actor
                        };
                        let event = Event::allowed(OPEN)
                            .record("referral", &v.referral.id)
                            .person(&v.person_id)
                            .detail(format!("answer link opened by {}", v.link.email));
                        audit::record(conn, now, &actor, event)?;
                    }
                    other => {
                        audit::record(conn, now, &actor, Event::denied(OPEN).detail(other.failure()))?;
                    }
                }
                Ok(found)
            })
        })
        .await
}

fn look_up(
    conn: &mut DbConnection,
    token: &str,
    now: Millis,
    (secure_domains, full_name): (&[String], bool),
) -> QueryResult<Found> {
    let link: Option<Link> = answer_links::table
        .find(token_id(token))
        .select((
            answer_links::referral_id,
            answer_links::email,
            answer_links::expires_at,
            answer_links::used_at,
        ))
        .first(conn)
        .optional()?;
    let Some(link) = link else { return Ok(Found::Unknown) };
    if link.used_at.is_some() {
        return Ok(Found::Used);
    }
    if link.expires_at <= now {
        return Ok(Found::Expired);
    }
    let Some(referral) = super::super::find(conn, &link.referral_id)? else {
        return Ok(Found::Unknown);
    };
    if !referral.status.awaiting_answer() {
        return Ok(Found::Used);
    }
    let (team, person_id, family, given, dob): (String, String, String, String, String) = episodes::table
        .inner_join(people::table)
        .inner_join(teams::table.on(teams::id.eq(episodes::team_id)))
        .filter(episodes::id.eq(&referral.episode_id))
        .select((
            teams::name,
            people::id,
            people::family_name,
            people::given_name,
            people::date_of_birth,
        ))
        .first(conn)?;
    let dob = crate::domain::CalendarDate::parse(&dob).map_or(dob, local_time::day);
    let person = (security_class(&link.email, secure_domains) == SecurityClass::Secure).then(|| {
        if full_name {
            format!("{given} {family}, born {dob}")
        } else {
            initials(&given, &family, &dob)
        }
    });
    Ok(Found::Usable(Box::new(View {
        link,
        referral,
        team,
        person,
        person_id,
    })))
}
