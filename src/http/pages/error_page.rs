//! The friendly HTML error page that browsers get instead of problem+json, in the visitor's
//! language, rendered from `templates/pages/error.hbs` inside the usual layout.

use actix_web::{HttpRequest, HttpResponse, body::BoxBody, http::StatusCode, web};
use serde_json::json;

use super::PageCtx;
use crate::http::AppState;

/// Which message fits `status`.
fn kind(status: StatusCode) -> &'static str {
    match status.as_u16() {
        401 => "unauthorized",
        403 => "forbidden",
        404 | 410 => "not_found",
        429 | 503 => "busy",
        422 => "invalid",
        s if s >= 500 => "server",
        _ => "generic",
    }
}

/// The error page for `status`; for a 409 `conflict` is the catalogue key of what happened.
/// A bare page when even the template cannot be rendered.
pub fn error_page(
    req: &HttpRequest,
    status: StatusCode,
    conflict: Option<&'static str>,
) -> HttpResponse<BoxBody> {
    let rendered = req.app_data::<web::Data<AppState>>().and_then(|state| {
        let kind = if conflict.is_some() {
            "conflict"
        } else {
            kind(status)
        };
        PageCtx::new(req, state)
            .without_new_csrf_cookie()
            .render(
                "error",
                status,
                json!({ "status": status.as_u16(), "kind": { kind: true }, "conflict": conflict }),
            )
            .ok()
    });
    rendered.unwrap_or_else(|| {
        HttpResponse::build(status)
            .content_type("text/html; charset=utf-8")
            .body(format!(
                "<!doctype html><html lang=\"nl\"><title>{0}</title><h1>{0}</h1><p><a href=\"/\">Hackhelpdesk</a></p></html>",
                status.as_u16()
            ))
    })
}
