//! Victim endpoints of a running case (case token): asking experts for help, ticking first-aid
//! steps, closing, feedback and the resilience check (also with their one-click link token),
//! complaints, and erasure.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use serde_json::json;

use super::{AppState, auth::VictimAuth, auth::bearer_token, extract::ApiJson};
use crate::cases::{self, close, feedback, outcomes, requests};
use crate::db::models::{case, intake};
use crate::domain::token::hash_token;
use crate::domain::{ExpertId, IntakeId};
use crate::error::AppError;
use crate::telemetry::summary::WrongToken;

#[derive(Deserialize, utoipa::ToSchema)]
pub struct AskBody {
    #[schema(value_type = Vec<String>)]
    expert_ids: Vec<ExpertId>,
}

/// `POST /api/v1/intakes/{id}/requests` `{"expert_ids":[...]}` → 201 with the requests.
pub async fn ask(
    state: web::Data<AppState>,
    victim: VictimAuth,
    id: web::Path<IntakeId>,
    ApiJson(body): ApiJson<AskBody>,
) -> Result<HttpResponse, AppError> {
    victim.require(&id)?;
    let created = state
        .workflow(move |ctx, conn| requests::ask(conn, ctx, &id, &body.expert_ids))
        .await?;
    let list: Vec<_> = created
        .iter()
        .map(|r| json!({ "id": r.id, "expert_id": r.expert_id, "status": r.status, "expires_at": r.expires_at }))
        .collect();
    Ok(HttpResponse::Created().json(json!({ "requests": list })))
}

/// `POST /api/v1/intakes/{id}/matches/next` → the case with the next matches: the victim does
/// not wait for the pending requests (which stay open) and gets matches without everyone asked
/// before. When nobody else fits, the matches stay as they were. 409 `not_waiting` when no
/// request is pending.
pub async fn ask_next(
    state: web::Data<AppState>,
    req: HttpRequest,
    victim: VictimAuth,
    id: web::Path<IntakeId>,
) -> Result<HttpResponse, AppError> {
    victim.require(&id)?;
    let intake_id = id.into_inner();
    let data = state
        .workflow(move |ctx, conn| {
            cases::offer::offer_next(conn, ctx, &intake_id)?;
            cases::view::CaseData::load(conn, &intake_id)
        })
        .await?;
    let lang = super::intakes::reasons_lang(&req, &data.row);
    Ok(HttpResponse::Ok().json(data.view(&state.catalogue, lang)))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct StepBody {
    done: bool,
}

/// `POST /api/v1/intakes/{id}/steps/{n}` `{"done": bool}` → the steps done.
pub async fn step(
    state: web::Data<AppState>,
    victim: VictimAuth,
    path: web::Path<(IntakeId, i32)>,
    ApiJson(body): ApiJson<StepBody>,
) -> Result<HttpResponse, AppError> {
    let (id, n) = path.into_inner();
    victim.require(&id)?;
    let done = state
        .workflow(move |ctx, conn| close::set_step(conn, ctx, &id, n, body.done))
        .await?;
    Ok(HttpResponse::Ok().json(json!({ "steps_done": done })))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct CloseBody {
    outcome: String,
}

/// `POST /api/v1/intakes/{id}/close` `{"outcome"}` → the case.
pub async fn close_case(
    state: web::Data<AppState>,
    req: HttpRequest,
    victim: VictimAuth,
    id: web::Path<IntakeId>,
    ApiJson(body): ApiJson<CloseBody>,
) -> Result<HttpResponse, AppError> {
    victim.require(&id)?;
    let intake_id = id.into_inner();
    let data = state
        .workflow(move |ctx, conn| {
            close::close(conn, ctx, &intake_id, body.outcome.trim())?;
            cases::view::CaseData::load(conn, &intake_id)
        })
        .await?;
    let lang = super::intakes::reasons_lang(&req, &data.row);
    Ok(HttpResponse::Ok().json(data.view(&state.catalogue, lang)))
}

/// `DELETE /api/v1/intakes/{id}` → 204.
pub async fn erase(
    state: web::Data<AppState>,
    victim: VictimAuth,
    id: web::Path<IntakeId>,
) -> Result<HttpResponse, AppError> {
    victim.require(&id)?;
    let geocoder = state.geocoder.clone();
    state
        .workflow(move |ctx, conn| close::erase(conn, ctx, geocoder.as_ref(), &id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The intake a bearer token opens for `purpose`: the case token, or the one-click link token
/// of that purpose. Any other intake's token is a 404.
async fn link_auth(
    state: &AppState,
    req: &HttpRequest,
    intake_id: &IntakeId,
    purpose: &'static str,
) -> Result<(), AppError> {
    let token = bearer_token(req).ok_or_else(|| {
        AppError::Unauthorized(
            "Send the case token or the link's token: Authorization: Bearer <token>.".into(),
        )
    })?;
    let hash = hash_token(&token);
    let found = state
        .db
        .run(
            move |conn| match intake::intake_id_for_token(conn, &hash)? {
                Some(id) => Ok(Some(id)),
                None => case::intake_for_link_token(conn, &hash, purpose),
            },
        )
        .await?;
    match found {
        Some(id) if id == *intake_id => Ok(()),
        Some(_) => Err(AppError::NotFound),
        None => Err(state.metrics.unknown(WrongToken::Link)),
    }
}

/// `POST /api/v1/intakes/{id}/feedback` → 201; a second time 409.
pub async fn give_feedback(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<IntakeId>,
    ApiJson(body): ApiJson<feedback::FeedbackInput>,
) -> Result<HttpResponse, AppError> {
    link_auth(&state, &req, &id, case::FEEDBACK).await?;
    let saved = state
        .workflow(move |ctx, conn| feedback::give_feedback(conn, ctx, &id, body))
        .await?;
    Ok(HttpResponse::Created().json(json!({
        "helped": saved.helped, "resolved": saved.resolved,
        "more_resilient": saved.more_resilient, "comment": saved.comment,
        "offered_paid_services": saved.offered_paid_services,
    })))
}

/// `POST /api/v1/intakes/{id}/resilience` → 201; a second time 409.
pub async fn answer_resilience(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<IntakeId>,
    ApiJson(body): ApiJson<feedback::ResilienceInput>,
) -> Result<HttpResponse, AppError> {
    link_auth(&state, &req, &id, case::RESILIENCE).await?;
    let (saved, answers) = state
        .workflow(move |ctx, conn| feedback::answer_resilience(conn, ctx, &id, body))
        .await?;
    let answers = answers.map(|a| (a, saved.created_at));
    Ok(HttpResponse::Created().json(json!({
        "mfa_enabled": saved.mfa_enabled, "offline_backups": saved.offline_backups,
        "reported_to_police": saved.reported_to_police, "comment": saved.comment,
        "answers": outcomes::answers_json(answers.as_ref()),
    })))
}

/// `POST /api/v1/intakes/{id}/resilience/baseline` (case token) with the four answers → 201, or
/// 200 when it replaced earlier answers; 409 once the case has ended.
pub async fn answer_baseline(
    state: web::Data<AppState>,
    victim: VictimAuth,
    id: web::Path<IntakeId>,
    ApiJson(body): ApiJson<outcomes::AnswersInput>,
) -> Result<HttpResponse, AppError> {
    victim.require(&id)?;
    let answers = body.parse("")?;
    let (replaced, at) = state
        .workflow(move |ctx, conn| outcomes::answer_baseline(conn, ctx, &id, answers))
        .await?;
    let mut status = if replaced {
        HttpResponse::Ok()
    } else {
        HttpResponse::Created()
    };
    Ok(status.json(json!({
        "phase": "baseline",
        "answers": outcomes::answers_json(Some(&(answers, at))),
    })))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ComplaintBody {
    #[schema(value_type = String)]
    expert_id: ExpertId,
    reason: String,
}

/// `POST /api/v1/intakes/{id}/complaints` `{"expert_id","reason"}` → 201.
pub async fn complain(
    state: web::Data<AppState>,
    victim: VictimAuth,
    id: web::Path<IntakeId>,
    ApiJson(body): ApiJson<ComplaintBody>,
) -> Result<HttpResponse, AppError> {
    victim.require(&id)?;
    let complaint = state
        .workflow(move |ctx, conn| {
            feedback::complain(conn, ctx, &id, &body.expert_id, &body.reason)
        })
        .await?;
    Ok(HttpResponse::Created().json(json!({
        "id": complaint.id, "status": complaint.status, "expert_id": complaint.expert_id,
        "created_at": complaint.created_at,
    })))
}

pub fn routes(r: &mut super::routes::ApiRoutes) {
    r.post("/intakes/{id}/requests", ask);
    r.post("/intakes/{id}/matches/next", ask_next);
    r.post("/intakes/{id}/steps/{n}", step);
    r.post("/intakes/{id}/close", close_case);
    r.post("/intakes/{id}/feedback", give_feedback);
    r.post("/intakes/{id}/resilience", answer_resilience);
    r.post("/intakes/{id}/resilience/baseline", answer_baseline);
    r.post("/intakes/{id}/complaints", complain);
}
