//! The request middleware (`App::wrap_fn(metrics::record)`): counts every answered request by
//! method, routed pattern and status, and observes its latency. It sits inside `NormalizePath`
//! (so `/case/x/` is `/case/{token}`) and outside `ErrorHandlers` and the rate limits, so it sees
//! the final status, 429s included. `/metrics` itself is left out: a scraper's own requests
//! would only repeat what Prometheus records as `scrape_duration_seconds`.

use std::{future::Future, rc::Rc, time::Instant};

use actix_web::{
    dev::{Service, ServiceRequest, ServiceResponse},
    http::Method,
    web,
};

use super::UNMATCHED;
use crate::http::AppState;

/// The route of the metrics endpoint, which is not counted.
pub const METRICS_ROUTE: &str = "/metrics";

pub fn record<S, B>(
    req: ServiceRequest,
    srv: &S,
) -> impl Future<Output = Result<ServiceResponse<B>, actix_web::Error>> + use<S, B>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error>,
{
    let started = Instant::now();
    // The pattern the router matches (`/api/v1/intakes/{id}`), never the path with its tokens.
    let route = crate::http::route::pattern(&req);
    let metrics = (route.as_deref() != Some(METRICS_ROUTE))
        .then(|| {
            req.app_data::<web::Data<AppState>>()
                .map(|state| state.metrics.clone())
        })
        .flatten();
    let method = method_label(req.method());
    let route = route.unwrap_or_else(|| Rc::from(UNMATCHED));
    let response = srv.call(req);
    async move {
        let result = response.await;
        if let Some(metrics) = metrics {
            let status = match &result {
                Ok(response) => response.status(),
                Err(error) => error.as_response_error().status_code(),
            };
            metrics.observe_request(method, &route, status.as_u16(), started.elapsed());
        }
        result
    }
}

/// The method as a label: the standard ones by name, anything a client made up as `other`, so
/// a client cannot create series at will.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}
