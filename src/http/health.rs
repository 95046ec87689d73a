//! Liveness and readiness probes for load balancers and orchestrators.

use actix_web::{HttpResponse, web};
use serde_json::json;

use super::AppState;
use crate::error::AppError;

/// The process is alive and serving HTTP.
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(json!({ "status": "ok" }))
}

/// The process can do its work: the database answers and takes writes (no other process holds
/// its write lock, it is not read-only, and no write failed for lack of it in the last seconds).
/// 503 problem with `Retry-After` otherwise.
pub async fn readyz(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    state.db.ready().await?;
    Ok(HttpResponse::Ok().json(json!({
        "status": "ready",
        "database": state.db.url().backend(),
    })))
}
