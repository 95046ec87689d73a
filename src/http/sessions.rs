//! `POST /api/v1/sessions` (log in) and `DELETE /api/v1/sessions` (log out), for moderators and
//! experts alike. A login answers with a bearer token and sets the same token as the HTTP-only
//! `hh_session` cookie for pages. Failed logins per email address and client slow down and then
//! lock that client; failures from all clients only slow down (see `domain::lockout`); unknown
//! addresses get exactly the same answers.

use std::net::IpAddr;
use std::sync::OnceLock;

use actix_web::cookie::{Cookie, time};
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{Duration, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::{AppState, auth::Authenticated, extract::ApiJson};
use crate::db::models::{expert, login_throttle, moderator, session};
use crate::db::{DbConn, write_tx};
use crate::domain::{
    Email, Password, PasswordHash, Role, lockout, token::NewToken, token::hash_token,
};
use crate::error::AppError;

/// How long a login lasts.
pub const SESSION_LIFETIME: Duration = Duration::hours(12);
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

const WRONG_LOGIN: &str = "The email address or password is not correct.";

pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    ApiJson(body): ApiJson<LoginRequest>,
) -> Result<HttpResponse, AppError> {
    let email = Email::parse(&body.email).map_err(|m| AppError::field("email", m))?;
    if body.password.is_empty() {
        return Err(AppError::field("password", "is required"));
    }
    let now = state.clock.now();
    let client = crate::limits::client_ip(&req);
    let (token, role, expires_at) = authenticate(&state, email, body.password, client, now).await?;
    let cookie = session_cookie(
        &state,
        token.clone(),
        time::Duration::seconds(SESSION_LIFETIME.num_seconds()),
    );
    Ok(HttpResponse::Created().cookie(cookie).json(LoginResponse {
        token,
        role,
        expires_at,
    }))
}

/// Checks the lock, counts the attempt, verifies the password, then opens a session (clearing
/// the counts) or refuses.
///
/// Failures are counted twice (see `domain::lockout`): for this address *from this client*,
/// which slows down and then locks only that client, and for the address from all clients,
/// which never locks but slows every attempt down once it is high. So a stranger's guesses can
/// never lock the owner out of their own account, and guessing from many clients is slowed.
///
/// The attempt is counted as a failure *before* the password is checked, in the same write
/// transaction as the lock check, so concurrent guesses are counted and locked exactly as
/// consecutive ones. The password is verified (argon2, slow by design) without holding a pooled
/// connection, so a burst of logins cannot starve other requests.
pub(crate) async fn authenticate(
    state: &AppState,
    email: Email,
    password: String,
    client: IpAddr,
    now: NaiveDateTime,
) -> Result<(String, Role, NaiveDateTime), AppError> {
    let keys = [
        hash_token(&format!(
            "{}\n{}",
            email.as_str(),
            crate::limits::key(client)
        )),
        hash_token(email.as_str()),
    ];
    let attempt_keys = keys.clone();
    let (account, slowdown) = state
        .db
        .run(move |conn| {
            write_tx(conn, |conn| {
                let [client_key, account_key] = &attempt_keys;
                let throttle = login_throttle::lock_or_create(conn, client_key, now)?;
                if let Some(until) = throttle.locked_until
                    && until > now
                {
                    return Err(AppError::RateLimited {
                        retry_after_secs: lockout::seconds_until(until, now),
                    });
                }
                count_failure(conn, throttle, now, lockout::wait_after)?;
                let all_clients = login_throttle::lock_or_create(conn, account_key, now)?;
                let failures = count_failure(conn, all_clients, now, |_| None)?;
                Ok((
                    find_account(conn, &email)?,
                    lockout::account_slowdown(failures),
                ))
            })
        })
        .await?;
    if let Some(wait) = slowdown {
        tokio::time::sleep(wait).await;
    }
    // Verify against a dummy hash when the account is unknown, so the answer takes as long
    // either way and never tells whether an email exists.
    let account = web::block(move || match account {
        Some((role, id, hash)) => hash.verify(&password).then_some((role, id)),
        None => {
            dummy_hash().verify(&password);
            None
        }
    })
    .await
    .map_err(AppError::internal)?;
    let Some((role, id)) = account else {
        return Err(AppError::Unauthorized(WRONG_LOGIN.into()));
    };
    state
        .db
        .run(move |conn| {
            write_tx(conn, |conn| {
                for key in &keys {
                    login_throttle::clear(conn, key)?;
                }
                let token = NewToken::generate();
                let s = session::create(conn, &token.hash, role, &id, now, now + SESSION_LIFETIME)?;
                Ok((token.secret, role, s.expires_at))
            })
        })
        .await
}

/// Moderators first, then experts (an address belongs to at most one of them in practice).
fn find_account(
    conn: &mut DbConn,
    email: &Email,
) -> Result<Option<(Role, String, PasswordHash)>, AppError> {
    if let Some(m) = moderator::find_by_email(conn, email)? {
        return Ok(Some((
            Role::Moderator,
            m.id,
            PasswordHash::from_stored(m.password_hash),
        )));
    }
    Ok(expert::find_by_email(conn, email.as_str())?.map(|e| {
        (
            Role::Expert,
            e.id,
            PasswordHash::from_stored(e.password_hash),
        )
    }))
}

/// Counts one more failure on the row [`login_throttle::lock_or_create`] returned, locking it
/// for `wait(failures)`; returns the new count.
fn count_failure(
    conn: &mut DbConn,
    previous: login_throttle::Throttle,
    now: NaiveDateTime,
    wait: impl Fn(i32) -> Option<Duration>,
) -> Result<i32, AppError> {
    let failures = lockout::next_failures(previous.failed_logins, previous.last_failed_at, now);
    login_throttle::save(
        conn,
        &login_throttle::Throttle {
            failed_logins: failures,
            last_failed_at: now,
            locked_until: wait(failures).map(|wait| now + wait),
            ..previous
        },
    )?;
    Ok(failures)
}

pub async fn logout(
    state: web::Data<AppState>,
    auth: Authenticated,
) -> Result<HttpResponse, AppError> {
    let now = state.clock.now();
    state
        .db
        .run(move |conn| session::revoke(conn, &auth.session_id, now))
        .await?;
    let expired = session_cookie(&state, String::new(), time::Duration::ZERO);
    Ok(HttpResponse::NoContent().cookie(expired).finish())
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

fn dummy_hash() -> &'static PasswordHash {
    static HASH: OnceLock<PasswordHash> = OnceLock::new();
    HASH.get_or_init(|| {
        Password::parse("not a real password, only for timing")
            .expect("long enough")
            .hash()
    })
}
