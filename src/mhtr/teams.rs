//! Which teams are MHTR teams, and who belongs to one.

use diesel::QueryResult;

use crate::auth::CurrentUser;
use crate::auth::accounts::{self, Team};
use crate::db::DbConnection;
use crate::domain::TeamKind;

/// Whether a team is an MHTR team: its kind, set in team administration.
pub fn is_mhtr_team(team: &Team) -> bool {
    team.kind == TeamKind::Mhtr
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
    user.in_mhtr_team()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn team(name: &str, kind: TeamKind) -> Team {
        Team {
            id: "t".into(),
            name: name.into(),
            created_at: 0,
            kind,
        }
    }

    #[test]
    fn the_kind_decides_never_the_name() {
        assert!(is_mhtr_team(&team("Women's treatment service", TeamKind::Mhtr)));
        assert!(!is_mhtr_team(&team(
            "Former MHTR pilot, now L&D",
            TeamKind::LiaisonDiversion
        )));
    }
}
