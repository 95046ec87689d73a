//! The login lockout rule, counted per email address *and client*: after repeated failed logins
//! from one client, that client's logins slow down (a growing wait), and after ten they stop for
//! a quarter of an hour; the owner on their own connection is not affected. Failures for the
//! address from all clients together never lock; from [`ACCOUNT_SLOW_DOWN_AFTER`] on they make
//! every attempt take longer ([`account_slowdown`]), which slows guessing from many clients
//! without refusing anyone. Unknown addresses are treated the same, so the answer never tells
//! whether an account exists.

use chrono::{Duration, NaiveDateTime};

/// From this many consecutive failures on, every further failure makes the next login wait.
pub const SLOW_DOWN_AFTER: i32 = 5;
/// From this many consecutive failures on, the account is locked for [`LOCK_DURATION`].
pub const LOCK_AFTER: i32 = 10;
pub const LOCK_DURATION: Duration = Duration::minutes(15);
/// Failures older than this are forgotten.
pub const FORGET_AFTER: Duration = Duration::hours(1);

/// How long logins wait after the `failures`-th consecutive failure: nothing for the first four,
/// then 2, 4, 8, 16, 32 seconds, then 15 minutes.
pub fn wait_after(failures: i32) -> Option<Duration> {
    if failures >= LOCK_AFTER {
        Some(LOCK_DURATION)
    } else if failures >= SLOW_DOWN_AFTER {
        Some(Duration::seconds(1 << (failures - SLOW_DOWN_AFTER + 1)))
    } else {
        None
    }
}

/// From this many failures for one address (all clients, within [`FORGET_AFTER`]) on, every
/// login attempt for it is answered more slowly.
pub const ACCOUNT_SLOW_DOWN_AFTER: i32 = 20;

/// How much longer an attempt takes after `failures` failures for the address from all clients:
/// nothing below [`ACCOUNT_SLOW_DOWN_AFTER`], then 1 second, and 3 seconds from 100 on.
pub fn account_slowdown(failures: i32) -> Option<std::time::Duration> {
    if failures >= 100 {
        Some(std::time::Duration::from_secs(3))
    } else if failures >= ACCOUNT_SLOW_DOWN_AFTER {
        Some(std::time::Duration::from_secs(1))
    } else {
        None
    }
}

/// The count after one more failure at `now`, given the previous count and its time.
pub fn next_failures(previous: i32, last_failed_at: NaiveDateTime, now: NaiveDateTime) -> i32 {
    if now - last_failed_at > FORGET_AFTER {
        1
    } else {
        previous.saturating_add(1)
    }
}

/// Whole seconds until `until`, at least 1 (for `Retry-After`).
pub fn seconds_until(until: NaiveDateTime, now: NaiveDateTime) -> u64 {
    let millis = (until - now).num_milliseconds().max(0);
    u64::try_from((millis + 999) / 1000).unwrap_or(1).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins_slow_down_then_lock() {
        for n in 0..SLOW_DOWN_AFTER {
            assert_eq!(wait_after(n), None);
        }
        assert_eq!(wait_after(5), Some(Duration::seconds(2)));
        assert_eq!(wait_after(9), Some(Duration::seconds(32)));
        assert_eq!(wait_after(10), Some(Duration::minutes(15)));
        assert_eq!(wait_after(50), Some(Duration::minutes(15)));
    }

    #[test]
    fn failures_from_all_clients_only_slow_down() {
        assert_eq!(account_slowdown(ACCOUNT_SLOW_DOWN_AFTER - 1), None);
        assert_eq!(
            account_slowdown(ACCOUNT_SLOW_DOWN_AFTER),
            Some(std::time::Duration::from_secs(1))
        );
        assert_eq!(
            account_slowdown(10_000),
            Some(std::time::Duration::from_secs(3))
        );
    }

    #[test]
    fn old_failures_are_forgotten() {
        let t = chrono::DateTime::UNIX_EPOCH.naive_utc();
        assert_eq!(next_failures(7, t, t + Duration::minutes(5)), 8);
        assert_eq!(next_failures(7, t, t + Duration::hours(2)), 1);
        assert_eq!(seconds_until(t + Duration::milliseconds(1500), t), 2);
        assert_eq!(seconds_until(t, t), 1);
    }
}
