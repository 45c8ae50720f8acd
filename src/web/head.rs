//! `HEAD` answered wherever `GET` is (RFC 9110 §9.3.2): the request is handled as a `GET`, so
//! the status and headers are the same, and actix's HTTP/1 encoder, which remembers that the
//! request on the wire was a `HEAD`, sends no body (keeping the `GET`'s `Content-Length`).
//! One middleware rather than a guard on each of the routes, so new routes get it too.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;

pub async fn answer_as_get(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if req.method() == Method::HEAD {
        req.head_mut().method = Method::GET;
    }
    next.call(req).await
}
