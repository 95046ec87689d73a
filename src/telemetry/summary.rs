//! Events that anyone on the internet can cause at will are counted, not logged one by one, and
//! reported as one line a minute at most: wrong capability tokens (someone guessing case links,
//! one-click links or verification links) and malformed HTTP. One line per guess would let a
//! client flood the log (and, before, wrote every guessed token into it).

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use tokio::sync::watch;

static CASE: AtomicU64 = AtomicU64::new(0);
static LINK: AtomicU64 = AtomicU64::new(0);
static VERIFICATION: AtomicU64 = AtomicU64::new(0);
static MALFORMED: AtomicU64 = AtomicU64::new(0);
static LAST_MALFORMED: Mutex<String> = Mutex::new(String::new());

/// How often the counts are reported (when any is above zero).
pub const INTERVAL: Duration = Duration::from_secs(60);

/// Which kind of token matched nothing.
#[derive(Clone, Copy, Debug)]
pub enum WrongToken {
    /// A case link (`/case/{token}`) or the victim's bearer token.
    Case,
    /// A one-click feedback or resilience link.
    Link,
    /// An email verification link.
    Verification,
}

impl WrongToken {
    pub const ALL: [WrongToken; 3] = [Self::Case, Self::Link, Self::Verification];

    /// The kind as a metrics label.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Case => "case",
            Self::Link => "link",
            Self::Verification => "verification",
        }
    }
}

/// Counts one token that matched nothing, for the next report. Call it through
/// `Metrics::wrong_token`, which counts it for `/metrics` too.
pub fn wrong_token(kind: WrongToken) {
    let counter = match kind {
        WrongToken::Case => &CASE,
        WrongToken::Link => &LINK,
        WrongToken::Verification => &VERIFICATION,
    };
    counter.fetch_add(1, Ordering::Relaxed);
}

/// Counts one connection the HTTP layer gave up on (e.g. an unparseable request), with its
/// error text (which holds no request data).
pub fn malformed_request(error: &str) {
    MALFORMED.fetch_add(1, Ordering::Relaxed);
    if let Ok(mut last) = LAST_MALFORMED.lock() {
        error.clone_into(&mut last);
    }
}

/// Logs the counts since the last report (nothing when all are zero) and starts again.
pub fn report(elapsed: Duration) {
    let secs = elapsed.as_secs();
    let (case, link, verification) = (
        CASE.swap(0, Ordering::Relaxed),
        LINK.swap(0, Ordering::Relaxed),
        VERIFICATION.swap(0, Ordering::Relaxed),
    );
    if case + link + verification > 0 {
        tracing::info!(
            case,
            link,
            verification,
            secs,
            "wrong case, one-click or verification tokens tried since the last report"
        );
    }
    let malformed = MALFORMED.swap(0, Ordering::Relaxed);
    if malformed > 0 {
        let last = LAST_MALFORMED.lock().map(|l| l.clone()).unwrap_or_default();
        tracing::warn!(
            count = malformed,
            last_error = %last,
            secs,
            "malformed HTTP requests since the last report"
        );
    }
}

/// Reports every [`INTERVAL`] until `stop` turns true, then once more.
pub async fn run(mut stop: watch::Receiver<bool>) {
    let mut since = Instant::now();
    let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + INTERVAL, INTERVAL);
    loop {
        tokio::select! {
            changed = stop.changed() => if changed.is_err() || *stop.borrow() { break },
            _ = ticks.tick() => {
                report(since.elapsed());
                since = Instant::now();
            }
        }
    }
    report(since.elapsed());
}
