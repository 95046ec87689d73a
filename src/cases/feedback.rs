//! Finding out whether the victim was helped: the feedback invitation and the 90-day resilience
//! check (each one email with a one-click link), the answers to them, and complaints about the
//! connected expert.

use crate::db::models::audit::actions;
use crate::domain::{ComplaintId, ExpertId, IntakeId, IntakeStatus};
use chrono::{NaiveDateTime, TimeDelta};
use serde::Deserialize;
use serde_json::json;

use super::job::FEEDBACK_AFTER_DAYS;
pub use super::outcomes::ResilienceInput;
use super::{Ctx, audit, notify, optional_text_of as optional_text, wrong_state};
use crate::db::models::audit::Actor;
use crate::db::models::case::{self, FeedbackRow, ResilienceRow};
use crate::db::models::complaint::{self, ComplaintRow};
use crate::db::models::intake::IntakeRow;
use crate::db::models::outcomes::{self, Phase, Resilience};
use crate::db::models::{expert, intake};
use crate::db::{DbConn, write_tx};
use crate::domain::text::limits::{self, FEEDBACK_COMMENT};
use crate::domain::token::NewToken;
use crate::error::{AppError, ConflictKind, FieldErrors};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct FeedbackInput {
    pub helped: i64,
    pub resolved: bool,
    pub more_resilient: bool,
    #[serde(default)]
    pub comment: Option<String>,
    /// "Did the expert offer you paid services?"; optional for clients from before the question.
    #[serde(default)]
    pub offered_paid_services: Option<bool>,
}

/// Whether the victim is asked for feedback now: once the case is closed, once the connected
/// expert completed the work, or after [`FEEDBACK_AFTER_DAYS`] connected. Not before: asking
/// "did it help?" the moment an expert accepts asks before any help. The invitation email
/// follows the same rule (`db::models::case::due_feedback_invitations`).
pub fn feedback_due(row: &IntakeRow, expert_completed: bool, now: NaiveDateTime) -> bool {
    match row.status {
        IntakeStatus::Closed => true,
        IntakeStatus::Connected => {
            expert_completed
                || row
                    .connected_at
                    .is_some_and(|at| now - at >= TimeDelta::days(FEEDBACK_AFTER_DAYS))
        }
        _ => false,
    }
}

/// The answer the close form already gave to "was it resolved?" (so the feedback does not ask
/// it again): `Some` once the victim closed the case with an outcome.
pub fn resolved_by_outcome(row: &IntakeRow) -> Option<bool> {
    row.outcome
        .as_deref()
        .map(|o| o == super::close::OUTCOMES[0])
}

/// Feedback is possible once an expert was connected or the case was closed; once only.
fn feedback_open(status: IntakeStatus) -> Result<(), AppError> {
    if status.can_give_feedback() {
        Ok(())
    } else if status.feedback_later() {
        Err(AppError::Conflict(ConflictKind::FeedbackNotOpen))
    } else {
        Err(wrong_state(status))
    }
}

pub fn give_feedback(
    conn: &mut DbConn,
    ctx: Ctx<'_>,
    intake_id: &IntakeId,
    input: FeedbackInput,
) -> Result<FeedbackRow, AppError> {
    let mut errors = FieldErrors::default();
    if !(1..=5).contains(&input.helped) {
        errors.add("helped", "must be a whole number from 1 to 5");
    }
    let comment = errors
        .check(
            "comment",
            optional_text("comment", input.comment.as_deref(), FEEDBACK_COMMENT),
        )
        .flatten();
    errors.finish()?;
    write_tx(conn, |conn| {
        let row = intake::lock(conn, intake_id)?;
        super::retention::ensure_kept(conn, intake_id)?;
        feedback_open(row.status)?;
        if case::feedback_of(conn, intake_id)?.is_some() {
            return Err(AppError::Conflict(ConflictKind::FeedbackGiven));
        }
        let feedback = FeedbackRow {
            intake_id: intake_id.to_owned(),
            helped: i32::try_from(input.helped).unwrap_or(1),
            resolved: input.resolved,
            more_resilient: input.more_resilient,
            comment,
            created_at: ctx.now,
            offered_paid_services: input.offered_paid_services,
        };
        case::insert_feedback(conn, &feedback)?;
        let details = json!({
            "helped": feedback.helped, "resolved": feedback.resolved,
            "more_resilient": feedback.more_resilient,
            "offered_paid_services": feedback.offered_paid_services,
        });
        audit(
            conn,
            &ctx,
            Actor::Victim(intake_id),
            actions::INTAKE_FEEDBACK,
            ("intake", intake_id),
            None,
            details,
        )?;
        if feedback.offered_paid_services == Some(true) {
            super::outcomes::report_paid_services(conn, &ctx, &row)?;
        }
        Ok(feedback)
    })
}

/// Feedback from a page, whose form does not ask "resolved?" again once the close form answered
/// it: that answer stands (the API takes what its client sends).
pub fn give_page_feedback(
    conn: &mut DbConn,
    ctx: Ctx<'_>,
    intake_id: &IntakeId,
    mut input: FeedbackInput,
) -> Result<FeedbackRow, AppError> {
    let row = intake::find(conn, intake_id)?.ok_or(AppError::NotFound)?;
    if let Some(resolved) = resolved_by_outcome(&row) {
        input.resolved = resolved;
    }
    give_feedback(conn, ctx, intake_id, input)
}

pub fn answer_resilience(
    conn: &mut DbConn,
    ctx: Ctx<'_>,
    intake_id: &IntakeId,
    input: ResilienceInput,
) -> Result<(ResilienceRow, Option<Resilience>), AppError> {
    let mut errors = FieldErrors::default();
    let (mfa_enabled, offline_backups, answers) = input.answers(&mut errors);
    let comment = errors
        .check(
            "comment",
            optional_text("comment", input.comment.as_deref(), FEEDBACK_COMMENT),
        )
        .flatten();
    errors.finish()?;
    write_tx(conn, |conn| {
        let row = intake::lock(conn, intake_id)?;
        super::retention::ensure_kept(conn, intake_id)?;
        feedback_open(row.status)?;
        if case::resilience_of(conn, intake_id)?.is_some() {
            return Err(AppError::Conflict(ConflictKind::ResilienceAnswered));
        }
        let answer = ResilienceRow {
            intake_id: intake_id.to_owned(),
            mfa_enabled,
            offline_backups,
            reported_to_police: input.reported_to_police,
            comment,
            created_at: ctx.now,
        };
        case::insert_resilience(conn, &answer)?;
        if let Some(four) = &answers {
            outcomes::store(conn, intake_id, Phase::After90Days, four, ctx.now)?;
        }
        let details = json!({
            "mfa_enabled": answer.mfa_enabled, "offline_backups": answer.offline_backups,
            "reported_to_police": answer.reported_to_police, "answers": answers,
        });
        audit(
            conn,
            &ctx,
            Actor::Victim(intake_id),
            actions::INTAKE_RESILIENCE_ANSWERED,
            ("intake", intake_id),
            None,
            details,
        )?;
        Ok((answer, answers))
    })
}

/// Sends one one-click invitation (`feedback` or `resilience`) if nobody sent it yet.
pub fn invite(
    conn: &mut DbConn,
    ctx: Ctx<'_>,
    intake_id: &IntakeId,
    purpose: &str,
) -> Result<bool, AppError> {
    write_tx(conn, |conn| {
        let row = intake::lock(conn, intake_id)?;
        let (marked, template, path) = if purpose == case::FEEDBACK {
            (
                case::mark_feedback_invited(conn, intake_id, ctx.now)?,
                "feedback_invitation",
                "feedback",
            )
        } else {
            (
                case::mark_resilience_invited(conn, intake_id, ctx.now)?,
                "resilience_check",
                "resilience",
            )
        };
        if !marked {
            return Ok(false);
        }
        let token = NewToken::generate();
        case::add_link_token(conn, intake_id, purpose, &token.hash, ctx.now)?;
        let url = ctx.settings.link(&format!("{path}/{}", token.secret));
        notify::victim_link(conn, &ctx, &row, template, &url)?;
        let action = if purpose == case::FEEDBACK {
            actions::INTAKE_FEEDBACK_INVITED
        } else {
            actions::INTAKE_RESILIENCE_INVITED
        };
        audit(
            conn,
            &ctx,
            Actor::System,
            action,
            ("intake", intake_id),
            None,
            json!({}),
        )?;
        Ok(true)
    })
}

/// A complaint about the expert connected to this case; the moderators are alerted.
pub fn complain(
    conn: &mut DbConn,
    ctx: Ctx<'_>,
    intake_id: &IntakeId,
    expert_id: &ExpertId,
    reason: &str,
) -> Result<ComplaintRow, AppError> {
    let reason = limits::COMPLAINT
        .required(reason)
        .map_err(|m| AppError::field("reason", m))?;
    write_tx(conn, |conn| {
        let row = intake::lock(conn, intake_id)?;
        if row.status.is_erased() {
            return Err(wrong_state(row.status));
        }
        super::retention::ensure_kept(conn, intake_id)?;
        if row.connected_expert_id.as_deref() != Some(expert_id) {
            return Err(AppError::field(
                "expert_id",
                "is not the expert connected to this case",
            ));
        }
        let found = expert::get(conn, expert_id)?;
        let complaint = ComplaintRow {
            id: ComplaintId::generate(),
            intake_id: intake_id.to_owned(),
            expert_id: expert_id.to_owned(),
            reason: reason.to_owned(),
            status: crate::domain::ComplaintStatus::Open,
            created_at: ctx.now,
        };
        complaint::insert(conn, &complaint)?;
        let details = json!({ "intake_id": intake_id, "expert_id": expert_id });
        audit(
            conn,
            &ctx,
            Actor::Victim(intake_id),
            actions::COMPLAINT_FILED,
            ("complaint", &complaint.id),
            None,
            details,
        )?;
        notify::complaint_received(conn, &ctx, &complaint.id, intake_id, &found)?;
        Ok(complaint)
    })
}
