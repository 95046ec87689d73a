//! The background jobs, driven by the test: the lifecycle job and (in an app from
//! `spawn_app_driven`) the mail worker run when the test says so, at the manual clock's time, and
//! report what they did.

use hackhelpdesk::{cases::job::Report, db::models::outbox::OutboxMessage, mail::worker::Delivery};

use super::TestApp;

impl TestApp {
    /// Runs the lifecycle job once at the clock's current time.
    pub async fn run_lifecycle(&self) -> Report {
        self.lifecycle
            .run_due_now()
            .await
            .expect("lifecycle job runs")
    }

    /// Delivers every message due at the clock's time (and the alerts that raises); panics when
    /// the mail worker runs in the background (the app is not from `spawn_app_driven`).
    pub async fn deliver_due_mail(&self) -> Delivery {
        self.mail_worker
            .as_ref()
            .expect("the test drives the mail worker: use spawn_app_driven")
            .run_due_now()
            .await
            .expect("the mail worker's pass runs")
    }

    /// Delivers everything due; asserts that nothing failed and that every row in `ids` (queued
    /// before) is sent now. Returns those rows.
    pub async fn deliver_all(&self, ids: &[String]) -> Vec<OutboxMessage> {
        let delivery = self.deliver_due_mail().await;
        assert_eq!((delivery.retried, delivery.gave_up), (0, 0), "{delivery:?}");
        let mut rows = Vec::new();
        for id in ids {
            let row = self.outbox_row(id).await;
            assert!(row.sent_at.is_some(), "not sent: {row:?}");
            rows.push(row);
        }
        rows
    }

    /// Moves the manual clock forward, then delivers what is due by then.
    pub async fn advance_and_deliver(&self, by: chrono::Duration) -> Delivery {
        assert!(
            self.clock.advance(by),
            "the test app runs on a manual clock"
        );
        self.deliver_due_mail().await
    }
}

impl super::Instance {
    /// The second instance's own pass over due mail (its worker is the test's when the first
    /// app's is).
    pub async fn deliver_due_mail(&self) -> Delivery {
        self.mail_worker
            .as_ref()
            .expect("the first app is from spawn_app_driven")
            .run_due_now()
            .await
            .expect("the mail worker's pass runs")
    }
}
