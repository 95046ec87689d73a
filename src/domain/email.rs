//! An email address that is safe to store, compare and put in a header.

use std::fmt;

/// A single, syntactically valid address, trimmed and lowercased (addresses are compared without
/// regard to case everywhere on the platform). Cannot contain CR/LF or a display name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err("is required");
        }
        if trimmed.len() > 254 {
            return Err("is longer than 254 characters");
        }
        if trimmed
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '<' || c == '>')
            || super::text::single_line(trimmed).is_err()
        {
            return Err("must be a single email address");
        }
        let address: lettre::Address = trimmed
            .parse()
            .map_err(|_| "is not a valid email address")?;
        if !address.domain().contains('.') && address.domain() != "localhost" {
            return Err("is not a valid email address");
        }
        Ok(Self(trimmed.to_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part after `@`, for conflict-of-interest checks.
    pub fn domain(&self) -> &str {
        self.0.rsplit_once('@').map(|(_, d)| d).unwrap_or_default()
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::Email;

    #[test]
    fn accepts_and_normalises_ordinary_addresses() {
        let e = Email::parse("  Jan.Jansen@Bakkerij-Jansen.NL ").unwrap();
        assert_eq!(e.as_str(), "jan.jansen@bakkerij-jansen.nl");
        assert_eq!(e.domain(), "bakkerij-jansen.nl");
    }

    #[test]
    fn refuses_what_could_smuggle_headers_or_is_not_an_address() {
        for bad in [
            "",
            "jan",
            "jan@",
            "@example.nl",
            "jan@example.nl\r\nBcc: x@evil.nl",
            "Jan <jan@example.nl>",
            "a b@example.nl",
            "jan@example",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} was accepted");
        }
        assert!(Email::parse(&format!("{}@example.nl", "a".repeat(250))).is_err());
    }
}
