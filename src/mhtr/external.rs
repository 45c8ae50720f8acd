//! Referrals to the MHTR team from outside the app (court-based probation, the primary
//! care MHTR team, the judiciary, self), entered by the practitioner with the referrer's
//! details.

use actix_web::web;

pub fn routes(_cfg: &mut web::ServiceConfig) {}
