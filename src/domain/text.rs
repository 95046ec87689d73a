//! What any text a person sends may contain. Single-line fields (names, emails, phones, places,
//! KvK numbers, tokens, codes, query parameters) hold no control characters at all; multi-line
//! free text (descriptions, reasons, comments, summaries) may also hold line breaks (`\n`, or
//! `\r\n` as browsers send them) and tabs. No text may hold Unicode's direction overrides and
//! isolates (U+202A–U+202E, U+2066–U+2069), which make text read differently in the moderators'
//! queue, in emails and to victims than it was typed.
//!
//! NUL in particular cannot be stored by PostgreSQL at all, so these checks run on every input
//! before it reaches a parser or the database (see `http::text_guard`), and the parsers of single
//! line domain types run them again.

pub mod limits;

/// Whether a field holds one line or free text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    Single,
    Multi,
}

/// The field names (the last segment of a field path) that hold free text; every other text
/// field is single-line.
pub const MULTI_LINE_FIELDS: &[&str] = &[
    "description",
    "reason",
    "comment",
    "summary",
    "text_nl",
    "text_en",
];

/// The kind of a field, by the last segment of its name or path (`contact.name` → `name`).
pub fn lines_of(field: &str) -> Lines {
    let last = field
        .rsplit(['.', '['])
        .next()
        .unwrap_or(field)
        .trim_end_matches(']');
    if MULTI_LINE_FIELDS.contains(&last) {
        Lines::Multi
    } else {
        Lines::Single
    }
}

pub const CONTROL_MESSAGE: &str = "must not contain control characters or line breaks";
pub const CONTROL_MULTI_MESSAGE: &str =
    "must not contain control characters other than line breaks and tabs";
pub const DIRECTION_MESSAGE: &str = "must not contain characters that change the text direction";

/// Checks one value of a field of the given kind.
pub fn check(raw: &str, lines: Lines) -> Result<(), &'static str> {
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if is_direction_override(c) {
            return Err(DIRECTION_MESSAGE);
        }
        let allowed = match (lines, c) {
            (Lines::Multi, '\n' | '\t') => true,
            (Lines::Multi, '\r') => chars.peek() == Some(&'\n'),
            (Lines::Single, '\u{2028}' | '\u{2029}') => false,
            _ => !c.is_control(),
        };
        if !allowed {
            return Err(match lines {
                Lines::Single => CONTROL_MESSAGE,
                Lines::Multi => CONTROL_MULTI_MESSAGE,
            });
        }
    }
    Ok(())
}

/// A single-line value: no control characters, no line or paragraph separators, no overrides.
pub fn single_line(raw: &str) -> Result<(), &'static str> {
    check(raw, Lines::Single)
}

/// Free text: line breaks and tabs allowed, other control characters and overrides not.
pub fn multi_line(raw: &str) -> Result<(), &'static str> {
    check(raw, Lines::Multi)
}

/// Unicode's explicit direction embeddings, overrides and isolates (U+202A–U+202E,
/// U+2066–U+2069). The plain marks (U+200E, U+200F, U+061C) stay allowed in free text: Arabic
/// and Hebrew writers use them.
pub fn is_direction_override(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn free_text_keeps_lines_and_tabs_single_lines_do_not() {
        assert!(multi_line("Eerste regel\r\ntweede\tregel\nderde").is_ok());
        assert!(multi_line("مرحبا \u{200f}").is_ok());
        for bad in [
            "a\0b",
            "a\rb",
            "bell\u{7}",
            "\u{1b}[31m",
            "c1\u{85}",
            "x\u{202e}y",
        ] {
            assert!(multi_line(bad).is_err(), "{bad:?}");
        }
        for bad in ["a\nb", "a\tb", "a\0", "a\u{2028}b", "\u{2067}x"] {
            assert!(single_line(bad).is_err(), "{bad:?}");
        }
        assert!(single_line("Çelik & Zonen ICT").is_ok());
    }

    #[test]
    fn fields_are_single_line_unless_named_free_text() {
        assert_eq!(lines_of("description"), Lines::Multi);
        assert_eq!(lines_of("reason"), Lines::Multi);
        assert_eq!(lines_of("contact.name"), Lines::Single);
        assert_eq!(lines_of("company.description"), Lines::Multi);
        assert_eq!(lines_of("expert_ids[0]"), Lines::Single);
        assert_eq!(lines_of("q"), Lines::Single);
    }

    proptest! {
        #[test]
        fn accepted_text_never_holds_what_is_refused(raw in any::<String>()) {
            if single_line(&raw).is_ok() {
                prop_assert!(!raw.chars().any(|c| c.is_control() || is_direction_override(c)));
            }
            if multi_line(&raw).is_ok() {
                prop_assert!(!raw.contains('\0'));
                prop_assert!(!raw.chars().any(is_direction_override));
            }
        }
    }
}
