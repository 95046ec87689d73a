//! Pages for PVO moderators: the review queue with approve / reject / suspend / reinstate (the
//! same `experts::vetting::decide` as the API) and the audit log, paged newest first, with
//! whether its hash chain verifies on the first page.

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use serde::Deserialize;
use serde_json::{Value, json};

use super::csrf::PageForm;
use super::login::login_first;
use super::{PageCtx, redirect};
use crate::db::models::{audit, audit_chain, expert as expert_rows};
use crate::domain::{ExpertStatus, Role};
use crate::error::AppError;
use crate::experts::{Ctx, vetting, views};
use crate::http::AppState;
use crate::http::auth::ModeratorAuth;

const PAGE_SIZE: i64 = 50;
const STATUSES: [&str; 5] = [
    "pending_review",
    "approved",
    "suspended",
    "rejected",
    "unverified",
];

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/moderator",
        web::get().to(|| async { redirect("/moderator/experts") }),
    )
    .route("/moderator/experts", web::get().to(queue))
    .route("/moderator/experts/{id}/{decision}", web::post().to(decide))
    .route("/moderator/audit", web::get().to(audit_log));
}

#[derive(Deserialize)]
pub struct QueueQuery {
    status: Option<String>,
    done: Option<String>,
}

fn status_of(raw: Option<&str>) -> ExpertStatus {
    raw.and_then(ExpertStatus::parse)
        .unwrap_or(ExpertStatus::PendingReview)
}

/// A reason that was refused, to show next to its expert.
struct ReasonError {
    expert_id: String,
    reason: String,
}

async fn render_queue(
    req: &HttpRequest,
    state: &AppState,
    status: ExpertStatus,
    done: &str,
    refused: Option<ReasonError>,
) -> Result<HttpResponse, AppError> {
    let (experts, paid) = state
        .db
        .run(move |conn| {
            let rows = expert_rows::list(conn, Some(status), None, PAGE_SIZE)?;
            let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
            let paid = crate::db::models::outcomes::paid_services_reports(conn, &ids)?;
            Ok((views(conn, rows)?, paid))
        })
        .await?;
    let page = PageCtx::new(req, state).with_user(Role::Moderator);
    let lang = page.content_lang();
    let cards: Vec<Value> = experts
        .into_iter()
        .map(|e| {
            let expertise: Vec<&str> = e
                .expertise
                .iter()
                .map(|t| state.catalogue.get(*t).text(lang).name.as_str())
                .collect();
            let refused_here = refused.as_ref().filter(|r| r.expert_id == e.id);
            json!({
                "can": {
                    "approve": e.status == ExpertStatus::PendingReview,
                    "reject": e.status == ExpertStatus::PendingReview,
                    "suspend": e.status == ExpertStatus::Approved,
                    "reinstate": e.status == ExpertStatus::Suspended,
                },
                "expertise": expertise.join(", "),
                "reason_error": refused_here.is_some(),
                "reason": refused_here.map(|r| r.reason.clone()).unwrap_or_default(),
                "paid_services_reports": paid.get(&e.id).copied().unwrap_or(0),
                "expert": e,
            })
        })
        .collect();
    let tabs: Vec<Value> = STATUSES
        .iter()
        .map(|s| json!({ "code": s, "current": *s == status.as_str(), "is": { *s: true } }))
        .collect();
    let code = if refused.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    page.render(
        "moderator_queue",
        code,
        json!({
            "experts": cards,
            "tabs": tabs,
            "status": status.as_str(),
            "done": { done: true },
        }),
    )
}

/// `GET /moderator/experts?status=pending_review`
async fn queue(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Result<ModeratorAuth, AppError>,
    query: web::Query<QueueQuery>,
) -> Result<HttpResponse, AppError> {
    if let Err(e) = auth {
        return login_first(e);
    }
    let status = status_of(query.status.as_deref());
    let done = query.done.as_deref().unwrap_or_default();
    render_queue(&req, &state, status, done, None).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DecisionForm {
    reason: String,
    /// The tab to return to.
    status: String,
}

/// `POST /moderator/experts/{id}/{approve|reject|suspend|reinstate}`
async fn decide(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Result<ModeratorAuth, AppError>,
    path: web::Path<(String, String)>,
    PageForm(form): PageForm<DecisionForm>,
) -> Result<HttpResponse, AppError> {
    let moderator = match auth {
        Ok(ModeratorAuth(auth)) => auth,
        Err(e) => return login_first(e),
    };
    let (id, which) = path.into_inner();
    let tab = status_of(Some(form.status.as_str()));
    let reason = form.reason.trim().to_owned();
    let reason_ok = (3..=2000).contains(&reason.chars().count());
    let decision = match which.as_str() {
        "approve" => vetting::Decision::Approve,
        "reinstate" => vetting::Decision::Reinstate,
        "reject" if reason_ok => vetting::Decision::Reject { reason },
        "suspend" if reason_ok => vetting::Decision::Suspend {
            reason,
            complaint_id: None,
        },
        "reject" | "suspend" => {
            let refused = ReasonError {
                expert_id: id,
                reason: form.reason,
            };
            return render_queue(&req, &state, tab, "", Some(refused)).await;
        }
        _ => return Err(AppError::NotFound),
    };
    let st = state.clone();
    let outcome = state
        .db
        .run(move |conn| {
            let ctx = Ctx {
                mailer: &st.mailer,
                settings: &st.settings,
                now: st.clock.now(),
            };
            vetting::decide(conn, ctx, &moderator.principal_id, &id, &decision)
        })
        .await;
    let done = match outcome {
        Ok(_) => which.as_str(),
        Err(AppError::Conflict(_)) => "conflict",
        Err(other) => return Err(other),
    };
    Ok(redirect(&format!(
        "/moderator/experts?status={}&done={done}",
        tab.as_str()
    )))
}

#[derive(Deserialize)]
pub struct AuditQuery {
    before: Option<String>,
}

/// `GET /moderator/audit?before=<id>`: 50 entries per page, newest first; the first page also
/// walks the hash chain and says whether it is intact.
async fn audit_log(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Result<ModeratorAuth, AppError>,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, AppError> {
    if let Err(e) = auth {
        return login_first(e);
    }
    let before = query
        .before
        .clone()
        .filter(|b| !b.is_empty() && b.len() <= 64);
    let first_page = before.is_none();
    let filter = audit::Filter {
        before_id: before,
        limit: PAGE_SIZE,
        ..audit::Filter::default()
    };
    let (entries, chain) = state
        .db
        .run(move |conn| {
            let chain = if first_page {
                Some(audit_chain::verify(conn)?)
            } else {
                None
            };
            Ok((audit::list(conn, &filter)?, chain))
        })
        .await?;
    let chain = chain.map(|v| {
        json!({
            "intact": v.intact,
            "entries": v.entries,
            "head": v.head,
            "first_bad": v.first_bad_seq.map_or_else(
                || v.first_bad.clone().unwrap_or_default(),
                |s| format!("#{s} ({})", v.first_bad.clone().unwrap_or_default()),
            ),
            "problem": v.problem,
        })
    });
    let older = (entries.len() as i64 == PAGE_SIZE)
        .then(|| {
            entries
                .last()
                .map(|e| format!("/moderator/audit?before={}", e.id))
        })
        .flatten();
    let rows: Vec<Value> = entries
        .into_iter()
        .map(|e| {
            json!({
                "at": crate::clock::for_people(e.occurred_at),
                "actor": format!("{} {}", e.actor_kind, e.actor_id.unwrap_or_default()),
                "action": e.action,
                "subject": format!("{} {}", e.subject_kind, e.subject_id),
                "reason": e.reason,
                "details": e.details,
            })
        })
        .collect();
    PageCtx::new(&req, &state)
        .with_user(Role::Moderator)
        .render(
            "moderator_audit",
            StatusCode::OK,
            json!({ "entries": rows, "older": older, "first_page": first_page, "chain": chain }),
        )
}
