//! Intakes, their case-link tokens and the matches offered to them.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::{experts, intake_matches, intake_tokens, intakes};
use crate::domain::{ExpertId, IncidentType, IntakeId, IntakeStatus, Reason, Urgency};
use crate::error::AppError;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = intakes)]
pub struct IntakeRow {
    pub id: IntakeId,
    pub status: IntakeStatus,
    pub incident_type: IncidentType,
    pub urgency: Urgency,
    pub description: Option<String>,
    pub place: String,
    pub municipality: String,
    pub province: String,
    pub lat: f64,
    pub lon: f64,
    pub needs_on_site: bool,
    pub language: String,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub company_name: Option<String>,
    pub company_kvk: Option<String>,
    pub company_employees: Option<i32>,
    pub company_sector: Option<String>,
    pub disclaimer_version: String,
    pub consented_at: NaiveDateTime,
    pub idempotency_key: Option<String>,
    pub request_fingerprint: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub closed_at: Option<NaiveDateTime>,
    pub outcome: Option<String>,
    pub erased_at: Option<NaiveDateTime>,
    pub connected_expert_id: Option<ExpertId>,
    pub connected_at: Option<NaiveDateTime>,
    pub feedback_invited_at: Option<NaiveDateTime>,
    pub resilience_invited_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = intake_matches)]
pub struct MatchRow {
    pub intake_id: IntakeId,
    pub expert_id: ExpertId,
    pub rank: i32,
    pub mode: String,
    pub distance_km: f64,
    /// JSON array of [`Reason`]s (codes with parameters, never sentences).
    pub reason_codes: String,
    pub created_at: NaiveDateTime,
}

impl MatchRow {
    pub fn reasons(&self) -> Vec<Reason> {
        Reason::list_from_json(&self.reason_codes)
    }
}

pub fn insert(conn: &mut DbConn, row: &IntakeRow) -> Result<(), AppError> {
    diesel::insert_into(intakes::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// Inserts an intake that carries an idempotency key; `Ok(false)` when another intake already
/// holds that key (two requests with one key raced on PostgreSQL). The insert runs in a
/// savepoint, so the surrounding transaction stays usable; any other error is an error.
pub fn insert_keyed(conn: &mut DbConn, row: &IntakeRow) -> Result<bool, AppError> {
    use diesel::result::{DatabaseErrorKind, Error};
    let inserted = conn.transaction(|conn| {
        diesel::insert_into(intakes::table)
            .values(row)
            .execute(conn)
    });
    match inserted {
        Ok(_) => Ok(true),
        Err(Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info))
            if info
                .constraint_name()
                .unwrap_or(info.message())
                .contains("idempotency_key") =>
        {
            Ok(false)
        }
        Err(other) => Err(other.into()),
    }
}

pub fn find(conn: &mut DbConn, id: &IntakeId) -> Result<Option<IntakeRow>, AppError> {
    Ok(intakes::table
        .find(id)
        .select(IntakeRow::as_select())
        .first(conn)
        .optional()?)
}

/// The intake, locked for the rest of the transaction: `FOR UPDATE` on PostgreSQL, so that every
/// transition of one intake runs one after the other; on SQLite the write transaction
/// (`BEGIN IMMEDIATE`) already holds the only write lock. 404 when unknown.
pub fn lock(conn: &mut DbConn, id: &IntakeId) -> Result<IntakeRow, AppError> {
    let row = match conn {
        DbConn::Pg(pg) => intakes::table
            .find(id)
            .select(IntakeRow::as_select())
            .for_update()
            .first(pg)
            .optional()?,
        DbConn::Sqlite(sqlite) => intakes::table
            .find(id)
            .select(IntakeRow::as_select())
            .first(sqlite)
            .optional()?,
    };
    row.ok_or(AppError::NotFound)
}

pub fn find_by_idempotency_key(
    conn: &mut DbConn,
    key: &str,
) -> Result<Option<IntakeRow>, AppError> {
    Ok(intakes::table
        .filter(intakes::idempotency_key.eq(key))
        .select(IntakeRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn add_token(
    conn: &mut DbConn,
    intake_id: &IntakeId,
    token_hash: &str,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    diesel::insert_into(intake_tokens::table)
        .values((
            intake_tokens::token_hash.eq(token_hash),
            intake_tokens::intake_id.eq(intake_id),
            intake_tokens::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// The intake a case-link token belongs to.
pub fn intake_id_for_token(
    conn: &mut DbConn,
    token_hash: &str,
) -> Result<Option<IntakeId>, AppError> {
    Ok(intake_tokens::table
        .find(token_hash)
        .select(intake_tokens::intake_id)
        .first(conn)
        .optional()?)
}

pub fn insert_matches(conn: &mut DbConn, rows: &[MatchRow]) -> Result<(), AppError> {
    // One row at a time: MultiConnection cannot batch-insert on SQLite (at most 3 rows here).
    for row in rows {
        diesel::insert_into(intake_matches::table)
            .values(row)
            .execute(conn)?;
    }
    Ok(())
}

/// The matches of an intake in rank order, with each expert's company name.
pub fn matches_of(
    conn: &mut DbConn,
    intake_id: &IntakeId,
) -> Result<Vec<(MatchRow, String)>, AppError> {
    Ok(intake_matches::table
        .inner_join(experts::table.on(experts::id.eq(intake_matches::expert_id)))
        .filter(intake_matches::intake_id.eq(intake_id))
        .order(intake_matches::rank.asc())
        .select((MatchRow::as_select(), experts::company_name))
        .load(conn)?)
}

/// Records that an expert was placed first (fair rotation reads this).
pub fn mark_referred(
    conn: &mut DbConn,
    expert_id: &ExpertId,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    diesel::update(experts::table.find(expert_id))
        .set(experts::last_referral_at.eq(Some(now)))
        .execute(conn)?;
    Ok(())
}

/// open | requested → connected with `expert_id`. False when the intake was in any other state:
/// this conditional update is what makes the first acceptance the only one.
pub fn connect(
    conn: &mut DbConn,
    id: &str,
    expert_id: &ExpertId,
    now: NaiveDateTime,
) -> Result<bool, AppError> {
    let changed = diesel::update(
        intakes::table
            .filter(intakes::id.eq(id))
            .filter(intakes::status.eq_any(IntakeStatus::ACCEPTING))
            .filter(intakes::connected_expert_id.is_null()),
    )
    .set((
        intakes::status.eq(IntakeStatus::Connected),
        intakes::connected_expert_id.eq(expert_id),
        intakes::connected_at.eq(now),
        intakes::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Moves an intake from one of `from` to `to`; false when it was in none of them.
pub fn set_status(
    conn: &mut DbConn,
    id: &str,
    from: &[IntakeStatus],
    to: IntakeStatus,
    now: NaiveDateTime,
) -> Result<bool, AppError> {
    let changed = diesel::update(
        intakes::table
            .filter(intakes::id.eq(id))
            .filter(intakes::status.eq_any(from)),
    )
    .set((intakes::status.eq(to), intakes::updated_at.eq(now)))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Closes an intake with the victim's outcome; false when it was already closed or erased.
pub fn close(
    conn: &mut DbConn,
    id: &str,
    outcome: &str,
    now: NaiveDateTime,
) -> Result<bool, AppError> {
    let changed = diesel::update(
        intakes::table
            .filter(intakes::id.eq(id))
            .filter(intakes::status.ne_all(IntakeStatus::ENDED)),
    )
    .set((
        intakes::status.eq(IntakeStatus::Closed),
        intakes::outcome.eq(outcome),
        intakes::closed_at.eq(now),
        intakes::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Replaces the matches offered to an intake (a new round after declines and expiries).
pub fn replace_matches(
    conn: &mut DbConn,
    id: &IntakeId,
    rows: &[MatchRow],
) -> Result<(), AppError> {
    diesel::delete(intake_matches::table.filter(intake_matches::intake_id.eq(id))).execute(conn)?;
    insert_matches(conn, rows)
}

/// Intakes for the moderators' lists, newest first; `before` pages by id.
pub fn list(
    conn: &mut DbConn,
    status: Option<IntakeStatus>,
    before: Option<&str>,
    limit: i64,
) -> Result<Vec<IntakeRow>, AppError> {
    let mut query = intakes::table.select(IntakeRow::as_select()).into_boxed();
    if let Some(status) = status {
        query = query.filter(intakes::status.eq(status));
    }
    if let Some(before) = before {
        query = query.filter(intakes::id.lt(before.to_owned()));
    }
    Ok(query.order(intakes::id.desc()).limit(limit).load(conn)?)
}
