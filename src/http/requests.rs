//! Expert endpoints of help requests: the expert's own list (`/api/v1/experts/me/requests`) and
//! accepting, declining and completing one (`/api/v1/requests/{id}/…`). A request sent to another
//! expert is a 404.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::{AppState, auth::ExpertAuth, lang::request_lang};
use crate::cases::{optional_text_of, requests, view};
use crate::db::models::{intake, request};
use crate::domain::text::limits::{COMPLETION_SUMMARY, DECLINE_REASON};
use crate::domain::{ExpertId, RequestId};
use crate::error::AppError;
use crate::i18n::Lang;

/// The request as its expert sees it now.
async fn answer(
    state: &web::Data<AppState>,
    lang: Lang,
    expert_id: ExpertId,
    request_id: RequestId,
) -> Result<HttpResponse, AppError> {
    let found = state
        .workflow(move |ctx, conn| {
            let req = request::get_for_expert(conn, &request_id, &expert_id)?;
            let row = intake::find(conn, &req.intake_id)?.ok_or(AppError::NotFound)?;
            view::for_expert(conn, ctx.catalogue, lang, req, row)
        })
        .await?;
    Ok(HttpResponse::Ok().json(found))
}

/// `GET /api/v1/experts/me/requests`, newest first.
pub async fn mine(
    state: web::Data<AppState>,
    expert: ExpertAuth,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let lang = request_lang(&req);
    let list = state
        .workflow(move |ctx, conn| {
            request::of_expert(conn, &expert.id(), 200)?
                .into_iter()
                .map(|(r, row)| view::for_expert(conn, ctx.catalogue, lang, r, row))
                .collect::<Result<Vec<_>, _>>()
        })
        .await?;
    Ok(HttpResponse::Ok().json(list))
}

/// `POST /api/v1/requests/{id}/accept`: the first acceptance connects; later ones get 409.
pub async fn accept(
    state: web::Data<AppState>,
    expert: ExpertAuth,
    req: HttpRequest,
    id: web::Path<RequestId>,
) -> Result<HttpResponse, AppError> {
    let (me, rid) = (expert.id(), id.clone());
    state
        .workflow(move |ctx, conn| requests::accept(conn, ctx, &rid, &me))
        .await?;
    answer(&state, request_lang(&req), expert.id(), id.into_inner()).await
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
pub struct DeclineBody {
    #[serde(default)]
    reason: Option<String>,
}

/// `POST /api/v1/requests/{id}/decline` `{"reason"?}` (the body may be left out).
pub async fn decline(
    state: web::Data<AppState>,
    expert: ExpertAuth,
    req: HttpRequest,
    id: web::Path<RequestId>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let body: DeclineBody = optional_body(&body)?;
    let reason = optional_text_of("reason", body.reason.as_deref(), DECLINE_REASON)?;
    let (me, rid) = (expert.id(), id.clone());
    state
        .workflow(move |ctx, conn| requests::decline(conn, ctx, &rid, &me, reason.as_deref()))
        .await?;
    answer(&state, request_lang(&req), expert.id(), id.into_inner()).await
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
pub struct CompleteBody {
    #[serde(default)]
    summary: Option<String>,
}

/// `POST /api/v1/requests/{id}/complete` `{"summary"?}` (the body may be left out).
pub async fn complete(
    state: web::Data<AppState>,
    expert: ExpertAuth,
    req: HttpRequest,
    id: web::Path<RequestId>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let body: CompleteBody = optional_body(&body)?;
    let summary = optional_text_of("summary", body.summary.as_deref(), COMPLETION_SUMMARY)?;
    let (me, rid) = (expert.id(), id.clone());
    state
        .workflow(move |ctx, conn| requests::complete(conn, ctx, &rid, &me, summary.as_deref()))
        .await?;
    answer(&state, request_lang(&req), expert.id(), id.into_inner()).await
}

/// An empty body is the default; anything else must be a JSON object of `T`.
fn optional_body<T: serde::de::DeserializeOwned + Default>(bytes: &[u8]) -> Result<T, AppError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    super::extract::parse_json(bytes)
}

pub fn routes(r: &mut super::routes::ApiRoutes) {
    r.get("/experts/me/requests", mine);
    r.post("/requests/{id}/accept", accept);
    r.post("/requests/{id}/decline", decline);
    r.post("/requests/{id}/complete", complete);
}
