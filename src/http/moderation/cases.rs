//! The moderators' view of cases: complaints (with the moderation actions linked to each, and
//! the two actions on one: mark handled, suspend the expert) and intakes by status, type,
//! province and date (e.g. the unmatched ones that need a person to find help).

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::paging;
use crate::db::models::{complaint, intake_search};
use crate::domain::ComplaintId;
use crate::error::AppError;
use crate::http::{AppState, auth::ModeratorAuth, extract::ApiJson};
use crate::moderation::complaints::{self as workflow, text_of};
use crate::moderation::filters::ListParams;

/// `GET /api/v1/moderation/complaints?status=open|actioned|handled&q=&page=&per_page=`, newest
/// first; `q` finds part of the expert's company name. Paging headers: see [`super::paging`].
pub async fn complaints(
    req: HttpRequest,
    state: web::Data<AppState>,
    _: ModeratorAuth,
    query: web::Query<ListParams>,
) -> Result<HttpResponse, AppError> {
    let filter = query.complaint_filter()?;
    let paging = query.paging()?;
    let page = state
        .db
        .run(move |conn| {
            let page = complaint::search(conn, &filter, paging)?;
            let total = page.total;
            let items = workflow::views(conn, page.items)?;
            Ok(crate::db::models::search::Page {
                items,
                total,
                paging,
            })
        })
        .await?;
    Ok(paging::answer(&req, &page))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct HandleBody {
    note: String,
}

/// `POST /api/v1/moderation/complaints/{id}/handle {"note"}` → 200 the complaint, now
/// `handled`; 409 when it already was.
pub async fn handle_complaint(
    state: web::Data<AppState>,
    moderator: ModeratorAuth,
    id: web::Path<ComplaintId>,
    ApiJson(body): ApiJson<HandleBody>,
) -> Result<HttpResponse, AppError> {
    let note = text_of("note", &body.note)?;
    let view = state
        .workflow(move |ctx, conn| {
            let who = &moderator.0.principal_id;
            workflow::handle(conn, ctx.now, who, &id, &note)?;
            workflow::view(conn, &id)
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[schema(as = ComplaintSuspendBody)]
pub struct SuspendBody {
    reason: String,
}

/// `POST /api/v1/moderation/complaints/{id}/suspend {"reason"}` → 200 the complaint with the
/// suspension among its actions; the expert is suspended and told as by
/// `/moderation/experts/{id}/suspend`; 409 when the expert is not approved.
pub async fn suspend_for_complaint(
    state: web::Data<AppState>,
    moderator: ModeratorAuth,
    id: web::Path<ComplaintId>,
    ApiJson(body): ApiJson<SuspendBody>,
) -> Result<HttpResponse, AppError> {
    let reason = text_of("reason", &body.reason)?;
    let view = state
        .workflow(move |ctx, conn| {
            let who = &moderator.0.principal_id;
            workflow::suspend_expert(conn, ctx, who, &id, &reason)?;
            workflow::view(conn, &id)
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// `GET /api/v1/moderation/intakes?status=unmatched&incident_type=&province=&from=&to=&q=&page=`,
/// newest first; `from`/`to` are days (YYYY-MM-DD, inclusive) in Amsterdam time. Moderators see
/// the contact details (they are the ones who find help for an unmatched intake), the connected
/// expert, the outcome and the feedback score.
pub async fn intakes(
    req: HttpRequest,
    state: web::Data<AppState>,
    _: ModeratorAuth,
    query: web::Query<ListParams>,
) -> Result<HttpResponse, AppError> {
    let filter = query.intake_filter()?;
    let paging = query.paging()?;
    let page = state
        .db
        .run(move |conn| intake_search::search(conn, &filter, paging))
        .await?;
    let page = page.map(|listed| {
        let row = listed.row;
        serde_json::json!({
            "id": row.id, "status": row.status, "incident_type": row.incident_type,
            "urgency": row.urgency, "municipality": row.municipality, "province": row.province,
            "language": row.language, "needs_on_site": row.needs_on_site,
            "description": row.description,
            "contact": { "name": row.contact_name, "email": row.contact_email, "phone": row.contact_phone },
            "company": { "name": row.company_name, "employees": row.company_employees, "sector": row.company_sector },
            "connected_expert_id": row.connected_expert_id,
            "connected_expert_company_name": listed.expert_company_name,
            "outcome": row.outcome, "feedback_helped": listed.helped,
            "created_at": row.created_at, "closed_at": row.closed_at, "erased_at": row.erased_at,
        })
    });
    Ok(paging::answer(&req, &page))
}
