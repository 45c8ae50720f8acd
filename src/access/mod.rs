//! One access model: may this user take this action on this record, and on what basis.
//! Every handler that reaches a person, an episode (with its referrals and safeguarding
//! concerns), or an MHTR referral or case (with its report) asks [`decide`] first, through
//! `web::context::reach`. The rule is written down in docs/decisions/0008-one-access-model.md:
//!
//! - only the clinical roles reach identifiable records;
//! - a record belongs to a team; a member of that team reaches it while the team has a
//!   legitimate relationship with the person ([`relationship`]);
//! - a person's own page is reached through any of the user's teams' relationships;
//! - otherwise a clinician may break the glass: the person's records open read-only for a
//!   limited time, recorded for review ([`overrides`]).

pub mod overrides;
pub mod relationship;

use diesel::prelude::*;

use crate::clock::Millis;
use crate::db::DbConnection;
use crate::db::schema::{episodes, mhtr_cases, mhtr_referrals, people};
use crate::domain::Role;
use crate::domain::ids::{EpisodeId, MhtrCaseId, MhtrReferralId, PersonId, TeamId};

/// What is being reached, by its id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Subject {
    Person(PersonId),
    /// An episode, and what hangs from it (its referrals, safeguarding concerns).
    Episode(EpisodeId),
    MhtrReferral(MhtrReferralId),
    /// An MHTR case, and what hangs from it (its report).
    MhtrCase(MhtrCaseId),
}

impl Subject {
    /// The record type the audit trail names.
    pub fn record_type(&self) -> &'static str {
        match self {
            Subject::Person(_) => "person",
            Subject::Episode(_) => "episode",
            Subject::MhtrReferral(_) => "mhtr-referral",
            Subject::MhtrCase(_) => "mhtr-case",
        }
    }

    pub fn id(&self) -> &str {
        match self {
            Subject::Person(id) => id,
            Subject::Episode(id) => id,
            Subject::MhtrReferral(id) => id,
            Subject::MhtrCase(id) => id,
        }
    }
}

/// Reading a record, or changing it. A break-glass opens records for reading only.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Intent {
    /// A view, audited with what was viewed (e.g. "episode page").
    Read(&'static str),
    /// A change; the handler audits the change itself. `&str` is the audit action a
    /// refusal is recorded as (e.g. `update`).
    Write(&'static str),
}

/// Who is asking: the parts of the signed-in user the rule reads.
#[derive(Clone, Debug)]
pub struct Viewer {
    pub user_id: String,
    pub role: Role,
    /// Current membership: the relationship follows it, not who created a record.
    pub team_ids: Vec<TeamId>,
    pub now: Millis,
    /// How long a relationship outlives the team's last closed record.
    pub relationship_ms: Millis,
}

impl Viewer {
    fn relationship_since(&self) -> Millis {
        self.now - self.relationship_ms
    }
}

/// Why access was allowed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Basis {
    /// The user's team works with the person.
    Relationship,
    /// A person recorded by this user and not yet known to any team: the contact being
    /// recorded will give the team its relationship.
    NewToService,
    /// Read-only, until `until`, for the stated reason.
    BreakGlass { until: Millis, reason: String },
}

impl Basis {
    pub fn code(&self) -> &'static str {
        match self {
            Basis::Relationship => "relationship",
            Basis::NewToService => "new-to-service",
            Basis::BreakGlass { .. } => "break-glass",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grant {
    pub person_id: PersonId,
    pub basis: Basis,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The role never reaches identifiable records this way.
    Role,
    /// No relationship and no break-glass: the clinician may break the glass to read.
    NoRelationship {
        person_id: PersonId,
    },
    /// A break-glass is read-only.
    ReadOnly {
        person_id: PersonId,
    },
    NotFound,
}

impl Refusal {
    pub fn person_id(&self) -> Option<&str> {
        match self {
            Refusal::NoRelationship { person_id } | Refusal::ReadOnly { person_id } => Some(person_id),
            Refusal::Role | Refusal::NotFound => None,
        }
    }
}

/// The team a record belongs to, its person, and whether the record itself still carries the
/// relationship (open, or closed within the period), which spares a query on the hot path.
struct Owner {
    team_id: TeamId,
    person_id: PersonId,
    closed_at: Option<Millis>,
}

fn owner(conn: &mut DbConnection, subject: &Subject) -> QueryResult<Option<Owner>> {
    let found: Option<(TeamId, PersonId, Option<Millis>)> = match subject {
        Subject::Person(_) => return Ok(None),
        Subject::Episode(id) => episodes::table
            .find(id)
            .select((episodes::team_id, episodes::person_id, episodes::closed_at))
            .first(conn)
            .optional()?,
        Subject::MhtrReferral(id) => mhtr_referrals::table
            .find(id)
            .select((
                mhtr_referrals::team_id,
                mhtr_referrals::person_id,
                mhtr_referrals::decided_at,
            ))
            .first(conn)
            .optional()?,
        Subject::MhtrCase(id) => mhtr_cases::table
            .find(id)
            .select((mhtr_cases::team_id, mhtr_cases::person_id, mhtr_cases::closed_at))
            .first(conn)
            .optional()?,
    };
    Ok(found.map(|(team_id, person_id, closed_at)| Owner {
        team_id,
        person_id,
        closed_at,
    }))
}

/// Decides whether `viewer` may act on `subject` with `intent`, and on what basis.
pub fn decide(
    conn: &mut DbConnection,
    viewer: &Viewer,
    subject: &Subject,
    intent: Intent,
) -> QueryResult<Result<Grant, Refusal>> {
    if !viewer.role.is_clinical() {
        return Ok(Err(Refusal::Role));
    }
    let since = viewer.relationship_since();
    let person_id = match subject {
        Subject::Person(id) => {
            let Some(created_by) = people::table
                .find(id)
                .select(people::created_by)
                .first::<Option<String>>(conn)
                .optional()?
            else {
                return Ok(Err(Refusal::NotFound));
            };
            if relationship::holds(conn, id, &viewer.team_ids, since)? {
                return Ok(Ok(grant(id, Basis::Relationship)));
            }
            if created_by.as_deref() == Some(viewer.user_id.as_str()) && !relationship::known_to_any_team(conn, id)? {
                return Ok(Ok(grant(id, Basis::NewToService)));
            }
            id.clone()
        }
        _ => {
            let Some(owner) = owner(conn, subject)? else {
                return Ok(Err(Refusal::NotFound));
            };
            let member = viewer.team_ids.contains(&owner.team_id);
            let record_carries_it = owner.closed_at.is_none_or(|at| at >= since);
            if member
                && (record_carries_it
                    || relationship::holds(conn, &owner.person_id, std::slice::from_ref(&owner.team_id), since)?)
            {
                return Ok(Ok(grant(&owner.person_id, Basis::Relationship)));
            }
            owner.person_id
        }
    };
    let glass = overrides::active_break_glass(conn, &viewer.user_id, &person_id, viewer.now)?;
    Ok(match (glass, intent) {
        (Some(g), Intent::Read(_)) => Ok(Grant {
            person_id,
            basis: Basis::BreakGlass {
                until: g.expires_at,
                reason: g.reason_label().to_string(),
            },
        }),
        (Some(_), Intent::Write(_)) => Err(Refusal::ReadOnly { person_id }),
        (None, _) => Err(Refusal::NoRelationship { person_id }),
    })
}

fn grant(person_id: &PersonId, basis: Basis) -> Grant {
    Grant {
        person_id: person_id.clone(),
        basis,
    }
}

/// The break-glass a request reached a record under, shared by the copies of the request's
/// user so the page's layout can show the banner.
#[derive(Clone, Debug, Default)]
pub struct Notice(std::sync::Arc<std::sync::Mutex<Option<(Millis, String)>>>);

impl Notice {
    pub fn note(&self, basis: &Basis) {
        if let Basis::BreakGlass { until, reason } = basis
            && let Ok(mut slot) = self.0.lock()
        {
            *slot = Some((*until, reason.clone()));
        }
    }

    /// When the break-glass ends and why it was taken, if this request used one.
    pub fn break_glass(&self) -> Option<(Millis, String)> {
        self.0.lock().ok().and_then(|slot| slot.clone())
    }
}
