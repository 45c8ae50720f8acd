//! HTTP plumbing shared by every feature: the application state, the signed-in user's
//! session, errors, headers, CSRF, htmx, served assets, the request context and the route table.

pub mod assets;
pub mod context;
pub mod csrf;
pub mod error;
pub mod extractors;
pub mod gzip;
pub mod head;
pub mod headers;
pub mod htmx;
pub mod input;
pub mod kept;
pub mod once;
pub mod reauth;
pub mod routes;
pub mod session;
pub mod state;

use actix_web::HttpResponse;
use actix_web::http::header;

/// What the web layer registers on the app besides middleware: extractor limits and error
/// pages, and `/favicon.ico`.
pub fn configure(cfg: &mut actix_web::web::ServiceConfig) {
    extractors::configure(cfg);
    cfg.route("/favicon.ico", actix_web::web::get().to(assets::favicon));
}

/// A body already read, put back for the next reader (a middleware read it first).
pub(crate) fn bytes_payload(body: actix_web::web::Bytes) -> actix_web::dev::Payload {
    let (_, mut payload) = actix_http::h1::Payload::create(true);
    payload.unread_data(body);
    payload.into()
}

/// A page of a heading and a sentence for someone not signed in, such as a link that no
/// longer works.
pub fn public_message(demo: bool, status: actix_web::http::StatusCode, title: &str, message: &str) -> HttpResponse {
    let page = crate::views::Page {
        title,
        user: None,
        csrf_token: "",
        demo,
        has_errors: false,
    };
    let body = maud::html! { h1.app-heading-l { (title) } p { (message) } };
    html(status, crate::views::layout::render(&page, body))
}

/// A CSV file to download, never cached (it may hold personal data).
pub fn csv_download(filename: &str, body: String) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{filename}\""),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body)
}

/// POST → 303 → GET.
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}

/// The client's address for throttling and the audit trail: the connecting peer, or, behind a
/// trusted reverse proxy (`trust_forwarded_for`), the address the proxy reports.
pub fn client_addr(req: &actix_web::HttpRequest) -> String {
    let behind_proxy = req
        .app_data::<actix_web::web::Data<crate::web::state::AppState>>()
        .is_some_and(|s| s.config.trust_forwarded_for);
    if behind_proxy && let Some(ip) = req.connection_info().realip_remote_addr() {
        return ip.to_string();
    }
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
pub fn form_status(errors: &crate::views::form::Errors) -> actix_web::http::StatusCode {
    if errors.is_empty() {
        actix_web::http::StatusCode::OK
    } else {
        actix_web::http::StatusCode::UNPROCESSABLE_ENTITY
    }
}
