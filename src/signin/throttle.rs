//! Throttling sign-in that cannot be turned against a user (issue 13): only wrong passwords
//! and wrong or reused second-factor codes count (attempts refused while locked out do not;
//! a code can only be tried after the right password), a success or an administrator's
//! password reset starts the count again, and the wait grows with each failure past the
//! limit instead of a fixed wall. Three limits, each from the audit trail's indexed rows:
//! one account from one address, one address across accounts (password spraying), and one
//! account from every address (ASVS's ceiling of 100 an hour).

use diesel::dsl::{count_star, max, min};
use diesel::prelude::*;

use crate::audit::{self, Outcome};
use crate::clock::Millis;
use crate::config::Config;
use crate::db::schema::audit_events;
use crate::db::{DbConnection, one_of};

/// The denied sign-in details that count as failures: a wrong password, and a wrong or
/// already used second-factor code (at sign-in or when confirming it again).
pub const WRONG: &str = "wrong username or password";
pub const WRONG_CODE: &str = "wrong second-factor code";
pub const USED_CODE: &str = "second-factor code already used";
const FAILURES: [&str; 3] = [WRONG, WRONG_CODE, USED_CODE];
const MINUTE: Millis = 60_000;
const HOUR: Millis = 60 * MINUTE;
/// Failures an hour for one account from all addresses together.
pub const PER_ACCOUNT_HOUR: i64 = 100;

/// How long to wait after the last failure once `failures` reach `limit`: a minute, doubling
/// with each further failure, never more than `cap`.
pub fn delay(failures: i64, limit: i64, cap: Millis) -> Millis {
    let beyond = (failures - limit).clamp(0, 20) as u32;
    (MINUTE << beyond).min(cap)
}

/// When the last success or reset for this account was, if any.
fn counted_since(conn: &mut DbConnection, username: &str, user_id: Option<&str>) -> QueryResult<Option<Millis>> {
    let success: Option<Millis> = audit_events::table
        .filter(audit_events::username.eq(username))
        .filter(audit_events::action.eq(audit::SIGN_IN))
        .filter(audit_events::outcome.eq(Outcome::Allowed.code()))
        .select(max(audit_events::at))
        .first(conn)?;
    let cleared: Option<Millis> = match user_id {
        Some(id) => audit_events::table
            .filter(audit_events::record_type.eq("user"))
            .filter(audit_events::record_id.eq(id))
            .filter(audit_events::action.eq(audit::SIGN_IN_CLEARED))
            .select(max(audit_events::at))
            .first(conn)?,
        None => None,
    };
    Ok(success.max(cleared))
}

/// Until when sign-in is refused for this account from this address, if it is now.
pub fn locked_until(
    conn: &mut DbConnection,
    (username, user_id): (&str, Option<&str>),
    addr: &str,
    now: Millis,
    cfg: &Config,
) -> QueryResult<Option<Millis>> {
    let window = cfg.throttle_window_minutes * MINUTE;
    let since = counted_since(conn, username, user_id)?;
    let failures = || {
        audit_events::table
            .filter(audit_events::action.eq(audit::SIGN_IN))
            .filter(audit_events::outcome.eq(Outcome::Denied.code()))
            .filter(one_of(audit_events::detail, FAILURES))
    };
    let after = |start: Millis| since.map_or(start, |s| s.max(start));
    let (pair, pair_last): (i64, Option<Millis>) = failures()
        .filter(audit_events::username.eq(username))
        .filter(audit_events::client_addr.eq(addr))
        .filter(audit_events::at.gt(after(now - window)))
        .select((count_star(), max(audit_events::at)))
        .first(conn)?;
    let (spray, spray_last): (i64, Option<Millis>) = failures()
        .filter(audit_events::client_addr.eq(addr))
        .filter(audit_events::at.gt(now - window))
        .select((count_star(), max(audit_events::at)))
        .first(conn)?;
    let (account, account_first): (i64, Option<Millis>) = failures()
        .filter(audit_events::username.eq(username))
        .filter(audit_events::at.gt(after(now - HOUR)))
        .select((count_star(), min(audit_events::at)))
        .first(conn)?;
    let until = [
        (pair >= cfg.max_failed_sign_ins_per_account)
            .then(|| pair_last.map(|l| l + delay(pair, cfg.max_failed_sign_ins_per_account, window))),
        (spray >= cfg.max_failed_sign_ins_per_address)
            .then(|| spray_last.map(|l| l + delay(spray, cfg.max_failed_sign_ins_per_address, window))),
        (account >= PER_ACCOUNT_HOUR).then(|| account_first.map(|f| f + HOUR)),
    ]
    .into_iter()
    .flatten()
    .flatten()
    .max();
    Ok(until.filter(|u| *u > now))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_grows_from_a_minute_and_stops_at_the_cap() {
        let cap = 15 * MINUTE;
        assert_eq!(delay(5, 5, cap), MINUTE);
        assert_eq!(delay(6, 5, cap), 2 * MINUTE);
        assert_eq!(delay(8, 5, cap), 8 * MINUTE);
        assert_eq!(delay(9, 5, cap), cap);
        assert_eq!(delay(500, 5, cap), cap);
    }
}
