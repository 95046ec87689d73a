//! Data-subject exports over the API: `GET /api/v1/intakes/{id}/export` (case token) and
//! `GET /api/v1/experts/me/export` (expert session). Both answer the JSON document of
//! `crate::exports` as a download; the page routes (`/case/{token}/export`, `/expert/export`)
//! serve the same document through [`victim_document`] and [`expert_document`].

use actix_web::{HttpRequest, HttpResponse, web};

use super::{AppState, auth::ExpertAuth, auth::VictimAuth, lang::request_lang};
use crate::domain::{ExpertId, IntakeId};
use crate::error::AppError;
use crate::exports::{expert, victim::VictimData};
use crate::i18n::Lang;

/// The victim export of `intake_id`, serialised.
pub async fn victim_document(state: &AppState, intake_id: IntakeId) -> Result<Vec<u8>, AppError> {
    let data = state
        .db
        .run(move |conn| VictimData::load(conn, &intake_id))
        .await?;
    let now = state.clock.now();
    serde_json::to_vec_pretty(&data.view(&state.catalogue, now)).map_err(AppError::internal)
}

/// The export of expert `id`, serialised, with incident names in `lang`.
pub async fn expert_document(
    state: &web::Data<AppState>,
    id: ExpertId,
    lang: Lang,
) -> Result<Vec<u8>, AppError> {
    let export = state
        .workflow(move |ctx, conn| expert::build(conn, ctx.catalogue, lang, &id, ctx.now))
        .await?;
    serde_json::to_vec_pretty(&export).map_err(AppError::internal)
}

/// `200` with `body` as a JSON file download named `filename`, never cached or sniffed.
pub fn download(filename: &str, body: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{filename}\""),
        ))
        .insert_header(("Cache-Control", "no-store"))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .body(body)
}

/// The file name of a victim export.
pub fn victim_filename(intake_id: &IntakeId) -> String {
    format!("hackhelpdesk-case-{intake_id}.json")
}

/// The file name of an expert export.
pub fn expert_filename(expert_id: &ExpertId) -> String {
    format!("hackhelpdesk-expert-{expert_id}.json")
}

/// `GET /api/v1/intakes/{id}/export` with the case token.
async fn intake_export(
    state: web::Data<AppState>,
    victim: VictimAuth,
    id: web::Path<IntakeId>,
) -> Result<HttpResponse, AppError> {
    victim.require(&id)?;
    let id = id.into_inner();
    let body = victim_document(&state, id.clone()).await?;
    Ok(download(&victim_filename(&id), body))
}

/// `GET /api/v1/experts/me/export` with an expert session.
async fn expert_export(
    state: web::Data<AppState>,
    expert: ExpertAuth,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let id = expert.id();
    let body = expert_document(&state, id.clone(), request_lang(&req)).await?;
    Ok(download(&expert_filename(&id), body))
}

pub fn routes(r: &mut super::routes::ApiRoutes) {
    r.get("/intakes/{id}/export", intake_export);
    r.get("/experts/me/export", expert_export);
}
