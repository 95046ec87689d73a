//! The outbox worker: a tokio task in every `serve` process that delivers due messages.
//!
//! It leases a small batch (see [`outbox::claim_due`]), sends each message outside any
//! transaction, and only then marks it sent. A failed attempt is retried with exponential backoff
//! (5 s, 10 s, 20 s, … capped at 10 minutes); a permanent SMTP refusal, or failing for 24 hours,
//! gives up, logs an error and queues a `delivery_failed` alert to `MODERATOR_ALERT_EMAIL` (never
//! for an alert itself). A worker that dies mid-send leaves a lease that expires, after which
//! another worker sends the message again: at least once, never by two live workers at a time.
//!
//! Time comes from the platform [`Clock`], and [`Worker::run_due_now`] delivers what is due at
//! once, so tests take the worker out of the background, move a manual clock and drive it
//! themselves instead of sleeping.

use std::sync::Arc;
use std::time::Duration;

use chrono::{NaiveDateTime, TimeDelta};
use lettre::message::Mailbox;
use serde_json::json;
use tokio::sync::watch;

use super::{Mailer, message, transport::SendError, transport::Transport};
use crate::clock::Clock;
use crate::config::Settings;
use crate::db::{self, Database, models::outbox, models::outbox::OutboxMessage};
use crate::error::AppError;
use crate::telemetry::redact;

/// The template of the alert about a message that could not be delivered.
pub const ALERT_TEMPLATE: &str = "delivery_failed";
/// Messages leased per claim; the lease covers sending all of them.
const BATCH: i64 = 5;

/// When to try again and when to stop trying.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    pub first_retry: Duration,
    pub max_delay: Duration,
    pub give_up_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            first_retry: Duration::from_secs(5),
            max_delay: Duration::from_secs(600),
            give_up_after: Duration::from_secs(24 * 3600),
        }
    }
}

impl RetryPolicy {
    /// The wait after the `failures`-th failed attempt (1 = the first failure).
    pub fn delay(&self, failures: i32) -> Duration {
        let doublings = u32::try_from(failures.saturating_sub(1))
            .unwrap_or(0)
            .min(20);
        self.first_retry
            .saturating_mul(2u32.pow(doublings))
            .min(self.max_delay)
    }
}

/// What one delivery pass did with the messages it attempted.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Delivery {
    /// Accepted by the server (or written to the mail folder).
    pub sent: usize,
    /// Failed for now; tried again later.
    pub retried: usize,
    /// Refused permanently or failing for too long: given up (and the moderators alerted).
    pub gave_up: usize,
}

impl Delivery {
    /// How many messages were attempted.
    pub fn attempted(&self) -> usize {
        self.sent + self.retried + self.gave_up
    }

    fn count(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Sent => self.sent += 1,
            Outcome::Retried => self.retried += 1,
            Outcome::GaveUp => self.gave_up += 1,
        }
    }
}

/// The end of one attempt at one message.
#[derive(Debug, Clone, Copy)]
enum Outcome {
    Sent,
    Retried,
    GaveUp,
}

pub struct Worker {
    db: Database,
    clock: Clock,
    mailer: Arc<Mailer>,
    transport: Arc<Transport>,
    alert_to: Option<Mailbox>,
    poll: Duration,
    send_timeout: Duration,
    host: String,
    id: String,
    policy: RetryPolicy,
}

impl Worker {
    pub fn new(
        db: Database,
        clock: Clock,
        mailer: Arc<Mailer>,
        transport: Arc<Transport>,
        settings: &Settings,
    ) -> Self {
        let suffix = uuid::Uuid::new_v4().simple().to_string();
        Self {
            db,
            clock,
            mailer,
            transport,
            alert_to: settings.moderator_alert_email.clone(),
            poll: settings.mail_poll,
            send_timeout: settings.mail_send_timeout,
            host: settings
                .public_url
                .host_str()
                .unwrap_or("localhost")
                .to_owned(),
            id: format!("{}-{}", std::process::id(), &suffix[..12]),
            policy: RetryPolicy::default(),
        }
    }

    /// Delivers until `stop` turns true (or its sender is dropped); a message being sent is
    /// finished first, leased ones not yet started are handed back.
    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        tracing::info!(worker = %self.id, transport = %self.transport.describe(), "mail worker started");
        let wake = self.mailer.wakeup();
        loop {
            if let Err(e) = self.deliver_due(&stop).await {
                tracing::error!(worker = %self.id, error = %e, "mail worker pass failed");
            }
            if *stop.borrow() {
                break;
            }
            tokio::select! {
                changed = stop.changed() => if changed.is_err() || *stop.borrow() { break },
                () = wake.notified() => {}
                () = tokio::time::sleep(self.poll) => {}
            }
        }
        self.transport.shutdown().await;
        tracing::info!(worker = %self.id, "mail worker stopped");
    }

    /// Sends everything that is due at the clock's time, including what becomes due while it
    /// runs (an alert about a message it gave up on), and says what happened. The entry point for
    /// a caller that drives the worker itself instead of [`Worker::run`]ning it (the tests).
    pub async fn run_due_now(&self) -> Result<Delivery, AppError> {
        let (_never, stop) = watch::channel(false);
        self.deliver_due(&stop).await
    }

    /// Sends everything that is due now, stopping early when `stop` turns true.
    pub async fn deliver_due(&self, stop: &watch::Receiver<bool>) -> Result<Delivery, AppError> {
        let mut delivery = Delivery::default();
        loop {
            let now = self.clock.now();
            let lease = self.send_timeout.saturating_mul(BATCH as u32) + Duration::from_secs(60);
            let lease_until = now + TimeDelta::from_std(lease).map_err(AppError::internal)?;
            let worker = self.id.clone();
            let batch = self
                .db
                .run(move |conn| outbox::claim_due(conn, &worker, now, lease_until, BATCH))
                .await?;
            if batch.is_empty() {
                return Ok(delivery);
            }
            for (done, row) in batch.iter().enumerate() {
                if *stop.borrow() {
                    let rest: Vec<String> = batch[done..].iter().map(|r| r.id.clone()).collect();
                    let worker = self.id.clone();
                    self.db
                        .run(move |conn| outbox::release(conn, &rest, &worker))
                        .await?;
                    return Ok(delivery);
                }
                delivery.count(self.deliver(row).await?);
            }
        }
    }

    /// One attempt at one leased message, and its bookkeeping.
    async fn deliver(&self, row: &OutboxMessage) -> Result<Outcome, AppError> {
        let result = match message::build(row, self.mailer.from(), &self.host) {
            Ok(email) => {
                self.transport
                    .send(&email, &row.id, self.send_timeout)
                    .await
            }
            Err(message) => Err(SendError {
                permanent: true,
                message,
            }),
        };
        let now = self.clock.now();
        let id = row.id.clone();
        match result {
            Ok(()) => {
                self.db
                    .run(move |conn| outbox::mark_sent(conn, &id, now))
                    .await?;
                tracing::info!(outbox_id = %row.id, template = %row.template, "email sent");
                Ok(Outcome::Sent)
            }
            Err(e) if e.permanent || self.expired(row, now) => {
                self.give_up(row, e, now).await?;
                Ok(Outcome::GaveUp)
            }
            Err(e) => {
                let delay = self.policy.delay(row.attempts + 1);
                let next = now + TimeDelta::from_std(delay).map_err(AppError::internal)?;
                tracing::warn!(
                    outbox_id = %row.id, template = %row.template, attempt = row.attempts + 1,
                    retry_in_secs = delay.as_secs(), error = %redact::addresses(&e.message), "email not sent; will retry"
                );
                let worker = self.id.clone();
                self.db
                    .run(move |conn| outbox::reschedule(conn, &id, &worker, next, &e.message))
                    .await?;
                Ok(Outcome::Retried)
            }
        }
    }

    fn expired(&self, row: &OutboxMessage, now: NaiveDateTime) -> bool {
        TimeDelta::from_std(self.policy.give_up_after)
            .is_ok_and(|limit| now - row.created_at >= limit)
    }

    /// Marks the message given up and, in the same transaction, queues the moderators' alert.
    async fn give_up(
        &self,
        row: &OutboxMessage,
        error: SendError,
        now: NaiveDateTime,
    ) -> Result<(), AppError> {
        tracing::error!(
            outbox_id = %row.id, template = %row.template, attempts = row.attempts + 1,
            permanent = error.permanent, error = %redact::addresses(&error.message),
            "email could not be delivered; giving up"
        );
        let alert_to = self.alert_to.clone().filter(|_| {
            row.template != ALERT_TEMPLATE && row.template != super::alerts::DIGEST_TEMPLATE
        });
        let alerting = alert_to.is_some();
        let data = json!({
            "outbox_id": row.id,
            "template": row.template,
            "recipient": row.recipient,
            "subject": row.subject,
            "queued_at": crate::clock::for_people(row.created_at),
            "attempts": row.attempts + 1,
            "error": error.message,
        });
        let (mailer, id, worker) = (self.mailer.clone(), row.id.clone(), self.id.clone());
        self.db
            .run(move |conn| {
                db::write_tx(conn, |conn| {
                    let settled = outbox::give_up(conn, &id, &worker, now, &error.message)?;
                    if let (true, Some(to)) = (settled, alert_to) {
                        let alert = super::alerts::Alert {
                            template: ALERT_TEMPLATE,
                            data: &data,
                            intake_id: None,
                        };
                        super::alerts::raise(conn, &mailer, &[to], alert, now)?;
                    }
                    Ok(())
                })
            })
            .await?;
        if alerting {
            self.mailer.wake();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_starts_within_seconds_doubles_and_is_capped_at_ten_minutes() {
        let policy = RetryPolicy::default();
        let secs: Vec<u64> = (1..=10).map(|n| policy.delay(n).as_secs()).collect();
        assert_eq!(secs, [5, 10, 20, 40, 80, 160, 320, 600, 600, 600]);
        assert_eq!(policy.delay(10_000).as_secs(), 600);
        assert_eq!(policy.delay(0).as_secs(), 5);
    }
}
