//! Users and teams in the database.

use diesel::prelude::*;

use crate::clock::Millis;
use crate::db::schema::{teams, user_teams, users};
use crate::db::{DbConnection, one_of};
use crate::domain::ids::TeamId;
use crate::domain::{Role, TeamKind};

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = users)]
pub struct User {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub password_hash: String,
    pub disabled: bool,
    pub created_at: Millis,
    pub updated_at: Millis,
}

impl User {
    pub fn role(&self) -> Option<Role> {
        self.role.parse().ok()
    }
}

#[derive(Queryable, Selectable, Debug, Clone, PartialEq, Eq)]
#[diesel(table_name = teams)]
pub struct Team {
    pub id: TeamId,
    pub name: String,
    pub created_at: Millis,
    #[diesel(deserialize_as = String)]
    pub kind: TeamKind,
}

/// Usernames are case-insensitive: stored and looked up in lower case.
pub fn normalise_username(raw: &str) -> String {
    raw.trim().to_lowercase()
}

/// `None` when acceptable, otherwise the message for the field.
pub fn username_problem(username: &str) -> Option<&'static str> {
    if username.is_empty() {
        return Some("Enter a username");
    }
    if username.len() > 64 {
        return Some("Username must be 64 characters or fewer");
    }
    if !username
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
    {
        return Some("Username can only include letters, numbers, full stops, hyphens and underscores");
    }
    None
}

pub fn find_by_username(conn: &mut DbConnection, username: &str) -> QueryResult<Option<User>> {
    users::table
        .filter(users::username.eq(normalise_username(username)))
        .select(User::as_select())
        .first(conn)
        .optional()
}

pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<User>> {
    users::table.find(id).select(User::as_select()).first(conn).optional()
}

pub struct NewUser<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub role: Role,
    pub password_hash: &'a str,
    pub team_ids: &'a [TeamId],
}

pub fn create(conn: &mut DbConnection, now: Millis, new: &NewUser<'_>) -> QueryResult<String> {
    let id = crate::domain::new_id();
    diesel::insert_into(users::table)
        .values((
            users::id.eq(&id),
            users::username.eq(normalise_username(new.username)),
            users::display_name.eq(new.display_name.trim()),
            users::role.eq(new.role.code()),
            users::password_hash.eq(new.password_hash),
            users::disabled.eq(false),
            users::created_at.eq(now),
            users::updated_at.eq(now),
        ))
        .execute(conn)?;
    set_teams(conn, &id, new.team_ids)?;
    Ok(id)
}

pub fn set_teams(conn: &mut DbConnection, user_id: &str, team_ids: &[TeamId]) -> QueryResult<()> {
    diesel::delete(user_teams::table.filter(user_teams::user_id.eq(user_id))).execute(conn)?;
    // Row by row: the multi-backend has no batch insert, and a user has few teams.
    for team_id in team_ids {
        diesel::insert_into(user_teams::table)
            .values((user_teams::user_id.eq(user_id), user_teams::team_id.eq(team_id)))
            .execute(conn)?;
    }
    Ok(())
}

pub fn update_profile(
    conn: &mut DbConnection,
    now: Millis,
    id: &str,
    display_name: &str,
    role: Role,
) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set((
            users::display_name.eq(display_name.trim()),
            users::role.eq(role.code()),
            users::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn set_disabled(conn: &mut DbConnection, now: Millis, id: &str, disabled: bool) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set((users::disabled.eq(disabled), users::updated_at.eq(now)))
        .execute(conn)
}

/// An administrator's password reset: the new hash, every session of the user ended, and
/// any sign-in lock-out lifted; audited against the user. Returns how many sessions ended,
/// or `None` when there is no such user. Run in a write transaction.
pub fn reset_password(
    conn: &mut DbConnection,
    now: Millis,
    actor: &crate::audit::Actor,
    (user_id, hash): (&str, &str),
) -> QueryResult<Option<usize>> {
    use crate::audit::{self, Event};
    if set_password_hash(conn, now, user_id, hash)? == 0 {
        return Ok(None);
    }
    let ended = crate::auth::session::revoke_all_for_user(conn, user_id, now)?;
    let event = Event::allowed(audit::UPDATE)
        .record("user", user_id)
        .detail(format!("password reset; {ended} sessions ended"));
    audit::record(conn, now, actor, event)?;
    audit::record(
        conn,
        now,
        actor,
        Event::allowed(audit::SIGN_IN_CLEARED).record("user", user_id),
    )?;
    Ok(Some(ended))
}

pub fn set_password_hash(conn: &mut DbConnection, now: Millis, id: &str, hash: &str) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set((users::password_hash.eq(hash), users::updated_at.eq(now)))
        .execute(conn)
}

/// Users sorted by name, with optional filters on role and disabled state.
pub fn list(conn: &mut DbConnection, role: Option<Role>, status: Option<bool>) -> QueryResult<Vec<User>> {
    let mut q = users::table.select(User::as_select()).into_boxed();
    if let Some(r) = role {
        q = q.filter(users::role.eq(r.code()));
    }
    if let Some(disabled) = status {
        q = q.filter(users::disabled.eq(disabled));
    }
    q.order((users::display_name.asc(), users::username.asc())).load(conn)
}

/// Team names for many users in one query (no N+1), as (user_id, team name) pairs.
pub fn team_names_for(conn: &mut DbConnection, user_ids: &[String]) -> QueryResult<Vec<(String, String)>> {
    user_teams::table
        .inner_join(teams::table)
        .filter(one_of(user_teams::user_id, user_ids))
        .select((user_teams::user_id, teams::name))
        .order(teams::name.asc())
        .load(conn)
}

pub fn teams_of(conn: &mut DbConnection, user_id: &str) -> QueryResult<Vec<Team>> {
    user_teams::table
        .inner_join(teams::table)
        .filter(user_teams::user_id.eq(user_id))
        .select(Team::as_select())
        .order(teams::name.asc())
        .load(conn)
}

pub fn all_teams(conn: &mut DbConnection) -> QueryResult<Vec<Team>> {
    teams::table
        .select(Team::as_select())
        .order(teams::name.asc())
        .load(conn)
}

pub fn team_by_name(conn: &mut DbConnection, name: &str) -> QueryResult<Option<Team>> {
    teams::table
        .filter(teams::name.eq(name.trim()))
        .select(Team::as_select())
        .first(conn)
        .optional()
}

pub fn create_team(conn: &mut DbConnection, now: Millis, name: &str, kind: TeamKind) -> QueryResult<TeamId> {
    let id = TeamId::generate();
    diesel::insert_into(teams::table)
        .values((
            teams::id.eq(&id),
            teams::name.eq(name.trim()),
            teams::created_at.eq(now),
            teams::kind.eq(kind.code()),
        ))
        .execute(conn)?;
    Ok(id)
}

/// Changes what kind of service a team is; returns the kind it was.
pub fn set_team_kind(conn: &mut DbConnection, id: &TeamId, kind: TeamKind) -> QueryResult<Option<TeamKind>> {
    let Some(team) = teams::table.find(id).select(Team::as_select()).first(conn).optional()? else {
        return Ok(None);
    };
    diesel::update(teams::table.find(id))
        .set(teams::kind.eq(kind.code()))
        .execute(conn)?;
    Ok(Some(team.kind))
}

pub fn team_problem(name: &str) -> Option<&'static str> {
    let name = name.trim();
    if name.is_empty() {
        return Some("Enter a team name");
    }
    if name.chars().count() > 100 {
        return Some("Team name must be 100 characters or fewer");
    }
    None
}
