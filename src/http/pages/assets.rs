//! The one stylesheet and the one small script of the pages, embedded from `static/` and served
//! at `/static/<file>`. Pages link them as `/static/app.css?v=<content hash>`: with the current
//! hash the answer may be cached for a year (`immutable`); every answer has an `ETag` and a
//! matching `If-None-Match` gets 304. No CDN, no web fonts from elsewhere.

use std::sync::OnceLock;

use actix_web::{HttpRequest, HttpResponse, http::header, web};
use rust_embed::RustEmbed;

use crate::error::AppError;

#[derive(RustEmbed)]
#[folder = "static/"]
struct StaticFiles;

/// The first 16 hex digits of a file's SHA-256.
fn hash_of(file: &str) -> Option<String> {
    let data = StaticFiles::get(file)?;
    Some(crate::domain::token::hex(&data.metadata.sha256_hash()[..8]))
}

fn versioned(file: &'static str, cell: &'static OnceLock<String>) -> &'static str {
    cell.get_or_init(|| match hash_of(file) {
        Some(hash) => format!("/static/{file}?v={hash}"),
        None => format!("/static/{file}"),
    })
}

pub fn css_url() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    versioned("app.css", &URL)
}

pub fn js_url() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    versioned("app.js", &URL)
}

/// `GET /static/{file}`
pub async fn serve(req: HttpRequest, file: web::Path<String>) -> Result<HttpResponse, AppError> {
    let name = file.into_inner();
    let content_type = match name.rsplit_once('.').map(|(_, ext)| ext) {
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        _ => return Err(AppError::NotFound),
    };
    let (data, hash) = StaticFiles::get(&name)
        .zip(hash_of(&name))
        .ok_or(AppError::NotFound)?;
    let etag = format!("\"{hash}\"");
    let current = url::form_urlencoded::parse(req.query_string().as_bytes())
        .any(|(k, v)| k == "v" && v == hash.as_str());
    let cache = if current {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=300"
    };
    let not_modified = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag));
    let mut response = if not_modified {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    response
        .insert_header((header::ETAG, etag))
        .insert_header((header::CACHE_CONTROL, cache))
        .insert_header(("X-Content-Type-Options", "nosniff"));
    if not_modified {
        return Ok(response.finish());
    }
    Ok(response
        .content_type(content_type)
        .body(data.data.into_owned()))
}
