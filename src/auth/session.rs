//! Server-side sessions. The cookie carries a 256-bit random token; the database keeps only
//! its SHA-256, so a copy of the database cannot be replayed as a cookie.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use diesel::prelude::*;
use sha2::{Digest, Sha256};

use crate::clock::Millis;
use crate::db::schema::{sessions, users};
use crate::db::{DbConnection, one_of};
use crate::domain::hex;

use super::accounts::User;

pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    hex(&bytes)
}

pub fn token_id(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = sessions)]
pub struct Session {
    pub id: String,
    pub user_id: String,
    pub csrf_token: String,
    pub created_at: Millis,
    pub last_seen_at: Millis,
    pub expires_at: Millis,
    pub revoked_at: Option<Millis>,
    /// `replaced` when a newer sign-in went past the limit of sessions at once.
    pub ended_reason: Option<String>,
    /// When this session last confirmed the user's second factor (or, without one, their
    /// password): sign-in with a code, or the re-authentication step.
    pub factor_checked_at: Option<Millis>,
}

/// The reason kept on a session ended because its user signed in once too many times at once.
pub const REPLACED: &str = "replaced";

/// Creates a session and returns the cookie token.
pub fn create(conn: &mut DbConnection, user_id: &str, now: Millis, absolute_ms: Millis) -> QueryResult<String> {
    create_checked(conn, user_id, now, absolute_ms, None)
}

/// Creates a session whose second factor was confirmed at `factor_checked_at` (a sign-in
/// that passed the code step); returns the cookie token.
pub fn create_checked(
    conn: &mut DbConnection,
    user_id: &str,
    now: Millis,
    absolute_ms: Millis,
    factor_checked_at: Option<Millis>,
) -> QueryResult<String> {
    let token = random_token();
    diesel::insert_into(sessions::table)
        .values((
            sessions::id.eq(token_id(&token)),
            sessions::user_id.eq(user_id),
            sessions::csrf_token.eq(random_token()),
            sessions::created_at.eq(now),
            sessions::last_seen_at.eq(now),
            sessions::expires_at.eq(now + absolute_ms),
            sessions::factor_checked_at.eq(factor_checked_at),
        ))
        .execute(conn)?;
    Ok(token)
}

/// Records that this session confirmed the user's factor (or password) now.
pub fn mark_factor_checked(conn: &mut DbConnection, id: &str, now: Millis) -> QueryResult<()> {
    diesel::update(sessions::table.find(id))
        .set(sessions::factor_checked_at.eq(Some(now)))
        .execute(conn)
        .map(|_| ())
}

/// Ends the user's live sessions beyond the `keep` most recently used, marking them
/// replaced; returns how many ended. Run after a sign-in creates its session.
pub fn keep_newest(conn: &mut DbConnection, user_id: &str, now: Millis, keep: i64) -> QueryResult<usize> {
    let older: Vec<String> = sessions::table
        .filter(sessions::user_id.eq(user_id))
        .filter(sessions::revoked_at.is_null())
        .filter(sessions::expires_at.gt(now))
        .order((sessions::last_seen_at.desc(), sessions::created_at.desc()))
        .offset(keep)
        .select(sessions::id)
        .load(conn)?;
    if older.is_empty() {
        return Ok(0);
    }
    diesel::update(sessions::table.filter(one_of(sessions::id, &older)))
        .set((sessions::revoked_at.eq(now), sessions::ended_reason.eq(REPLACED)))
        .execute(conn)
}

/// The user's sessions in force, most recently used first.
pub fn live_sessions(conn: &mut DbConnection, user_id: &str, now: Millis) -> QueryResult<Vec<Session>> {
    sessions::table
        .filter(sessions::user_id.eq(user_id))
        .filter(sessions::revoked_at.is_null())
        .filter(sessions::expires_at.gt(now))
        .order(sessions::last_seen_at.desc())
        .select(Session::as_select())
        .load(conn)
}

pub fn find_with_user(conn: &mut DbConnection, token: &str) -> QueryResult<Option<(Session, User)>> {
    sessions::table
        .inner_join(users::table)
        .filter(sessions::id.eq(token_id(token)))
        .select((Session::as_select(), User::as_select()))
        .first(conn)
        .optional()
}

pub fn touch(conn: &mut DbConnection, id: &str, now: Millis) -> QueryResult<()> {
    diesel::update(sessions::table.find(id))
        .set(sessions::last_seen_at.eq(now))
        .execute(conn)
        .map(|_| ())
}

pub fn revoke(conn: &mut DbConnection, id: &str, now: Millis) -> QueryResult<()> {
    diesel::update(sessions::table.find(id).filter(sessions::revoked_at.is_null()))
        .set(sessions::revoked_at.eq(now))
        .execute(conn)
        .map(|_| ())
}

/// Ends every live session of a user (account disabled, password reset).
pub fn revoke_all_for_user(conn: &mut DbConnection, user_id: &str, now: Millis) -> QueryResult<usize> {
    diesel::update(
        sessions::table
            .filter(sessions::user_id.eq(user_id))
            .filter(sessions::revoked_at.is_null()),
    )
    .set(sessions::revoked_at.eq(now))
    .execute(conn)
}

/// Why a stored session no longer counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ended {
    Revoked,
    /// Ended when its user signed in once too many times at once.
    Replaced,
    Idle,
    Absolute,
    Disabled,
}

impl Ended {
    pub fn code(self) -> &'static str {
        match self {
            Ended::Revoked => "revoked",
            Ended::Replaced => "replaced",
            Ended::Idle => "idle",
            Ended::Absolute => "expired",
            Ended::Disabled => "disabled",
        }
    }
}

pub fn check(session: &Session, user: &User, now: Millis, idle_ms: Millis) -> Result<(), Ended> {
    if session.revoked_at.is_some() && session.ended_reason.as_deref() == Some(REPLACED) {
        Err(Ended::Replaced)
    } else if session.revoked_at.is_some() {
        Err(Ended::Revoked)
    } else if user.disabled {
        Err(Ended::Disabled)
    } else if now >= session.expires_at {
        Err(Ended::Absolute)
    } else if now - session.last_seen_at >= idle_ms {
        Err(Ended::Idle)
    } else {
        Ok(())
    }
}
