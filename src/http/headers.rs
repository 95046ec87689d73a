//! Headers every answer gets, whatever produced it (handler, extractor error, unknown route):
//! - on `/api/`: `X-Content-Type-Options: nosniff`, and `Cache-Control: no-store` unless the
//!   handler chose a cache policy itself (the public place search is cacheable). API answers
//!   carry case tokens, session tokens and contact details; no browser or proxy may keep them.
//!   (Pages set both, and more, in `pages::render::secure_headers`.)
//! - `Strict-Transport-Security: max-age=31536000` when `PUBLIC_URL` is https, never on http.
//!   Without `includeSubDomains`: the platform may share its domain with sites it does not run
//!   (e.g. `hackhelpdesk.nl` with other services under it), and HSTS on them is their operator's
//!   call, not ours; this host's own cookies are protected by the `__Host-` prefix anyway.

use actix_web::{
    Error,
    body::MessageBody,
    dev::{ServiceRequest, ServiceResponse},
    http::header::{self, HeaderValue},
    middleware::Next,
    web,
};

use super::{AppState, cookies};

/// One year, the value browsers' preload lists expect at least.
pub const HSTS: &str = "max-age=31536000";

/// `middleware::from_fn` middleware adding the headers above.
pub async fn security(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let api = super::is_api(req.request());
    let hsts = req
        .app_data::<web::Data<AppState>>()
        .is_some_and(|state| cookies::https(&state.settings));
    let mut response = next.call(req).await?;
    let headers = response.headers_mut();
    if api {
        headers.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
        if !headers.contains_key(header::CACHE_CONTROL) {
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        }
    }
    if hsts {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
    Ok(response)
}
