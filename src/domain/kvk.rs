//! KvK numbers: the Dutch Chamber of Commerce registration number of a company.

use std::fmt;

/// Exactly eight digits (surrounding whitespace and the usual separators between groups are
/// dropped on input: `1234 5678`, `1234.5678`). KvK numbers have no check digit since 2016, so
/// the shape is all that can be checked offline.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct KvkNumber(String);

impl KvkNumber {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let compact: String = raw
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '.' | '-'))
            .collect();
        if compact.is_empty() {
            return Err("is required");
        }
        if compact.len() != 8 || !compact.bytes().all(|b| b.is_ascii_digit()) {
            return Err("must be exactly 8 digits");
        }
        if compact == "00000000" {
            return Err("is not a KvK number");
        }
        Ok(Self(compact))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for KvkNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::KvkNumber;

    #[test]
    fn eight_digits_are_accepted_with_common_separators() {
        assert_eq!(KvkNumber::parse("12345678").unwrap().as_str(), "12345678");
        assert_eq!(
            KvkNumber::parse(" 1234 5678 ").unwrap().as_str(),
            "12345678"
        );
        assert_eq!(KvkNumber::parse("1234.5678").unwrap().as_str(), "12345678");
    }

    #[test]
    fn anything_else_is_refused() {
        for bad in [
            "",
            "1234567",
            "123456789",
            "1234567a",
            "١٢٣٤٥٦٧٨",
            "00000000",
            "+1234567",
        ] {
            assert!(KvkNumber::parse(bad).is_err(), "{bad:?} was accepted");
        }
    }
}
