//! Spam on the public forms (intake, expert registration) without tracking or a third-party
//! captcha: a honeypot field that people never see (hidden by CSS, skipped by the keyboard and by
//! screen readers) but form-filling scripts do fill in, and a minimum fill time, from the moment
//! the form was shown (a hidden field) to the submit. A refused form comes back with the input
//! kept and a short note, so a person who trips either check loses nothing and simply sends it
//! again. Per-client rate limits stay the real defence against a script that reads this page.

use actix_web::{HttpMessage, HttpRequest};

use crate::http::AppState;

/// The honeypot field: empty for people.
pub const HONEYPOT: &str = "contact_url";
/// When the form was shown, in seconds since the Unix epoch (the app's clock).
pub const STARTED: &str = "form_started";

/// The spam-related fields of a submitted page form, put aside by `PageForm` for [`check`].
#[derive(Debug, Clone, Default)]
pub struct Signals {
    honeypot: Option<String>,
    started: Option<String>,
}

impl Signals {
    /// Reads the two fields from an urlencoded body.
    pub fn of_body(body: &[u8]) -> Self {
        let mut signals = Self::default();
        for (key, value) in url::form_urlencoded::parse(body) {
            if key == HONEYPOT {
                signals.honeypot = Some(value.into_owned());
            } else if key == STARTED {
                signals.started = Some(value.into_owned());
            }
        }
        signals
    }
}

/// The value of the hidden "form shown at" field for a form rendered now.
pub fn stamp(state: &AppState) -> String {
    state.clock.now().and_utc().timestamp().to_string()
}

/// Why a form was refused: the message key shown above it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Sent sooner after showing than a person fills it in (or without the hidden time).
    TooFast,
    /// The honeypot was filled in.
    Honeypot,
}

impl Refusal {
    pub fn message(self) -> &'static str {
        match self {
            Self::TooFast => "form.too_fast",
            Self::Honeypot => "form.honeypot",
        }
    }
}

/// Whether the form of `req` looks sent by a person; call it first in the POST handler of a
/// guarded form.
pub fn check(req: &HttpRequest, state: &AppState) -> Result<(), Refusal> {
    let signals = req
        .extensions()
        .get::<Signals>()
        .cloned()
        .unwrap_or_default();
    if signals.honeypot.is_some_and(|v| !v.trim().is_empty()) {
        return Err(Refusal::Honeypot);
    }
    let min = state.settings.form_min_fill.as_secs();
    if min == 0 {
        return Ok(());
    }
    let now = state.clock.now().and_utc().timestamp();
    let started = signals.started.and_then(|s| s.trim().parse::<i64>().ok());
    match started {
        Some(at) if now.saturating_sub(at) >= i64::try_from(min).unwrap_or(i64::MAX) => Ok(()),
        _ => Err(Refusal::TooFast),
    }
}
