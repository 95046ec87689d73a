//! Public first-aid endpoints: the incident types, each type's step plan and the published
//! referral policy. No database; everything comes from the embedded catalogue.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Serialize;

use super::{AppState, lang::localized_json, lang::request_lang};
use crate::{domain::IncidentType, error::AppError, i18n::Lang, incidents::Step};

#[derive(Serialize)]
struct TypeSummary<'a> {
    code: IncidentType,
    name: &'a str,
    description: &'a str,
    remote_possible: bool,
}

#[derive(Serialize)]
struct StepPlan<'a> {
    code: IncidentType,
    lang: Lang,
    name: &'a str,
    steps: &'a [Step],
}

/// `GET /api/v1/incident-types`
pub async fn list(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    let lang = request_lang(&req);
    let types: Vec<TypeSummary> = state
        .catalogue
        .all()
        .map(|info| {
            let text = info.text(lang);
            TypeSummary {
                code: info.code,
                name: &text.name,
                description: &text.description,
                remote_possible: info.remote_possible,
            }
        })
        .collect();
    localized_json(lang, types)
}

/// `GET /api/v1/incident-types/{code}/steps`
pub async fn steps(
    state: web::Data<AppState>,
    req: HttpRequest,
    code: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let code = IncidentType::parse(&code).ok_or(AppError::NotFound)?;
    let lang = request_lang(&req);
    let text = state.catalogue.get(code).text(lang);
    Ok(localized_json(
        lang,
        StepPlan {
            code,
            lang,
            name: &text.name,
            steps: &text.steps,
        },
    ))
}

/// `GET /api/v1/referral-policy`
pub async fn referral_policy(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    let lang = request_lang(&req);
    localized_json(lang, state.catalogue.policy.view(lang))
}
