//! Which teams are MHTR teams, and who belongs to one.

use diesel::QueryResult;

use crate::auth::CurrentUser;
use crate::auth::accounts::{self, Team};
use crate::db::DbConnection;

/// Whether a team is an MHTR team: for now, any team whose name contains "MHTR" in any
/// letter case (for example "London Women's MHTR"). A later issue replaces this with a
/// team-kind setting; every caller goes through here so that change is made once.
pub fn is_mhtr_team(team: &Team) -> bool {
    team.name.to_lowercase().contains("mhtr")
}

/// Every MHTR team in this deployment, by name: the teams an L&D practitioner can refer to.
pub fn all(conn: &mut DbConnection) -> QueryResult<Vec<Team>> {
    let teams = accounts::all_teams(conn)?;
    Ok(teams.into_iter().filter(is_mhtr_team).collect())
}

/// The user's own MHTR teams: whose intake they work.
pub fn of_user(user: &CurrentUser) -> Vec<&Team> {
    user.teams.iter().filter(|t| is_mhtr_team(t)).collect()
}

/// Whether the user works in an MHTR team (for showing the intake link).
pub fn is_mhtr_member(user: &CurrentUser) -> bool {
    !of_user(user).is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn team(name: &str) -> Team {
        Team {
            id: "t".into(),
            name: name.into(),
            created_at: 0,
        }
    }

    #[test]
    fn any_team_named_mhtr_in_any_case_is_an_mhtr_team() {
        assert!(is_mhtr_team(&team("London Women's MHTR")));
        assert!(is_mhtr_team(&team("Primary care Mhtr (demo)")));
        assert!(!is_mhtr_team(&team("Brent L&D")));
    }
}
