//! Contact details of an expert company: phone number and website.

use std::fmt;

/// A phone number as people write it (`+31 6 1234 5678`, `010-1234567`): digits with spaces,
/// dashes, dots, parentheses and one leading `+`; 8 to 15 digits. Stored as given, trimmed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct Phone(String);

impl Phone {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err("is required");
        }
        let body = trimmed.strip_prefix('+').unwrap_or(trimmed);
        if !body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')'))
        {
            return Err("may contain only digits, spaces, dashes, parentheses and a leading +");
        }
        let digits = body.chars().filter(char::is_ascii_digit).count();
        if !(8..=15).contains(&digits) {
            return Err("must have 8 to 15 digits");
        }
        if trimmed.len() > 30 {
            return Err("is longer than 30 characters");
        }
        Ok(Self(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A public http(s) website; `example.nl` is read as `https://example.nl/`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct Website(String);

impl Website {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err("is empty; leave it out instead");
        }
        super::text::single_line(trimmed)?;
        if trimmed.len() > 300 {
            return Err("is longer than 300 characters");
        }
        let with_scheme = if trimmed.contains("://") {
            trimmed.to_owned()
        } else {
            format!("https://{trimmed}")
        };
        let url = url::Url::parse(&with_scheme).map_err(|_| "is not a web address")?;
        let host = url.host_str().unwrap_or_default();
        if !matches!(url.scheme(), "http" | "https") || !host.contains('.') {
            return Err("must be an http:// or https:// web address");
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err("must not contain a user name or password");
        }
        Ok(Self(url.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Website {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_as_people_write_them() {
        for ok in [
            "+31 6 1234 5678",
            "010-1234567",
            "(0164) 123456",
            "0612345678",
        ] {
            assert!(Phone::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "12345",
            "call me",
            "+31 6 1234 5678 ext 2",
            "++31612345678",
        ] {
            assert!(Phone::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn websites_get_a_scheme_and_must_be_http() {
        assert_eq!(
            Website::parse("veilig-it.nl").unwrap().as_str(),
            "https://veilig-it.nl/"
        );
        for bad in [
            "javascript:alert(1)",
            "ftp://x.nl",
            "http://localhost",
            "https://a:b@x.nl",
        ] {
            assert!(Website::parse(bad).is_err(), "{bad}");
        }
    }
}
