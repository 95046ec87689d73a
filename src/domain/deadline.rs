//! The clocks a victim's case runs against, computed from the incident type and when it was
//! discovered; never stored, so a change of rule applies to every case at once.
//!
//! - `ap_notification`: a data breach must be reported to the Autoriteit Persoonsgegevens within
//!   72 hours of discovery (AVG/GDPR art. 33(1)). Ransomware gets the same clock: the intake does
//!   not ask whether data was taken (victims rarely know in the first hours, and encrypted personal
//!   data is a breach of availability in itself), so the item says "if personal data was
//!   affected" instead of staying silent on a legal duty.
//! - `call_bank`: invoice and CEO fraud (`business_email_compromise`): a payment can sometimes be
//!   recalled if the bank hears of it at once. There is no fixed time, so there is no due time
//!   either (`due_at` is `None`): a made-up deadline would only suggest there is time to wait.
//!
//! [`Remaining`] says where a deadline stands at a given moment, in whole hours.

use chrono::{Duration, NaiveDateTime};

use super::code::codes;
use super::{IncidentType, IntakeStatus};

/// Hours from discovery within which a data breach must be reported (AVG art. 33(1)).
pub const AP_NOTIFICATION_HOURS: i64 = 72;

/// Fewer hours than this left: the deadline is shown as near.
pub const NEAR_HOURS: i64 = 24;

codes! {
    /// What a deadline is about.
    pub enum DeadlineCode {
        /// Notify the Autoriteit Persoonsgegevens of a personal data breach.
        ApNotification => "ap_notification",
        /// Call the bank at once to recall a payment.
        CallBank => "call_bank",
    }
}

/// One clock of a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadline {
    pub code: DeadlineCode,
    /// When it is due (UTC, as stored); `None`: now, with no fixed time.
    pub due_at: Option<NaiveDateTime>,
}

/// The deadlines of a case of `incident` discovered at `discovered_at`, in `status`: none for an
/// erased case (nothing is left to act on); the bank call only while the case is ongoing (once
/// closed the moment for a recall has passed), the AP notification whatever the status (closing
/// the case does not lift the legal duty).
pub fn deadlines(
    incident: IncidentType,
    discovered_at: NaiveDateTime,
    status: IntakeStatus,
) -> Vec<Deadline> {
    if status.is_erased() {
        return Vec::new();
    }
    match incident {
        IncidentType::DataBreach | IncidentType::Ransomware => vec![Deadline {
            code: DeadlineCode::ApNotification,
            due_at: discovered_at.checked_add_signed(Duration::hours(AP_NOTIFICATION_HOURS)),
        }],
        IncidentType::BusinessEmailCompromise if status.is_ongoing() => vec![Deadline {
            code: DeadlineCode::CallBank,
            due_at: None,
        }],
        _ => Vec::new(),
    }
}

/// Where a deadline stands at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Remaining {
    /// No due time: act now.
    Now,
    /// Still open, `hours` whole hours left (0: less than an hour); `near` below [`NEAR_HOURS`].
    Left { hours: i64, near: bool },
    /// The due time has passed.
    Passed,
}

impl Deadline {
    pub fn remaining(&self, now: NaiveDateTime) -> Remaining {
        match self.due_at {
            None => Remaining::Now,
            Some(due) if now >= due => Remaining::Passed,
            Some(due) => {
                let hours = (due - now).num_hours();
                Remaining::Left {
                    hours,
                    near: hours < NEAR_HOURS,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn a_data_breach_is_due_72_hours_after_discovery() {
        let found = at("2026-12-01 09:30");
        let list = deadlines(IncidentType::DataBreach, found, IntakeStatus::Open);
        assert_eq!(
            list,
            vec![Deadline {
                code: DeadlineCode::ApNotification,
                due_at: Some(at("2026-12-04 09:30")),
            }]
        );
        let d = list[0];
        assert_eq!(
            d.remaining(found),
            Remaining::Left {
                hours: 72,
                near: false
            }
        );
        assert_eq!(
            d.remaining(at("2026-12-02 16:00")),
            Remaining::Left {
                hours: 41,
                near: false
            }
        );
        assert_eq!(
            d.remaining(at("2026-12-04 09:00")),
            Remaining::Left {
                hours: 0,
                near: true
            }
        );
        assert_eq!(d.remaining(at("2026-12-04 09:30")), Remaining::Passed);
    }

    #[test]
    fn fraud_asks_for_the_bank_now_without_a_due_time() {
        let found = at("2026-12-01 09:30");
        let list = deadlines(
            IncidentType::BusinessEmailCompromise,
            found,
            IntakeStatus::Open,
        );
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].code, DeadlineCode::CallBank);
        assert_eq!(list[0].due_at, None);
        assert_eq!(list[0].remaining(found), Remaining::Now);
        assert!(
            deadlines(
                IncidentType::BusinessEmailCompromise,
                found,
                IntakeStatus::Closed
            )
            .is_empty()
        );
    }

    #[test]
    fn other_incidents_and_erased_cases_have_no_clock() {
        let found = at("2026-12-01 09:30");
        assert!(deadlines(IncidentType::Phishing, found, IntakeStatus::Open).is_empty());
        assert!(deadlines(IncidentType::DataBreach, found, IntakeStatus::Erased).is_empty());
        assert_eq!(
            deadlines(IncidentType::Ransomware, found, IntakeStatus::Closed)[0].code,
            DeadlineCode::ApNotification
        );
    }
}
