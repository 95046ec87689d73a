//! The site's cookies, named and built in one place. Every cookie is HTTP-only, SameSite=Lax and
//! for the whole site (`Path=/`, no `Domain`). When `PUBLIC_URL` is https, each is also `Secure`
//! and its name carries the `__Host-` prefix (`__Host-hh_session`, `__Host-hh_csrf`,
//! `__Host-hh_lang`): a browser then accepts it only from this exact host over https, so neither
//! a sibling subdomain nor a plain-http answer can plant or overwrite it. On http (development)
//! the plain names are used, since browsers refuse `__Host-` cookies without `Secure`.

use actix_web::cookie::{Cookie, CookieBuilder, SameSite};
use actix_web::{HttpRequest, web};

use super::AppState;
use crate::config::Settings;

/// The session token for pages (the same token as the API's bearer token).
pub const SESSION: &str = "hh_session";
/// The CSRF double-submit token of page forms.
pub const CSRF: &str = "hh_csrf";
/// The language picked with the switch.
pub const LANG: &str = "hh_lang";

const HOST_PREFIX: &str = "__Host-";

/// True when the site is served over https (`PUBLIC_URL`): cookies are `Secure` and prefixed.
pub fn https(settings: &Settings) -> bool {
    settings.public_url.scheme() == "https"
}

/// The name cookie `base` (one of [`SESSION`], [`CSRF`], [`LANG`]) has on this site.
pub fn name(settings: &Settings, base: &str) -> String {
    if https(settings) {
        format!("{HOST_PREFIX}{base}")
    } else {
        base.to_owned()
    }
}

/// The session cookie's name on this site.
pub fn session_name(settings: &Settings) -> String {
    name(settings, SESSION)
}

/// Cookie `base` with its site name, HTTP-only, SameSite=Lax, `Path=/`, and `Secure` on https.
pub fn build(settings: &Settings, base: &str, value: String) -> CookieBuilder<'static> {
    Cookie::build(name(settings, base), value)
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(https(settings))
}

/// The value of cookie `base` in the request, under its site name.
pub fn value(req: &HttpRequest, base: &str) -> Option<String> {
    let state = req.app_data::<web::Data<AppState>>()?;
    req.cookie(&name(&state.settings, base))
        .map(|c| c.value().to_owned())
}
