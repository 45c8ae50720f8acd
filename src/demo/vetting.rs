//! Synthetic vetting clearances for the demo accounts, so they can sign on at the demo's
//! custody suite. References say plainly that they are not real. A demo account without a
//! clearance current today gets a fresh one each time the demo is seeded, so a demo kept for
//! years still works; the senior practitioner's runs out within weeks, so the administrators'
//! list has something to show.

use chrono::{Days, NaiveDate};
use diesel::QueryResult;

use super::ACCOUNTS;
use crate::auth::accounts;
use crate::clock::Millis;
use crate::db::DbConnection;
use crate::domain::CalendarDate;
use crate::domain::local_time::local_date;
use crate::domain::vetting::VettingLevel;
use crate::vetting::store::{self, NewClearance};

/// (username, level, days before today granted, days after today it expires)
const CLEARANCES: [(&str, VettingLevel, u64, u64); 4] = [
    ("demo.practitioner", VettingLevel::Nppv3, 400, 1400),
    ("demo.senior", VettingLevel::Nppv3, 1800, 45),
    ("demo.mhtr", VettingLevel::Nppv2Full, 200, 1600),
    ("demo.psychologist", VettingLevel::Nppv2Full, 300, 1500),
];

pub fn seed(conn: &mut DbConnection, now: Millis) -> QueryResult<()> {
    let today = local_date(now);
    let Some(admin) = accounts::find_by_username(conn, ACCOUNTS[4].0)? else {
        return Ok(());
    };
    for (i, (username, level, before, after)) in CLEARANCES.into_iter().enumerate() {
        let Some(user) = accounts::find_by_username(conn, username)? else {
            continue;
        };
        if store::current(conn, &user.id)?.is_some_and(|c| c.holds_on(today)) {
            continue;
        }
        let shifted = |d: Option<NaiveDate>| CalendarDate::new(d.unwrap_or(today));
        let reference = format!("SYNTHETIC-DEMO-{:04}", i + 1);
        let new = NewClearance {
            user_id: &user.id,
            level,
            reference: &reference,
            granted_on: shifted(today.checked_sub_days(Days::new(before))),
            expires_on: shifted(today.checked_add_days(Days::new(after))),
        };
        store::record(conn, now, &admin.id, &new)?;
    }
    Ok(())
}
