//! Review queue and vetting decisions on experts.

use crate::domain::text::limits::VETTING_REASON;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::paging;
use crate::db::models::search::Page;
use crate::db::models::{expert, expert_search};
use crate::domain::{ComplaintId, ExpertId};
use crate::error::AppError;
use crate::experts::{
    ExpertView,
    vetting::{self, Decision},
    views,
};
use crate::http::{AppState, auth::ModeratorAuth, extract::ApiJson};
use crate::moderation::filters::ListParams;

/// `GET /api/v1/moderation/experts?status=&q=&page=&per_page=` (and the first version's
/// `before=<id>&limit=`), newest first; `q` finds part of the company name, KvK number, place,
/// municipality or email address. Paging headers: see [`super::paging`].
pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    _: ModeratorAuth,
    query: web::Query<ListParams>,
) -> Result<HttpResponse, AppError> {
    let filter = query.expert_filter()?;
    let paging = query.paging()?;
    let found = state
        .db
        .run(move |conn| {
            let page = expert_search::search(conn, &filter, paging)?;
            let views = views(conn, page.items)?;
            Ok(Page {
                items: views,
                total: page.total,
                paging: page.paging,
            })
        })
        .await?;
    Ok(paging::answer(&req, &found))
}

pub async fn show(
    state: web::Data<AppState>,
    _: ModeratorAuth,
    id: web::Path<ExpertId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let view = state
        .db
        .run(move |conn| {
            let row = expert::get(conn, &id)?;
            ExpertView::load(conn, row)
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ReasonBody {
    reason: String,
}

async fn decide(
    state: web::Data<AppState>,
    moderator: ModeratorAuth,
    id: ExpertId,
    decision: Decision,
) -> Result<HttpResponse, AppError> {
    let view = state
        .workflow(move |ctx, conn| {
            let row = vetting::decide(conn, ctx, &moderator.0.principal_id, &id, &decision)?;
            ExpertView::load(conn, row)
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// The reason, trimmed, within [`VETTING_REASON`] (the moderators' page checks the same).
fn reason_of(body: ReasonBody) -> Result<String, AppError> {
    VETTING_REASON
        .required(&body.reason)
        .map(str::to_owned)
        .map_err(|m| AppError::field("reason", m))
}

pub async fn approve(
    state: web::Data<AppState>,
    moderator: ModeratorAuth,
    id: web::Path<ExpertId>,
) -> Result<HttpResponse, AppError> {
    decide(state, moderator, id.into_inner(), Decision::Approve).await
}

pub async fn reinstate(
    state: web::Data<AppState>,
    moderator: ModeratorAuth,
    id: web::Path<ExpertId>,
) -> Result<HttpResponse, AppError> {
    decide(state, moderator, id.into_inner(), Decision::Reinstate).await
}

pub async fn reject(
    state: web::Data<AppState>,
    moderator: ModeratorAuth,
    id: web::Path<ExpertId>,
    ApiJson(body): ApiJson<ReasonBody>,
) -> Result<HttpResponse, AppError> {
    let reason = reason_of(body)?;
    decide(
        state,
        moderator,
        id.into_inner(),
        Decision::Reject { reason },
    )
    .await
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct SuspendBody {
    #[serde(flatten)]
    reason: ReasonBody,
    /// The complaint this suspension answers, if any.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    complaint_id: Option<ComplaintId>,
}

pub async fn suspend(
    state: web::Data<AppState>,
    moderator: ModeratorAuth,
    id: web::Path<ExpertId>,
    ApiJson(body): ApiJson<SuspendBody>,
) -> Result<HttpResponse, AppError> {
    let reason = reason_of(body.reason)?;
    let complaint_id = body.complaint_id.filter(|c| !c.trim().is_empty());
    decide(
        state,
        moderator,
        id.into_inner(),
        Decision::Suspend {
            reason,
            complaint_id,
        },
    )
    .await
}
