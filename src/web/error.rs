//! One error type for the web layer: a status, a message fit for the user, and a logged cause.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};

use crate::views;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    /// The user's teams have no legitimate relationship with the person; a clinician may
    /// break the glass to read the record.
    #[error("no legitimate relationship")]
    NoRelationship { person_id: String },
    /// A change attempted under break-glass, which opens records for reading only.
    #[error("break-glass is read-only")]
    ReadOnly,
    #[error("request refused: {0}")]
    Csrf(&'static str),
    #[error("bad request: {0}")]
    BadRequest(&'static str),
    /// A body over the size limit (413).
    #[error("request too large")]
    TooLarge,
    /// A body that is not a form where a form is expected (415).
    #[error("unsupported media type")]
    UnsupportedMediaType,
    /// A rule refused the action (e.g. an episode transition); the message is for the user.
    #[error("refused: {0}")]
    Refused(String),
    #[error("internal error: {0}")]
    Internal(String),
    /// The action needs the second factor confirmed recently (`web::reauth`): send the user
    /// to confirm it, then back.
    #[error("re-authentication required")]
    Reauthenticate { to: String, htmx: bool },
    /// No live session: send the user to sign in (htmx follows `HX-Redirect`).
    #[error("sign-in required")]
    SignIn {
        htmx: bool,
        ended: Option<crate::auth::session::Ended>,
    },
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        AppError::Internal(format!("database: {e}"))
    }
}

impl From<diesel::r2d2::PoolError> for AppError {
    fn from(e: diesel::r2d2::PoolError) -> Self {
        AppError::Internal(format!("connection pool: {e}"))
    }
}

impl From<crate::audit::journal::NotRecorded> for AppError {
    fn from(e: crate::audit::journal::NotRecorded) -> Self {
        AppError::Internal(e.to_string())
    }
}

impl From<actix_web::error::BlockingError> for AppError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        AppError::Internal(format!("blocking pool: {e}"))
    }
}

impl AppError {
    fn sign_in_redirect(&self, htmx: bool, ended: Option<crate::auth::session::Ended>) -> HttpResponse {
        let location = match ended {
            Some(e) => format!("/sign-in?ended={}", e.code()),
            None => "/sign-in".to_string(),
        };
        let header = if htmx { "HX-Redirect" } else { "Location" };
        HttpResponse::build(self.status_code())
            .insert_header((header, location))
            .finish()
    }
}

impl AppError {
    fn no_relationship(&self, person_id: &str) -> HttpResponse {
        let body = views::refusal_with_break_glass(person_id);
        HttpResponse::build(self.status_code())
            .content_type("text/html; charset=utf-8")
            .body(body.into_string())
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden | AppError::NoRelationship { .. } | AppError::ReadOnly | AppError::Csrf(_) => {
                StatusCode::FORBIDDEN
            }
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::Refused(_) => StatusCode::CONFLICT,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            AppError::SignIn { htmx: true, .. } => StatusCode::UNAUTHORIZED,
            AppError::SignIn { htmx: false, .. } => StatusCode::SEE_OTHER,
            // htmx follows HX-Redirect before looking at the status; nothing is swapped.
            AppError::Reauthenticate { htmx: true, .. } => StatusCode::NO_CONTENT,
            AppError::Reauthenticate { htmx: false, .. } => StatusCode::SEE_OTHER,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let (title, message) = match self {
            AppError::NotFound => (
                "Page not found",
                "If you typed the web address, check it is correct. If you pasted it, check you copied all of it.".to_string(),
            ),
            AppError::Forbidden => (
                "You do not have access to this page",
                "Your role or team does not allow this. The attempt has been recorded. Ask an administrator if you need access.".to_string(),
            ),
            AppError::NoRelationship { person_id } => return self.no_relationship(person_id),
            AppError::ReadOnly => (
                "Break-glass access is read-only",
                "You opened this record with break-glass access, which lets you read it but not change it. The attempt has been recorded.".to_string(),
            ),
            AppError::Csrf(_) => (
                "Your request could not be accepted",
                "The form had expired or came from another site. Go back, reload the page and try again.".to_string(),
            ),
            AppError::BadRequest(why) => ("Your request could not be understood", why.to_string()),
            AppError::TooLarge => (
                "Your request was too large",
                "The form held more than the service can accept. Go back, shorten the longest answers and try again.".to_string(),
            ),
            AppError::UnsupportedMediaType => (
                "Your request could not be understood",
                "The form was sent in a way the service does not accept. Go back, reload the page and try again.".to_string(),
            ),
            AppError::Refused(why) => ("That cannot be done now", format!("{why}. Go back and reload the page to see the latest.")),
            AppError::SignIn { htmx, ended } => return self.sign_in_redirect(*htmx, *ended),
            AppError::Reauthenticate { to, htmx } => {
                let header = if *htmx { "HX-Redirect" } else { "Location" };
                return HttpResponse::build(self.status_code())
                    .insert_header((header, to.as_str()))
                    .finish();
            }
            AppError::Internal(cause) => {
                let reference = uuid::Uuid::new_v4().simple().to_string()[..8].to_uppercase();
                tracing::error!(reference = %reference, cause = %cause, "request failed");
                (
                    "Sorry, there is a problem with the service",
                    format!("Try again later. If it keeps happening, tell the service desk this reference: {reference}."),
                )
            }
        };
        if let AppError::Csrf(why) = self {
            tracing::warn!(reason = why, "unsafe request refused");
        }
        HttpResponse::build(self.status_code())
            .content_type("text/html; charset=utf-8")
            .body(views::error_page(title, &message).into_string())
    }
}

#[cfg(test)]
mod tests {
    use actix_web::ResponseError;
    use actix_web::body::MessageBody;

    use super::AppError;

    #[test]
    fn internal_errors_show_a_reference_and_no_internals() {
        let err = AppError::Internal("database: relation \"users\" does not exist at /srv/liaison/src/db.rs".into());
        let res = err.error_response();
        assert_eq!(res.status(), 500);
        let body = String::from_utf8(res.into_body().try_into_bytes().unwrap().to_vec()).unwrap();
        assert!(body.contains("Sorry, there is a problem with the service"));
        assert!(body.contains("this reference: "));
        for secret in ["relation", "users", "/srv", "db.rs", "database"] {
            assert!(!body.contains(secret), "{secret} leaked: {body}");
        }
    }
}
