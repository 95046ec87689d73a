//! Turns a stored outbox row into a MIME message: `multipart/alternative` (plain text, then HTML),
//! From = `MAIL_FROM`, To = the stored recipient (parsed again by lettre, so nothing with CR/LF or
//! more than one address reaches a header), a `Message-ID` derived from the outbox id (a resend
//! after a crash carries the same id, so it is recognisable as the same message), `Date` = when
//! the email was queued, and `Content-Language`.

use std::time::{Duration, SystemTime};

use chrono::NaiveDateTime;
use lettre::Message;
use lettre::message::header::{Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};

use crate::db::models::outbox::OutboxMessage;

/// The `Content-Language` header (RFC 3282), which lettre does not define.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentLanguage(String);

impl Header for ContentLanguage {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Content-Language")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self(s.trim().to_owned()))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

/// A single recipient, refusing anything that could smuggle a header or name several people.
pub fn parse_recipient(raw: &str) -> Result<Mailbox, String> {
    if raw.contains(['\r', '\n']) {
        return Err("the recipient contains a line break".into());
    }
    raw.parse::<Mailbox>()
        .map_err(|e| format!("the recipient '{raw}' is not one email address ({e})"))
}

/// The stable `Message-ID` of an outbox row: `<outbox-id@host>`.
pub fn message_id(outbox_id: &str, host: &str) -> String {
    format!("<{outbox_id}@{host}>")
}

/// Builds the message; an error here is permanent (the row can never become sendable).
pub fn build(row: &OutboxMessage, from: &Mailbox, host: &str) -> Result<Message, String> {
    let to = parse_recipient(&row.recipient)?;
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(row.subject.clone())
        .message_id(Some(message_id(&row.id, host)))
        .date(system_time(row.created_at))
        .header(ContentLanguage(row.lang.clone()))
        .multipart(MultiPart::alternative_plain_html(
            row.text_body.clone(),
            row.html_body.clone(),
        ))
        .map_err(|e| format!("the message cannot be built ({e})"))
}

fn system_time(at: NaiveDateTime) -> SystemTime {
    let micros = at.and_utc().timestamp_micros();
    match u64::try_from(micros) {
        Ok(micros) => SystemTime::UNIX_EPOCH + Duration::from_micros(micros),
        Err(_) => SystemTime::UNIX_EPOCH,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recipient_must_be_exactly_one_address_without_line_breaks() {
        assert!(parse_recipient("Jan <jan@example.nl>").is_ok());
        for bad in [
            "jan@example.nl\r\nBcc: x@evil.nl",
            "jan@example.nl, piet@example.nl",
            "not an address",
            "",
        ] {
            assert!(parse_recipient(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn the_message_carries_both_parts_a_stable_id_and_its_language() {
        let now = chrono::Utc::now().naive_utc();
        let row = OutboxMessage {
            id: "0190-abc".into(),
            template: "test_email".into(),
            lang: "en".into(),
            recipient: "Jan <jan@example.nl>".into(),
            subject: "Hello".into(),
            text_body: "plain".into(),
            html_body: "<p>html</p>".into(),
            created_at: now,
            next_attempt_at: now,
            attempts: 0,
            last_error: None,
            claimed_until: None,
            claimed_by: None,
            sent_at: None,
            gave_up_at: None,
            recipient_hash: None,
        };
        let from: Mailbox = "Hackhelpdesk <noreply@localhost>".parse().unwrap();
        let raw = String::from_utf8(build(&row, &from, "example.nl").unwrap().formatted()).unwrap();
        assert!(raw.contains("Message-ID: <0190-abc@example.nl>"), "{raw}");
        assert!(raw.contains("Content-Language: en"), "{raw}");
        assert!(raw.contains("multipart/alternative"), "{raw}");
        let mut bad = row.clone();
        bad.recipient = "a@example.nl\nBcc: b@example.nl".into();
        assert!(build(&bad, &from, "example.nl").is_err());
    }
}
