//! Public first-aid endpoints: the incident types, each type's step plan and the published
//! referral policy. No database; everything comes from the embedded catalogue.
//!
//! The list of incident types is the first thing every client asks for, and it never changes
//! while the process runs: its answer is serialised once per language at start
//! ([`IncidentTypesJson`]), with a strong `ETag`, and a request with a matching
//! `If-None-Match` gets `304 Not Modified`. It holds no personal data, so it may be stored
//! (`Cache-Control: no-cache`: kept, but checked with the ETag before each use).

use actix_web::{
    HttpRequest, HttpResponse,
    http::header::{self, HeaderValue},
    web,
};
use serde::Serialize;

use super::{AppState, lang::localized_json, lang::request_lang};
use crate::{
    domain::IncidentType,
    error::AppError,
    i18n::Lang,
    incidents::{Catalogue, Step},
};

#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct TypeSummary<'a> {
    #[schema(value_type = crate::http::openapi::codes::IncidentCode)]
    code: IncidentType,
    name: &'a str,
    description: &'a str,
    remote_possible: bool,
}

#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct StepPlan<'a> {
    #[schema(value_type = crate::http::openapi::codes::IncidentCode)]
    code: IncidentType,
    #[schema(value_type = crate::http::openapi::codes::LangCode)]
    lang: Lang,
    name: &'a str,
    steps: &'a [Step],
}

/// The answer of `GET /api/v1/incident-types` in each language, built once.
pub struct IncidentTypesJson {
    answers: Vec<Prebuilt>,
}

struct Prebuilt {
    body: web::Bytes,
    etag: HeaderValue,
}

impl IncidentTypesJson {
    pub fn build(catalogue: &Catalogue) -> anyhow::Result<Self> {
        let answers = Lang::ALL
            .into_iter()
            .map(|lang| {
                let types: Vec<TypeSummary> = catalogue
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
                let body = serde_json::to_vec(&types)?;
                let hash = crate::domain::token::sha256_hex(&body);
                let etag = HeaderValue::from_str(&format!("\"{}-{}\"", lang.code(), &hash[..20]))?;
                Ok(Prebuilt {
                    body: body.into(),
                    etag,
                })
            })
            .collect::<anyhow::Result<_>>()?;
        Ok(Self { answers })
    }

    fn get(&self, lang: Lang) -> &Prebuilt {
        let index = Lang::ALL.iter().position(|l| *l == lang).unwrap_or(0);
        &self.answers[index]
    }
}

/// Whether `If-None-Match` names `etag` (or `*`); weak validators compare equal too (RFC 9110
/// 13.1.2).
fn matches_etag(req: &HttpRequest, etag: &HeaderValue) -> bool {
    let ours = etag.as_bytes();
    req.headers()
        .get_all(header::IF_NONE_MATCH)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|tag| tag.trim())
        .any(|tag| tag == "*" || tag.trim_start_matches("W/").as_bytes() == ours)
}

/// `GET /api/v1/incident-types`
pub async fn list(prebuilt: web::Data<IncidentTypesJson>, req: HttpRequest) -> HttpResponse {
    let lang = request_lang(&req);
    let answer = prebuilt.get(lang);
    let not_modified = matches_etag(&req, &answer.etag);
    let mut response = if not_modified {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    response
        .insert_header((header::CONTENT_LANGUAGE, lang.code()))
        .insert_header((header::VARY, "Accept-Language"))
        .insert_header((header::ETAG, answer.etag.clone()))
        .insert_header((header::CACHE_CONTROL, "no-cache"));
    if not_modified {
        return response.finish();
    }
    response
        .content_type(mime::APPLICATION_JSON)
        .body(answer.body.clone())
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
