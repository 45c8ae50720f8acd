//! Checking a second-factor code for a user, at sign-in and when confirming it again: the
//! sign-in throttle first, then a code from the app (a step later than the last accepted,
//! recorded atomically so a code is never accepted twice) or a single-use recovery code.
//! Every failure is an audited, counted sign-in failure.

use actix_web::web;

use super::throttle;
use crate::audit::{self, Actor, Event};
use crate::auth::{second_factor, totp};
use crate::clock::Millis;
use crate::web::error::AppError;
use crate::web::state::AppState;

pub enum Checked {
    /// A code from the app, accepted.
    Code,
    /// A recovery code, now used; this many are left.
    Recovery {
        left: usize,
    },
    Wrong,
    /// A code whose time step was already used.
    Used,
    /// Too many failures: wait this long.
    Throttled(Millis),
}

/// The field's messages for a failed check.
pub fn message(checked: &Checked) -> Option<String> {
    Some(match checked {
        Checked::Code | Checked::Recovery { .. } => return None,
        Checked::Wrong => "Enter the 6-digit code your authenticator app shows now, or a recovery code".into(),
        Checked::Used => "That code has been used already. Wait for your app to show the next one".into(),
        Checked::Throttled(wait) => format!(
            "Too many wrong codes. Wait {} and try again",
            crate::domain::words::count((wait + 59_999) / 60_000, "minute", "minutes")
        ),
    })
}

/// Checks `typed` for the user; records the outcome's audit row when it fails.
pub async fn check(state: &AppState, actor: Actor, user_id: &str, typed: &str) -> Result<Checked, AppError> {
    let now = state.now();
    let cfg = state.config.clone();
    let (uid, username, addr) = (
        user_id.to_string(),
        actor.username.clone().unwrap_or_default(),
        actor.client_addr.clone().unwrap_or_default(),
    );
    let recovery = totp::normalise(typed).len() != totp::DIGITS as usize && second_factor::looks_like_recovery(typed);
    let (locked, factor, unused) = state
        .db(move |conn| {
            let locked = throttle::locked_until(conn, (&username, Some(&uid)), &addr, now, &cfg)?;
            let factor = second_factor::enrolled(conn, &uid)?;
            let unused = if recovery {
                second_factor::unused_recovery(conn, &uid)?
            } else {
                Vec::new()
            };
            Ok((locked, factor, unused))
        })
        .await?;
    let deny = |detail: &'static str| Event::denied(audit::SIGN_IN).record("user", user_id).detail(detail);
    if let Some(until) = locked {
        record(state, now, &actor, deny("throttled")).await?;
        return Ok(Checked::Throttled(until - now));
    }
    let Some((secret, last)) = factor else {
        record(state, now, &actor, deny(throttle::WRONG_CODE)).await?;
        return Ok(Checked::Wrong);
    };
    let uid = user_id.to_string();
    if recovery {
        let typed = typed.to_string();
        let found = web::block(move || second_factor::matching_recovery(&typed, &unused)).await?;
        if let Some(id) = found {
            let used = state
                .db(move |conn| {
                    let used = second_factor::use_recovery(conn, &id, now)?;
                    Ok((used, second_factor::unused_recovery(conn, &uid)?.len()))
                })
                .await?;
            if let (true, left) = used {
                return Ok(Checked::Recovery { left });
            }
        }
        record(state, now, &actor, deny(throttle::WRONG_CODE)).await?;
        return Ok(Checked::Wrong);
    }
    if let Some(step) = totp::matching_step(&secret, typed, now, last) {
        let accepted = state
            .db(move |conn| Ok(second_factor::accept_step(conn, &uid, step)?))
            .await?;
        if accepted {
            return Ok(Checked::Code);
        }
    }
    // Right code, but of a step already used: a replay (or the same code sent twice).
    if totp::matching_step(&secret, typed, now, None).is_some() {
        record(state, now, &actor, deny(throttle::USED_CODE)).await?;
        return Ok(Checked::Used);
    }
    record(state, now, &actor, deny(throttle::WRONG_CODE)).await?;
    Ok(Checked::Wrong)
}

async fn record(state: &AppState, now: Millis, actor: &Actor, event: Event<'_>) -> Result<(), AppError> {
    Ok(state.journal.record(now, actor, event).await?)
}
