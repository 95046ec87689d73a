//! Sessions of experts and moderators: an opaque 256-bit bearer token, stored hashed, that lasts
//! [`SESSION_LIFETIME`]. Pages carry the same token in the `hh_session` cookie.

use chrono::{Duration, NaiveDateTime};

use crate::db::DbConn;
use crate::db::models::session;
use crate::domain::Role;
use crate::domain::token::{NewToken, hash_token};
use crate::error::AppError;

/// How long a login lasts.
pub const SESSION_LIFETIME: Duration = Duration::hours(12);

/// A session just opened: the secret token (shown once, never stored) and its end.
#[derive(Debug)]
pub struct OpenedSession {
    pub token: String,
    pub role: Role,
    pub expires_at: NaiveDateTime,
}

/// Opens a new session (a new token at every login) for one expert or moderator.
pub fn open(
    conn: &mut DbConn,
    role: Role,
    principal_id: &str,
    now: NaiveDateTime,
) -> Result<OpenedSession, AppError> {
    let token = NewToken::generate();
    let row = session::create(
        conn,
        &token.hash,
        role,
        principal_id,
        now,
        now + SESSION_LIFETIME,
    )?;
    Ok(OpenedSession {
        token: token.secret,
        role,
        expires_at: row.expires_at,
    })
}

/// The live session a secret token belongs to, if any.
pub fn find_live(
    conn: &mut DbConn,
    token: &str,
    now: NaiveDateTime,
) -> Result<Option<session::Session>, AppError> {
    session::find_live(conn, &hash_token(token), now)
}

/// Ends one session (log out).
pub fn end(conn: &mut DbConn, session_id: &str, now: NaiveDateTime) -> Result<(), AppError> {
    session::revoke(conn, session_id, now)
}
