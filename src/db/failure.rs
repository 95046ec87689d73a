//! Honest failure: which database errors mean "not now" (a lock held too long, a full disk, a
//! read-only or restarting database: 503 with `Retry-After`) rather than "our bug" (500), and
//! the memory of the last write that failed that way, so `/readyz` can say "not ready" while
//! writes fail even where its own cheap probe cannot see why (a PostgreSQL table lock).
//!
//! diesel gives no SQLSTATE, so the errors are recognised by the messages SQLite and PostgreSQL
//! (with English `lc_messages`, the default) give for them.

use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// What a database error says about the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// The database cannot do this now: 503.
    Unavailable,
    /// The text cannot be stored (PostgreSQL and NUL, SQLSTATE 22021/22P05): the client's 422.
    BadText,
}

/// Messages (lowercase fragments) of errors that pass when the database is back to normal.
const UNAVAILABLE: &[&str] = &[
    // SQLite: SQLITE_BUSY, SQLITE_LOCKED, SQLITE_FULL, SQLITE_IOERR, SQLITE_READONLY,
    // SQLITE_CANTOPEN.
    "database is locked",
    "database table is locked",
    "database schema is locked",
    "database or disk is full",
    "disk i/o error",
    "attempt to write a readonly database",
    "unable to open database file",
    // PostgreSQL 55P03 lock_not_available, 57014 query_canceled.
    "lock timeout",
    "could not obtain lock",
    "statement timeout",
    // 40P01 deadlock_detected: PostgreSQL aborted this transaction so another could go on; a
    // retry succeeds (e.g. two writers meeting at the audit chain's lock in opposite order).
    "deadlock detected",
    // 53xxx insufficient resources.
    "could not extend file",
    "no space left on device",
    "too many connections",
    "out of memory",
    "remaining connection slots are reserved",
    // 57Pxx operator intervention, 08xxx connection, 25006 read-only.
    "terminating connection",
    "the database system is",
    "server closed the connection",
    "connection to server",
    "could not connect",
    "read-only transaction",
    "recovery is in progress",
];

/// 22021 character_not_in_repertoire, 22P05 untranslatable_character.
const BAD_TEXT: &[&str] = &[
    "invalid byte sequence for encoding",
    "unsupported unicode escape sequence",
    "has no equivalent in encoding",
];

/// Classifies a database error message; `None` is an unexpected error (500).
pub fn classify(message: &str) -> Option<Failure> {
    let lower = message.to_lowercase();
    if BAD_TEXT.iter().any(|m| lower.contains(m)) {
        Some(Failure::BadText)
    } else if UNAVAILABLE.iter().any(|m| lower.contains(m)) {
        Some(Failure::Unavailable)
    } else {
        None
    }
}

/// How long a write failure keeps `/readyz` unready when no write succeeds after it.
pub const REMEMBER_FAILURE: Duration = Duration::from_secs(10);

thread_local! {
    /// Set by [`super::write_tx`] when a top-level write transaction commits on this thread.
    static COMMITTED: Cell<bool> = const { Cell::new(false) };
}

pub(super) fn mark_committed() {
    COMMITTED.with(|c| c.set(true));
}

/// Clears and returns whether a write committed on this thread since the last call.
pub(super) fn take_committed() -> bool {
    COMMITTED.with(|c| c.replace(false))
}

/// The last time a request failed because the database could not write (0: not since the last
/// successful write). Shared by the clones of one [`super::Database`].
#[derive(Debug)]
pub struct WriteHealth {
    started: Instant,
    failed_at_ms: AtomicU64,
}

impl Default for WriteHealth {
    fn default() -> Self {
        Self {
            started: Instant::now(),
            failed_at_ms: AtomicU64::new(0),
        }
    }
}

impl WriteHealth {
    pub fn failed(&self) {
        let ms = self.started.elapsed().as_millis() as u64;
        self.failed_at_ms.store(ms.max(1), Ordering::Relaxed);
    }

    pub fn succeeded(&self) {
        self.failed_at_ms.store(0, Ordering::Relaxed);
    }

    /// Whether a write failed within [`REMEMBER_FAILURE`] and none succeeded since.
    pub fn failing(&self) -> bool {
        match self.failed_at_ms.load(Ordering::Relaxed) {
            0 => false,
            at => {
                let now = self.started.elapsed().as_millis() as u64;
                now.saturating_sub(at) < REMEMBER_FAILURE.as_millis() as u64
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locks_full_disks_and_read_only_databases_are_unavailable_nul_is_bad_text() {
        for m in [
            "database is locked",
            "database or disk is full",
            "attempt to write a readonly database",
            "canceling statement due to lock timeout",
            "deadlock detected",
            "could not extend file \"base/16384/2619\": No space left on device",
            "cannot execute INSERT in a read-only transaction",
            "terminating connection due to administrator command",
        ] {
            assert_eq!(classify(m), Some(Failure::Unavailable), "{m}");
        }
        assert_eq!(
            classify("invalid byte sequence for encoding \"UTF8\": 0x00"),
            Some(Failure::BadText)
        );
        assert_eq!(classify("syntax error at or near \"FROM\""), None);
    }

    #[test]
    fn a_failure_is_forgotten_after_a_successful_write() {
        let health = WriteHealth::default();
        assert!(!health.failing());
        health.failed();
        assert!(health.failing());
        health.succeeded();
        assert!(!health.failing());
    }
}
