//! What a 409 means: one [`ConflictKind`] per situation in which a request is well-formed but
//! the current state does not allow it. Each kind has a stable snake_case `code` (the problem's
//! `code` member and the last segment of its `type`), an English `detail` for the API, and a
//! catalogue key `conflict.<code>` that pages put into words in the reader's language.

use std::borrow::Cow;

use crate::domain::expert::IllegalTransition;

/// Declares the kinds without data: variant, code and English detail, once.
macro_rules! conflict_kinds {
    ($($(#[$doc:meta])* $variant:ident => $code:literal, $detail:literal;)*) => {
        /// Why a request conflicts with the current state (HTTP 409).
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum ConflictKind {
            $($(#[$doc])* $variant,)*
            /// A moderator's or the expert's step that the expert's status does not allow.
            ExpertStatus(IllegalTransition),
        }

        impl ConflictKind {
            /// Every code, in declaration order.
            pub const CODES: &'static [&'static str] = &[$($code,)* "expert_status"];

            /// Every catalogue key, in the order of [`Self::CODES`].
            pub const KEYS: &'static [&'static str] =
                &[$(concat!("conflict.", $code),)* "conflict.expert_status"];

            /// The stable machine code.
            pub fn code(&self) -> &'static str {
                match self {
                    $(Self::$variant => $code,)*
                    Self::ExpertStatus(_) => "expert_status",
                }
            }

            /// The message catalogue key of the sentence a page shows.
            pub fn key(&self) -> &'static str {
                match self {
                    $(Self::$variant => concat!("conflict.", $code),)*
                    Self::ExpertStatus(_) => "conflict.expert_status",
                }
            }

            /// The English sentence of the problem's `detail`.
            pub fn detail(&self) -> Cow<'static, str> {
                match self {
                    $(Self::$variant => Cow::Borrowed($detail),)*
                    Self::ExpertStatus(illegal) => Cow::Owned(illegal.to_string()),
                }
            }
        }
    };
}

conflict_kinds! {
    /// The help request's answer time has passed.
    RequestExpired => "request_expired", "This request has expired.";
    /// The help request was withdrawn (another expert accepted, or the case was closed).
    RequestWithdrawn => "request_withdrawn",
        "This request was withdrawn: another expert accepted or the case was closed.";
    /// The expert already declined this request.
    RequestDeclined => "request_declined", "You declined this request.";
    /// The expert already accepted this request.
    RequestAccepted => "request_accepted", "You already accepted this request.";
    /// The expert already marked the case complete.
    RequestCompleted => "request_completed", "You already marked this case complete.";
    /// Completing a request that this expert never accepted.
    RequestNotAccepted => "request_not_accepted", "Only a case you accepted can be completed.";
    /// An expert is already connected to the case (another one accepted first).
    AlreadyConnected => "already_connected", "An expert has already been connected to this case.";
    /// The expert's open cases fill its capacity.
    AtCapacity => "at_capacity",
        "You have reached your capacity of open cases; complete a case or raise your capacity first.";
    /// The case was closed.
    CaseClosed => "case_closed", "This case is closed.";
    /// The victim erased the case.
    CaseErased => "case_erased", "This case was erased.";
    /// Nobody was available; moderators are looking for help.
    CaseUnmatched => "case_unmatched",
        "No expert is available for this case; our moderators are looking for help.";
    /// Asking for the next matches while no request is waiting for an answer.
    NotWaiting => "not_waiting",
        "No help request is waiting for an answer; ask the current matches instead.";
    /// Any other step the case's status does not allow.
    CaseState => "case_state", "This is not possible in the case's current state.";
    /// The case's personal data was removed after the retention period.
    CaseDataRemoved => "case_data_removed",
        "The details of this case were removed after the retention period.";
    /// A complaint needs a connected expert.
    NoExpertConnected => "no_expert_connected", "No expert is connected.";
    /// Feedback before an expert was connected or the case closed.
    FeedbackNotOpen => "feedback_not_open",
        "Feedback opens once an expert is connected or the case is closed.";
    /// Feedback is given once.
    FeedbackGiven => "feedback_given", "Feedback was already given for this case.";
    /// The resilience check is answered once.
    ResilienceAnswered => "resilience_answered", "The resilience check was already answered.";
    /// The email address or the KvK number is taken; which one is deliberately not said.
    RegistrationTaken => "registration_taken",
        "A registration with this email address or KvK number is not possible; if your company is already registered, log in or ask the PVO.";
    /// A logged-in expert changes its KvK number to one another expert holds.
    KvkTaken => "kvk_taken", "Another expert is registered with this KvK number.";
    /// A new verification link for an address that is already verified.
    AlreadyVerified => "already_verified", "This email address has already been verified.";
    /// The verification link was used before.
    TokenUsed => "token_used",
        "This verification link has already been used; your email address is verified. Log in to see the status of your registration.";
    /// Someone else changed the expert's status a moment earlier.
    StatusChanged => "status_changed",
        "The status of this expert has just been changed by someone else; reload it and try again.";
    /// The complaint was already marked handled.
    AlreadyHandled => "already_handled", "This complaint has already been marked handled.";
    /// `create-moderator` for an address that already has a moderator.
    ModeratorExists => "moderator_exists", "A moderator with this email already exists.";
    /// Any other unique row that already exists (a repeated idempotency key, a double insert).
    AlreadyExists => "already_exists", "This already exists.";
}

impl ConflictKind {
    /// The catalogue key for a code a page got back in its query (`?why=<code>`); `None` for a
    /// code that is not one of ours.
    pub fn key_of_code(code: &str) -> Option<&'static str> {
        let index = Self::CODES.iter().position(|c| *c == code)?;
        Some(Self::KEYS[index])
    }
}

impl std::fmt::Display for ConflictKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.detail())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_snake_case_unique_and_has_its_key() {
        assert_eq!(ConflictKind::CODES.len(), ConflictKind::KEYS.len());
        let mut seen = std::collections::BTreeSet::new();
        for (code, key) in ConflictKind::CODES.iter().zip(ConflictKind::KEYS) {
            assert!(
                code.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{code}"
            );
            assert!(seen.insert(*code), "{code} twice");
            assert_eq!(*key, format!("conflict.{code}"));
            assert_eq!(ConflictKind::key_of_code(code), Some(*key));
        }
        assert_eq!(ConflictKind::key_of_code("conflict"), None);
        assert_eq!(ConflictKind::AtCapacity.key(), "conflict.at_capacity");
    }

    #[test]
    fn every_key_has_a_sentence_in_every_catalogue() {
        let catalogues = crate::i18n::Catalogues::shared().unwrap();
        for language in catalogues.all() {
            for key in ConflictKind::KEYS {
                assert!(language.get(key).is_some(), "{key} has no sentence");
            }
        }
    }
}
