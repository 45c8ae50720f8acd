//! Input no request can crash on. PostgreSQL refuses U+0000 in a text column, and no answer
//! on a form has a use for any other control character, so every submitted form field and
//! query-string value loses its control characters (all but tab, carriage return and line
//! feed) before a handler sees it. Each field that had one is reported by every
//! [`Errors`](crate::views::form::Errors) made while the request is handled, so each form shows
//! itself again (422) with the message at that field and the other answers kept, and saves
//! nothing — without a line of its own. A control character in the path answers 404: no
//! record's id holds one. See `docs/decisions/0009-input-that-cannot-crash-a-request.md`.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Uri;
use actix_web::middleware::Next;
use actix_web::web::Bytes;
use actix_web::{Error, HttpMessage};

use super::error::AppError;
use crate::views::form;

/// A character no answer may hold: a control character other than tab, CR and LF.
pub fn is_refused(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// Middleware: cleans the query string and a URL-encoded body, and reports the fields
/// cleaned to the forms (see the module's documentation).
pub async fn refuse_control_characters(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    if percent_decoded(req.path()).chars().any(is_refused) {
        return Err(AppError::NotFound.into());
    }
    let mut fields = Vec::new();
    if let Some((query, cleaned)) = clean(req.query_string().as_bytes()) {
        let mut parts = req.uri().clone().into_parts();
        parts.path_and_query = format!("{}?{query}", req.path()).parse().ok();
        let uri = Uri::from_parts(parts).map_err(|_| AppError::BadRequest("The web address could not be read."))?;
        req.match_info_mut().get_mut().update(&uri);
        req.head_mut().uri = uri;
        fields.extend(cleaned);
    }
    if req.content_type() == mime_form() {
        let body = req.extract::<Bytes>().await.map_err(unreadable_body)?;
        let body = match clean(&body) {
            Some((body, cleaned)) => {
                fields.extend(cleaned.into_iter().filter(|f| !fields.contains(f)).collect::<Vec<_>>());
                Bytes::from(body)
            }
            None => body,
        };
        req.set_payload(super::bytes_payload(body));
    }
    if fields.is_empty() {
        return next.call(req).await;
    }
    let (res, reported) = form::with_refused_input(fields, next.call(req)).await;
    let res = res?;
    if !reported && !res.status().is_client_error() {
        tracing::warn!(
            status = res.status().as_u16(),
            "control characters removed from input that no form reported"
        );
    }
    Ok(res)
}

fn mime_form() -> &'static str {
    "application/x-www-form-urlencoded"
}

/// An unreadable body as the service's own error page: too large (413), or not readable.
pub fn unreadable_body(err: Error) -> Error {
    let status = err.as_response_error().status_code();
    tracing::info!(status = status.as_u16(), "request body could not be read");
    if status == actix_web::http::StatusCode::PAYLOAD_TOO_LARGE {
        AppError::TooLarge.into()
    } else {
        AppError::BadRequest("The form could not be read. Go back, reload the page and try again.").into()
    }
}

/// URL-encoded pairs with their control characters removed, and the (cleaned) names of the
/// fields that had any; `None` when there were none, so the input is passed on untouched.
fn clean(encoded: &[u8]) -> Option<(String, Vec<String>)> {
    if encoded.is_empty() {
        return None;
    }
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(encoded).ok()?;
    if !pairs.iter().any(|(k, v)| k.chars().chain(v.chars()).any(is_refused)) {
        return None;
    }
    let mut fields: Vec<String> = Vec::new();
    let pairs: Vec<(String, String)> = pairs
        .into_iter()
        .map(|(name, value)| {
            let dirty = name.chars().chain(value.chars()).any(is_refused);
            let name = strip(&name);
            if dirty && !fields.contains(&name) {
                fields.push(name.clone());
            }
            (name, strip(&value))
        })
        .collect();
    Some((serde_urlencoded::to_string(&pairs).ok()?, fields))
}

fn strip(text: &str) -> String {
    text.chars().filter(|c| !is_refused(*c)).collect()
}

/// `%XX` sequences decoded (invalid UTF-8 shown as U+FFFD), for checking a path.
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tab_and_line_breaks_are_answers_other_control_characters_are_not() {
        for ok in ['\t', '\n', '\r', ' ', 'a', 'é', '€', '\u{FFFD}'] {
            assert!(!is_refused(ok), "{ok:?}");
        }
        for refused in ['\0', '\u{1}', '\u{8}', '\u{b}', '\u{1b}', '\u{7f}', '\u{85}', '\u{9f}'] {
            assert!(is_refused(refused), "{refused:?}");
        }
    }

    #[test]
    fn clean_input_is_passed_on_untouched() {
        assert_eq!(clean(b""), None);
        assert_eq!(clean(b"name=Jo+Bloggs&notes=line%0D%0Anext%09tab"), None);
        assert_eq!(clean(b"%ZZ=%"), None);
    }

    #[test]
    fn control_characters_are_removed_and_their_fields_named_once() {
        let (body, fields) = clean(b"given=Jo%00&family=Bloggs&notes=a%01b&given=%1Bx").unwrap();
        assert_eq!(body, "given=Jo&family=Bloggs&notes=ab&given=x");
        assert_eq!(fields, ["given", "notes"]);
        let (body, fields) = clean(b"na%00me=x").unwrap();
        assert_eq!(body, "name=x");
        assert_eq!(fields, ["name"]);
        // A raw NUL byte (not percent-encoded) counts too.
        let (body, fields) = clean(b"q=a\0b").unwrap();
        assert_eq!((body.as_str(), fields), ("q=ab", vec!["q".to_string()]));
    }

    #[test]
    fn paths_are_decoded_to_be_checked() {
        assert_eq!(percent_decoded("/people/abc"), "/people/abc");
        assert_eq!(percent_decoded("/people/a%00b"), "/people/a\0b");
        assert_eq!(percent_decoded("/p/%C2%85%2"), "/p/\u{85}%2");
        assert_eq!(percent_decoded("/p/%zz%"), "/p/%zz%");
        assert!(percent_decoded("/p/%ff").contains('\u{FFFD}'));
    }
}
