//! The life of a case: the status of an intake and of each help request, and which step each
//! status allows. Workflows, SQL filters and pages all ask these rules; none works them out again.
//!
//! ```text
//! intake:  open ──ask──▶ requested ──accept──▶ connected ──close──▶ closed
//!            ▲               │                     (erase from any: erased)
//!            ╰──new matches──┤
//!                            ╰──nobody left──▶ unmatched
//! request: pending ──▶ accepted ──▶ completed | closed
//!             ╰──▶ declined | withdrawn | expired
//! ```

use super::code::codes;

codes! {
    /// Where an intake stands.
    pub enum IntakeStatus {
        /// Matches offered, nobody asked yet.
        Open => "open",
        /// At least one expert asked, none accepted yet.
        Requested => "requested",
        /// An expert accepted: victim and expert have each other's contact details.
        Connected => "connected",
        /// The victim closed the case with an outcome.
        Closed => "closed",
        /// Nobody fits or nobody accepted in time; the moderators are looking for help.
        Unmatched => "unmatched",
        /// The victim erased the case: personal data gone, statistics kept.
        Erased => "erased",
    }
}

impl IntakeStatus {
    /// The statuses in which the victim may still ask matched experts for help.
    pub const ASKABLE: [Self; 2] = [Self::Open, Self::Requested];
    /// The statuses in which an acceptance connects the case.
    pub const ACCEPTING: [Self; 2] = [Self::Open, Self::Requested];
    /// The statuses of a case that has not ended.
    pub const ONGOING: [Self; 4] = [
        Self::Open,
        Self::Requested,
        Self::Connected,
        Self::Unmatched,
    ];
    /// The statuses in which feedback can be given.
    pub const FEEDBACK: [Self; 2] = [Self::Connected, Self::Closed];
    /// The statuses of a case that has ended for good.
    pub const ENDED: [Self; 2] = [Self::Closed, Self::Erased];

    /// Whether the victim may ask (more) matched experts for help.
    pub fn can_ask(self) -> bool {
        Self::ASKABLE.contains(&self)
    }

    /// Whether an expert's acceptance may still connect this case.
    pub fn can_accept(self) -> bool {
        Self::ACCEPTING.contains(&self)
    }

    /// Whether the victim may close the case (and still give or change the baseline answers).
    pub fn can_close(self) -> bool {
        Self::ONGOING.contains(&self)
    }

    /// Whether the case has not ended: the resilience baseline may be given or changed.
    pub fn is_ongoing(self) -> bool {
        Self::ONGOING.contains(&self)
    }

    /// Whether feedback is possible: an expert was connected or the case was closed.
    pub fn can_give_feedback(self) -> bool {
        Self::FEEDBACK.contains(&self)
    }

    /// Whether feedback will become possible later (the case is still waiting for an expert).
    pub fn feedback_later(self) -> bool {
        matches!(self, Self::Open | Self::Requested | Self::Unmatched)
    }

    /// Whether the personal data is still there to erase, complain about or export.
    pub fn is_erased(self) -> bool {
        self == Self::Erased
    }
}

codes! {
    /// Where one help request (a victim asking one expert) stands.
    pub enum RequestStatus {
        /// Sent, not answered yet.
        Pending => "pending",
        /// This expert's acceptance connected the case.
        Accepted => "accepted",
        Declined => "declined",
        /// Another expert accepted first, or the victim closed or erased the case.
        Withdrawn => "withdrawn",
        /// Not answered in time.
        Expired => "expired",
        /// The expert completed the connected case.
        Completed => "completed",
        /// Accepted, then the victim closed or erased the case before the expert completed it.
        Closed => "closed",
    }
}

impl RequestStatus {
    /// The statuses of the request that connected its intake.
    pub const CONNECTED: [Self; 3] = [Self::Accepted, Self::Completed, Self::Closed];
    /// The statuses of a request the expert answered or let expire.
    pub const ANSWERED: [Self; 5] = [
        Self::Accepted,
        Self::Completed,
        Self::Closed,
        Self::Declined,
        Self::Expired,
    ];

    /// Whether the expert may still accept or decline.
    pub fn can_answer(self) -> bool {
        self == Self::Pending
    }

    /// Whether the expert may complete it: it connected and the expert has not completed it yet
    /// (also after the victim closed the case).
    pub fn can_complete(self) -> bool {
        matches!(self, Self::Accepted | Self::Closed)
    }

    /// Whether this request is the one that connected its intake.
    pub fn connected(self) -> bool {
        Self::CONNECTED.contains(&self)
    }
}

codes! {
    /// Where a victim's complaint about an expert stands.
    pub enum ComplaintStatus {
        /// Waiting for a moderator.
        Open => "open",
        /// A moderator acted on it (e.g. suspended the expert, referencing the complaint).
        Actioned => "actioned",
        /// A moderator marked it handled, with a note: nothing more to do.
        Handled => "handled",
    }
}

#[cfg(test)]
mod tests {
    use super::{IntakeStatus as I, RequestStatus as R};

    #[test]
    fn only_a_case_waiting_for_an_expert_can_ask_or_be_accepted() {
        for s in I::ALL {
            let waiting = matches!(s, I::Open | I::Requested);
            assert_eq!(s.can_ask(), waiting, "{s}");
            assert_eq!(s.can_accept(), waiting, "{s}");
        }
    }

    #[test]
    fn a_closed_or_erased_case_can_not_be_closed_again() {
        for s in I::ALL {
            assert_eq!(s.can_close(), !matches!(s, I::Closed | I::Erased), "{s}");
        }
    }

    #[test]
    fn feedback_opens_once_connected_or_closed() {
        for s in I::ALL {
            assert_eq!(s.can_give_feedback(), matches!(s, I::Connected | I::Closed));
            assert!(!(s.can_give_feedback() && s.feedback_later()), "{s}");
        }
        assert!(!I::Erased.can_give_feedback() && !I::Erased.feedback_later());
    }

    #[test]
    fn only_a_pending_request_is_answered_and_only_a_connected_one_completed() {
        for s in R::ALL {
            assert_eq!(s.can_answer(), s == R::Pending);
            assert_eq!(s.can_complete(), matches!(s, R::Accepted | R::Closed));
        }
        assert!(R::Closed.connected() && !R::Withdrawn.connected());
    }
}
