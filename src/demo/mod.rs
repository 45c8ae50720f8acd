//! Synthetic demonstration data. Every name here is invented; the instance is flagged as a
//! demo so every page says so.

pub mod ld;
pub mod mhtr;
pub mod partners;
pub mod vetting;

use diesel::QueryResult;

use crate::auth::{accounts, password};
use crate::clock::Millis;
use crate::db::{DbConnection, write_tx};
use crate::domain::ids::TeamId;
use crate::domain::{Role, TeamKind};
use crate::settings;

pub const PASSWORD: &str = "synthetic-demo-only";
/// Demo people take their NHS numbers from the 999 range's serials below this; the data
/// generator takes the rest, so the two never collide.
pub const NHS_SERIALS_RESERVED: u32 = 10_000;
pub const LD_TEAM: &str = "Brent L&D (demo)";
pub const MHTR_TEAM: &str = "London Women's MHTR (demo)";

/// (username, role, team)
pub const ACCOUNTS: [(&str, Role, Option<&str>); 8] = [
    ("demo.practitioner", Role::Practitioner, Some(LD_TEAM)),
    ("demo.senior", Role::SeniorPractitioner, Some(LD_TEAM)),
    ("demo.mhtr", Role::Practitioner, Some(MHTR_TEAM)),
    ("demo.psychologist", Role::ConsultantPsychologist, Some(MHTR_TEAM)),
    ("demo.admin", Role::Administrator, None),
    ("demo.analyst", Role::Analyst, None),
    ("demo.ig", Role::IgLead, None),
    ("demo.records", Role::RecordsManager, None),
];

const NAMES: [&str; 8] = [
    "Alex Demo-Practitioner",
    "Sam Demo-Senior",
    "Jo Demo-MHTR",
    "Dr Lee Demo-Psychologist",
    "Pat Demo-Admin",
    "Kim Demo-Analyst",
    "Robin Demo-Governance",
    "Rowan Demo-Records",
];

/// Idempotent: adds whatever demo teams and accounts are missing.
pub fn seed(conn: &mut DbConnection, now: Millis) -> QueryResult<()> {
    let hash = password::hash(PASSWORD).map_err(|e| diesel::result::Error::QueryBuilderError(e.into()))?;
    write_tx(conn, |conn| {
        settings::mark_demo(conn)?;
        for (team, kind) in [(LD_TEAM, TeamKind::LiaisonDiversion), (MHTR_TEAM, TeamKind::Mhtr)] {
            if accounts::team_by_name(conn, team)?.is_none() {
                accounts::create_team(conn, now, team, kind)?;
            }
        }
        for ((username, role, team), name) in ACCOUNTS.iter().zip(NAMES) {
            if accounts::find_by_username(conn, username)?.is_some() {
                continue;
            }
            let team_ids: Vec<TeamId> = match team {
                Some(t) => accounts::team_by_name(conn, t)?.into_iter().map(|t| t.id).collect(),
                None => Vec::new(),
            };
            let new = accounts::NewUser {
                username,
                display_name: name,
                role: *role,
                password_hash: &hash,
                team_ids: &team_ids,
            };
            accounts::create(conn, now, &new)?;
        }
        let team_id = |conn: &mut DbConnection, name| -> QueryResult<String> {
            Ok(accounts::team_by_name(conn, name)?
                .map(|t| t.id.into())
                .unwrap_or_default())
        };
        let user_id = |conn: &mut DbConnection, n: usize| -> QueryResult<String> {
            Ok(accounts::find_by_username(conn, ACCOUNTS[n].0)?
                .map(|u| u.id)
                .unwrap_or_default())
        };
        vetting::seed(conn, now)?;
        let (ld_team, author) = (team_id(conn, LD_TEAM)?, user_id(conn, 0)?);
        ld::seed(conn, now, &ld_team, &author)?;
        partners::seed(conn, now)?;
        ld::failed_email::seed(conn, now, &author)?;
        let senior = user_id(conn, 1)?;
        ld::first_week::seed(conn, now, &author, &senior)?;
        ld::reports::seed(conn, now, &author)?;
        let (team, practitioner, psychologist) = (team_id(conn, MHTR_TEAM)?, user_id(conn, 2)?, user_id(conn, 3)?);
        let staff = mhtr::Staff {
            team_id: &team,
            practitioner: &practitioner,
            psychologist: &psychologist,
            ld_team_id: &ld_team,
            ld_practitioner: &author,
        };
        mhtr::seed(conn, now, staff)
    })
}
