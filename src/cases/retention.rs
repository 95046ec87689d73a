//! Retention: the part of the lifecycle job that removes personal data nobody needs any more.
//!
//! - Intakes that ended `RETENTION_DAYS` ago (closed: since `closed_at`; erased: since
//!   `erased_at`; unmatched: since the last change) are pseudonymised: the same blanking as
//!   erasure (`case::blank_personal_data`) plus complaint texts, the expert's summary and the text of the sent emails
//!   about them, without changing the status. Their one-click links go at once; their case links
//!   [`CASE_LINK_GRACE_DAYS`] later, so that the victim who opens the link in between reads that
//!   the details were removed instead of a bare "not found".
//! - Sent emails lose subject, bodies and recipient after [`EMAIL_TEXT_DAYS`], whatever the case.
//! - Dead sessions, expired verification links and forgotten login-throttle rows are deleted.
//!
//! Each kind is handled in bounded batches per pass; every change is a conditional statement, so
//! several instances can run this at once and count each row once.

use crate::db::models::audit::actions;
use chrono::TimeDelta;
use serde_json::json;

use super::{Ctx, audit, close};
use crate::db::models::audit::Actor;
use crate::db::models::{case, intake, retention};
use crate::db::{DbConn, write_tx};
use crate::domain::{IntakeId, IntakeStatus};
use crate::error::{AppError, ConflictKind};
use crate::geo::Geocoder;

/// Sent emails keep their text this long (for questions about what was sent).
pub const EMAIL_TEXT_DAYS: i64 = 30;
/// A pseudonymised intake's case link keeps working this long, showing that the details were
/// removed; then the link is deleted and answers 404.
pub const CASE_LINK_GRACE_DAYS: i64 = 30;
/// Intakes pseudonymised per pass (one transaction each).
const INTAKES_PER_PASS: i64 = 200;
/// Rows of the other kinds changed or deleted per pass.
const ROWS_PER_PASS: i64 = 1000;

/// What one retention pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub pseudonymised: usize,
    pub email_texts_dropped: usize,
    pub case_links_deleted: usize,
    pub sessions_deleted: usize,
    pub verification_links_deleted: usize,
    pub throttle_rows_deleted: usize,
}

/// One pass. A failing kind is logged and the others still run.
pub fn run(conn: &mut DbConn, ctx: Ctx<'_>, geocoder: &dyn Geocoder) -> Counts {
    let now = ctx.now;
    let mut counts = Counts::default();
    let ended_before = now - TimeDelta::days(ctx.settings.retention_days);
    match retention::due_intakes(conn, ended_before, INTAKES_PER_PASS) {
        Ok(due) => {
            for id in due {
                match pseudonymise(conn, ctx, geocoder, &id, ended_before) {
                    Ok(true) => counts.pseudonymised += 1,
                    Ok(false) => {}
                    Err(e) => {
                        tracing::error!(intake_id = %id, error = %e, "could not pseudonymise")
                    }
                }
            }
        }
        Err(e) => tracing::error!(error = %e, "could not find intakes due pseudonymisation"),
    }
    let sent_before = now - TimeDelta::days(EMAIL_TEXT_DAYS);
    counts.email_texts_dropped = logged(
        "drop old email text",
        retention::drop_email_text(conn, sent_before, ROWS_PER_PASS).map(|(ids, changed)| {
            crate::mail::transport::delete_copies(ctx.settings, &ids);
            changed
        }),
    );
    let links_before = now - TimeDelta::days(CASE_LINK_GRACE_DAYS);
    counts.case_links_deleted = logged(
        "delete case links",
        retention::delete_case_links(conn, links_before, ROWS_PER_PASS),
    );
    counts.sessions_deleted = logged(
        "delete dead sessions",
        retention::delete_dead_sessions(conn, now, ROWS_PER_PASS),
    );
    counts.verification_links_deleted = logged(
        "delete expired verification links",
        retention::delete_expired_verification_links(conn, now, ROWS_PER_PASS),
    );
    let forgotten_before = now - crate::domain::lockout::FORGET_AFTER;
    counts.throttle_rows_deleted = logged(
        "delete forgotten login throttles",
        retention::delete_forgotten_throttles(conn, forgotten_before, now, ROWS_PER_PASS),
    );
    counts
}

/// New free text (feedback, complaints) on a pseudonymised case would never be removed: 409.
pub fn ensure_kept(conn: &mut DbConn, intake_id: &IntakeId) -> Result<(), AppError> {
    match retention::pseudonymised_at(conn, intake_id)? {
        Some(_) => Err(AppError::Conflict(ConflictKind::CaseDataRemoved)),
        None => Ok(()),
    }
}

fn logged(what: &str, result: Result<usize, AppError>) -> usize {
    result.unwrap_or_else(|e| {
        tracing::error!(error = %e, "retention: could not {what}");
        0
    })
}

/// Pseudonymises one intake if it is still due; false when it is not (any more), e.g. another
/// instance did it or the victim touched it meanwhile. The `.eml` copies of its emails go too.
fn pseudonymise(
    conn: &mut DbConn,
    ctx: Ctx<'_>,
    geocoder: &dyn Geocoder,
    intake_id: &IntakeId,
    ended_before: chrono::NaiveDateTime,
) -> Result<bool, AppError> {
    let done = write_tx(conn, |conn| -> Result<bool, AppError> {
        let row = intake::lock(conn, intake_id)?;
        let ended = match row.status {
            IntakeStatus::Closed => row.closed_at,
            IntakeStatus::Erased => row.erased_at,
            IntakeStatus::Unmatched => Some(row.updated_at),
            IntakeStatus::Open | IntakeStatus::Requested | IntakeStatus::Connected => None,
        };
        if ended.is_none_or(|at| at > ended_before)
            || retention::pseudonymised_at(conn, intake_id)?.is_some()
        {
            return Ok(false);
        }
        if !retention::claim(conn, intake_id, ctx.now)? {
            return Ok(false);
        }
        case::blank_personal_data(conn, intake_id, close::snapped_point(geocoder, &row))?;
        case::blank_emails(conn, intake_id, row.contact_email.as_deref(), "removed")?;
        retention::blank_case_texts(conn, intake_id)?;
        retention::delete_link_tokens(conn, intake_id)?;
        let details =
            json!({ "status": row.status, "retention_days": ctx.settings.retention_days });
        audit(
            conn,
            &ctx,
            Actor::System,
            actions::INTAKE_PSEUDONYMISED,
            ("intake", intake_id),
            None,
            details,
        )?;
        Ok(true)
    })?;
    if done {
        crate::mail::transport::delete_copies(ctx.settings, &case::email_ids(conn, intake_id)?);
    }
    Ok(done)
}
