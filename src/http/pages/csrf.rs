//! Cross-site request forgery protection for page forms: the "double submit" pattern (OWASP).
//! Every page sets a random 256-bit token in the HTTP-only, SameSite=Lax `hh_csrf` cookie (Secure
//! and named `__Host-hh_csrf` on https, see `http::cookies`) and puts the same token in a hidden `csrf_token` field of each form; a POST is
//! accepted only when both are present and equal, and when its `Origin` (if sent) is this site.
//! A site that forges a form cannot read the cookie, so it cannot fill in the field. It needs no
//! server-side state, so it works before login (register, log in) and across instances.
//!
//! [`PageForm`] is the extractor for every page POST: it checks the token, then parses the
//! `application/x-www-form-urlencoded` body with `serde_html_form` (repeated keys → `Vec`).

use std::future::Future;
use std::pin::Pin;

use actix_web::cookie::Cookie;
use actix_web::{FromRequest, HttpMessage, HttpRequest, dev::Payload, web};
use serde::de::DeserializeOwned;

use crate::domain::token::NewToken;
use crate::error::AppError;
use crate::http::AppState;

pub const CSRF_COOKIE: &str = crate::http::cookies::CSRF;
pub const CSRF_FIELD: &str = "csrf_token";

/// The token of the request's cookie, when it looks like one of ours.
pub fn token_of(req: &HttpRequest) -> Option<String> {
    crate::http::cookies::value(req, CSRF_COOKIE).filter(|v| well_formed(v))
}

fn well_formed(token: &str) -> bool {
    (40..=64).contains(&token.len())
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

pub fn new_token() -> String {
    NewToken::generate().secret
}

pub fn cookie(state: &AppState, token: String) -> Cookie<'static> {
    crate::http::cookies::build(&state.settings, CSRF_COOKIE, token).finish()
}

/// Equal without leaking where they differ through timing.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Whether the request's `Origin` names this site (`None`: no Origin header was sent).
fn same_origin(req: &HttpRequest) -> Option<bool> {
    let origin = req.headers().get("origin")?.to_str().ok()?;
    let host = req.connection_info().host().to_owned();
    let origin_host = url::Url::parse(origin)
        .ok()
        .and_then(|u| u.host_str().map(|h| (h.to_owned(), u.port())))
        .map(|(h, port)| port.map_or(h.clone(), |p| format!("{h}:{p}")));
    Some(origin_host.as_deref() == Some(host.as_str()))
}

/// The header that carries the CSRF token on an API call made with the session cookie.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// An API call that changes state and is authenticated by the session cookie (not a bearer
/// token) must come from this site's own pages: a same-origin `Origin` header and the CSRF
/// token in `X-CSRF-Token`. A cross-site page can send the cookie but can neither set the header
/// nor read the token, so such calls get 403.
pub fn check_api_cookie_call(req: &HttpRequest) -> Result<(), AppError> {
    if same_origin(req) != Some(true) {
        return Err(AppError::Forbidden);
    }
    let cookie = token_of(req).ok_or(AppError::Forbidden)?;
    let sent = req
        .headers()
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
        .ok_or(AppError::Forbidden)?;
    if same(&cookie, sent) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Checks the form's token against the cookie, and the `Origin` against the host.
pub fn check(req: &HttpRequest, body: &[u8]) -> Result<(), AppError> {
    if same_origin(req) == Some(false) {
        return Err(AppError::Forbidden);
    }
    let cookie = token_of(req).ok_or(AppError::Forbidden)?;
    let sent = url::form_urlencoded::parse(body)
        .find(|(k, _)| k == CSRF_FIELD)
        .map(|(_, v)| v.into_owned())
        .ok_or(AppError::Forbidden)?;
    if same(&cookie, &sent) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// A checked page form, parsed into `T`.
pub struct PageForm<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for PageForm<T> {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let bytes = web::Bytes::from_request(&req, payload);
        Box::pin(async move {
            if req.content_type() != "application/x-www-form-urlencoded" {
                return Err(AppError::UnsupportedMediaType);
            }
            let body = bytes
                .await
                .map_err(|e| AppError::BadRequest(format!("The form could not be read: {e}")))?;
            check(&req, &body)?;
            crate::http::text_guard::scan_form(&body)?;
            req.extensions_mut()
                .insert(super::spam::Signals::of_body(&body));
            serde_html_form::from_bytes(&body)
                .map(PageForm)
                .map_err(|e| AppError::BadRequest(format!("The form could not be read: {e}")))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_equal_tokens_match() {
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "abcd"));
        assert!(well_formed(&new_token()));
        assert!(!well_formed("short"));
        assert!(!well_formed(&"x\"".repeat(30)));
    }
}
