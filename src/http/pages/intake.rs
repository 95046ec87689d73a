//! The intake form (`GET/POST /intake`, linked as "Get help from an expert" from every first-aid
//! page): the same `IntakeRequest` parsing and `intakes::submit` workflow as `POST
//! /api/v1/intakes`. On success the victim goes to the case page (and gets the case email); bad
//! input comes back with every error next to its field, a summary, and the input kept.

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use serde::Deserialize;
use serde_json::{Value, json};

use super::csrf::PageForm;
use super::form::{FormErrors, field_views};
use super::intake_form::{FIELDS, IntakeForm, ORDER, rename, ticked};
use super::{PageCtx, redirect};
use crate::domain::{IncidentType, Urgency};
use crate::error::AppError;
use crate::http::AppState;
use crate::i18n::language_name;
use crate::intakes::{Idempotency, submit};

const LANGUAGE_CHOICES: [&str; 10] = ["nl", "en", "de", "fr", "tr", "ar", "pl", "es", "uk", "ro"];

fn render(
    req: &HttpRequest,
    state: &AppState,
    status: StatusCode,
    form: &IntakeForm,
    errors: &FormErrors,
) -> Result<HttpResponse, AppError> {
    let page = PageCtx::new(req, state);
    let lang = page.content_lang();
    let types: Vec<Value> = IncidentType::ALL
        .iter()
        .map(|t| {
            let code = t.as_str();
            json!({ "code": code, "name": state.catalogue.get(*t).text(lang).name, "selected": code == form.incident_type })
        })
        .collect();
    let urgencies: Vec<Value> = Urgency::ALL
        .iter()
        .map(|u| json!({ "value": u.as_str(), "key": format!("urgency.{}", u.as_str()), "hint": format!("intake.urgency_hint.{}", u.as_str()), "checked": u.as_str() == form.urgency }))
        .collect();
    let languages: Vec<Value> = LANGUAGE_CHOICES
        .iter()
        .map(|c| json!({ "code": c, "name": language_name(c, lang), "selected": *c == form.language }))
        .collect();
    let values = serde_json::to_value(form).map_err(AppError::internal)?;
    let mut flags = errors.flags();
    for name in ORDER {
        if flags.get(name).is_none() {
            flags[name] = json!(false);
        }
    }
    page.render(
        "intake",
        status,
        json!({
            "fields": field_views(&FIELDS, &values, errors),
            "summary": errors.summary(&ORDER),
            "errors": flags,
            "form": values,
            "types": types,
            "urgencies": urgencies,
            "languages": languages,
            "on_site": ticked(&form.needs_on_site),
            "consent": ticked(&form.consent_to_share),
            "disclaimer": ticked(&form.disclaimer_accepted),
        }),
    )
}

#[derive(Deserialize)]
pub struct TypeQuery {
    #[serde(rename = "type")]
    kind: Option<String>,
}

/// `GET /intake` (`?type=ransomware` preselects the incident type).
pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<TypeQuery>,
) -> Result<HttpResponse, AppError> {
    let page_lang = PageCtx::new(&req, &state).content_lang();
    let form = IntakeForm {
        incident_type: query
            .kind
            .clone()
            .filter(|k| IncidentType::parse(k).is_some())
            .unwrap_or_default(),
        language: page_lang.code().to_owned(),
        ..IntakeForm::default()
    };
    render(&req, &state, StatusCode::OK, &form, &FormErrors::default())
}

/// A form sent twice from one browser (a double click, a reload after a slow answer) is one
/// intake: the key is a hash of the browser's secret CSRF token and the form's content, so the
/// repeat gets the first intake back (with a fresh case link) and no second email goes out.
fn idempotency(req: &HttpRequest, form: &IntakeForm) -> Option<Idempotency> {
    let token = super::csrf::token_of(req)?;
    let content = serde_json::to_string(form).ok()?;
    let hex = crate::domain::token::sha256_hex(format!("{token}\n{content}").as_bytes());
    Some(Idempotency {
        key: format!("page:{hex}"),
        fingerprint: hex,
    })
}

/// `POST /intake`
pub async fn submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    PageForm(mut form): PageForm<IntakeForm>,
) -> Result<HttpResponse, AppError> {
    form.apply_place_choice();
    let mut errors = FormErrors::default();
    if let Err(refused) = super::spam::check(&req, &state) {
        errors.general(refused.message());
        return render(
            &req,
            &state,
            StatusCode::UNPROCESSABLE_ENTITY,
            &form,
            &errors,
        );
    }
    let request = form.request(&mut errors);
    let outcome = match request.parse(state.geocoder.as_ref(), state.clock.now()) {
        Ok(new) if errors.is_empty() => {
            let idem = idempotency(&req, &form);
            submit::submit(&state.runner(), new, idem).await.map(Some)
        }
        Ok(_) => Ok(None),
        Err(e) => Err(e),
    };
    match outcome {
        Ok(Some(created)) => {
            // This browser keeps reading in the form's language, whatever help language was
            // chosen; another device opening the case link gets the chosen help language.
            let mut response = redirect(&format!("/case/{}", created.access_token));
            let cookie = PageCtx::new(&req, &state).lang_cookie();
            response.add_cookie(&cookie).map_err(AppError::internal)?;
            return Ok(response);
        }
        Ok(None) => {}
        Err(e) => errors.absorb(e, rename)?,
    }
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    render(&req, &state, status, &form, &errors)
}
