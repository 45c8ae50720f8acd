//! Limits and error pages for actix's own extractors (`web::Form`, `web::Query`, `web::Path`,
//! request bodies). Without these, a malformed, oversized or mistyped request gets actix's
//! plain-text error, which names the failed deserialisation; with them it gets the service's
//! own error page with a 400, 413 or 415, and the cause goes to the log without the input.

use actix_web::error::{PathError, QueryPayloadError, UrlencodedError};
use actix_web::http::StatusCode;
use actix_web::{Error, HttpRequest, ResponseError, web};

use super::error::AppError;

/// The largest form body accepted, in bytes: far more than any answer needs.
pub const FORM_LIMIT: usize = 256 * 1024;

const UNREADABLE_FORM: &str = "The form could not be read. Go back, reload the page and try again.";
const UNREADABLE_ADDRESS: &str =
    "The web address could not be read. If you typed it, check it is correct; otherwise go back and try again.";

/// Registers the extractor configuration on the app.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.app_data(web::FormConfig::default().limit(FORM_LIMIT).error_handler(form_error))
        .app_data(web::PayloadConfig::new(FORM_LIMIT))
        .app_data(web::QueryConfig::default().error_handler(query_error))
        .app_data(web::PathConfig::default().error_handler(path_error));
}

fn form_error(err: UrlencodedError, _req: &HttpRequest) -> Error {
    let status = err.status_code();
    // The variant only: a deserialisation error's text can quote what was typed.
    tracing::info!(
        status = status.as_u16(),
        kind = form_error_kind(&err),
        "form body refused"
    );
    match status {
        StatusCode::PAYLOAD_TOO_LARGE => AppError::TooLarge,
        StatusCode::UNSUPPORTED_MEDIA_TYPE => AppError::UnsupportedMediaType,
        _ => AppError::BadRequest(UNREADABLE_FORM),
    }
    .into()
}

fn form_error_kind(err: &UrlencodedError) -> &'static str {
    match err {
        UrlencodedError::Chunked => "chunked",
        UrlencodedError::Overflow { .. } => "overflow",
        UrlencodedError::UnknownLength => "unknown length",
        UrlencodedError::ContentType => "content type",
        UrlencodedError::Parse(_) => "parse",
        UrlencodedError::Encoding => "encoding",
        UrlencodedError::Serialize(_) => "serialize",
        UrlencodedError::Payload(_) => "payload",
        _ => "other",
    }
}

fn query_error(_err: QueryPayloadError, _req: &HttpRequest) -> Error {
    tracing::info!("query string refused");
    AppError::BadRequest(UNREADABLE_ADDRESS).into()
}

fn path_error(_err: PathError, _req: &HttpRequest) -> Error {
    tracing::info!("path segment refused");
    AppError::BadRequest(UNREADABLE_ADDRESS).into()
}
