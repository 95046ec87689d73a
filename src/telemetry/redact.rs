//! What may be written to a log line: request targets with the secrets cut out, and error texts
//! with email addresses cut out. Case links, one-click links and verification links are
//! capabilities (whoever holds one acts as the victim or the expert), so a log line must never
//! carry one; logs are read by more people, and kept longer, than the database.

/// Put where a secret was.
pub const REDACTED: &str = "[redacted]";

/// First path segments whose next segment is a capability token (`/case/{token}/…`,
/// `/feedback/{token}`, `/resilience/{token}`).
const TOKEN_PARENTS: [&str; 3] = ["case", "feedback", "resilience"];

/// Query keys whose values are harmless (filters, paging, language, the page to return to);
/// every other value (e.g. `token=`) is cut.
const PLAIN_QUERY_KEYS: [&str; 11] = [
    "lang",
    "type",
    "status",
    "before",
    "limit",
    "done",
    "subject_id",
    "action",
    "v",
    "next",
    "code",
];

/// The request target (`path?query`) as it may be logged: the segment after `case`, `feedback`
/// or `resilience` is cut wherever it appears (also after doubled slashes), and so is the value
/// of every query key not known to be harmless.
pub fn target(path_and_query: &str) -> String {
    let (path, query) = match path_and_query.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (path_and_query, None),
    };
    let mut out = path_only(path);
    if let Some(query) = query {
        out.push('?');
        let pairs: Vec<String> = query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((key, value)) if PLAIN_QUERY_KEYS.contains(&key) => {
                    format!("{key}={}", plain_value(value))
                }
                Some((key, _)) => format!("{key}={REDACTED}"),
                None => pair.to_owned(),
            })
            .collect();
        out.push_str(&pairs.join("&"));
    }
    out
}

/// A harmless query value as it was sent, unless it names a case or link path (`next=`), in
/// plain or percent-encoded form.
fn plain_value(value: &str) -> String {
    let decoded = decode_unreserved(value);
    if decoded != value && path_only(&decoded) != decoded {
        return REDACTED.to_owned();
    }
    path_only(value)
}

fn path_only(path: &str) -> String {
    let mut cut_next = false;
    let segments: Vec<&str> = path
        .split('/')
        .map(|segment| {
            if segment.is_empty() {
                return segment;
            }
            if cut_next {
                cut_next = false;
                return REDACTED;
            }
            cut_next = TOKEN_PARENTS
                .iter()
                .any(|parent| parent.eq_ignore_ascii_case(&decode_unreserved(segment)));
            segment
        })
        .collect();
    segments.join("/")
}

/// `%63ase` routes like `case`: percent-encoded letters are decoded before comparing.
fn decode_unreserved(segment: &str) -> String {
    if !segment.contains('%') {
        return segment.to_owned();
    }
    url::form_urlencoded::parse(format!("x={segment}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// `text` with every word that contains `@` replaced by `[address]`, for error messages (an SMTP
/// server's refusal usually repeats the recipient).
pub fn addresses(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if word.contains('@') {
            out.push_str("[address]");
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_whitespace() || "<>'\"(),;:[]".contains(c) {
            flush(&mut word, &mut out);
            out.push(c);
        } else {
            word.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_and_link_tokens_are_cut_from_paths() {
        assert_eq!(target("/case/abc123"), "/case/[redacted]");
        assert_eq!(target("/case/abc123/ask"), "/case/[redacted]/ask");
        assert_eq!(
            target("//case//abc123/steps/2"),
            "//case//[redacted]/steps/2"
        );
        assert_eq!(target("/%63ase/abc123"), "/%63ase/[redacted]");
        assert_eq!(target("/feedback/xyz"), "/feedback/[redacted]");
        assert_eq!(
            target("/resilience/xyz?lang=en"),
            "/resilience/[redacted]?lang=en"
        );
        assert_eq!(target("/api/v1/intakes/0193"), "/api/v1/intakes/0193");
    }

    #[test]
    fn token_values_in_the_query_are_cut_and_plain_ones_kept() {
        assert_eq!(
            target("/experts/verify?token=secret&lang=en"),
            "/experts/verify?token=[redacted]&lang=en"
        );
        assert_eq!(target("/x?email=a%40b.nl"), "/x?email=[redacted]");
        assert_eq!(
            target("/login?next=/case/abc"),
            "/login?next=/case/[redacted]"
        );
        assert_eq!(
            target("/login?next=%2Fcase%2Fabc"),
            "/login?next=[redacted]"
        );
        assert_eq!(target("/x?flag"), "/x?flag");
    }

    #[test]
    fn addresses_are_cut_from_error_texts() {
        assert_eq!(
            addresses("550 5.1.1 <jan@bakkerij.nl>: Recipient address rejected"),
            "550 5.1.1 <[address]>: Recipient address rejected"
        );
        assert_eq!(
            addresses("the recipient 'x@y' is not one email address (invalid)"),
            "the recipient '[address]' is not one email address (invalid)"
        );
        assert_eq!(addresses("connection refused"), "connection refused");
    }
}
