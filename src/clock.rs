//! The platform's notion of "now". Production uses the system clock; tests of deadlines
//! (acceptance clock, token expiry, feedback invitations) use a manual clock they move forward.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, SubsecRound, TimeZone, Utc};

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

/// A stored moment (UTC) as the people of a Dutch helpdesk read it: Amsterdam time, with the zone
/// named so nobody has to guess (`23-11-2026 10:15 CET`, in summer `… CEST`).
pub fn for_people(at: NaiveDateTime) -> String {
    at.and_utc()
        .with_timezone(&chrono_tz::Europe::Amsterdam)
        .format("%d-%m-%Y %H:%M %Z")
        .to_string()
}

/// The Amsterdam calendar day of a stored (UTC) moment.
pub fn local_date(at: NaiveDateTime) -> NaiveDate {
    at.and_utc()
        .with_timezone(&chrono_tz::Europe::Amsterdam)
        .date_naive()
}

/// Midnight at the start of `day` in Amsterdam, in UTC as stored: where a day of moderator
/// filters and statistics periods begins.
pub fn start_of_day(day: NaiveDate) -> NaiveDateTime {
    let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    chrono_tz::Europe::Amsterdam
        .from_local_datetime(&midnight)
        .earliest()
        .map_or(midnight, |t| t.naive_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn people_read_amsterdam_time_in_winter_and_summer() {
        assert_eq!(for_people(utc("2026-11-23 09:15")), "23-11-2026 10:15 CET");
        assert_eq!(for_people(utc("2026-07-01 22:30")), "02-07-2026 00:30 CEST");
        // The night the clocks go back: 00:30 and 01:30 UTC are both 02:30 on the wall, told
        // apart by the zone.
        assert_eq!(for_people(utc("2026-10-25 00:30")), "25-10-2026 02:30 CEST");
        assert_eq!(for_people(utc("2026-10-25 01:30")), "25-10-2026 02:30 CET");
    }

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
