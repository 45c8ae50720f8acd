//! HTTP plumbing shared by every feature: errors, headers, CSRF, htmx, assets, forms.

pub mod assets;
pub mod csrf;
pub mod error;
pub mod form;
pub mod headers;
pub mod htmx;

use actix_web::HttpResponse;
use actix_web::http::header;

/// POST → 303 → GET.
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}

pub fn client_addr(req: &actix_web::HttpRequest) -> String {
    req.peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

/// An HTML response.
pub fn html(status: actix_web::http::StatusCode, markup: maud::Markup) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(markup.into_string())
}

/// 200 for a page, 422 when it re-renders a form with errors.
pub fn form_status(errors: &form::Errors) -> actix_web::http::StatusCode {
    if errors.is_empty() {
        actix_web::http::StatusCode::OK
    } else {
        actix_web::http::StatusCode::UNPROCESSABLE_ENTITY
    }
}
