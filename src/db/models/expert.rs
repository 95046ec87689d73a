//! Expert companies and their expertise: the rows, and every query on them (profile, vetting,
//! the candidate query of matching, the demo seed's batch insert).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{expert_expertise, experts};
use crate::db::{DbConn, on_each_backend};
use crate::domain::{ExpertId, ExpertStatus, IncidentType};
use crate::error::{AppError, ConflictKind};

/// One expert company as stored. Never serialised as is: it holds the password hash.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, Identifiable)]
#[diesel(table_name = experts)]
pub struct ExpertRow {
    pub id: ExpertId,
    pub status: ExpertStatus,
    pub paused: bool,
    pub company_name: String,
    pub kvk_number: String,
    pub email: String,
    pub password_hash: String,
    pub contact_name: String,
    pub phone: String,
    pub website: Option<String>,
    pub base_lat: f64,
    pub base_lon: f64,
    pub base_place: String,
    pub base_municipality: String,
    pub base_province: String,
    pub radius_km: i32,
    pub remote: bool,
    /// JSON array of ISO 639-1 codes.
    pub languages: String,
    pub capacity: i32,
    pub open_cases: i32,
    pub available_24_7: bool,
    pub code_of_conduct_version: i32,
    pub code_of_conduct_accepted_at: NaiveDateTime,
    pub status_reason: Option<String>,
    pub verified_at: Option<NaiveDateTime>,
    pub approved_at: Option<NaiveDateTime>,
    pub last_referral_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl ExpertRow {
    pub fn languages(&self) -> Vec<String> {
        serde_json::from_str(&self.languages).unwrap_or_default()
    }
}

/// Profile fields to change; `None` leaves a column as it is (`website: Some(None)` clears it).
#[derive(Debug, Default, Clone, AsChangeset)]
#[diesel(table_name = experts)]
pub struct ProfileChanges {
    pub company_name: Option<String>,
    pub kvk_number: Option<String>,
    pub contact_name: Option<String>,
    pub phone: Option<String>,
    pub website: Option<Option<String>>,
    pub base_lat: Option<f64>,
    pub base_lon: Option<f64>,
    pub base_place: Option<String>,
    pub base_municipality: Option<String>,
    pub base_province: Option<String>,
    pub radius_km: Option<i32>,
    pub remote: Option<bool>,
    pub languages: Option<String>,
    pub capacity: Option<i32>,
    pub available_24_7: Option<bool>,
}

/// Inserts an expert with its expertise (call inside a write transaction).
pub fn insert(
    conn: &mut DbConn,
    row: &ExpertRow,
    expertise: &[IncidentType],
) -> Result<(), AppError> {
    diesel::insert_into(experts::table)
        .values(row)
        .execute(conn)?;
    set_expertise(conn, &row.id, expertise)
}

/// Inserts many experts and their expertise in chunks (one statement per chunk).
pub fn insert_batch(
    conn: &mut DbConn,
    rows: &[ExpertRow],
    expertise: &[(ExpertId, IncidentType)],
) -> Result<(), AppError> {
    for chunk in rows.chunks(500) {
        on_each_backend!(&mut *conn, |c| diesel::insert_into(experts::table)
            .values(chunk)
            .execute(c))?;
    }
    let pairs: Vec<_> = expertise
        .iter()
        .map(|(id, t)| {
            (
                expert_expertise::expert_id.eq(id.as_str()),
                expert_expertise::incident_type.eq(t.as_str()),
            )
        })
        .collect();
    for chunk in pairs.chunks(2000) {
        on_each_backend!(&mut *conn, |c| diesel::insert_into(expert_expertise::table)
            .values(chunk)
            .execute(c))?;
    }
    Ok(())
}

/// Replaces an expert's expertise.
pub fn set_expertise(
    conn: &mut DbConn,
    id: &str,
    expertise: &[IncidentType],
) -> Result<(), AppError> {
    diesel::delete(expert_expertise::table.filter(expert_expertise::expert_id.eq(id)))
        .execute(conn)?;
    let rows: Vec<_> = expertise
        .iter()
        .map(|t| {
            (
                expert_expertise::expert_id.eq(id),
                expert_expertise::incident_type.eq(t.as_str()),
            )
        })
        .collect();
    on_each_backend!(conn, |c| diesel::insert_into(expert_expertise::table)
        .values(&rows)
        .execute(c))?;
    Ok(())
}

pub fn expertise_of(conn: &mut DbConn, id: &ExpertId) -> Result<Vec<IncidentType>, AppError> {
    let codes: Vec<String> = expert_expertise::table
        .filter(expert_expertise::expert_id.eq(id))
        .select(expert_expertise::incident_type)
        .load(conn)?;
    let mut types: Vec<IncidentType> = codes
        .iter()
        .filter_map(|c| IncidentType::parse(c))
        .collect();
    types.sort();
    Ok(types)
}

pub fn find(conn: &mut DbConn, id: &ExpertId) -> Result<Option<ExpertRow>, AppError> {
    Ok(experts::table
        .find(id)
        .select(ExpertRow::as_select())
        .first(conn)
        .optional()?)
}

/// The expert, or 404.
pub fn get(conn: &mut DbConn, id: &ExpertId) -> Result<ExpertRow, AppError> {
    find(conn, id)?.ok_or(AppError::NotFound)
}

pub fn find_by_email(conn: &mut DbConn, email: &str) -> Result<Option<ExpertRow>, AppError> {
    Ok(experts::table
        .filter(experts::email.eq(email))
        .select(ExpertRow::as_select())
        .first(conn)
        .optional()?)
}

/// Whether another expert than `except` has this KvK number.
pub fn kvk_taken(conn: &mut DbConn, kvk: &str, except: Option<&str>) -> Result<bool, AppError> {
    let mut query = experts::table
        .filter(experts::kvk_number.eq(kvk))
        .select(experts::id)
        .into_boxed();
    if let Some(id) = except {
        query = query.filter(experts::id.ne(id.to_owned()));
    }
    Ok(query.first::<String>(conn).optional()?.is_some())
}

pub fn email_taken(conn: &mut DbConn, email: &str) -> Result<bool, AppError> {
    Ok(find_by_email(conn, email)?.is_some())
}

/// Moves an expert from `from` to `status`, with the reason shown to the expert (rejection,
/// suspension). The update is conditional on the status still being `from`, so of two concurrent
/// decisions (two moderators, or a moderator and the expert) only the first takes effect; the
/// other gets 409. On PostgreSQL the second waits for the first's row lock, then matches nothing.
pub fn set_status(
    conn: &mut DbConn,
    id: &str,
    from: ExpertStatus,
    status: ExpertStatus,
    reason: Option<&str>,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let target = experts::table.find(id);
    let changed = diesel::update(target.filter(experts::status.eq(from)))
        .set((
            experts::status.eq(status),
            experts::status_reason.eq(reason),
            experts::updated_at.eq(now),
        ))
        .execute(conn)?;
    if changed == 0 {
        return Err(AppError::Conflict(ConflictKind::StatusChanged));
    }
    match status {
        ExpertStatus::PendingReview => {
            diesel::update(target.filter(experts::verified_at.is_null()))
                .set(experts::verified_at.eq(now))
                .execute(conn)?;
        }
        ExpertStatus::Approved => {
            diesel::update(target)
                .set(experts::approved_at.eq(now))
                .execute(conn)?;
        }
        _ => {}
    }
    Ok(())
}

pub fn update_profile(
    conn: &mut DbConn,
    id: &str,
    changes: &ProfileChanges,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    diesel::update(experts::table.find(id))
        .set((changes, experts::updated_at.eq(now)))
        .execute(conn)?;
    Ok(())
}

pub fn set_paused(
    conn: &mut DbConn,
    id: &str,
    paused: bool,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    diesel::update(experts::table.find(id))
        .set((experts::paused.eq(paused), experts::updated_at.eq(now)))
        .execute(conn)?;
    Ok(())
}

pub fn accept_code_of_conduct(
    conn: &mut DbConn,
    id: &str,
    version: i32,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    diesel::update(experts::table.find(id))
        .set((
            experts::code_of_conduct_version.eq(version),
            experts::code_of_conduct_accepted_at.eq(now),
            experts::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Experts for the moderators' lists, newest first; `before` pages by id (UUID v7 sorts by time).
pub fn list(
    conn: &mut DbConn,
    status: Option<ExpertStatus>,
    before: Option<&str>,
    limit: i64,
) -> Result<Vec<ExpertRow>, AppError> {
    let mut query = experts::table.select(ExpertRow::as_select()).into_boxed();
    if let Some(status) = status {
        query = query.filter(experts::status.eq(status));
    }
    if let Some(before) = before {
        query = query.filter(experts::id.lt(before.to_owned()));
    }
    Ok(query.order(experts::id.desc()).limit(limit).load(conn)?)
}

/// The candidate query matching used before the in-memory index, kept as the reference the
/// index is tested against (`intakes::pool::reference_ranking`): approved, unpaused experts who
/// accepted the current code of conduct, have `incident` in their expertise and are below capacity, counting the requests
/// that wait for their answer (`help_requests_pending_by_expert`). One indexed query: the
/// expertise index narrows by incident type, `experts_matchable` by status and version.
pub fn candidates(
    conn: &mut DbConn,
    incident: IncidentType,
    current_code_of_conduct: i32,
) -> Result<Vec<super::expert_index::IndexRow>, AppError> {
    Ok(experts::table
        .inner_join(expert_expertise::table)
        .filter(expert_expertise::incident_type.eq(incident.as_str()))
        .filter(experts::status.eq(ExpertStatus::Approved))
        .filter(experts::paused.eq(false))
        .filter(experts::code_of_conduct_version.eq(current_code_of_conduct))
        .filter(experts::open_cases.lt(experts::capacity))
        .filter(diesel::dsl::sql::<diesel::sql_types::Bool>(
            "experts.open_cases + (SELECT COUNT(*) FROM help_requests pending \
             WHERE pending.expert_id = experts.id AND pending.status = 'pending') \
             < experts.capacity",
        ))
        .select(super::expert_index::IndexRow::as_select())
        .load(conn)?)
}

/// How many experts have an email address starting with `prefix` (the demo seed numbers on).
pub fn count_with_email_prefix(conn: &mut DbConn, prefix: &str) -> Result<i64, AppError> {
    Ok(experts::table
        .filter(experts::email.like(format!("{prefix}%")))
        .count()
        .get_result(conn)?)
}
