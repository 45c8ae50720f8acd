//! Staff vetting on record (decision 0019): an administrator records each user's police
//! vetting clearance, a new one superseding the last (kept); signing on at a police site needs
//! a current one (at a court too when `vetting_required_at_courts`); and administrators see
//! the clearances that run out within 60 days.

mod forms;
pub mod pages;
pub mod store;

use chrono::NaiveDate;

use crate::domain::local_time::day;
use crate::domain::vetting::needs_clearance;
use crate::domain::words::and_list;
use crate::sites::Site;
use crate::web::routes::{Guard, Record, Routes};

pub use store::Clearance;

#[rustfmt::skip]
pub fn routes(r: &mut Routes) {
    r.get("/admin/vetting", Guard::Admin, Record::User, pages::expiring)
        .get("/admin/users/{id}/vetting", Guard::Admin, Record::User, forms::show)
        .post("/admin/users/{id}/vetting", Guard::Admin, Record::User, forms::save);
}

/// Why the user may not sign on at these sites, if they may not: the sites that need a
/// clearance, named, when the user has no clearance current on `today`.
pub fn sign_on_refusal(
    clearance: Option<&Clearance>,
    sites: &[&Site],
    today: NaiveDate,
    at_courts: bool,
) -> Option<String> {
    if clearance.is_some_and(|c| c.holds_on(today)) {
        return None;
    }
    let gated: Vec<&str> = sites
        .iter()
        .filter(|s| needs_clearance(s.kind, at_courts))
        .map(|s| s.name.as_str())
        .collect();
    if gated.is_empty() {
        return None;
    }
    let sites = and_list(&gated);
    Some(match clearance {
        Some(c) if c.expires_on.date() < today => format!(
            "Your police vetting clearance expired on {}. You need a current clearance to sign on at {sites}: ask an administrator to record your renewed clearance",
            day(c.expires_on)
        ),
        _ => format!(
            "You need a current police vetting clearance to sign on at {sites}. Ask an administrator to record your clearance"
        ),
    })
}
