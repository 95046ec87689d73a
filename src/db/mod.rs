//! The database: one diesel `MultiConnection` over SQLite and PostgreSQL, an r2d2 pool, embedded
//! migrations per backend, and the two ways the rest of the code touches it:
//! [`Database::run`] (any blocking diesel work, off the async executor, inside the caller's
//! tracing span) and [`write_tx`] (a write transaction that takes SQLite's write lock up front).
//!
//! Backend-specific SQL lives only in this module tree, behind a `match` on [`DbConn`].

pub mod data_steps;
pub mod failure;
mod manager;
pub mod migrations;
pub mod models;
mod probe;
pub mod schema;

use std::cell::RefCell;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::NaiveDateTime;
use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::r2d2::Pool;
use diesel::{Connection, PgConnection, SqliteConnection};

use crate::config::DatabaseUrl;
use crate::error::AppError;
pub use manager::ConnectionManager;

/// One connection to whichever backend `DATABASE_URL` names.
#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Sqlite(SqliteConnection),
    Pg(PgConnection),
}

impl DbConn {
    pub fn is_sqlite(&self) -> bool {
        matches!(self, Self::Sqlite(_))
    }
}

/// Runs the same diesel expression on the concrete connection of either backend, for the
/// statements `MultiConnection` cannot express itself (multi-row `INSERT … VALUES (…), (…)`).
/// Use it only inside `src/db/`.
macro_rules! on_each_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::db::DbConn::Sqlite($c) => $body,
            $crate::db::DbConn::Pg($c) => $body,
        }
    };
}
pub(crate) use on_each_backend;

/// How long SQLite waits for another writer before giving up, unless `DB_BUSY_TIMEOUT_MS` says
/// otherwise; the pool waits longer.
pub const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// A cheap-to-clone handle to the pool.
#[derive(Clone)]
pub struct Database {
    pool: Pool<ConnectionManager>,
    url: DatabaseUrl,
    busy_timeout: Duration,
    health: Arc<failure::WriteHealth>,
    /// SQLite has one writer at a time. This process's write transactions queue here for their
    /// turn (woken the moment the previous one commits) instead of each polling SQLite's lock
    /// with `busy_timeout`'s sleeps, which at 64 concurrent intakes left the lock idle most of
    /// the time. Other processes on the same file still wait through `busy_timeout`.
    writer: Arc<Mutex<()>>,
}

thread_local! {
    /// The writer queue of the database whose work runs on this thread (see [`write_tx`]).
    static WRITER: RefCell<Option<Arc<Mutex<()>>>> = const { RefCell::new(None) };
}

/// Sets this thread's writer queue for the duration of one piece of database work.
struct WriterScope(Option<Arc<Mutex<()>>>);

impl WriterScope {
    fn enter(writer: Option<Arc<Mutex<()>>>) -> Self {
        Self(WRITER.with(|w| w.replace(writer)))
    }
}

impl Drop for WriterScope {
    fn drop(&mut self) {
        let previous = self.0.take();
        WRITER.with(|w| *w.borrow_mut() = previous);
    }
}

impl Database {
    /// Builds the pool (SQLite: creates the file and switches it to WAL first). Blocking; call it
    /// at start-up, not from a request.
    pub fn connect(url: &DatabaseUrl, pool_size: u32) -> anyhow::Result<Self> {
        Self::connect_with(url, pool_size, SQLITE_BUSY_TIMEOUT)
    }

    /// As [`Database::connect`], with how long a statement waits for another connection's lock
    /// (`DB_BUSY_TIMEOUT_MS`) before it fails and the request answers 503.
    pub fn connect_with(
        url: &DatabaseUrl,
        pool_size: u32,
        busy_timeout: Duration,
    ) -> anyhow::Result<Self> {
        let manager = ConnectionManager::new(url.clone()).busy_timeout(busy_timeout);
        manager.prepare()?;
        probe::check_writable(&manager, busy_timeout)?;
        let pool = Pool::builder()
            .max_size(pool_size)
            // No connection is ever opened in the background: r2d2 would otherwise refill the
            // idle set on its own threads after every checkout, and a one-shot command that exits
            // while such a thread is inside libpq's connect crashes in OpenSSL's exit handlers
            // (SIGSEGV instead of its exit code, about 1 run in 13 on PostgreSQL).
            .min_idle(Some(0))
            .connection_timeout((busy_timeout * 2).max(Duration::from_secs(2)))
            .test_on_check_out(false)
            .build(manager)
            .map_err(|e| anyhow::anyhow!("cannot connect to {url}: {e}"))?;
        Ok(Self {
            pool,
            url: url.clone(),
            busy_timeout,
            health: Arc::default(),
            writer: Arc::default(),
        })
    }

    pub fn url(&self) -> &DatabaseUrl {
        &self.url
    }

    /// Applies pending migrations, then the data steps not yet done; returns the versions and
    /// steps applied.
    pub fn migrate(&self) -> anyhow::Result<Vec<String>> {
        let mut conn = self.pool.get()?;
        let mut applied = migrations::run_pending(&mut conn)?;
        let now = chrono::Utc::now().naive_utc();
        applied.extend(data_steps::run_pending(&mut conn, now)?);
        Ok(applied)
    }

    /// Runs blocking database work on the blocking thread pool, inside the current span.
    pub async fn run<T, F>(&self, work: F) -> Result<T, AppError>
    where
        F: FnOnce(&mut DbConn) -> Result<T, AppError> + Send + 'static,
        T: Send + 'static,
    {
        let db = self.clone();
        let span = tracing::Span::current();
        tokio::task::spawn_blocking(move || {
            let _entered = span.enter();
            db.run_blocking(work)
        })
        .await?
    }

    /// The same as [`Database::run`] for code that is already on a blocking thread (CLI, workers).
    pub fn run_blocking<T>(
        &self,
        work: impl FnOnce(&mut DbConn) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        failure::take_committed();
        let _scope = WriterScope::enter(
            matches!(self.url, DatabaseUrl::Sqlite(_)).then(|| self.writer.clone()),
        );
        let result = self
            .pool
            .get()
            .map_err(AppError::from)
            .and_then(|mut conn| work(&mut conn));
        match &result {
            Err(AppError::Unavailable(_)) => self.health.failed(),
            _ if failure::take_committed() => self.health.succeeded(),
            _ => {}
        }
        result
    }

    /// This instance's pooled connections: `(in use, idle)`.
    pub fn pool_connections(&self) -> (u32, u32) {
        let state = self.pool.state();
        (
            state.connections.saturating_sub(state.idle_connections),
            state.idle_connections,
        )
    }

    /// Whether the database answers a trivial query.
    pub async fn ping(&self) -> Result<(), AppError> {
        self.run(|conn| Ok(conn.batch_execute("SELECT 1")?)).await
    }
}

/// Whether `conn` is inside a transaction (work there may still be rolled back).
pub fn in_transaction(conn: &mut DbConn) -> bool {
    let depth = match conn {
        DbConn::Sqlite(inner) => {
            AnsiTransactionManager::transaction_manager_status_mut(inner).transaction_depth()
        }
        DbConn::Pg(inner) => {
            AnsiTransactionManager::transaction_manager_status_mut(inner).transaction_depth()
        }
    };
    // A broken transaction manager: treat as inside, so nothing is read as committed.
    depth.map_or(true, |d| d.is_some())
}

/// Runs `work` in one write transaction: all or nothing. On SQLite the transaction starts with
/// `BEGIN IMMEDIATE`, so a read-then-write never fails with SQLITE_BUSY halfway; on PostgreSQL it
/// is a plain transaction. Nested calls become savepoints.
pub fn write_tx<T, E, F>(conn: &mut DbConn, work: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConn) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    let sqlite_top_level = conn.is_sqlite() && !in_transaction(conn);
    if !sqlite_top_level {
        let result = conn.transaction(work);
        if result.is_ok() {
            failure::mark_committed();
        }
        return result;
    }
    // This process's writers take turns here first (see `Database::writer`).
    let writer = WRITER.with(|w| w.borrow().clone());
    let _turn = writer
        .as_ref()
        .map(|queue| queue.lock().unwrap_or_else(|e| e.into_inner()));
    if let DbConn::Sqlite(inner) = conn {
        AnsiTransactionManager::begin_transaction_sql(inner, "BEGIN IMMEDIATE")?;
    }
    let result = work(conn);
    let DbConn::Sqlite(inner) = conn else {
        unreachable!("checked above")
    };
    match result {
        Ok(value) => {
            AnsiTransactionManager::commit_transaction(inner)?;
            failure::mark_committed();
            Ok(value)
        }
        Err(user_error) => match AnsiTransactionManager::rollback_transaction(inner) {
            Ok(()) | Err(diesel::result::Error::BrokenTransactionManager) => Err(user_error),
            Err(rollback_error) => Err(rollback_error.into()),
        },
    }
}

/// Serialises the rest of the current write transaction with every other transaction that
/// names the same `key` (a check-then-insert such as a per-address email cap). PostgreSQL: a
/// transaction-scoped advisory lock on a hash of the key; SQLite: nothing to do, [`write_tx`]
/// already holds the one write lock. Call it inside [`write_tx`].
pub fn serialize_on(conn: &mut DbConn, key: &str) -> Result<(), AppError> {
    if let DbConn::Pg(pg) = conn {
        use diesel::RunQueryDsl;
        diesel::sql_query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
            .bind::<diesel::sql_types::Text, _>(key)
            .execute(pg)?;
    }
    Ok(())
}

/// The current time as stored: UTC, truncated to microseconds (PostgreSQL's precision), so a
/// value read back equals the value written on both backends.
pub fn now() -> NaiveDateTime {
    crate::clock::Clock::system().now()
}

/// A new time-ordered id (UUID v7) as stored: lowercase hyphenated text.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}
