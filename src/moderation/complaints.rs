//! What a moderator does with a victim's complaint: mark it handled with a note, or suspend
//! the expert it is about (the vetting workflow, with its email and session revocation). Both
//! land in the audit log, linked to the complaint (`complaint_actions`).

use std::collections::HashMap;

use chrono::NaiveDateTime;
use serde::Serialize;
use serde_json::json;

use crate::db::models::audit::{self, AuditEntry};
use crate::db::models::complaint::{self, ComplaintRow};
use crate::db::{DbConn, write_tx};
use crate::domain::{ComplaintId, ComplaintStatus, ExpertId, IntakeId};
use crate::error::{AppError, ConflictKind};
use crate::experts::vetting;
use crate::workflow::Ctx;

/// The audit action of marking a complaint handled.
pub const HANDLED_ACTION: &str = audit::actions::COMPLAINT_HANDLED;

/// A complaint as moderators see it, with the actions taken on it.
#[derive(Debug, Clone, Serialize)]
pub struct ComplaintView {
    pub id: ComplaintId,
    pub intake_id: IntakeId,
    pub expert_id: ExpertId,
    pub expert_company_name: String,
    pub reason: String,
    pub status: ComplaintStatus,
    pub created_at: NaiveDateTime,
    /// Moderation actions that reference this complaint (audit entries), oldest first.
    pub actions: Vec<AuditEntry>,
}

/// Views of complaints (with the expert's company name) and their actions, in one query more.
pub fn views(
    conn: &mut DbConn,
    rows: Vec<(ComplaintRow, String)>,
) -> Result<Vec<ComplaintView>, AppError> {
    let ids: Vec<ComplaintId> = rows.iter().map(|(c, _)| c.id.clone()).collect();
    let mut actions: HashMap<ComplaintId, Vec<AuditEntry>> = HashMap::new();
    for (id, entry) in complaint::actions_of(conn, &ids)? {
        actions.entry(id).or_default().push(entry);
    }
    Ok(rows
        .into_iter()
        .map(|(c, company)| ComplaintView {
            actions: actions.remove(&c.id).unwrap_or_default(),
            id: c.id,
            intake_id: c.intake_id,
            expert_id: c.expert_id,
            expert_company_name: company,
            reason: c.reason,
            status: c.status,
            created_at: c.created_at,
        })
        .collect())
}

/// One complaint as moderators see it, or 404.
pub fn view(conn: &mut DbConn, id: &ComplaintId) -> Result<ComplaintView, AppError> {
    let row = complaint::find(conn, id)?.ok_or(AppError::NotFound)?;
    let company = crate::db::models::expert::get(conn, &row.expert_id)?.company_name;
    views(conn, vec![(row, company)])?
        .pop()
        .ok_or(AppError::NotFound)
}

/// The answer when a complaint was handled before (by this or another moderator).
/// Marks a complaint handled with the moderator's note; 404 unknown, 409 already handled.
pub fn handle(
    conn: &mut DbConn,
    now: NaiveDateTime,
    moderator_id: &str,
    complaint_id: &ComplaintId,
    note: &str,
) -> Result<(), AppError> {
    write_tx(conn, |conn| {
        let row = complaint::find(conn, complaint_id)?.ok_or(AppError::NotFound)?;
        if !complaint::mark_handled(conn, &row.id)? {
            return Err(AppError::Conflict(ConflictKind::AlreadyHandled));
        }
        let entry = audit::record(
            conn,
            now,
            audit::NewEntry {
                actor: audit::Actor::Moderator(moderator_id),
                action: HANDLED_ACTION,
                subject_kind: "complaint",
                subject_id: &row.id,
                reason: Some(note),
                details: json!({ "expert_id": row.expert_id, "intake_id": row.intake_id }),
            },
        )?;
        complaint::link_action(conn, &row.id, &entry.id)
    })
}

/// Suspends the expert a complaint is about, with `reason` (the expert reads it), through the
/// vetting workflow; 404 unknown complaint, 409 when the expert is not approved.
pub fn suspend_expert(
    conn: &mut DbConn,
    ctx: Ctx<'_>,
    moderator_id: &str,
    complaint_id: &ComplaintId,
    reason: &str,
) -> Result<(), AppError> {
    let row = complaint::find(conn, complaint_id)?.ok_or(AppError::NotFound)?;
    let decision = vetting::Decision::Suspend {
        reason: reason.to_owned(),
        complaint_id: Some(row.id.clone()),
    };
    vetting::decide(conn, ctx, moderator_id, &row.expert_id, &decision)?;
    Ok(())
}

/// A note or reason of 3 to 2000 characters (trimmed), or the field's error.
pub fn text_of(field: &str, raw: &str) -> Result<String, AppError> {
    crate::domain::text::limits::COMPLAINT_ACTION
        .required(raw)
        .map(str::to_owned)
        .map_err(|m| AppError::field(field, m))
}
