//! Can the database take a write right now? Asked by `/readyz` (cheaply, with a short wait) and
//! once at start-up (so a read-only database stops the process with a clear message instead of
//! failing every write later).
//!
//! SQLite: `BEGIN IMMEDIATE` + `ROLLBACK` takes and drops the write lock without writing; it
//! fails while another process holds the lock, and on a read-only file. PostgreSQL: the server
//! must be neither a standby nor read-only by default. What neither probe can see (a locked
//! table, a full disk) is covered by the memory of recent write failures in [`super::failure`].

use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::r2d2::ManageConnection;
use diesel::{RunQueryDsl, sql_types::Bool};

use super::{ConnectionManager, Database, DbConn};
use crate::error::AppError;

/// The longest `/readyz` waits for SQLite's write lock.
const PROBE_WAIT: Duration = Duration::from_millis(200);

impl Database {
    /// Ready when a write could start now and no write failed for lack of the database lately.
    pub async fn ready(&self) -> Result<(), AppError> {
        let pool = self.pool.clone();
        let wait = PROBE_WAIT.min(self.busy_timeout);
        let normal = self.busy_timeout;
        tokio::task::spawn_blocking(move || {
            let mut conn = pool.get()?;
            write_probe(&mut conn, wait, normal)
        })
        .await??;
        if self.health.failing() {
            return Err(AppError::Unavailable(
                "a write failed for lack of the database within the last seconds".into(),
            ));
        }
        Ok(())
    }
}

/// The start-up check, waiting as long as a request would, on a connection of its own before
/// the pool exists: a failure then leaves no pool thread connecting while the process exits.
pub(super) fn check_writable(manager: &ConnectionManager, wait: Duration) -> anyhow::Result<()> {
    let mut conn = manager
        .connect()
        .map_err(|e| anyhow::anyhow!("cannot connect to {}: {e}", manager.url()))?;
    write_probe(&mut conn, wait, wait).map_err(|e| {
        let cause = match e {
            AppError::Unavailable(cause) => cause,
            AppError::Internal(cause) => format!("{cause:#}"),
            other => other.to_string(),
        };
        anyhow::anyhow!("{} cannot be written: {cause}", manager.url())
    })
}

/// Fails with [`AppError::Unavailable`] when a write could not start within `wait`; `normal` is
/// the connection's usual busy timeout, restored afterwards.
fn write_probe(conn: &mut DbConn, wait: Duration, normal: Duration) -> Result<(), AppError> {
    match conn {
        DbConn::Sqlite(c) => {
            c.batch_execute(&format!("PRAGMA busy_timeout = {}", wait.as_millis()))?;
            let probed = c
                .batch_execute("BEGIN IMMEDIATE")
                .and_then(|()| c.batch_execute("ROLLBACK"));
            let restored =
                c.batch_execute(&format!("PRAGMA busy_timeout = {}", normal.as_millis()));
            probed?;
            restored?;
        }
        DbConn::Pg(c) => {
            let read_only: bool = diesel::select(diesel::dsl::sql::<Bool>(
                "pg_is_in_recovery() OR current_setting('transaction_read_only') = 'on'",
            ))
            .get_result(c)?;
            if read_only {
                return Err(AppError::Unavailable("the database is read-only".into()));
            }
        }
    }
    Ok(())
}
