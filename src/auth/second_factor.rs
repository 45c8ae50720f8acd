//! Each user's second factor as stored: the TOTP secret once a code has confirmed it, the
//! last time step accepted (so no code is accepted twice), a candidate secret while the
//! enrolment page is open, and the single-use recovery codes (argon2id hashes only).

use argon2::password_hash::rand_core::{OsRng, RngCore};
use diesel::prelude::*;

use super::{password, totp};
use crate::clock::Millis;
use crate::config::Config;
use crate::db::DbConnection;
use crate::db::schema::{recovery_codes, second_factors};
use crate::domain::Role;

/// Recovery codes made at enrolment, each usable once.
pub const RECOVERY_CODES: usize = 10;
/// Characters of Base32 in a recovery code (50 bits).
const RECOVERY_CHARS: usize = 10;
/// A candidate secret is shown again while the page is reopened within this long.
const CANDIDATE_MS: Millis = 30 * 60_000;

/// Whether the deployment requires this user to have a second factor before signing in:
/// administrators and information governance leads always (outside demo mode, unless the
/// deployment's test harness exempts them), everyone when `require_second_factor` says so.
pub fn required(role: Role, config: &Config, demo: bool) -> bool {
    let everyone = config.require_second_factor.unwrap_or(!demo);
    let privileged =
        matches!(role, Role::Administrator | Role::IgLead) && !demo && !config.allow_privileged_without_second_factor;
    everyone || privileged
}

/// The enrolled secret and the last step accepted, if the user has a factor.
pub fn enrolled(conn: &mut DbConnection, user_id: &str) -> QueryResult<Option<(Vec<u8>, Option<i64>)>> {
    let row: Option<(Option<String>, Option<i64>)> = second_factors::table
        .find(user_id)
        .select((second_factors::secret, second_factors::last_step))
        .first(conn)
        .optional()?;
    Ok(row.and_then(|(secret, last)| Some((totp::decode(&secret?)?, last))))
}

pub fn has_factor(conn: &mut DbConnection, user_id: &str) -> QueryResult<bool> {
    Ok(enrolled(conn, user_id)?.is_some())
}

/// When the user's factor was set up, if they have one.
pub fn enrolled_at(conn: &mut DbConnection, user_id: &str) -> QueryResult<Option<Millis>> {
    Ok(second_factors::table
        .find(user_id)
        .select(second_factors::enrolled_at)
        .first::<Option<Millis>>(conn)
        .optional()?
        .flatten())
}

/// The secret the enrolment page shows: the one shown recently, or a new one.
pub fn candidate(conn: &mut DbConnection, user_id: &str, now: Millis) -> QueryResult<Vec<u8>> {
    let row: Option<(Option<String>, Option<Millis>)> = second_factors::table
        .find(user_id)
        .select((second_factors::candidate, second_factors::candidate_at))
        .first(conn)
        .optional()?;
    if let Some((Some(text), Some(at))) = &row
        && now - at < CANDIDATE_MS
        && let Some(secret) = totp::decode(text)
    {
        return Ok(secret);
    }
    let secret = totp::new_secret();
    let values = (
        second_factors::candidate.eq(totp::encode(&secret)),
        second_factors::candidate_at.eq(now),
    );
    if row.is_some() {
        diesel::update(second_factors::table.find(user_id))
            .set(values)
            .execute(conn)?;
    } else {
        diesel::insert_into(second_factors::table)
            .values((second_factors::user_id.eq(user_id), values.0, values.1))
            .execute(conn)?;
    }
    Ok(secret)
}

/// The candidate secret, if it is still the one shown.
pub fn current_candidate(conn: &mut DbConnection, user_id: &str, now: Millis) -> QueryResult<Option<Vec<u8>>> {
    let row: Option<(Option<String>, Option<Millis>)> = second_factors::table
        .find(user_id)
        .select((second_factors::candidate, second_factors::candidate_at))
        .first(conn)
        .optional()?;
    Ok(match row {
        Some((Some(text), Some(at))) if now - at < CANDIDATE_MS => totp::decode(&text),
        _ => None,
    })
}

/// Makes the candidate the user's factor, from the step its code matched, and replaces the
/// recovery codes with `hashes`. Any earlier factor and codes end here.
pub fn confirm(
    conn: &mut DbConnection,
    user_id: &str,
    secret: &[u8],
    step: i64,
    hashes: &[String],
    now: Millis,
) -> QueryResult<()> {
    diesel::update(second_factors::table.find(user_id))
        .set((
            second_factors::secret.eq(Some(totp::encode(secret))),
            second_factors::enrolled_at.eq(Some(now)),
            second_factors::last_step.eq(Some(step)),
            second_factors::candidate.eq(None::<String>),
            second_factors::candidate_at.eq(None::<Millis>),
        ))
        .execute(conn)?;
    replace_recovery_codes(conn, user_id, hashes, now)
}

/// Records `step` as accepted unless it, or a later one, already was: false means the code
/// was used before (or raced with the same code) and must be refused.
pub fn accept_step(conn: &mut DbConnection, user_id: &str, step: i64) -> QueryResult<bool> {
    let updated = diesel::update(
        second_factors::table
            .find(user_id)
            .filter(second_factors::secret.is_not_null())
            .filter(
                second_factors::last_step
                    .is_null()
                    .or(second_factors::last_step.lt(step)),
            ),
    )
    .set(second_factors::last_step.eq(Some(step)))
    .execute(conn)?;
    Ok(updated == 1)
}

/// Removes the user's factor and recovery codes (their own choice, or an administrator's
/// reset); returns whether there was a factor.
pub fn remove(conn: &mut DbConnection, user_id: &str) -> QueryResult<bool> {
    let had = has_factor(conn, user_id)?;
    diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(user_id))).execute(conn)?;
    diesel::delete(second_factors::table.find(user_id)).execute(conn)?;
    Ok(had)
}

/// Resets a user's factor for them (an administrator's page, or `liaison user
/// reset-second-factor`): the factor and recovery codes go, every session and pending
/// sign-in of the user ends, and the reset is audited. Returns the sessions ended.
pub fn reset(conn: &mut DbConnection, now: Millis, actor: &crate::audit::Actor, user_id: &str) -> QueryResult<usize> {
    use crate::audit::{self, Event};
    let had = remove(conn, user_id)?;
    let ended = super::session::revoke_all_for_user(conn, user_id, now)?;
    super::pending::end_all_for_user(conn, user_id)?;
    let what = if had {
        "second factor reset"
    } else {
        "second factor reset (none was set up)"
    };
    let event = Event::allowed(audit::SECOND_FACTOR)
        .record("user", user_id)
        .detail(format!("{what}; {ended} sessions ended"));
    audit::record(conn, now, actor, event)?;
    Ok(ended)
}

/// New recovery codes, as shown to the user (`ABCDE-FGHIJ`), and their hashes to store.
/// Hashing is slow: call this outside a transaction.
pub fn new_recovery_codes() -> Result<(Vec<String>, Vec<String>), String> {
    let mut shown = Vec::with_capacity(RECOVERY_CODES);
    let mut hashes = Vec::with_capacity(RECOVERY_CODES);
    for _ in 0..RECOVERY_CODES {
        let mut bytes = [0u8; 8];
        OsRng.fill_bytes(&mut bytes);
        let code: String = totp::encode(&bytes).chars().take(RECOVERY_CHARS).collect();
        hashes.push(password::hash(&code)?);
        shown.push(format!("{}-{}", &code[..5], &code[5..]));
    }
    Ok((shown, hashes))
}

/// A recovery code as typed, in the form its hash was made from.
pub fn normalise_recovery(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Whether what was typed looks like a recovery code rather than an app's code.
pub fn looks_like_recovery(typed: &str) -> bool {
    normalise_recovery(typed).len() == RECOVERY_CHARS
}

pub fn replace_recovery_codes(
    conn: &mut DbConnection,
    user_id: &str,
    hashes: &[String],
    now: Millis,
) -> QueryResult<()> {
    diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(user_id))).execute(conn)?;
    for hash in hashes {
        diesel::insert_into(recovery_codes::table)
            .values((
                recovery_codes::id.eq(uuid::Uuid::new_v4().to_string()),
                recovery_codes::user_id.eq(user_id),
                recovery_codes::code_hash.eq(hash),
                recovery_codes::created_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The user's unused recovery codes as (id, hash).
pub fn unused_recovery(conn: &mut DbConnection, user_id: &str) -> QueryResult<Vec<(String, String)>> {
    recovery_codes::table
        .filter(recovery_codes::user_id.eq(user_id))
        .filter(recovery_codes::used_at.is_null())
        .select((recovery_codes::id, recovery_codes::code_hash))
        .load(conn)
}

/// Which of the unused codes `typed` is, if any (argon2: run off the async workers).
pub fn matching_recovery(typed: &str, unused: &[(String, String)]) -> Option<String> {
    let code = normalise_recovery(typed);
    unused
        .iter()
        .find(|(_, hash)| password::verify(&code, hash))
        .map(|(id, _)| id.clone())
}

/// Marks a recovery code used; false if it already was (a race with the same code).
pub fn use_recovery(conn: &mut DbConnection, id: &str, now: Millis) -> QueryResult<bool> {
    let updated = diesel::update(recovery_codes::table.find(id).filter(recovery_codes::used_at.is_null()))
        .set(recovery_codes::used_at.eq(Some(now)))
        .execute(conn)?;
    Ok(updated == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn who_must_have_a_factor() {
        let mut config = Config::default();
        assert!(
            required(Role::Practitioner, &config, false),
            "everyone outside demo mode"
        );
        assert!(!required(Role::Practitioner, &config, true), "no one in demo mode");
        assert!(!required(Role::Administrator, &config, true));
        config.require_second_factor = Some(false);
        assert!(!required(Role::Practitioner, &config, false));
        assert!(required(Role::Administrator, &config, false));
        assert!(required(Role::IgLead, &config, false));
        config.allow_privileged_without_second_factor = true;
        assert!(!required(Role::Administrator, &config, false));
        config.require_second_factor = Some(true);
        assert!(required(Role::Practitioner, &config, true), "a demo that asks for it");
    }

    #[test]
    fn recovery_codes_are_ten_base32_characters_and_verify_once_normalised() {
        let (shown, hashes) = new_recovery_codes().unwrap();
        assert_eq!((shown.len(), hashes.len()), (10, 10));
        for code in &shown {
            assert_eq!(code.len(), 11, "{code}");
            assert!(
                code.chars()
                    .all(|c| c == '-' || c.is_ascii_uppercase() || ('2'..='7').contains(&c))
            );
        }
        let unused: Vec<(String, String)> = hashes
            .iter()
            .enumerate()
            .map(|(i, h)| (i.to_string(), h.clone()))
            .collect();
        let typed = shown[3].to_lowercase().replace('-', " ");
        assert_eq!(matching_recovery(&typed, &unused), Some("3".to_string()));
        assert_eq!(matching_recovery("AAAAA-AAAAA", &unused[..1]), None);
        assert!(looks_like_recovery(&shown[0]) && !looks_like_recovery("123456"));
    }
}
