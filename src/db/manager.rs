//! The r2d2 connection manager: picks the backend from the URL (never by trial), and gives every
//! SQLite connection its pragmas.

use diesel::connection::SimpleConnection;
use diesel::r2d2::{Error, ManageConnection, R2D2Connection};
use diesel::{Connection, PgConnection, SqliteConnection};

use std::time::Duration;

use super::{DbConn, SQLITE_BUSY_TIMEOUT};
use crate::config::DatabaseUrl;

/// SQLite's page cache per connection, in KiB (`PRAGMA cache_size = -N`; SQLite's default is
/// 2,000). Every pooled connection keeps its own cache, so the pool holds up to
/// `DB_POOL_SIZE` × this; the operating system's file cache behind it is shared.
const SQLITE_CACHE_KIB: u32 = 1024;

pub struct ConnectionManager {
    url: DatabaseUrl,
    busy_timeout: Duration,
}

impl ConnectionManager {
    pub fn new(url: DatabaseUrl) -> Self {
        if matches!(url, DatabaseUrl::Sqlite(_)) {
            stable_plans::enable();
        }
        Self {
            url,
            busy_timeout: SQLITE_BUSY_TIMEOUT,
        }
    }

    pub fn url(&self) -> &DatabaseUrl {
        &self.url
    }

    /// How long a statement waits for another connection's lock: SQLite's `busy_timeout`,
    /// PostgreSQL's `lock_timeout`.
    pub fn busy_timeout(mut self, wait: Duration) -> Self {
        self.busy_timeout = wait;
        self
    }

    /// One-time preparation before the pool exists: SQLite's journal mode is a property of the
    /// file, so it is switched to WAL once here rather than racing on every connection.
    /// PostgreSQL: a database that does not exist yet is created (as SQLite creates its file),
    /// so a new operator's first start just works; it needs the CREATEDB right.
    pub fn prepare(&self) -> anyhow::Result<()> {
        match &self.url {
            DatabaseUrl::Sqlite(path) => {
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir)?;
                }
                let mut conn = self.open_sqlite()?;
                conn.batch_execute("PRAGMA journal_mode = WAL;")?;
            }
            DatabaseUrl::Postgres(url) => create_missing_pg_database(url)?,
        }
        Ok(())
    }

    fn open_sqlite(&self) -> Result<SqliteConnection, Error> {
        let DatabaseUrl::Sqlite(path) = &self.url else {
            unreachable!("only called for SQLite")
        };
        let mut conn =
            SqliteConnection::establish(&path.to_string_lossy()).map_err(Error::ConnectionError)?;
        conn.batch_execute(&format!(
            "PRAGMA busy_timeout = {}; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; \
             PRAGMA cache_size = -{SQLITE_CACHE_KIB};",
            self.busy_timeout.as_millis()
        ))
        .map_err(Error::QueryError)?;
        super::models::search::register_sqlite_functions(&mut conn).map_err(Error::QueryError)?;
        Ok(conn)
    }
}

impl ManageConnection for ConnectionManager {
    type Connection = DbConn;
    type Error = Error;

    fn connect(&self) -> Result<DbConn, Error> {
        match &self.url {
            DatabaseUrl::Sqlite(_) => self.open_sqlite().map(DbConn::Sqlite),
            DatabaseUrl::Postgres(url) => {
                let mut conn = PgConnection::establish(url).map_err(Error::ConnectionError)?;
                conn.batch_execute(&format!(
                    "SET lock_timeout = {}",
                    self.busy_timeout.as_millis()
                ))
                .map_err(Error::QueryError)?;
                Ok(DbConn::Pg(conn))
            }
        }
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), Error> {
        conn.ping().map_err(Error::QueryError)
    }

    fn has_broken(&self, conn: &mut DbConn) -> bool {
        conn.is_broken()
    }
}

/// Creates the database named in `url` when the server says it does not exist.
fn create_missing_pg_database(url: &str) -> anyhow::Result<()> {
    if let Err(e) = PgConnection::establish(url) {
        let text = e.to_string();
        if !text.contains("does not exist") {
            return Err(anyhow::anyhow!(text.trim().to_owned()));
        }
    } else {
        return Ok(());
    }
    let mut parsed = url::Url::parse(url)?;
    let name = parsed.path().trim_start_matches('/').to_owned();
    let valid = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if !valid {
        anyhow::bail!("database '{name}' does not exist; create it first");
    }
    parsed.set_path("/postgres");
    let mut admin = PgConnection::establish(parsed.as_str()).map_err(|e| {
        anyhow::anyhow!("database '{name}' does not exist and cannot be created: {e}")
    })?;
    admin
        .batch_execute(&format!("CREATE DATABASE \"{name}\""))
        .map_err(|e| {
            anyhow::anyhow!("database '{name}' does not exist and cannot be created: {e}")
        })?;
    tracing::info!(database = %name, "created the PostgreSQL database");
    Ok(())
}

/// SQLite re-plans a cached statement each time a parameter its plan looked at is bound again.
/// Since 3.4x that includes every `LIMIT ?`, which diesel writes for `.first()`: every
/// single-row read was parsed and planned anew on each run, most of the CPU time of a case read
/// under load. The query planner stability guarantee (QPSG) makes plans independent of bound
/// values, so diesel's statement cache is used as intended. Set on every SQLite connection the
/// process opens, through an auto-extension (diesel does not hand out the raw handle).
#[expect(
    unsafe_code,
    reason = "an SQLite auto-extension is a C callback registered through the C API"
)]
mod stable_plans {
    use std::os::raw::{c_char, c_int};
    use std::sync::Once;

    use libsqlite3_sys::{
        SQLITE_DBCONFIG_ENABLE_QPSG, SQLITE_OK, sqlite3, sqlite3_api_routines,
        sqlite3_auto_extension, sqlite3_db_config,
    };

    pub fn enable() {
        static ONCE: Once = Once::new();
        // SAFETY: `on_open` matches the entry-point signature SQLite calls it with.
        ONCE.call_once(|| unsafe {
            sqlite3_auto_extension(Some(on_open));
        });
    }

    /// Runs inside `sqlite3_open` for each new connection, with its handle.
    unsafe extern "C" fn on_open(
        db: *mut sqlite3,
        _error: *mut *mut c_char,
        _api: *const sqlite3_api_routines,
    ) -> c_int {
        // SAFETY: `db` is the connection being opened; QPSG takes an int and an optional int
        // pointer for the previous value.
        unsafe {
            sqlite3_db_config(
                db,
                SQLITE_DBCONFIG_ENABLE_QPSG,
                1 as c_int,
                std::ptr::null_mut::<c_int>(),
            );
        }
        SQLITE_OK as c_int
    }
}
