//! The pilot's evaluation extract: one CSV row per MHTR case, optionally pseudonymised.

use actix_web::web;

pub fn routes(_cfg: &mut web::ServiceConfig) {}
