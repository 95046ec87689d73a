//! Victim endpoints of an intake: `POST /api/v1/intakes` (no account; honours
//! `Idempotency-Key`) and `GET /api/v1/intakes/{id}` with the case token.

use crate::domain::token::sha256_hex;
use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::Value;

use super::{
    AppState,
    auth::{CaseTokenHash, VictimAuth},
    extract::{ApiJson, from_value},
    lang::asked_lang,
};
use crate::db::models::intake;
use crate::domain::IntakeId;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::intakes::{self, Idempotency, IntakeRequest, submit, view};

const IDEMPOTENCY_KEY: &str = "Idempotency-Key";

fn idempotency(req: &HttpRequest, body: &Value) -> Result<Option<Idempotency>, AppError> {
    let Some(raw) = req.headers().get(IDEMPOTENCY_KEY) else {
        return Ok(None);
    };
    let key = raw.to_str().unwrap_or_default().trim();
    if key.is_empty() || key.len() > 255 {
        return Err(AppError::field(
            IDEMPOTENCY_KEY,
            "must be 1 to 255 visible characters",
        ));
    }
    // serde_json keeps object keys sorted, so equal JSON gives an equal fingerprint.
    let fingerprint = sha256_hex(body.to_string().as_bytes());
    Ok(Some(Idempotency {
        key: key.to_owned(),
        fingerprint,
    }))
}

pub async fn create(
    state: web::Data<AppState>,
    req: HttpRequest,
    ApiJson(body): ApiJson<Value>,
) -> Result<HttpResponse, AppError> {
    let idem_key = idempotency(&req, &body)?;
    let new = from_value::<IntakeRequest>(body.clone())?
        .parse(state.geocoder.as_ref(), state.clock.now())?;
    let created = submit::submit(&state.runner(), new, idem_key).await?;
    let catalogue = &state.catalogue;
    let steps = intake_steps(catalogue, &created.intake);
    let body = view::CreatedView {
        id: &created.intake.id,
        status: created.intake.status,
        access_token: &created.access_token,
        case_url: state
            .settings
            .link(&format!("case/{}", created.access_token)),
        steps,
        matches: view::matches(
            &created.matches,
            &created.intake.language,
            reasons_lang(&req, &created.intake),
        ),
    };
    let status = if created.replayed {
        actix_web::http::StatusCode::OK
    } else {
        actix_web::http::StatusCode::CREATED
    };
    Ok(HttpResponse::build(status).json(body))
}

/// The language of an intake's match reasons in an answer: the one the request asks for, else
/// the intake's own.
pub(super) fn reasons_lang(req: &HttpRequest, row: &intake::IntakeRow) -> Lang {
    asked_lang(req).unwrap_or_else(|| intakes::lang_of(row))
}

fn intake_steps<'a>(
    catalogue: &'a crate::incidents::Catalogue,
    row: &intake::IntakeRow,
) -> &'a [crate::incidents::Step] {
    catalogue
        .get(row.incident_type)
        .text(intakes::lang_of(row))
        .steps
        .as_slice()
}

/// `GET /api/v1/intakes/{id}`: the token's intake and the case read on one connection, in one
/// blocking task (the most frequent victim request: a case page polls it).
pub async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<IntakeId>,
) -> Result<HttpResponse, AppError> {
    let token = CaseTokenHash::of(&req)?;
    let intake_id = id.into_inner();
    let data = state
        .db
        .run(move |conn| {
            let Some(victim) = token.lookup(conn)? else {
                return Ok(None);
            };
            victim.require(&intake_id)?;
            crate::cases::view::CaseData::load(conn, &intake_id).map(Some)
        })
        .await?
        .ok_or_else(|| VictimAuth::unknown(&state))?;
    let lang = reasons_lang(&req, &data.row);
    Ok(HttpResponse::Ok().json(data.view(&state.catalogue, lang)))
}
