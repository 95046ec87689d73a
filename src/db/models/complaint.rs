//! Complaints of victims about their connected expert, and the moderation actions (audit
//! entries) taken on them.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::search::{Backend, ESCAPE, Page, Paging, contains, lower};
use crate::db::DbConn;
use crate::db::models::audit::AuditEntry;
use crate::db::schema::{audit_log, complaint_actions, complaints, experts};
use crate::domain::{ComplaintId, ComplaintStatus, ExpertId, IntakeId};
use crate::error::AppError;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = complaints)]
pub struct ComplaintRow {
    pub id: ComplaintId,
    pub intake_id: IntakeId,
    pub expert_id: ExpertId,
    pub reason: String,
    pub status: ComplaintStatus,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, row: &ComplaintRow) -> Result<(), AppError> {
    diesel::insert_into(complaints::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConn, id: &ComplaintId) -> Result<Option<ComplaintRow>, AppError> {
    Ok(complaints::table
        .find(id)
        .select(ComplaintRow::as_select())
        .first(conn)
        .optional()?)
}

/// Complaints with the expert's company name, newest first (the first API version's keyset
/// paging; [`search`] pages by number).
pub fn list(
    conn: &mut DbConn,
    status: Option<ComplaintStatus>,
    before: Option<&str>,
    limit: i64,
) -> Result<Vec<(ComplaintRow, String)>, AppError> {
    let filter = ComplaintFilter {
        status,
        before: before.map(str::to_owned),
        q: None,
    };
    Ok(search(conn, &filter, Paging::new(1, limit))?.items)
}

#[derive(Debug, Clone, Default)]
pub struct ComplaintFilter {
    pub status: Option<ComplaintStatus>,
    /// Part of the expert's company name.
    pub q: Option<String>,
    pub before: Option<String>,
}

fn filtered(f: &ComplaintFilter) -> complaints::BoxedQuery<'static, Backend> {
    let mut query = complaints::table.into_boxed();
    if let Some(status) = &f.status {
        query = query.filter(complaints::status.eq(*status));
    }
    if let Some(q) = f.q.as_deref().filter(|q| !q.trim().is_empty()) {
        let named = experts::table
            .filter(
                lower(experts::company_name)
                    .like(contains(q))
                    .escape(ESCAPE),
            )
            .select(experts::id);
        query = query.filter(complaints::expert_id.eq_any(named));
    }
    if let Some(before) = &f.before {
        query = query.filter(complaints::id.lt(before.clone()));
    }
    query
}

/// One page of complaints with the expert's company name, newest first, and their number.
pub fn search(
    conn: &mut DbConn,
    filter: &ComplaintFilter,
    paging: Paging,
) -> Result<Page<(ComplaintRow, String)>, AppError> {
    let total = filtered(filter).count().get_result(conn)?;
    let rows: Vec<ComplaintRow> = filtered(filter)
        .select(ComplaintRow::as_select())
        .order(complaints::id.desc())
        .limit(paging.per_page)
        .offset(paging.offset())
        .load(conn)?;
    let ids: Vec<&str> = rows.iter().map(|c| c.expert_id.as_str()).collect();
    let names: HashMap<ExpertId, String> = experts::table
        .filter(experts::id.eq_any(&ids))
        .select((experts::id, experts::company_name))
        .load(conn)?
        .into_iter()
        .collect();
    let items = rows
        .into_iter()
        .map(|c| {
            let name = names.get(&c.expert_id).cloned().unwrap_or_default();
            (c, name)
        })
        .collect();
    Ok(Page {
        items,
        total,
        paging,
    })
}

/// Links a moderation action (its audit entry) to a complaint and marks an open complaint
/// actioned (a handled one stays handled).
pub fn link_action(
    conn: &mut DbConn,
    complaint_id: &ComplaintId,
    audit_id: &str,
) -> Result<(), AppError> {
    diesel::insert_into(complaint_actions::table)
        .values((
            complaint_actions::complaint_id.eq(complaint_id),
            complaint_actions::audit_id.eq(audit_id),
        ))
        .execute(conn)?;
    diesel::update(complaints::table.find(complaint_id))
        .filter(complaints::status.eq(ComplaintStatus::Open))
        .set(complaints::status.eq(ComplaintStatus::Actioned))
        .execute(conn)?;
    Ok(())
}

/// Marks a complaint handled unless it already is; false when it was (the caller's 409).
pub fn mark_handled(conn: &mut DbConn, complaint_id: &ComplaintId) -> Result<bool, AppError> {
    let changed = diesel::update(complaints::table.find(complaint_id))
        .filter(complaints::status.ne(ComplaintStatus::Handled))
        .set(complaints::status.eq(ComplaintStatus::Handled))
        .execute(conn)?;
    Ok(changed == 1)
}

/// The actions taken on these complaints: (complaint id, audit entry), oldest first (in
/// chain order within one moment).
pub fn actions_of(
    conn: &mut DbConn,
    complaint_ids: &[ComplaintId],
) -> Result<Vec<(ComplaintId, AuditEntry)>, AppError> {
    Ok(complaint_actions::table
        .inner_join(audit_log::table.on(audit_log::id.eq(complaint_actions::audit_id)))
        .filter(complaint_actions::complaint_id.eq_any(complaint_ids))
        .order((
            audit_log::occurred_at.asc(),
            audit_log::seq.asc(),
            audit_log::id.asc(),
        ))
        .select((complaint_actions::complaint_id, AuditEntry::as_select()))
        .load(conn)?)
}

/// How many complaints there are about each of these experts (experts without any are absent).
pub fn count_by_expert(
    conn: &mut DbConn,
    expert_ids: &[ExpertId],
) -> Result<HashMap<ExpertId, i64>, AppError> {
    let counts: Vec<(ExpertId, i64)> = complaints::table
        .filter(complaints::expert_id.eq_any(expert_ids))
        .group_by(complaints::expert_id)
        .select((complaints::expert_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(counts.into_iter().collect())
}
