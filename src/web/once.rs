//! Unsafe requests happen once (issue 13). Every form carries a one-time `request_key` (see
//! [`crate::views::components::csrf_field`]); the first POST with a key claims it, and when
//! it ends in a redirect (the app's answer to a change made) the redirect is kept. The same
//! POST sent again — a retry after a dropped connection, a double click, the Back button —
//! is not run again but answered with that redirect. A POST refused or shown again with
//! errors gives its key back, so the corrected form can be sent. htmx requests (autosave,
//! fragments) and requests without a key pass straight through.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{Method, StatusCode, header};
use actix_web::middleware::Next;
use actix_web::web::{Bytes, Data};
use actix_web::{Error, HttpMessage, HttpResponse};
use diesel::prelude::*;

use crate::clock::Millis;
use crate::db::schema::request_keys;
use crate::db::{DbConnection, write_tx};
use crate::web::error::AppError;
use crate::web::state::AppState;

/// The hidden field every form carries.
pub const FIELD: &str = "request_key";
/// How long a key is remembered.
const KEEP_MS: Millis = 24 * 3_600_000;

enum Claim {
    /// First time: go ahead.
    New,
    /// Done before: where it led.
    Done(String),
    /// The first is still being handled.
    Busy,
}

fn claim(conn: &mut DbConnection, key: &str, now: Millis) -> Result<Claim, AppError> {
    write_tx(conn, |conn| {
        diesel::delete(request_keys::table.filter(request_keys::created_at.lt(now - KEEP_MS))).execute(conn)?;
        let seen: Option<Option<String>> = request_keys::table
            .find(key)
            .select(request_keys::location)
            .first(conn)
            .optional()?;
        match seen {
            Some(Some(location)) => return Ok(Claim::Done(location)),
            Some(None) => return Ok(Claim::Busy),
            None => {}
        }
        let inserted = diesel::insert_into(request_keys::table)
            .values((request_keys::key.eq(key), request_keys::created_at.eq(now)))
            .execute(conn);
        match inserted {
            Ok(_) => Ok(Claim::New),
            Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => {
                Ok(Claim::Busy)
            }
            Err(e) => Err(e.into()),
        }
    })
}

/// The request's key, if it is a form POST that carries one; the body is put back.
async fn key_of(req: &mut ServiceRequest) -> Result<Option<String>, Error> {
    let form = req.content_type() == "application/x-www-form-urlencoded";
    if req.method() != Method::POST || !form || req.headers().contains_key("HX-Request") {
        return Ok(None);
    }
    let body = req.extract::<Bytes>().await.map_err(super::input::unreadable_body)?;
    let key = form_urlencoded_key(&body);
    req.set_payload(super::bytes_payload(body));
    Ok(key)
}

fn form_urlencoded_key(body: &[u8]) -> Option<String> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).ok()?;
    pairs
        .into_iter()
        .find(|(k, _)| k == FIELD)
        .map(|(_, v)| v)
        .filter(|v| (16..=128).contains(&v.len()))
}

pub async fn once(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    let Some(key) = key_of(&mut req).await? else {
        return Ok(next.call(req).await?.map_into_left_body());
    };
    let Some(state) = req.app_data::<Data<AppState>>().cloned() else {
        return Ok(next.call(req).await?.map_into_left_body());
    };
    let now = state.now();
    let k = key.clone();
    match state.db(move |conn| claim(conn, &k, now)).await? {
        Claim::New => {}
        Claim::Done(location) => {
            let res = HttpResponse::SeeOther()
                .insert_header((header::LOCATION, location))
                .finish();
            return Ok(req.into_response(res).map_into_right_body());
        }
        Claim::Busy => {
            let err = AppError::Refused("This form is already being sent".into());
            return Ok(req.error_response(err).map_into_right_body());
        }
    }
    let res = next.call(req).await?;
    // A redirect to sign in is not a change made: the same form may be sent again after.
    let location = (res.status() == StatusCode::SEE_OTHER)
        .then(|| res.headers().get(header::LOCATION)?.to_str().ok().map(String::from))
        .flatten()
        .filter(|l| !l.starts_with("/sign-in"));
    state
        .db(move |conn| {
            write_tx(conn, |conn| -> Result<(), AppError> {
                let row = request_keys::table.find(&key);
                match location {
                    Some(l) => diesel::update(row).set(request_keys::location.eq(l)).execute(conn)?,
                    None => diesel::delete(row).execute(conn)?,
                };
                Ok(())
            })
        })
        .await?;
    Ok(res.map_into_left_body())
}
