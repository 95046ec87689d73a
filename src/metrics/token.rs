//! `METRICS_TOKEN`: the bearer token a scraper must send to `/metrics`. Only its SHA-256 is kept,
//! so `Settings`' `Debug` cannot show it, and a presented token is compared by digest in constant
//! time (equal-length digests: neither content nor length leaks through timing).

use std::fmt;

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// The fewest characters accepted: a token that cannot be guessed (e.g. `openssl rand -hex 32`),
/// since `/metrics` answers a wrong token as fast as a right one.
pub const MIN_LEN: usize = 32;

#[derive(Clone, PartialEq, Eq)]
pub struct MetricsToken([u8; 32]);

impl MetricsToken {
    /// Validates the configured value: at least [`MIN_LEN`] visible ASCII characters (it must fit
    /// in an `Authorization` header as it is).
    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        if let Some(c) = raw.chars().find(|c| !c.is_ascii_graphic()) {
            return Err(format!(
                "may hold only visible ASCII characters, not {:?}",
                c.escape_default().to_string()
            ));
        }
        if raw.len() < MIN_LEN {
            return Err(format!(
                "is {} characters long; use at least {MIN_LEN} random ones, e.g. `openssl rand -hex 32`",
                raw.len()
            ));
        }
        Ok(Self(Sha256::digest(raw.as_bytes()).into()))
    }

    /// Whether `presented` is the configured token, in constant time.
    pub fn matches(&self, presented: &str) -> bool {
        let digest: [u8; 32] = Sha256::digest(presented.as_bytes()).into();
        digest.ct_eq(&self.0).into()
    }
}

impl fmt::Debug for MetricsToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MetricsToken([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "0123456789abcdef0123456789abcdef";

    #[test]
    fn only_the_configured_token_matches_and_debug_hides_it() {
        let token = MetricsToken::parse(&format!(" {GOOD} ")).unwrap();
        assert!(token.matches(GOOD));
        assert!(!token.matches(&GOOD[1..]));
        assert!(!token.matches(&format!("{GOOD}0")));
        assert!(!token.matches(""));
        assert!(!format!("{token:?}").contains(GOOD));
    }

    #[test]
    fn short_or_unprintable_tokens_are_refused() {
        assert!(
            MetricsToken::parse(&GOOD[1..])
                .unwrap_err()
                .contains("at least 32")
        );
        assert!(MetricsToken::parse(&format!("{GOOD} x")).is_err());
        assert!(MetricsToken::parse(&format!("{GOOD}é")).is_err());
    }
}
