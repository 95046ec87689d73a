//! The audit log for moderators (entries, and whether their hash chain verifies), and publishing a new code of conduct (itself audited).

use crate::db::models::audit::actions;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use validator::Validate;

use super::paging;
use crate::db::models::{audit, audit_chain, code_of_conduct};
use crate::db::write_tx;
use crate::error::AppError;
use crate::http::{AppState, auth::ModeratorAuth, extract::ApiJson};
use crate::moderation::filters::ListParams;

/// One entry as shown: `details` as JSON, not as text.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct EntryView {
    id: String,
    #[schema(value_type = String)]
    occurred_at: chrono::NaiveDateTime,
    actor_kind: String,
    actor_id: Option<String>,
    action: String,
    subject_kind: String,
    subject_id: String,
    reason: Option<String>,
    #[schema(value_type = serde_json::Value)]
    details: Value,
    /// The entry's place in the hash chain and its hash (null for entries from before it).
    seq: Option<i64>,
    hash: Option<String>,
}

impl From<audit::AuditEntry> for EntryView {
    fn from(e: audit::AuditEntry) -> Self {
        Self {
            details: serde_json::from_str(&e.details).unwrap_or(Value::Null),
            id: e.id,
            occurred_at: e.occurred_at,
            actor_kind: e.actor_kind,
            actor_id: e.actor_id,
            action: e.action,
            subject_kind: e.subject_kind,
            subject_id: e.subject_id,
            reason: e.reason,
            seq: e.seq,
            hash: e.hash,
        }
    }
}

/// `GET /api/v1/moderation/audit?subject_id=&action=&subject_kind=&q=&page=&per_page=` (and the
/// first version's `before=&limit=`), newest first. Paging headers: see [`super::paging`].
pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    _: ModeratorAuth,
    query: web::Query<ListParams>,
) -> Result<HttpResponse, AppError> {
    let filter = query.audit_filter()?;
    let paging = query.paging()?;
    let page = state
        .db
        .run(move |conn| audit::search(conn, &filter, paging))
        .await?;
    Ok(paging::answer(&req, &page.map(EntryView::from)))
}

/// `GET /api/v1/moderation/audit/verify` → `{"intact","entries","first_bad","first_bad_seq",
/// "problem","head"}`: walks the whole hash chain (see `audit_chain::verify`).
pub async fn verify(
    state: web::Data<AppState>,
    _: ModeratorAuth,
) -> Result<HttpResponse, AppError> {
    let verdict = state.db.run(audit_chain::verify).await?;
    Ok(HttpResponse::Ok().json(verdict))
}

#[derive(Deserialize, Validate, utoipa::ToSchema)]
pub struct PublishRequest {
    #[validate(length(min = 50, max = 50000, message = "must be 50 to 50000 characters"))]
    text_nl: String,
    #[validate(length(min = 50, max = 50000, message = "must be 50 to 50000 characters"))]
    text_en: String,
}

/// `POST /api/v1/moderation/code-of-conduct {"text_nl","text_en"}` → 201 the new version. From
/// then on experts must accept it again before they are matched.
pub async fn publish_code_of_conduct(
    state: web::Data<AppState>,
    ModeratorAuth(moderator): ModeratorAuth,
    ApiJson(body): ApiJson<PublishRequest>,
) -> Result<HttpResponse, AppError> {
    body.validate()?;
    let now = state.clock.now();
    let published = state
        .db
        .run(move |conn| {
            write_tx(conn, |conn| {
                let id = moderator.principal_id.as_str();
                let row = code_of_conduct::publish(
                    conn,
                    body.text_nl.trim(),
                    body.text_en.trim(),
                    id,
                    now,
                )?;
                audit::record(
                    conn,
                    now,
                    audit::NewEntry {
                        actor: audit::Actor::Moderator(id),
                        action: actions::CODE_OF_CONDUCT_PUBLISHED,
                        subject_kind: "code_of_conduct",
                        subject_id: &row.version.to_string(),
                        reason: None,
                        details: json!({ "version": row.version }),
                    },
                )?;
                Ok(row)
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(json!({
        "version": published.version,
        "published_at": published.published_at,
    })))
}
