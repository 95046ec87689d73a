//! Running a workflow: the one [`Ctx`] every workflow of `accounts/`, `experts/`, `intakes/` and
//! `cases/` receives besides its connection, and the [`Runner`] that runs one on the blocking
//! pool, inside the caller's tracing span. HTTP handlers call `state.workflow(|ctx, conn| …)`;
//! the lifecycle job and the async workflows (login, registration) hold a `Runner` themselves.

use std::sync::Arc;

use chrono::NaiveDateTime;

use crate::clock::Clock;
use crate::config::Settings;
use crate::db::{Database, DbConn};
use crate::error::AppError;
use crate::incidents::Catalogue;
use crate::intakes::CandidatePool;
use crate::mail::Mailer;

/// What a workflow needs besides the connection: the mailer (outbox), the settings, the
/// first-aid catalogue, this instance's candidate index, and now.
#[derive(Clone, Copy)]
pub struct Ctx<'a> {
    pub mailer: &'a Mailer,
    pub settings: &'a Settings,
    pub catalogue: &'a Catalogue,
    /// The candidate index of this instance (intakes and re-offers rank through it).
    pub candidates: &'a CandidatePool,
    pub now: NaiveDateTime,
}

/// The pool and the shared services a workflow runs with; cheap to clone (handles only).
#[derive(Clone)]
pub struct Runner {
    pub db: Database,
    pub clock: Clock,
    pub mailer: Arc<Mailer>,
    pub settings: Arc<Settings>,
    pub catalogue: Arc<Catalogue>,
    pub candidates: Arc<CandidatePool>,
}

impl Runner {
    /// The context of a workflow starting now.
    pub fn ctx(&self) -> Ctx<'_> {
        Ctx {
            mailer: &self.mailer,
            settings: &self.settings,
            catalogue: &self.catalogue,
            candidates: &self.candidates,
            now: self.clock.now(),
        }
    }

    /// Runs `work` with a pooled connection on the blocking pool (see [`Database::run`]); its
    /// `now` is read when the connection is there.
    pub async fn run<T, F>(&self, work: F) -> Result<T, AppError>
    where
        F: FnOnce(Ctx<'_>, &mut DbConn) -> Result<T, AppError> + Send + 'static,
        T: Send + 'static,
    {
        let runner = self.clone();
        self.db.run(move |conn| work(runner.ctx(), conn)).await
    }

    /// Runs slow CPU work (password hashing) on the blocking pool, inside the caller's span,
    /// without holding a connection.
    pub async fn blocking<T, F>(&self, work: F) -> Result<T, AppError>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let span = tracing::Span::current();
        tokio::task::spawn_blocking(move || span.in_scope(work))
            .await
            .map_err(AppError::internal)
    }
}
