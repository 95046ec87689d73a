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

use chrono::NaiveDateTime;
use serde_json::Value;

use crate::config::Settings;
use crate::db::DbConn;
use crate::db::models::audit;
use crate::domain::IntakeStatus;
use crate::error::AppError;
use crate::incidents::Catalogue;
use crate::mail::Mailer;

/// What a case workflow needs besides the connection.
#[derive(Clone, Copy)]
pub struct Ctx<'a> {
    pub mailer: &'a Mailer,
    pub settings: &'a Settings,
    pub catalogue: &'a Catalogue,
    /// The candidate index of this instance (re-offers rank through it).
    pub candidates: &'a crate::intakes::CandidatePool,
    pub now: NaiveDateTime,
}

impl<'a> Ctx<'a> {
    /// The context of the expert and intake workflows (without the catalogue).
    pub fn base(&self) -> crate::experts::Ctx<'a> {
        crate::experts::Ctx {
            mailer: self.mailer,
            settings: self.settings,
            now: self.now,
        }
    }
}

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
        IntakeStatus::Erased => "This case was erased.".into(),
        IntakeStatus::Closed => "This case is closed.".into(),
        IntakeStatus::Connected => "An expert has already been connected to this case.".into(),
        IntakeStatus::Unmatched => {
            "No expert is available for this case; our moderators are looking for help.".into()
        }
        other => format!("This is not possible while the case is {other}."),
    })
}

/// Trims an optional free text (a client's); empty is `None`; longer than `max` characters is a 422.
pub fn optional_text_of(
    field: &str,
    text: Option<&str>,
    max: usize,
) -> Result<Option<String>, AppError> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    if text.chars().count() > max {
        return Err(AppError::field(
            field,
            format!("is longer than {max} characters"),
        ));
    }
    Ok(Some(text.to_owned()))
}
