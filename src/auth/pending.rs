//! A sign-in whose password was right and whose second step is still to come: kept on the
//! server under the SHA-256 of a random cookie token, for a few minutes. It is not a
//! session: nothing but the second step's own pages reads it.

use diesel::prelude::*;

use super::accounts::User;
use super::session::{random_token, token_id};
use crate::clock::Millis;
use crate::db::DbConnection;
use crate::db::schema::{pending_sign_ins, users};

/// How long the second step may take.
pub const PENDING_MS: Millis = 10 * 60_000;

/// What the user must do before they are signed in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Enter a code from their app (or a recovery code).
    Code,
    /// Set up a second factor, which the deployment requires of them.
    Enrol,
}

impl Stage {
    pub fn code(self) -> &'static str {
        match self {
            Stage::Code => "code",
            Stage::Enrol => "enrol",
        }
    }

    fn parse(text: &str) -> Option<Stage> {
        match text {
            "code" => Some(Stage::Code),
            "enrol" => Some(Stage::Enrol),
            _ => None,
        }
    }
}

/// A pending sign-in with its user.
pub struct Pending {
    pub id: String,
    pub stage: Stage,
    pub user: User,
}

/// Starts the second step; returns the cookie token. Earlier pending sign-ins of the user
/// end, so only the newest can be finished.
pub fn create(conn: &mut DbConnection, user_id: &str, stage: Stage, now: Millis) -> QueryResult<String> {
    diesel::delete(
        pending_sign_ins::table.filter(
            pending_sign_ins::user_id
                .eq(user_id)
                .or(pending_sign_ins::expires_at.le(now)),
        ),
    )
    .execute(conn)?;
    let token = random_token();
    diesel::insert_into(pending_sign_ins::table)
        .values((
            pending_sign_ins::id.eq(token_id(&token)),
            pending_sign_ins::user_id.eq(user_id),
            pending_sign_ins::stage.eq(stage.code()),
            pending_sign_ins::created_at.eq(now),
            pending_sign_ins::expires_at.eq(now + PENDING_MS),
        ))
        .execute(conn)?;
    Ok(token)
}

/// The pending sign-in for a cookie token, if it is still in time and its user enabled.
pub fn find(conn: &mut DbConnection, token: &str, now: Millis) -> QueryResult<Option<Pending>> {
    let row: Option<(String, String, Millis, User)> = pending_sign_ins::table
        .inner_join(users::table)
        .filter(pending_sign_ins::id.eq(token_id(token)))
        .select((
            pending_sign_ins::id,
            pending_sign_ins::stage,
            pending_sign_ins::expires_at,
            User::as_select(),
        ))
        .first(conn)
        .optional()?;
    Ok(row.and_then(|(id, stage, expires_at, user)| {
        (expires_at > now && !user.disabled).then_some(())?;
        Some(Pending {
            id,
            stage: Stage::parse(&stage)?,
            user,
        })
    }))
}

/// Ends a pending sign-in (finished, or given up).
pub fn end(conn: &mut DbConnection, id: &str) -> QueryResult<()> {
    diesel::delete(pending_sign_ins::table.find(id))
        .execute(conn)
        .map(|_| ())
}

/// Ends every pending sign-in of a user (factor reset, account disabled).
pub fn end_all_for_user(conn: &mut DbConnection, user_id: &str) -> QueryResult<()> {
    diesel::delete(pending_sign_ins::table.filter(pending_sign_ins::user_id.eq(user_id)))
        .execute(conn)
        .map(|_| ())
}
