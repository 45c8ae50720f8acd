//! Serving the compiled-in static files: content-hashed URLs as `immutable`.

use actix_web::http::header;
use actix_web::{HttpResponse, web};

use super::error::AppError;
use crate::views::assets;

pub async fn serve(path: web::Path<(String, String)>) -> Result<HttpResponse, AppError> {
    let (hash, name) = path.into_inner();
    let asset = assets::find(&hash, &name).ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Ok()
        .content_type(asset.content_type)
        .insert_header((header::CACHE_CONTROL, "public, max-age=31536000, immutable"))
        .body(asset.bytes))
}

/// `GET /favicon.ico`, which browsers ask for by themselves. Its address cannot change with
/// its content, so it is cached for a day rather than for good.
pub async fn favicon() -> HttpResponse {
    let icon = assets::get("favicon.ico");
    HttpResponse::Ok()
        .content_type(icon.content_type)
        .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
        .body(icon.bytes)
}
