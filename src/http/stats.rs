//! The statistics API: `GET /api/v1/stats`, `/stats/referrals` and `/stats.csv` for moderators,
//! and `/stats/public` (counts only, no login, cacheable for a minute) for the website. Thin
//! handlers: parse the filter, ask `crate::stats`, answer.

use actix_web::{HttpResponse, http::header, web};

use crate::error::AppError;
use crate::http::{AppState, auth::ModeratorAuth};
use crate::stats::{self, Filter, FilterQuery, period};

pub fn routes(r: &mut super::routes::ApiRoutes) {
    r.get("/stats", figures);
    r.get("/stats.csv", csv);
    r.get("/stats/referrals", referrals);
    r.get("/stats/public", public);
}

fn filter(state: &AppState, query: &FilterQuery) -> Result<Filter, AppError> {
    Filter::parse(query, period::today(state.clock.now()))
}

/// `GET /api/v1/stats?from=&to=&incident_type=&province=`
async fn figures(
    state: web::Data<AppState>,
    _: ModeratorAuth,
    query: web::Query<FilterQuery>,
) -> Result<HttpResponse, AppError> {
    let filter = filter(&state, &query)?;
    let figures = state
        .db
        .run(move |conn| stats::stats(conn, &filter))
        .await?;
    Ok(HttpResponse::Ok().json(figures))
}

/// `GET /api/v1/stats/referrals?from=&to=` (the incident type and province filters apply too).
async fn referrals(
    state: web::Data<AppState>,
    _: ModeratorAuth,
    query: web::Query<FilterQuery>,
) -> Result<HttpResponse, AppError> {
    let filter = filter(&state, &query)?;
    let spread = state
        .db
        .run(move |conn| stats::referral_spread(conn, &filter))
        .await?;
    Ok(HttpResponse::Ok().json(spread))
}

/// `GET /api/v1/stats.csv`: the figures of `/stats` and the referral `gini`, one a row.
async fn csv(
    state: web::Data<AppState>,
    _: ModeratorAuth,
    query: web::Query<FilterQuery>,
) -> Result<HttpResponse, AppError> {
    let filter = filter(&state, &query)?;
    let (figures, spread) = state
        .db
        .run(move |conn| stats::stats_and_referrals(conn, &filter))
        .await?;
    let name = format!("hackhelpdesk-stats-{}-{}.csv", figures.from, figures.to);
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ))
        .body(stats::csv::to_csv(&figures, spread.gini)))
}

/// `GET /api/v1/stats/public`: no login, counts only.
async fn public(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let now = state.clock.now();
    let counts = state
        .db
        .run(move |conn| stats::public::public_stats(conn, now))
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "public, max-age=60"))
        .json(counts))
}
