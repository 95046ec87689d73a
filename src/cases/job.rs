//! The lifecycle job: a tokio task in every `serve` process that, every `LIFECYCLE_POLL_SECS`,
//! expires help requests whose acceptance clock ran out (offering the victim the next matches, or
//! marking the intake unmatched), sends the feedback invitations (closed, or connected for
//! [`FEEDBACK_AFTER_DAYS`]) and the resilience checks ([`RESILIENCE_AFTER_DAYS`] after the intake),
//! tells experts about a new code of conduct, sends the moderators the digest of alerts held back
//! by `mail::alerts`, and removes personal data past its retention period ([`super::retention`]).
//!
//! Several instances may run it at once: every item is one transaction that locks its intake and
//! changes state with a conditional update, so each item is handled exactly once. Tests take the
//! job out of the background ([`crate::startup::Application::take_lifecycle_job`]) and call
//! [`Job::run_due_now`] after moving the manual clock instead of waiting.

use crate::db::models::audit::actions;
use std::sync::Arc;

use chrono::TimeDelta;
use serde_json::json;
use tokio::sync::watch;

use super::{Ctx, audit, feedback, notify, offer, retention};
use crate::clock::Clock;
use crate::config::Settings;
use crate::db::models::audit::Actor;
use crate::db::models::{case, expert, intake, request};
use crate::db::{Database, DbConn, write_tx};
use crate::domain::{IntakeId, RequestId};
use crate::error::AppError;
use crate::incidents::Catalogue;
use crate::mail::Mailer;
use crate::workflow::Runner;

pub const FEEDBACK_AFTER_DAYS: i64 = 14;
pub const RESILIENCE_AFTER_DAYS: i64 = 90;
const BATCH: i64 = 100;
/// Code-of-conduct notices per pass: a new version reaches 100,000 experts over some passes
/// instead of holding up request expiry for minutes.
const NOTICES_PER_PASS: usize = 1000;

/// What one run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Report {
    pub expired: usize,
    pub feedback_invitations: usize,
    pub resilience_checks: usize,
    pub code_of_conduct_notices: usize,
    /// Moderator alerts that went out bundled in a digest.
    pub alerts_in_digest: usize,
    /// What the retention part removed.
    pub retention: retention::Counts,
}

#[derive(Clone)]
pub struct Job {
    runner: Runner,
}

impl Job {
    pub fn new(
        db: Database,
        clock: Clock,
        mailer: Arc<Mailer>,
        settings: Arc<Settings>,
        catalogue: Arc<Catalogue>,
        candidates: Arc<crate::intakes::CandidatePool>,
    ) -> Self {
        Self {
            runner: Runner {
                db,
                clock,
                mailer,
                settings,
                catalogue,
                candidates,
            },
        }
    }

    /// Runs until `stop` turns true (or its sender is dropped).
    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        tracing::info!("lifecycle job started");
        loop {
            match self.run_due_now().await {
                Ok(report) if report != Report::default() => {
                    tracing::info!(?report, "lifecycle job pass");
                }
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "lifecycle job pass failed"),
            }
            tokio::select! {
                changed = stop.changed() => if changed.is_err() || *stop.borrow() { break },
                () = tokio::time::sleep(self.runner.settings.lifecycle_poll) => {}
            }
        }
        tracing::info!("lifecycle job stopped");
    }

    /// One pass over everything that is due at the clock's time; says what it did.
    pub async fn run_due_now(&self) -> Result<Report, AppError> {
        let job = self.clone();
        let report = self
            .runner
            .run(move |ctx, conn| job.pass(ctx, conn))
            .await?;
        if report != Report::default() {
            self.runner.mailer.wake();
        }
        Ok(report)
    }

    fn pass(&self, ctx: Ctx<'_>, conn: &mut DbConn) -> Result<Report, AppError> {
        let now = ctx.now;
        let mut report = Report::default();
        loop {
            let due = request::due(conn, now, BATCH)?;
            let mut expired = 0;
            for req in &due {
                match expire(conn, ctx, &req.id) {
                    Ok(true) => expired += 1,
                    Ok(false) => {}
                    Err(e) => {
                        tracing::error!(request_id = %req.id, error = %e, "could not expire request")
                    }
                }
            }
            report.expired += expired;
            // A full batch that made progress: there may be more; else stop (no endless retry).
            if due.len() < BATCH as usize || expired == 0 {
                break;
            }
        }
        // Before the invitations: a case pseudonymised now is not invited any more.
        let gazetteer = crate::geo::Gazetteer::shared();
        report.retention = retention::run(conn, ctx, gazetteer.as_ref());
        let connected_before = now - TimeDelta::days(FEEDBACK_AFTER_DAYS);
        for id in case::due_feedback_invitations(conn, connected_before, BATCH)? {
            report.feedback_invitations += usize::from(invite(conn, ctx, &id, case::FEEDBACK));
        }
        let created_before = now - TimeDelta::days(RESILIENCE_AFTER_DAYS);
        for id in case::due_resilience_checks(conn, created_before, BATCH)? {
            report.resilience_checks += usize::from(invite(conn, ctx, &id, case::RESILIENCE));
        }
        report.code_of_conduct_notices =
            crate::experts::conduct::notify_due(conn, ctx, NOTICES_PER_PASS).unwrap_or_else(|e| {
                tracing::error!(error = %e, "could not send code-of-conduct notices");
                0
            });
        if let Err(e) = crate::db::models::expert_index::prune_changes(
            conn,
            crate::intakes::pool::KEEP_CHANGES_MINUTES,
        ) {
            tracing::error!(error = %e, "could not prune the expert change log");
        }
        report.alerts_in_digest = crate::mail::alerts::send_due_digests(conn, ctx.mailer, now)
            .unwrap_or_else(|e| {
                tracing::error!(error = %e, "could not send the moderators' alert digests");
                0
            });
        Ok(report)
    }
}

fn invite(conn: &mut DbConn, ctx: Ctx<'_>, intake_id: &IntakeId, purpose: &str) -> bool {
    feedback::invite(conn, ctx, intake_id, purpose).unwrap_or_else(|e| {
        tracing::error!(%intake_id, purpose, error = %e, "could not send invitation");
        false
    })
}

/// Expires one request if it is still pending and due; then moves the intake on when nobody
/// else is still asked.
fn expire(conn: &mut DbConn, ctx: Ctx<'_>, request_id: &RequestId) -> Result<bool, AppError> {
    write_tx(conn, |conn| {
        let Some(req) = request::find(conn, request_id)? else {
            return Ok(false);
        };
        let row = intake::lock(conn, &req.intake_id)?;
        let req = request::find(conn, request_id)?.ok_or(AppError::NotFound)?;
        if req.status != crate::domain::RequestStatus::Pending || req.expires_at > ctx.now {
            return Ok(false);
        }
        if !request::transition(
            conn,
            &req.id,
            crate::domain::RequestStatus::Pending,
            crate::domain::RequestStatus::Expired,
            ctx.now,
        )? {
            return Ok(false);
        }
        let details =
            json!({ "intake_id": row.id, "expert_id": req.expert_id, "urgency": row.urgency });
        audit(
            conn,
            &ctx,
            Actor::System,
            actions::REQUEST_EXPIRED,
            ("request", &req.id),
            None,
            details,
        )?;
        let found = expert::get(conn, &req.expert_id)?;
        notify::request_expired(conn, &ctx, &row, &found, &req)?;
        offer::move_on_if_unanswered(conn, &ctx, &row)?;
        Ok(true)
    })
}
