//! Moderator pages about cases: complaints from victims (open or actioned, with the expert and
//! the moderation actions linked to each) and intakes by status, above all the unmatched ones
//! that need a person to find help (moderators see the contact details for that). They read
//! the same queries as `GET /api/v1/moderation/{complaints,intakes}`.

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use serde::Deserialize;
use serde_json::{Value, json};

use super::PageCtx;
use super::case_view::incident_name;
use super::login::login_then;
use crate::clock::for_people;
use crate::db::models::{complaint, intake};
use crate::domain::Role;
use crate::error::AppError;
use crate::http::AppState;
use crate::http::auth::ModeratorAuth;

const PAGE_SIZE: i64 = 100;
const INTAKE_STATUSES: [&str; 5] = ["unmatched", "open", "requested", "connected", "closed"];

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/moderator/complaints", web::get().to(complaints))
        .route("/moderator/intakes", web::get().to(intakes));
}

#[derive(Deserialize)]
pub struct StatusQuery {
    status: Option<String>,
}

fn tabs(base: &str, statuses: &[&str], current: &str, prefix: &str) -> Vec<Value> {
    statuses
        .iter()
        .map(|s| {
            json!({
                "href": format!("{base}?status={s}"),
                "key": format!("{prefix}{s}"),
                "current": *s == current,
            })
        })
        .collect()
}

/// `GET /moderator/complaints?status=open|actioned`
async fn complaints(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Result<ModeratorAuth, AppError>,
    query: web::Query<StatusQuery>,
) -> Result<HttpResponse, AppError> {
    if let Err(e) = auth {
        return login_then(e, req.path());
    }
    let statuses = [complaint::OPEN, complaint::ACTIONED];
    let status = query
        .status
        .as_deref()
        .filter(|s| statuses.contains(s))
        .unwrap_or(complaint::OPEN)
        .to_owned();
    let wanted = status.clone();
    let rows = state
        .db
        .run(move |conn| {
            let rows = complaint::list(conn, Some(&wanted), None, PAGE_SIZE)?;
            let ids: Vec<String> = rows.iter().map(|(c, _)| c.id.clone()).collect();
            let actions = complaint::actions_of(conn, &ids)?;
            Ok((rows, actions))
        })
        .await?;
    let (rows, actions) = rows;
    let list: Vec<Value> = rows
        .into_iter()
        .map(|(c, company)| {
            let done: Vec<String> = actions
                .iter()
                .filter(|(id, _)| *id == c.id)
                .map(|(_, e)| format!("{} ({})", e.action, for_people(e.occurred_at)))
                .collect();
            json!({
                "id": c.id, "intake_id": c.intake_id, "expert_id": c.expert_id,
                "company_name": company, "reason": c.reason, "created_at": for_people(c.created_at),
                "actions": done,
            })
        })
        .collect();
    PageCtx::new(&req, &state)
        .with_user(Role::Moderator)
        .render(
            "moderator_complaints",
            StatusCode::OK,
            json!({
                "complaints": list,
                "tabs": tabs("/moderator/complaints", &statuses, &status, "moderator.complaint_status."),
            }),
        )
}

/// `GET /moderator/intakes?status=unmatched` (the default)
async fn intakes(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Result<ModeratorAuth, AppError>,
    query: web::Query<StatusQuery>,
) -> Result<HttpResponse, AppError> {
    if let Err(e) = auth {
        return login_then(e, req.path());
    }
    let status = query
        .status
        .as_deref()
        .filter(|s| INTAKE_STATUSES.contains(s))
        .unwrap_or("unmatched")
        .to_owned();
    let wanted = status.clone();
    let rows = state
        .db
        .run(move |conn| intake::list(conn, Some(&wanted), None, PAGE_SIZE))
        .await?;
    let page = PageCtx::new(&req, &state).with_user(Role::Moderator);
    let lang = page.content_lang();
    let list: Vec<Value> = rows
        .iter()
        .map(|row| {
            json!({
                "id": row.id,
                "incident_name": incident_name(&state, &row.incident_type, lang),
                "urgency_key": format!("urgency.{}", row.urgency),
                "municipality": row.municipality, "province": row.province,
                "language": row.language, "needs_on_site": row.needs_on_site,
                "description": row.description,
                "contact_name": row.contact_name, "contact_email": row.contact_email,
                "contact_phone": row.contact_phone, "company_name": row.company_name,
                "created_at": for_people(row.created_at),
            })
        })
        .collect();
    page.render(
        "moderator_intakes",
        StatusCode::OK,
        json!({
            "intakes": list,
            "unmatched": status == "unmatched",
            "tabs": tabs("/moderator/intakes", &INTAKE_STATUSES, &status, "case.status."),
        }),
    )
}
