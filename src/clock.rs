//! The platform's notion of "now". Production uses the system clock; tests of deadlines
//! (acceptance clock, token expiry, feedback invitations) use a manual clock they move forward.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, NaiveDateTime, SubsecRound, Utc};

#[derive(Clone, Default)]
pub struct Clock(Option<Arc<Mutex<DateTime<Utc>>>>);

impl Clock {
    pub fn system() -> Self {
        Self(None)
    }

    /// A clock that stands still at `start` until advanced.
    pub fn manual(start: DateTime<Utc>) -> Self {
        Self(Some(Arc::new(Mutex::new(start))))
    }

    pub fn now_utc(&self) -> DateTime<Utc> {
        match &self.0 {
            None => Utc::now(),
            Some(t) => *t.lock().unwrap_or_else(|poisoned| poisoned.into_inner()),
        }
    }

    /// Now as stored in the database: UTC, microsecond precision.
    pub fn now(&self) -> NaiveDateTime {
        self.now_utc().naive_utc().trunc_subsecs(6)
    }

    /// Moves a manual clock forward; returns false (and does nothing) on the system clock.
    pub fn advance(&self, by: Duration) -> bool {
        match &self.0 {
            None => false,
            Some(t) => {
                let mut guard = t.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                *guard += by;
                true
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_moves_only_when_told() {
        let start = Utc::now();
        let clock = Clock::manual(start);
        assert_eq!(clock.now_utc(), start);
        assert!(clock.advance(Duration::hours(2)));
        assert_eq!(clock.now_utc(), start + Duration::hours(2));
        assert!(!Clock::system().advance(Duration::hours(1)));
    }
}
