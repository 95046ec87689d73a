//! `GET /api/v1/places?q=berg`: place suggestions for location fields.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::AppState;
use crate::error::AppError;

#[derive(Deserialize)]
pub struct PlaceQuery {
    q: Option<String>,
    limit: Option<usize>,
}

pub const MAX_SUGGESTIONS: usize = 10;

pub async fn search(
    state: web::Data<AppState>,
    query: web::Query<PlaceQuery>,
) -> Result<HttpResponse, AppError> {
    let q = query.q.as_deref().unwrap_or_default().trim();
    if q.is_empty() {
        return Err(AppError::field(
            "q",
            "is required: the start of a Dutch place name",
        ));
    }
    if q.chars().count() > 100 {
        return Err(AppError::field("q", "is longer than 100 characters"));
    }
    let limit = query
        .limit
        .unwrap_or(MAX_SUGGESTIONS)
        .clamp(1, MAX_SUGGESTIONS);
    let places = state.geocoder.suggest(q, limit);
    Ok(HttpResponse::Ok()
        .insert_header(("cache-control", "public, max-age=86400"))
        .json(places))
}
