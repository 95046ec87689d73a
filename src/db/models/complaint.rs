//! Complaints of victims about their connected expert, and the moderation actions (audit
//! entries) taken on them.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::models::audit::AuditEntry;
use crate::db::schema::{audit_log, complaint_actions, complaints, experts};
use crate::error::AppError;

pub const OPEN: &str = "open";
/// A moderator acted on it (e.g. suspended the expert, referencing the complaint).
pub const ACTIONED: &str = "actioned";

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = complaints)]
pub struct ComplaintRow {
    pub id: String,
    pub intake_id: String,
    pub expert_id: String,
    pub reason: String,
    pub status: String,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, row: &ComplaintRow) -> Result<(), AppError> {
    diesel::insert_into(complaints::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConn, id: &str) -> Result<Option<ComplaintRow>, AppError> {
    Ok(complaints::table
        .find(id)
        .select(ComplaintRow::as_select())
        .first(conn)
        .optional()?)
}

/// Complaints with the expert's company name, newest first.
pub fn list(
    conn: &mut DbConn,
    status: Option<&str>,
    before: Option<&str>,
    limit: i64,
) -> Result<Vec<(ComplaintRow, String)>, AppError> {
    let mut query = complaints::table
        .inner_join(experts::table)
        .select((ComplaintRow::as_select(), experts::company_name))
        .into_boxed();
    if let Some(status) = status {
        query = query.filter(complaints::status.eq(status.to_owned()));
    }
    if let Some(before) = before {
        query = query.filter(complaints::id.lt(before.to_owned()));
    }
    Ok(query.order(complaints::id.desc()).limit(limit).load(conn)?)
}

/// Links a moderation action (its audit entry) to a complaint and marks the complaint actioned.
pub fn link_action(conn: &mut DbConn, complaint_id: &str, audit_id: &str) -> Result<(), AppError> {
    diesel::insert_into(complaint_actions::table)
        .values((
            complaint_actions::complaint_id.eq(complaint_id),
            complaint_actions::audit_id.eq(audit_id),
        ))
        .execute(conn)?;
    diesel::update(complaints::table.find(complaint_id))
        .set(complaints::status.eq(ACTIONED))
        .execute(conn)?;
    Ok(())
}

/// The actions taken on these complaints: (complaint id, audit entry), oldest first.
pub fn actions_of(
    conn: &mut DbConn,
    complaint_ids: &[String],
) -> Result<Vec<(String, AuditEntry)>, AppError> {
    Ok(complaint_actions::table
        .inner_join(audit_log::table.on(audit_log::id.eq(complaint_actions::audit_id)))
        .filter(complaint_actions::complaint_id.eq_any(complaint_ids))
        .order(audit_log::occurred_at.asc())
        .select((complaint_actions::complaint_id, AuditEntry::as_select()))
        .load(conn)?)
}
