//! The moderators' decisions on an expert: approve, reject (with reason), suspend (with reason)
//! and reinstate. Each one checks the transition, records it in the audit log and emails the
//! expert, in one transaction. Suspension also ends the expert's sessions, and may answer a
//! victim's complaint (the audit entry is then linked to it).

use crate::db::models::audit::actions;
use serde_json::json;

use super::{Ctx, email_expert};
use crate::db::models::{audit, complaint, expert, session};
use crate::db::{DbConn, models::expert::ExpertRow, write_tx};
use crate::domain::{ComplaintId, ExpertAction, ExpertId, ExpertStatus};
use crate::error::{AppError, ConflictKind};

/// A moderator's decision.
#[derive(Debug, Clone)]
pub enum Decision {
    Approve,
    Reject {
        reason: String,
    },
    /// `complaint_id`: the victim's complaint this suspension answers (linked to it).
    Suspend {
        reason: String,
        complaint_id: Option<ComplaintId>,
    },
    Reinstate,
}

impl Decision {
    fn action(&self) -> ExpertAction {
        match self {
            Self::Approve => ExpertAction::Approve,
            Self::Reject { .. } => ExpertAction::Reject,
            Self::Suspend { .. } => ExpertAction::Suspend,
            Self::Reinstate => ExpertAction::Reinstate,
        }
    }

    fn reason(&self) -> Option<&str> {
        match self {
            Self::Reject { reason } | Self::Suspend { reason, .. } => Some(reason),
            Self::Approve | Self::Reinstate => None,
        }
    }

    fn complaint_id(&self) -> Option<&ComplaintId> {
        match self {
            Self::Suspend { complaint_id, .. } => complaint_id.as_ref(),
            _ => None,
        }
    }

    /// The audit action and the email template.
    fn codes(&self) -> (&'static str, &'static str) {
        match self {
            Self::Approve => (actions::EXPERT_APPROVED, "expert_approved"),
            Self::Reject { .. } => (actions::EXPERT_REJECTED, "expert_rejected"),
            Self::Suspend { .. } => (actions::EXPERT_SUSPENDED, "expert_suspended"),
            Self::Reinstate => (actions::EXPERT_REINSTATED, "expert_reinstated"),
        }
    }
}

/// Applies a decision; 404 for an unknown expert, 409 when the status does not allow it.
pub fn decide(
    conn: &mut DbConn,
    ctx: Ctx<'_>,
    moderator_id: &str,
    expert_id: &ExpertId,
    decision: &Decision,
) -> Result<ExpertRow, AppError> {
    write_tx(conn, |conn| {
        let mut row = expert::get(conn, expert_id)?;
        let from = row.status;
        let next = from
            .apply(decision.action())
            .map_err(|e| AppError::Conflict(ConflictKind::ExpertStatus(e)))?;
        let reason = decision.reason();
        expert::set_status(conn, &row.id, from, next, reason, ctx.now)?;
        if next == ExpertStatus::Suspended {
            session::revoke_all_for(conn, &row.id, ctx.now)?;
        }
        let (action, template) = decision.codes();
        let complaint_id = decision.complaint_id();
        if let Some(id) = complaint_id {
            let about = complaint::find(conn, id)?.map(|c| c.expert_id);
            if about.as_ref() != Some(&row.id) {
                return Err(AppError::field(
                    "complaint_id",
                    "is not a complaint about this expert",
                ));
            }
        }
        let entry = audit::record(
            conn,
            ctx.now,
            audit::NewEntry {
                actor: audit::Actor::Moderator(moderator_id),
                action,
                subject_kind: "expert",
                subject_id: &row.id,
                reason,
                details: json!({ "from": from.as_str(), "to": next.as_str(), "complaint_id": complaint_id }),
            },
        )?;
        if let Some(id) = complaint_id {
            complaint::link_action(conn, id, &entry.id)?;
        }
        let data = json!({
            "contact_name": row.contact_name,
            "company_name": row.company_name,
            "reason": reason.unwrap_or_default(),
        });
        email_expert(conn, ctx, &row, template, data)?;
        row.status = next;
        row.status_reason = reason.map(str::to_owned);
        Ok(row)
    })
}
