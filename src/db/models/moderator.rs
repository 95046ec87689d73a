//! Moderators: PVO staff who vet experts and handle complaints.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::{DbConn, schema::moderators};
use crate::domain::{Email, PasswordHash};
use crate::error::{AppError, ConflictKind};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = moderators)]
pub struct Moderator {
    pub id: String,
    pub email: String,
    pub password_hash: String,
    pub created_at: NaiveDateTime,
}

/// Creates a moderator; a second one with the same email is a conflict.
pub fn create(
    conn: &mut DbConn,
    email: &Email,
    hash: &PasswordHash,
) -> Result<Moderator, AppError> {
    let row = Moderator {
        id: crate::db::new_id(),
        email: email.as_str().to_owned(),
        password_hash: hash.as_str().to_owned(),
        created_at: crate::db::now(),
    };
    diesel::insert_into(moderators::table)
        .values(&row)
        .execute(conn)
        .map_err(|e| match AppError::from(e) {
            AppError::Conflict(_) => AppError::Conflict(ConflictKind::ModeratorExists),
            other => other,
        })?;
    Ok(row)
}

pub fn find_by_email(conn: &mut DbConn, email: &Email) -> Result<Option<Moderator>, AppError> {
    Ok(moderators::table
        .filter(moderators::email.eq(email.as_str()))
        .select(Moderator::as_select())
        .first(conn)
        .optional()?)
}

/// Every moderator's email address (for alerts).
pub fn all_emails(conn: &mut DbConn) -> Result<Vec<String>, AppError> {
    Ok(moderators::table
        .select(moderators::email)
        .order(moderators::email.asc())
        .load(conn)?)
}
