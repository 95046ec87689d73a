//! The root span of every request ([`RedactedRootSpan`] for `TracingLogger`): method, route
//! template, the target with capability tokens cut out ([`super::redact::target`]), client,
//! request id and status. Every log line written while a request is handled carries these
//! fields, so the raw target (`/case/<token>/ask`) must never be one of them. Error details are
//! not recorded here: a 5xx is logged where it happens (`AppError::Internal`), and a 4xx is the
//! client's business, not the operator's.

use actix_web::{
    Error, HttpMessage,
    body::MessageBody,
    dev::{ServiceRequest, ServiceResponse},
};
use tracing::Span;
use tracing_actix_web::{RequestId, RootSpanBuilder};

use super::redact;

pub struct RedactedRootSpan;

impl RootSpanBuilder for RedactedRootSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let route = crate::http::route::pattern(request);
        let route = route.as_deref().unwrap_or("default");
        let target = redact::target(
            request
                .uri()
                .path_and_query()
                .map(|p| p.as_str())
                .unwrap_or(""),
        );
        let request_id = request
            .extensions()
            .get::<RequestId>()
            .map(|id| id.to_string())
            .unwrap_or_default();
        let user_agent = request
            .headers()
            .get("user-agent")
            .and_then(|h| h.to_str().ok())
            .unwrap_or("")
            .to_owned();
        // The client as the rate limits count it: forwarding headers only from TRUSTED_PROXIES.
        let client_ip = crate::limits::client_ip(request.request()).to_string();
        tracing::info_span!(
            "HTTP request",
            http.method = %request.method(),
            http.route = %route,
            http.target = %target,
            http.client_ip = %client_ip,
            http.user_agent = %user_agent,
            request_id = %request_id,
            http.status_code = tracing::field::Empty,
        )
    }

    fn on_request_end<B: MessageBody>(span: Span, outcome: &Result<ServiceResponse<B>, Error>) {
        let status = match outcome {
            Ok(response) => response.status(),
            Err(error) => error.as_response_error().status_code(),
        };
        span.record("http.status_code", status.as_u16());
    }
}
