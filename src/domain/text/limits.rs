//! How long the texts people write may be: one place for the API and the pages, so the two can
//! never drift. Lengths count characters of the text *after* trimming, so spaces around a
//! reason neither make a too-short one pass nor a fitting one fail.

/// The allowed length of one free text, in characters after trimming.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub min: usize,
    pub max: usize,
}

/// A moderator's reason to reject or suspend an expert (`/moderation/experts/{id}/…`).
pub const VETTING_REASON: Limit = Limit { min: 3, max: 2000 };
/// A moderator's note on a complaint, or the reason to suspend the expert for it.
pub const COMPLAINT_ACTION: Limit = Limit { min: 3, max: 2000 };
/// A victim's complaint about the connected expert.
pub const COMPLAINT: Limit = Limit { min: 10, max: 5000 };
/// An expert's reason to decline a request (optional).
pub const DECLINE_REASON: Limit = Limit { min: 0, max: 1000 };
/// An expert's summary when completing a case (optional).
pub const COMPLETION_SUMMARY: Limit = Limit { min: 0, max: 5000 };
/// A victim's comment with the feedback or the resilience check (optional).
pub const FEEDBACK_COMMENT: Limit = Limit { min: 0, max: 2000 };

impl Limit {
    /// The trimmed text when it has `min..=max` characters; else why not, for its field.
    pub fn required(self, raw: &str) -> Result<&str, String> {
        let text = raw.trim();
        if (self.min..=self.max).contains(&text.chars().count()) {
            Ok(text)
        } else {
            Err(format!("must be {} to {} characters", self.min, self.max))
        }
    }

    /// The trimmed text, `None` when empty or absent; longer than `max` characters is refused.
    pub fn optional(self, raw: Option<&str>) -> Result<Option<&str>, String> {
        let Some(text) = raw.map(str::trim).filter(|t| !t.is_empty()) else {
            return Ok(None);
        };
        if text.chars().count() > self.max {
            return Err(format!("is longer than {} characters", self.max));
        }
        Ok(Some(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_trimmed_before_their_length_is_counted() {
        assert_eq!(
            VETTING_REASON.required("  ok  "),
            Err("must be 3 to 2000 characters".into())
        );
        assert_eq!(VETTING_REASON.required(" fine "), Ok("fine"));
        let padded = format!("  {}  ", "x".repeat(2000));
        assert_eq!(VETTING_REASON.required(&padded).map(str::len), Ok(2000));
        assert_eq!(DECLINE_REASON.optional(Some("   ")), Ok(None));
        assert_eq!(DECLINE_REASON.optional(None), Ok(None));
        let long = "é".repeat(1001);
        assert_eq!(
            DECLINE_REASON.optional(Some(&long)),
            Err("is longer than 1000 characters".into())
        );
        assert_eq!(
            DECLINE_REASON
                .optional(Some(&long[2..]))
                .map(|t| t.map(|t| t.chars().count())),
            Ok(Some(1000))
        );
    }
}
