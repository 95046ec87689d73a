//! Logging: readable lines by default (coloured only on a terminal), one JSON object per line with `LOG_FORMAT=json`. The level
//! comes from `RUST_LOG` (default `info`). No line holds a token, an email address, a phone
//! number or a description: request spans log a redacted target ([`span`]), workflows log ids,
//! and events any client can cause at will (wrong tokens, malformed HTTP) are counted and
//! reported once a minute ([`summary`]) instead of one line each.

pub mod redact;
pub mod span;
pub mod summary;

use std::io::IsTerminal;

use tracing::{Event, Level, Subscriber, field::Field};
use tracing_subscriber::{EnvFilter, fmt, layer::Context, prelude::*};

use crate::config::LogFormat;

/// Installs the global subscriber once; later calls (tests) are ignored.
pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,actix_server=warn"));
    let registry = tracing_subscriber::registry()
        .with(ClientCausedErrors)
        .with(filter);
    let _ = match format {
        LogFormat::Json => registry
            .with(
                fmt::layer()
                    .json()
                    .flatten_event(true)
                    .with_current_span(true),
            )
            .try_init(),
        LogFormat::Text => registry
            .with(
                fmt::layer()
                    .with_target(false)
                    .with_ansi(std::io::stdout().is_terminal()),
            )
            .try_init(),
    };
}

/// actix-http logs a connection it gives up on (`stream error: request parse error: …`) at
/// ERROR, so any client could page the operator with one bad request. Those events are counted
/// for the minute's WARN summary instead of being written.
struct ClientCausedErrors;

impl<S: Subscriber> tracing_subscriber::Layer<S> for ClientCausedErrors {
    fn event_enabled(&self, event: &Event<'_>, _: Context<'_, S>) -> bool {
        let meta = event.metadata();
        if *meta.level() != Level::ERROR || !meta.target().starts_with("actix_http::h1") {
            return true;
        }
        let mut message = Message(String::new());
        event.record(&mut message);
        if message.0.starts_with("stream error") {
            summary::malformed_request(&message.0);
            return false;
        }
        true
    }
}

struct Message(String);

impl tracing::field::Visit for Message {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            self.0 = format!("{value:?}");
        }
    }
}
