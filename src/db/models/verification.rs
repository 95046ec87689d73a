//! Email verification tokens of experts: single use, with an expiry; only the hash is stored.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::expert_verification_tokens as tokens;
use crate::domain::ExpertId;
use crate::error::AppError;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = tokens)]
pub struct VerificationToken {
    pub token_hash: String,
    pub expert_id: ExpertId,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
}

pub fn insert(conn: &mut DbConn, token: &VerificationToken) -> Result<(), AppError> {
    diesel::insert_into(tokens::table)
        .values(token)
        .execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConn, token_hash: &str) -> Result<Option<VerificationToken>, AppError> {
    Ok(tokens::table
        .find(token_hash)
        .select(VerificationToken::as_select())
        .first(conn)
        .optional()?)
}

/// Marks the token used; false when it was already used (a concurrent confirmation won).
pub fn mark_used(
    conn: &mut DbConn,
    token_hash: &str,
    now: NaiveDateTime,
) -> Result<bool, AppError> {
    let changed = diesel::update(
        tokens::table
            .find(token_hash)
            .filter(tokens::used_at.is_null()),
    )
    .set(tokens::used_at.eq(Some(now)))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Deletes every unused token of an expert (a new link replaces the old ones, which then count
/// as unknown).
pub fn retire_all_for(conn: &mut DbConn, expert_id: &ExpertId) -> Result<(), AppError> {
    diesel::delete(
        tokens::table
            .filter(tokens::expert_id.eq(expert_id))
            .filter(tokens::used_at.is_null()),
    )
    .execute(conn)?;
    Ok(())
}

/// Registrations with this email address or KvK number that never confirmed their address and
/// have no working link left: created at least `lifetime` ago, every unused link expired. Such a
/// sign-up proves nothing about who owns the address, so it must not hold it (or the company's
/// KvK number) against a new registration for ever.
pub fn lapsed_registrations(
    conn: &mut DbConn,
    email: &str,
    kvk: &str,
    now: NaiveDateTime,
    lifetime: chrono::Duration,
) -> Result<Vec<ExpertId>, AppError> {
    use crate::db::schema::experts;
    use diesel::dsl::{exists, not};
    let live_link = tokens::table
        .filter(tokens::expert_id.eq(experts::id))
        .filter(tokens::used_at.is_null())
        .filter(tokens::expires_at.gt(now));
    Ok(experts::table
        .filter(experts::status.eq(crate::domain::ExpertStatus::Unverified))
        .filter(experts::email.eq(email).or(experts::kvk_number.eq(kvk)))
        .filter(experts::created_at.le(now - lifetime))
        .filter(not(exists(live_link)))
        .select(experts::id)
        .load(conn)?)
}

/// Deletes lapsed registrations (their links and expertise go with them by cascade) and any
/// session they still had.
pub fn delete_lapsed(conn: &mut DbConn, ids: &[ExpertId]) -> Result<(), AppError> {
    use crate::db::schema::{experts, sessions};
    diesel::delete(sessions::table.filter(sessions::principal_id.eq_any(ids))).execute(conn)?;
    diesel::delete(
        experts::table
            .filter(experts::id.eq_any(ids))
            .filter(experts::status.eq(crate::domain::ExpertStatus::Unverified)),
    )
    .execute(conn)?;
    Ok(())
}
