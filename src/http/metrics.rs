//! `GET /metrics`: the Prometheus text exposition of [`crate::metrics`]. With `METRICS_TOKEN`
//! set, only `Authorization: Bearer <METRICS_TOKEN>` gets it (401 otherwise, before any database
//! work); unset, it is open and belongs behind the reverse proxy, reachable only internally.
//!
//! A failed database read does not fail the scrape: during an outage the request counts and
//! refusals are what an operator needs most, so the answer is still 200, with
//! `hackhelpdesk_database_up 0` and without the gauges that read would have given.

use actix_web::{HttpRequest, HttpResponse, web};

use super::{AppState, auth::bearer_token};
use crate::db::models::gauges;
use crate::error::AppError;
use crate::metrics::CONTENT_TYPE;

pub async fn scrape(
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    if let Some(expected) = &state.settings.metrics_token {
        let presented = bearer_token(&req).unwrap_or_default();
        if !expected.matches(&presented) {
            return Err(AppError::Unauthorized(
                "Send the metrics token: Authorization: Bearer <METRICS_TOKEN>.".into(),
            ));
        }
    }
    // Read before the scrape takes a connection of its own, so it does not count itself.
    let pool = state.db.pool_connections();
    let snapshot = match state.db.run(gauges::snapshot).await {
        Ok(snapshot) => Some(snapshot),
        Err(error) => {
            tracing::warn!(%error, "metrics: the database gauges could not be read");
            None
        }
    };
    let body = state
        .metrics
        .render(snapshot.as_ref(), state.clock.now(), pool);
    Ok(HttpResponse::Ok().content_type(CONTENT_TYPE).body(body))
}
