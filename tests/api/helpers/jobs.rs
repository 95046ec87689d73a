//! The background jobs, driven by the test: the lifecycle job run once at the clock's time.

use super::TestApp;

impl TestApp {
    /// Runs the lifecycle job once at the clock's current time.
    pub async fn run_lifecycle(&self) -> hackhelpdesk::cases::job::Report {
        let s = &self.state;
        hackhelpdesk::cases::job::Job::new(
            s.db.clone(),
            s.clock.clone(),
            s.mailer.clone(),
            s.settings.clone(),
            s.catalogue.clone(),
            s.candidates.clone(),
        )
        .run_once()
        .await
        .expect("lifecycle job runs")
    }
}
