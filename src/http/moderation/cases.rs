//! The moderators' view of cases: complaints (with the moderation actions linked to each) and
//! intakes by status (e.g. the unmatched ones that need a person to find help).

use std::collections::HashMap;

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use super::page_size;
use crate::db::models::audit::AuditEntry;
use crate::db::models::{complaint, intake};
use crate::error::AppError;
use crate::http::{AppState, auth::ModeratorAuth};

#[derive(Deserialize)]
pub struct ListQuery {
    status: Option<String>,
    before: Option<String>,
    limit: Option<i64>,
}

#[derive(Serialize)]
struct ComplaintView {
    id: String,
    intake_id: String,
    expert_id: String,
    expert_company_name: String,
    reason: String,
    status: String,
    created_at: chrono::NaiveDateTime,
    /// Moderation actions that reference this complaint (audit entries).
    actions: Vec<AuditEntry>,
}

/// `GET /api/v1/moderation/complaints?status=open|actioned`, newest first.
pub async fn complaints(
    state: web::Data<AppState>,
    _: ModeratorAuth,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let status = query.status.filter(|s| !s.is_empty());
    if let Some(s) = &status
        && ![complaint::OPEN, complaint::ACTIONED].contains(&s.as_str())
    {
        return Err(AppError::field("status", "must be open or actioned"));
    }
    let limit = page_size(query.limit);
    let list = state
        .db
        .run(move |conn| {
            let rows = complaint::list(conn, status.as_deref(), query.before.as_deref(), limit)?;
            let ids: Vec<String> = rows.iter().map(|(c, _)| c.id.clone()).collect();
            let mut actions: HashMap<String, Vec<AuditEntry>> = HashMap::new();
            for (id, entry) in complaint::actions_of(conn, &ids)? {
                actions.entry(id).or_default().push(entry);
            }
            Ok(rows
                .into_iter()
                .map(|(c, company)| ComplaintView {
                    actions: actions.remove(&c.id).unwrap_or_default(),
                    id: c.id,
                    intake_id: c.intake_id,
                    expert_id: c.expert_id,
                    expert_company_name: company,
                    reason: c.reason,
                    status: c.status,
                    created_at: c.created_at,
                })
                .collect::<Vec<_>>())
        })
        .await?;
    Ok(HttpResponse::Ok().json(list))
}

const STATUSES: [&str; 6] = [
    "open",
    "requested",
    "connected",
    "closed",
    "unmatched",
    "erased",
];

/// `GET /api/v1/moderation/intakes?status=unmatched`, newest first. Moderators see the contact
/// details (they are the ones who find help for an unmatched intake).
pub async fn intakes(
    state: web::Data<AppState>,
    _: ModeratorAuth,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let status = query.status.filter(|s| !s.is_empty());
    if let Some(s) = &status
        && !STATUSES.contains(&s.as_str())
    {
        return Err(AppError::field(
            "status",
            "must be one of open, requested, connected, closed, unmatched, erased",
        ));
    }
    let limit = page_size(query.limit);
    let rows = state
        .db
        .run(move |conn| intake::list(conn, status.as_deref(), query.before.as_deref(), limit))
        .await?;
    let list: Vec<_> = rows
        .iter()
        .map(|row| {
            serde_json::json!({
                "id": row.id, "status": row.status, "incident_type": row.incident_type,
                "urgency": row.urgency, "municipality": row.municipality, "province": row.province,
                "language": row.language, "needs_on_site": row.needs_on_site,
                "description": row.description,
                "contact": { "name": row.contact_name, "email": row.contact_email, "phone": row.contact_phone },
                "company": { "name": row.company_name, "employees": row.company_employees, "sector": row.company_sector },
                "connected_expert_id": row.connected_expert_id, "outcome": row.outcome,
                "created_at": row.created_at, "closed_at": row.closed_at, "erased_at": row.erased_at,
            })
        })
        .collect();
    Ok(HttpResponse::Ok().json(list))
}
