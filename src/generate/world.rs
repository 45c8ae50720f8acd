//! What the generated records hang off: the demo L&D team's sites, the demo staff, the MHTR
//! team and the partner directory, all made by `demo::seed` and read back here.

use diesel::QueryResult;

use crate::auth::accounts;
use crate::db::DbConnection;
use crate::demo;
use crate::domain::codes::label_of;
use crate::domain::referral::SERVICE_TYPES;
use crate::domain::site::SiteKind;
use crate::{partners, sites};

/// What the generator needs to know of each kind of site: its mix of sources, hours and places.
pub trait SiteProfile {
    /// Open episodes on a typical day: a busy custody suite has tens, a youth court a handful.
    fn open_on_a_day(self) -> u64;
}

impl SiteProfile for SiteKind {
    fn open_on_a_day(self) -> u64 {
        match self {
            SiteKind::CustodySuite => 36,
            SiteKind::MagistratesCourt => 24,
            SiteKind::CrownCourt => 12,
            SiteKind::VoluntaryAttendance => 12,
            SiteKind::YouthCourt => 10,
            SiteKind::Probation | SiteKind::YouthOffendingTeam | SiteKind::Community => 6,
        }
    }
}

pub struct Site {
    pub id: String,
    pub team_id: String,
    pub name: String,
    pub kind: SiteKind,
    pub target_minutes: i64,
}

/// A partner service as a referral names it.
pub struct Service {
    pub id: String,
    pub service_type: String,
    /// "Organisation – name (type)", as the referral timeline note has it.
    pub label: String,
}

pub struct World {
    pub sites: Vec<Site>,
    /// The demo L&D practitioner and senior: authors and allocations.
    pub ld_staff: Vec<String>,
    pub mhtr_team: String,
    pub mhtr_practitioner: String,
    pub services: Vec<Service>,
}

impl World {
    /// Reads the demo set-up back; `demo::seed` must have run.
    pub fn load(conn: &mut DbConnection) -> QueryResult<World> {
        let not_found = || diesel::result::Error::NotFound;
        let team = |conn: &mut DbConnection, name| -> QueryResult<String> {
            accounts::team_by_name(conn, name)?
                .map(|t| t.id.to_string())
                .ok_or_else(not_found)
        };
        let user = |conn: &mut DbConnection, n: usize| -> QueryResult<String> {
            accounts::find_by_username(conn, demo::ACCOUNTS[n].0)?
                .map(|u| u.id)
                .ok_or_else(not_found)
        };
        let ld_team = team(conn, demo::LD_TEAM)?;
        let sites = sites::list(conn, true)?
            .into_iter()
            .filter(|s| s.team_id == ld_team)
            .map(|s| Site {
                kind: s.kind,
                target_minutes: i64::from(s.target_minutes.max(1)),
                id: s.id.to_string(),
                team_id: s.team_id.to_string(),
                name: s.name,
            })
            .collect::<Vec<_>>();
        if sites.is_empty() {
            return Err(not_found());
        }
        let services = partners::active_services(conn)?
            .into_iter()
            .map(|s| Service {
                label: format!(
                    "{} – {} ({})",
                    s.organisation,
                    s.name,
                    label_of(SERVICE_TYPES, &s.service_type).unwrap_or("Other")
                ),
                id: s.id,
                service_type: s.service_type,
            })
            .collect();
        Ok(World {
            sites,
            ld_staff: vec![user(conn, 0)?, user(conn, 1)?],
            mhtr_team: team(conn, demo::MHTR_TEAM)?,
            mhtr_practitioner: user(conn, 2)?,
            services,
        })
    }

    /// The first active service of a type, if the directory has one.
    pub fn service(&self, service_type: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.service_type == service_type)
    }
}
