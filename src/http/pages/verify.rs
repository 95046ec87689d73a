//! The page behind the link in the verification email. Opening it (GET) only shows a button, so
//! mail scanners that follow links do not use up the token; pressing it (POST) confirms.

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use serde::Deserialize;
use serde_json::json;

use super::{PageCtx, csrf::PageForm};
use crate::accounts::registration;
use crate::error::AppError;
use crate::http::AppState;
use crate::telemetry::summary::WrongToken;

#[derive(Deserialize)]
pub struct TokenParam {
    #[serde(default)]
    token: String,
}

/// Which message the page shows.
fn page(
    req: &HttpRequest,
    state: &AppState,
    outcome: &str,
    status: StatusCode,
    token: &str,
) -> Result<HttpResponse, AppError> {
    PageCtx::new(req, state).render(
        "verify_expert",
        status,
        json!({
            "token": token,
            "confirm": outcome == "confirm",
            "done": outcome == "done",
            "used": outcome == "used",
            "expired": outcome == "expired",
            "invalid": outcome == "invalid",
        }),
    )
}

pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<TokenParam>,
) -> Result<HttpResponse, AppError> {
    let token = query.token.trim();
    if token.is_empty() || token.len() > 200 {
        return page(&req, &state, "invalid", StatusCode::BAD_REQUEST, "");
    }
    page(&req, &state, "confirm", StatusCode::OK, token)
}

pub async fn confirm(
    req: HttpRequest,
    state: web::Data<AppState>,
    PageForm(form): PageForm<TokenParam>,
) -> Result<HttpResponse, AppError> {
    let token = form.token;
    if token.trim().is_empty() || token.len() > 200 {
        return page(&req, &state, "invalid", StatusCode::BAD_REQUEST, "");
    }
    let result = state
        .workflow(move |ctx, conn| registration::verify(conn, ctx, &token))
        .await;
    match result {
        Ok(_) => page(&req, &state, "done", StatusCode::OK, ""),
        Err(AppError::Conflict(_)) => page(&req, &state, "used", StatusCode::CONFLICT, ""),
        Err(AppError::Gone(_)) => page(&req, &state, "expired", StatusCode::GONE, ""),
        Err(AppError::Validation(_)) => {
            state.metrics.wrong_token(WrongToken::Verification);
            page(
                &req,
                &state,
                "invalid",
                StatusCode::UNPROCESSABLE_ENTITY,
                "",
            )
        }
        Err(other) => Err(other),
    }
}
