//! The expert's help requests as pages: the list (`/expert/requests`) and one request
//! (`/experts/requests/{id}`, the link of the email) with accept, decline (reason) and complete
//! (summary). The victim stays anonymous until this expert's acceptance connected the case.
//! Without a session the expert is sent to log in and comes back here.

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use serde::Deserialize;
use serde_json::{Value, json};

use super::csrf::PageForm;
use super::form::FormErrors;
use super::login::login_then;
use super::{PageCtx, redirect};
use crate::cases::view::{self, ExpertRequestView};
use crate::cases::{optional_text_of, requests};
use crate::clock::for_people;
use crate::db::models::{intake, request};
use crate::domain::text::limits::{COMPLETION_SUMMARY, DECLINE_REASON};
use crate::domain::{ExpertId, IntakeStatus, RequestId, RequestStatus, Role};
use crate::error::AppError;
use crate::http::AppState;
use crate::http::auth::ExpertAuth;
use crate::i18n::{Lang, language_name};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/expert/requests", web::get().to(list))
        .route("/experts/requests/{id}", web::get().to(show))
        .route("/experts/requests/{id}/{action}", web::post().to(act));
}

fn view_of(state: &AppState, r: &ExpertRequestView, lang: Lang) -> Value {
    let mut v = json!(r);
    let erased = r.intake_status.is_erased();
    // The victim's first-aid steps and which they ticked, for the connected expert (the victim
    // page promises "your expert sees this too").
    if let Some(done) = r.steps_done.as_ref().filter(|_| !erased) {
        let steps: Vec<Value> = state
            .catalogue
            .get(r.incident_type)
            .text(lang)
            .steps
            .iter()
            .zip(1..)
            .map(|(step, n)| json!({ "n": n, "title": step.title, "done": done.contains(&n) }))
            .collect();
        let ticked = steps.iter().filter(|s| s["done"] == true).count();
        v["progress"] = json!({ "steps": steps, "done": ticked, "total": steps.len() });
    }
    v["case_erased"] = json!(erased);
    v["victim_closed"] = json!(r.intake_status == IntakeStatus::Closed);
    v["language_name"] = json!(language_name(&r.language, lang));
    v["state"] = json!({ r.status.as_str(): true });
    v["status_key"] = json!(format!("case.request.{}", r.status));
    v["urgency_key"] = json!(format!("urgency.{}", r.urgency));
    v["created"] = json!(for_people(r.created_at));
    v["expires"] = json!(for_people(r.expires_at));
    v["open"] = json!(r.status.can_answer() && !erased);
    v["can_complete"] = json!(r.status.can_complete() && !erased);
    v
}

/// `GET /expert/requests`, newest first.
async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Result<ExpertAuth, AppError>,
) -> Result<HttpResponse, AppError> {
    let auth = match auth {
        Ok(ExpertAuth(auth)) => auth,
        Err(e) => return login_then(e, req.path()),
    };
    let page = PageCtx::new(&req, &state).with_user(Role::Expert);
    let lang = page.content_lang();
    let found = state
        .workflow(move |ctx, conn| {
            request::of_expert(conn, &auth.expert_id(), 200)?
                .into_iter()
                .map(|(r, row)| view::for_expert(conn, ctx.catalogue, lang, r, row))
                .collect::<Result<Vec<_>, _>>()
        })
        .await?;
    let items: Vec<Value> = found.iter().map(|r| view_of(&state, r, lang)).collect();
    page.render(
        "expert_requests",
        StatusCode::OK,
        json!({ "requests": items }),
    )
}

async fn load(
    state: &web::Data<AppState>,
    lang: Lang,
    expert_id: ExpertId,
    request_id: RequestId,
) -> Result<ExpertRequestView, AppError> {
    state
        .workflow(move |ctx, conn| {
            let req = request::get_for_expert(conn, &request_id, &expert_id)?;
            let row = intake::find(conn, &req.intake_id)?.ok_or(AppError::NotFound)?;
            view::for_expert(conn, ctx.catalogue, lang, req, row)
        })
        .await
}

#[derive(Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

/// `GET /experts/requests/{id}`
async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Result<ExpertAuth, AppError>,
    id: web::Path<RequestId>,
    query: web::Query<DoneQuery>,
) -> Result<HttpResponse, AppError> {
    let auth = match auth {
        Ok(ExpertAuth(auth)) => auth,
        Err(e) => return login_then(e, req.path()),
    };
    let done = query.done.clone().unwrap_or_default();
    render(
        &req,
        &state,
        auth.expert_id(),
        id.into_inner(),
        StatusCode::OK,
        &done,
        &Kept::default(),
    )
    .await
}

#[derive(Default)]
struct Kept {
    errors: FormErrors,
    reason: String,
    summary: String,
}

async fn render(
    req: &HttpRequest,
    state: &web::Data<AppState>,
    expert_id: ExpertId,
    request_id: RequestId,
    status: StatusCode,
    done: &str,
    kept: &Kept,
) -> Result<HttpResponse, AppError> {
    let page = PageCtx::new(req, state).with_user(Role::Expert);
    let lang = page.content_lang();
    let found = load(state, lang, expert_id, request_id).await?;
    page.render(
        "expert_request",
        status,
        json!({
            "r": view_of(state, &found, lang),
            "done": { done: true },
            "errors": kept.errors.flags(),
            "summary": kept.errors.summary(&["reason", "summary"]),
            "kept": { "reason": kept.reason, "summary": kept.summary },
        }),
    )
}

#[derive(Deserialize)]
pub struct ActionForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    summary: String,
}

/// `POST /experts/requests/{id}/{accept|decline|complete}`
async fn act(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Result<ExpertAuth, AppError>,
    path: web::Path<(RequestId, String)>,
    PageForm(form): PageForm<ActionForm>,
) -> Result<HttpResponse, AppError> {
    let (id, action) = path.into_inner();
    let auth = match auth {
        Ok(ExpertAuth(auth)) => auth,
        Err(e) => return login_then(e, &format!("/experts/requests/{id}")),
    };
    let me = auth.expert_id();
    let rid = id.clone();
    let (reason, summary) = (form.reason.clone(), form.summary.clone());
    let outcome = state
        .workflow(move |ctx, conn| match action.as_str() {
            "accept" => {
                requests::accept(conn, ctx, &rid, &me).map(|_| RequestStatus::Accepted.as_str())
            }
            "decline" => {
                let reason = optional_text_of("reason", Some(&reason), DECLINE_REASON)?;
                requests::decline(conn, ctx, &rid, &me, reason.as_deref())
                    .map(|_| RequestStatus::Declined.as_str())
            }
            "complete" => {
                let summary = optional_text_of("summary", Some(&summary), COMPLETION_SUMMARY)?;
                requests::complete(conn, ctx, &rid, &me, summary.as_deref())
                    .map(|_| RequestStatus::Completed.as_str())
            }
            _ => Err(AppError::NotFound),
        })
        .await;
    let mut kept = Kept {
        reason: form.reason,
        summary: form.summary,
        ..Kept::default()
    };
    let status = match outcome {
        Ok(done) => return Ok(redirect(&format!("/experts/requests/{id}?done={done}"))),
        Err(AppError::Conflict(kind)) => {
            kept.errors.general(kind.key());
            StatusCode::CONFLICT
        }
        Err(e) => {
            kept.errors.absorb(e, |field| match field {
                "summary" => Some(("summary", "request.error.summary")),
                _ => Some(("reason", "request.error.reason")),
            })?;
            StatusCode::UNPROCESSABLE_ENTITY
        }
    };
    render(&req, &state, auth.expert_id(), id, status, "", &kept).await
}
