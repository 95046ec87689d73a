//! Data-subject exports ("give me everything you hold about me"): one JSON document per subject,
//! built from the same view builders the API and pages use, so an export never shows more than
//! its subject may already see.
//!
//! - [`victim`]: the intake behind a case token, its matches with reasons, requests, steps
//!   ticked, feedback, resilience answers, complaints and the emails sent to the victim.
//! - [`expert`]: the logged-in expert's profile, expertise, the requests it received (victims'
//!   identity only where this expert's acceptance connected them), complaints about it and the
//!   audit entries about or by it.
//!
//! Both documents have the same top: `exported_at` (UTC), `subject` (`{"kind","id"}`) and then
//! one key per section. Neither ever holds password hashes, token hashes or link tokens: email
//! bodies pass through [`redact_tokens`].

pub mod expert;
pub mod victim;

use chrono::NaiveDateTime;
use serde::Serialize;

/// Whose data a document holds.
#[derive(Debug, Clone, Serialize)]
pub struct Subject {
    /// `intake` or `expert`.
    pub kind: &'static str,
    pub id: String,
}

/// When and about whom; the first keys of every export.
#[derive(Debug, Clone, Serialize)]
pub struct Header {
    pub exported_at: NaiveDateTime,
    pub subject: Subject,
}

/// What replaces a capability token in an exported text.
pub const REDACTED: &str = "[token removed]";

/// `text` with every capability token (43 URL-safe base64 characters, see
/// `crate::domain::token`) replaced by [`REDACTED`]: an export file may be stored or passed on,
/// and the links in emails must not keep working from it. Ids (UUIDs, 36 characters) stay.
pub fn redact_tokens(text: &str) -> String {
    fn token_char(c: char) -> bool {
        c.is_ascii_alphanumeric() || c == '-' || c == '_'
    }
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if run.chars().count() >= 40 {
            out.push_str(REDACTED);
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in text.chars() {
        if token_char(c) {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::token::NewToken;

    #[test]
    fn tokens_in_links_are_removed_and_ids_stay() {
        let token = NewToken::generate().secret;
        let id = "0191c3f2-7b1e-7a2b-9c3d-4e5f60718293";
        let text = format!("Open https://x.nl/case/{token} (case {id}).\nBye");
        let out = redact_tokens(&text);
        assert!(!out.contains(&token), "{out}");
        assert_eq!(
            out,
            format!("Open https://x.nl/case/{REDACTED} (case {id}).\nBye")
        );
    }
}
