//! `GET /api/v1/places?q=berg`: place suggestions for location fields.

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use super::AppState;
use crate::error::AppError;

#[derive(Deserialize)]
pub struct PlaceQuery {
    q: Option<String>,
    limit: Option<usize>,
}

pub const MAX_SUGGESTIONS: usize = 10;

/// A suggested place, with the name that picks exactly it when sent back as a `place`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct PlaceSuggestion {
    #[serde(flatten)]
    pub place: crate::geo::Place,
    /// `Bergen (Noord-Holland)` where other places share the name; else the name itself.
    pub unambiguous_name: String,
}

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
    let places: Vec<PlaceSuggestion> = state
        .geocoder
        .suggest(q, limit)
        .into_iter()
        .map(|place| PlaceSuggestion {
            unambiguous_name: state.geocoder.unambiguous_name(&place),
            place,
        })
        .collect();
    Ok(HttpResponse::Ok()
        .insert_header(("cache-control", "public, max-age=86400"))
        .json(places))
}
