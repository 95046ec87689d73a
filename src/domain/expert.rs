//! The life of an expert company: its status, and which step may follow which.
//!
//! ```text
//! unverified ──verify──▶ pending_review ──approve──▶ approved ◀──reinstate── suspended
//!                          ▲      │                   │  ╰──────suspend──────────▲
//!                          │      ╰──reject──▶ rejected│
//!                          ╰──resubmit─────────╯       │
//!                          ╰──────back_to_review───────╯ (a material profile change)
//! ```
//! Paused is a separate flag, not a status: a paused, approved expert keeps its approval.

use std::fmt;

use super::code::codes;

codes! {
    /// Where an expert company stands in vetting.
    pub enum ExpertStatus {
        Unverified => "unverified",
        PendingReview => "pending_review",
        Approved => "approved",
        Rejected => "rejected",
        Suspended => "suspended",
    }
}

/// Something that moves an expert from one status to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpertAction {
    /// The expert confirmed its email address.
    Verify,
    Approve,
    Reject,
    Suspend,
    Reinstate,
    /// A rejected expert edited its profile and asks for a new review.
    Resubmit,
    /// An approved expert changed expertise, region or company data.
    BackToReview,
}

/// An action that is not possible in the current status (HTTP 409).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IllegalTransition {
    pub from: ExpertStatus,
    pub action: ExpertAction,
}

impl fmt::Display for IllegalTransition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "An expert with status {} cannot be {}.",
            self.from.as_str(),
            self.action.past_tense()
        )
    }
}

impl ExpertAction {
    fn past_tense(self) -> &'static str {
        match self {
            Self::Verify => "verified",
            Self::Approve => "approved",
            Self::Reject => "rejected",
            Self::Suspend => "suspended",
            Self::Reinstate => "reinstated",
            Self::Resubmit => "resubmitted for review",
            Self::BackToReview => "sent back to review",
        }
    }
}

impl ExpertStatus {
    /// The status after `action`, or why it is not allowed.
    pub fn apply(self, action: ExpertAction) -> Result<Self, IllegalTransition> {
        use ExpertAction as A;
        use ExpertStatus as S;
        match (self, action) {
            (S::Unverified, A::Verify) => Ok(S::PendingReview),
            (S::PendingReview, A::Approve) | (S::Suspended, A::Reinstate) => Ok(S::Approved),
            (S::PendingReview, A::Reject) => Ok(S::Rejected),
            (S::Approved, A::Suspend) => Ok(S::Suspended),
            (S::Rejected, A::Resubmit) | (S::Approved, A::BackToReview) => Ok(S::PendingReview),
            (from, action) => Err(IllegalTransition { from, action }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{ExpertAction as A, ExpertStatus as S};

    #[test]
    fn the_lifecycle_runs_register_verify_approve_suspend_reinstate() {
        let s = S::Unverified.apply(A::Verify).unwrap();
        assert_eq!(s, S::PendingReview);
        let s = s.apply(A::Approve).unwrap();
        let s = s.apply(A::Suspend).unwrap();
        assert_eq!(s, S::Suspended);
        assert_eq!(s.apply(A::Reinstate).unwrap(), S::Approved);
        assert_eq!(S::Rejected.apply(A::Resubmit).unwrap(), S::PendingReview);
        assert_eq!(
            S::Approved.apply(A::BackToReview).unwrap(),
            S::PendingReview
        );
    }

    #[test]
    fn every_other_step_is_refused() {
        let allowed = [
            (S::Unverified, A::Verify),
            (S::PendingReview, A::Approve),
            (S::PendingReview, A::Reject),
            (S::Approved, A::Suspend),
            (S::Suspended, A::Reinstate),
            (S::Rejected, A::Resubmit),
            (S::Approved, A::BackToReview),
        ];
        let actions = [
            A::Verify,
            A::Approve,
            A::Reject,
            A::Suspend,
            A::Reinstate,
            A::Resubmit,
            A::BackToReview,
        ];
        for from in S::ALL {
            for action in actions {
                let ok = from.apply(action).is_ok();
                assert_eq!(ok, allowed.contains(&(from, action)), "{from} {action:?}");
            }
        }
        let e = S::Unverified.apply(A::Approve).unwrap_err();
        assert_eq!(
            e.to_string(),
            "An expert with status unverified cannot be approved."
        );
    }

    #[test]
    fn statuses_parse_from_their_codes() {
        for s in S::ALL {
            assert_eq!(S::parse(s.as_str()), Some(s));
        }
        assert_eq!(S::parse("paused"), None);
    }
}
