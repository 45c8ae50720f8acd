//! Whether a request came from htmx, so a handler returns a fragment rather than a page.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};

#[derive(Clone, Copy, Debug)]
pub struct Htmx(pub bool);

impl Htmx {
    pub fn of(req: &HttpRequest) -> Htmx {
        let h = req.headers();
        let is = h.get("HX-Request").is_some_and(|v| v == "true") && h.get("HX-History-Restore-Request").is_none();
        Htmx(is)
    }
}

impl FromRequest for Htmx {
    type Error = actix_web::Error;
    type Future = Ready<Result<Htmx, actix_web::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(Htmx::of(req)))
    }
}
