//! The expert API: registration, email verification, and the expert's own profile
//! (`/api/v1/experts/me…`). Handlers parse, call one workflow in `crate::accounts` or
//! `crate::experts`, answer.

pub(crate) mod input;

use actix_web::{HttpResponse, web};
use serde::Deserialize;
use serde_json::json;

use super::{AppState, auth::ExpertAuth, extract::ApiJson};
use crate::accounts::registration;
use crate::error::AppError;
use crate::experts::{ExpertView, profile};
use crate::telemetry::summary::WrongToken;
use crate::workflow::Ctx;
use input::{ProfilePatch, RegisterRequest};

pub fn routes(r: &mut crate::http::routes::ApiRoutes) {
    r.post("/experts", register);
    r.post("/experts/verify", verify);
    r.get("/experts/me", me);
    r.patch("/experts/me", patch_me);
    r.post("/experts/me/pause", pause);
    r.post("/experts/me/resume", resume);
    r.post("/experts/me/resubmit", resubmit);
    r.post("/experts/me/verification", resend_verification);
    r.post("/experts/me/code-of-conduct", accept_code_of_conduct);
}

async fn register(
    state: web::Data<AppState>,
    ApiJson(body): ApiJson<RegisterRequest>,
) -> Result<HttpResponse, AppError> {
    let (registration, password) = body.check(state.geocoder.as_ref())?;
    let row = registration::register(&state.runner(), registration, password).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", "/api/v1/experts/me"))
        .json(json!({ "id": row.id, "status": row.status })))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct VerifyRequest {
    token: String,
}

async fn verify(
    state: web::Data<AppState>,
    ApiJson(body): ApiJson<VerifyRequest>,
) -> Result<HttpResponse, AppError> {
    let row = state
        .workflow(move |ctx, conn| registration::verify(conn, ctx, &body.token))
        .await
        .inspect_err(|e| {
            if matches!(e, AppError::Validation(_)) {
                state.metrics.wrong_token(WrongToken::Verification);
            }
        })?;
    Ok(HttpResponse::Ok().json(json!({ "id": row.id, "status": row.status })))
}

/// Runs a workflow for the calling expert and answers with its profile.
async fn with_profile<F>(state: web::Data<AppState>, work: F) -> Result<HttpResponse, AppError>
where
    F: FnOnce(
            &mut crate::db::DbConn,
            Ctx<'_>,
        ) -> Result<crate::db::models::expert::ExpertRow, AppError>
        + Send
        + 'static,
{
    let view = state
        .workflow(move |ctx, conn| {
            let row = work(conn, ctx)?;
            ExpertView::load(conn, row)
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

async fn me(
    state: web::Data<AppState>,
    ExpertAuth(auth): ExpertAuth,
) -> Result<HttpResponse, AppError> {
    with_profile(state, move |conn, _| {
        crate::db::models::expert::get(conn, &auth.expert_id())
    })
    .await
}

async fn patch_me(
    state: web::Data<AppState>,
    ExpertAuth(auth): ExpertAuth,
    ApiJson(body): ApiJson<ProfilePatch>,
) -> Result<HttpResponse, AppError> {
    let update = body.check(state.geocoder.as_ref())?;
    with_profile(state, move |conn, ctx| {
        profile::update(conn, ctx, &auth.expert_id(), &update)
    })
    .await
}

async fn pause(
    state: web::Data<AppState>,
    ExpertAuth(auth): ExpertAuth,
) -> Result<HttpResponse, AppError> {
    with_profile(state, move |conn, ctx| {
        profile::set_paused(conn, ctx, &auth.expert_id(), true)
    })
    .await
}

async fn resume(
    state: web::Data<AppState>,
    ExpertAuth(auth): ExpertAuth,
) -> Result<HttpResponse, AppError> {
    with_profile(state, move |conn, ctx| {
        profile::set_paused(conn, ctx, &auth.expert_id(), false)
    })
    .await
}

async fn resubmit(
    state: web::Data<AppState>,
    ExpertAuth(auth): ExpertAuth,
) -> Result<HttpResponse, AppError> {
    with_profile(state, move |conn, ctx| {
        profile::resubmit(conn, ctx, &auth.expert_id())
    })
    .await
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct AcceptRequest {
    version: i64,
}

async fn accept_code_of_conduct(
    state: web::Data<AppState>,
    ExpertAuth(auth): ExpertAuth,
    ApiJson(body): ApiJson<AcceptRequest>,
) -> Result<HttpResponse, AppError> {
    with_profile(state, move |conn, ctx| {
        profile::accept_code_of_conduct(conn, ctx, &auth.expert_id(), body.version)
    })
    .await
}

async fn resend_verification(
    state: web::Data<AppState>,
    ExpertAuth(auth): ExpertAuth,
) -> Result<HttpResponse, AppError> {
    state
        .workflow(move |ctx, conn| registration::resend(conn, ctx, &auth.expert_id()))
        .await?;
    Ok(HttpResponse::Accepted().json(json!({ "sent": true })))
}
