//! Turns every error answer into a problem: actix's own plain-text errors (404 for an unknown
//! route, 405, extractor failures) become problem+json, and a browser asking for a page outside
//! the API gets the friendly error page of [`super::pages::error_page`] instead.

use actix_web::{
    HttpRequest, HttpResponse, ResponseError,
    body::MessageBody,
    dev::ServiceResponse,
    http::{StatusCode, header},
    middleware::ErrorHandlerResponse,
};

use crate::error::{AppError, ConflictKind, PROBLEM_JSON};

/// Fallback for unknown routes.
pub async fn not_found() -> Result<HttpResponse, AppError> {
    Err(AppError::NotFound)
}

/// `ErrorHandlers::default_handler`: rewrites error responses that are not yet a problem or page.
pub fn convert<B: MessageBody + 'static>(
    res: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let content_type = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let wants_page = wants_html(res.request());
    let is_problem = content_type.starts_with(PROBLEM_JSON);
    if content_type.starts_with("text/html") || (is_problem && !wants_page) {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let mut replacement = if wants_page {
        let conflict = res
            .response()
            .extensions()
            .get::<ConflictKind>()
            .map(|k| k.key());
        super::pages::error_page(res.request(), status, conflict)
    } else {
        for_status(status).error_response()
    };
    for name in [header::RETRY_AFTER, header::ALLOW, header::WWW_AUTHENTICATE] {
        if let Some(value) = res.headers().get(&name) {
            replacement.headers_mut().insert(name, value.clone());
        }
    }
    let (req, _) = res.into_parts();
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(req, replacement).map_into_right_body::<B>(),
    ))
}

/// A problem for an error status produced outside our handlers.
fn for_status(status: StatusCode) -> AppError {
    match status.as_u16() {
        401 => AppError::Unauthorized("Log in first.".into()),
        403 => AppError::Forbidden,
        404 => AppError::NotFound,
        405 => AppError::MethodNotAllowed,
        413 => AppError::PayloadTooLarge { limit: 0 },
        415 => AppError::UnsupportedMediaType,
        429 => AppError::RateLimited {
            retry_after_secs: 1,
        },
        503 => AppError::Unavailable(String::new()),
        s if s >= 500 => AppError::internal(format!("status {s} without a problem body")),
        _ => AppError::BadRequest(
            status
                .canonical_reason()
                .unwrap_or("Bad request")
                .to_owned()
                + ".",
        ),
    }
}

/// A browser navigating outside the API wants a page, not JSON.
fn wants_html(req: &HttpRequest) -> bool {
    !super::is_api(req)
        && req
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"))
}
