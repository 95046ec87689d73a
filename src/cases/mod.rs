//! The case after matching, as workflows: the victim asks matched experts for help, the first
//! expert to accept is connected (contact details flow only then), requests that nobody answers
//! in time expire and the victim is offered the next matches, and afterwards the case is closed,
//! completed, rated and, on request, erased. Complaints about a connected expert go to the
//! moderators.
//!
//! Each transition is ONE write transaction that first locks the intake row (see
//! [`crate::db::models::intake::lock`]), then records the new state with conditional updates
//! whose row counts decide races, the audit entries, the `open_cases` counter of the expert and
//! the emails (outbox). Handlers stay thin; [`job::Job`] runs the clock-driven steps.

pub mod close;
pub mod feedback;
pub mod job;
pub mod notify;
pub mod offer;
pub mod outcomes;
pub mod requests;
pub mod retention;
pub mod view;

use serde_json::Value;

use crate::db::DbConn;
use crate::db::models::audit;
use crate::domain::IntakeStatus;
use crate::domain::text::limits::Limit;
use crate::error::{AppError, ConflictKind};

use crate::workflow::Ctx;

/// Appends an audit entry about an intake or a request.
pub(crate) fn audit(
    conn: &mut DbConn,
    ctx: &Ctx<'_>,
    actor: audit::Actor<'_>,
    action: &str,
    subject: (&str, &str),
    reason: Option<&str>,
    details: Value,
) -> Result<(), AppError> {
    audit::record(
        conn,
        ctx.now,
        audit::NewEntry {
            actor,
            action,
            subject_kind: subject.0,
            subject_id: subject.1,
            reason,
            details,
        },
    )?;
    Ok(())
}

/// The 409 for acting on an intake in a state that does not allow it.
pub(crate) fn wrong_state(status: IntakeStatus) -> AppError {
    AppError::Conflict(match status {
        IntakeStatus::Erased => ConflictKind::CaseErased,
        IntakeStatus::Closed => ConflictKind::CaseClosed,
        IntakeStatus::Connected => ConflictKind::AlreadyConnected,
        IntakeStatus::Unmatched => ConflictKind::CaseUnmatched,
        _ => ConflictKind::CaseState,
    })
}

/// Trims an optional free text (a client's); empty is `None`; longer than the limit is a 422.
pub fn optional_text_of(
    field: &str,
    text: Option<&str>,
    limit: Limit,
) -> Result<Option<String>, AppError> {
    limit
        .optional(text)
        .map(|t| t.map(str::to_owned))
        .map_err(|m| AppError::field(field, m))
}
