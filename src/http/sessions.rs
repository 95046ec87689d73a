//! `POST /api/v1/sessions` (log in) and `DELETE /api/v1/sessions` (log out), for moderators and
//! experts alike. A login answers with a bearer token and sets the same token as the HTTP-only
//! `hh_session` cookie for pages. The workflow, lockout included, is `accounts::login`.

use actix_web::cookie::{Cookie, time};
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use super::{AppState, auth::Authenticated, extract::ApiJson};
use crate::accounts::login;
use crate::accounts::sessions::{self, SESSION_LIFETIME};
use crate::domain::{Email, Role};
use crate::error::AppError;

/// The cookie that carries the session token for HTML pages (its name on this site:
/// [`super::cookies::session_name`]).
pub const SESSION_COOKIE: &str = super::cookies::SESSION;

#[derive(Deserialize, utoipa::ToSchema)]
pub struct LoginRequest {
    email: String,
    password: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct LoginResponse {
    token: String,
    #[schema(value_type = crate::http::openapi::codes::RoleCode)]
    role: Role,
    #[schema(value_type = String)]
    expires_at: NaiveDateTime,
}

pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    ApiJson(body): ApiJson<LoginRequest>,
) -> Result<HttpResponse, AppError> {
    let email = Email::parse(&body.email).map_err(|m| AppError::field("email", m))?;
    if body.password.is_empty() {
        return Err(AppError::field("password", "is required"));
    }
    let attempt = login::Attempt {
        email,
        password: body.password,
        client: crate::limits::client_ip(&req),
    };
    let session = login::log_in(&state.runner(), attempt).await?;
    let cookie = session_cookie(&state, session.token.clone(), session_max_age());
    Ok(HttpResponse::Created().cookie(cookie).json(LoginResponse {
        token: session.token,
        role: session.role,
        expires_at: session.expires_at,
    }))
}

pub async fn logout(
    state: web::Data<AppState>,
    auth: Authenticated,
) -> Result<HttpResponse, AppError> {
    state
        .workflow(move |ctx, conn| sessions::end(conn, &auth.session_id, ctx.now))
        .await?;
    let expired = session_cookie(&state, String::new(), time::Duration::ZERO);
    Ok(HttpResponse::NoContent().cookie(expired).finish())
}

/// How long the session cookie of a new login lives: as long as the session.
pub(crate) fn session_max_age() -> time::Duration {
    time::Duration::seconds(SESSION_LIFETIME.num_seconds())
}

/// `hh_session` (`__Host-hh_session` on https): HTTP-only, SameSite=Lax, Secure when PUBLIC_URL
/// is https, for the whole site.
pub(crate) fn session_cookie(
    state: &AppState,
    value: String,
    max_age: time::Duration,
) -> Cookie<'static> {
    super::cookies::build(&state.settings, SESSION_COOKIE, value)
        .max_age(max_age)
        .finish()
}
