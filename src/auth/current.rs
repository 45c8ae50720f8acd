//! The signed-in user, as every handler sees them (resolved per request by `web::session`).

use super::accounts::Team;
use super::on_shift::SiteRef;
use super::session::Ended;
use crate::audit::Actor;
use crate::clock::Millis;
use crate::domain::Role;

/// Requests marked with this header (the live list's polling) do not count as activity,
/// so a page left open still reaches the idle timeout.
pub const BACKGROUND_HEADER: &str = "X-Liaison-Background";
#[derive(Clone, Debug)]
pub struct CurrentUser {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub teams: Vec<Team>,
    /// The sites of the user's open shift, if any.
    pub sites: Vec<SiteRef>,
    pub session_id: String,
    pub csrf_token: String,
    /// When the idle timeout will end this session unless the user acts.
    pub idle_deadline: Millis,
    pub idle_ms: Millis,
    /// The server's time when this request was resolved.
    pub now: Millis,
    pub client_addr: String,
    /// Set when this request reaches a record under break-glass: the page shows a banner.
    pub access_notice: crate::access::Notice,
    /// Days a team's relationship outlives its last closed record (from the config).
    pub relationship_days: i64,
    /// When this session last confirmed the second factor (or the password, for a user
    /// without one): what the re-authentication gate reads (`web::reauth`).
    pub factor_checked_at: Option<Millis>,
    /// The navigation links this user sees, as (href, label).
    pub nav: Vec<(&'static str, &'static str)>,
}

impl CurrentUser {
    pub fn team_names(&self) -> String {
        let names: Vec<&str> = self.teams.iter().map(|t| t.name.as_str()).collect();
        names.join(", ")
    }

    /// Whether the user belongs to a Women's MHTR team (by the team's kind).
    pub fn in_mhtr_team(&self) -> bool {
        self.teams.iter().any(|t| t.kind == crate::domain::TeamKind::Mhtr)
    }

    /// Whether the user's role works with identifiable records (analysts do not).
    pub fn sees_records(&self) -> bool {
        self.role.is_clinical()
    }

    /// What the access model needs to know about this user.
    pub fn viewer(&self) -> crate::access::Viewer {
        crate::access::Viewer {
            user_id: self.id.clone(),
            role: self.role,
            team_ids: self.teams.iter().map(|t| t.id.clone()).collect(),
            now: self.now,
            relationship_ms: self.relationship_days * 24 * 60 * 60 * 1000,
        }
    }

    pub fn actor(&self) -> Actor {
        Actor {
            user_id: Some(self.id.clone()),
            username: Some(self.username.clone()),
            role: Some(self.role.code().to_string()),
            team: Some(self.team_names()),
            client_addr: Some(self.client_addr.clone()),
        }
    }
}

/// Why the session cookie no longer signs anyone in, for the sign-in page to explain.
#[derive(Clone, Copy, Debug)]
pub struct SessionEnded(pub Ended);
