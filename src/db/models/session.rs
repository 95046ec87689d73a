//! Login sessions: an opaque bearer token (stored hashed) bound to one expert or moderator.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::{DbConn, schema::sessions};
use crate::domain::Role;
use crate::error::AppError;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = sessions)]
pub struct Session {
    pub id: String,
    pub token_hash: String,
    pub role: String,
    pub principal_id: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
}

impl Session {
    pub fn role(&self) -> Option<Role> {
        Role::parse(&self.role)
    }
}

pub fn create(
    conn: &mut DbConn,
    token_hash: &str,
    role: Role,
    principal_id: &str,
    now: NaiveDateTime,
    expires_at: NaiveDateTime,
) -> Result<Session, AppError> {
    let row = Session {
        id: crate::db::new_id(),
        token_hash: token_hash.to_owned(),
        role: role.as_str().to_owned(),
        principal_id: principal_id.to_owned(),
        created_at: now,
        expires_at,
        revoked_at: None,
    };
    diesel::insert_into(sessions::table)
        .values(&row)
        .execute(conn)?;
    Ok(row)
}

/// The live session for a token hash: not revoked and not expired at `now`.
pub fn find_live(
    conn: &mut DbConn,
    token_hash: &str,
    now: NaiveDateTime,
) -> Result<Option<Session>, AppError> {
    Ok(sessions::table
        .filter(sessions::token_hash.eq(token_hash))
        .filter(sessions::revoked_at.is_null())
        .filter(sessions::expires_at.gt(now))
        .select(Session::as_select())
        .first(conn)
        .optional()?)
}

pub fn revoke(conn: &mut DbConn, session_id: &str, now: NaiveDateTime) -> Result<(), AppError> {
    diesel::update(sessions::table.filter(sessions::id.eq(session_id)))
        .set(sessions::revoked_at.eq(Some(now)))
        .execute(conn)?;
    Ok(())
}

/// Ends every session of one principal (e.g. when an expert is suspended).
pub fn revoke_all_for(
    conn: &mut DbConn,
    principal_id: &str,
    now: NaiveDateTime,
) -> Result<usize, AppError> {
    Ok(diesel::update(
        sessions::table
            .filter(sessions::principal_id.eq(principal_id))
            .filter(sessions::revoked_at.is_null()),
    )
    .set(sessions::revoked_at.eq(Some(now)))
    .execute(conn)?)
}
