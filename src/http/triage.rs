//! Triage: `GET /api/v1/triage` serves the yes/no question tree, `POST /api/v1/triage` with
//! `{"answers": {"<question id>": "yes"|"no", ...}}` follows the answers from the start question
//! to a suggested incident type and its first-aid plan.

use std::collections::BTreeMap;

use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};

use super::{AppState, extract::ApiJson, lang::localized_json, lang::request_lang};
use crate::{
    domain::IncidentType,
    error::{AppError, FieldError},
    i18n::Lang,
    incidents::{
        Step,
        triage::{Answer, Outcome, TriageError},
    },
};

#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct TreeView<'a> {
    #[schema(value_type = crate::http::openapi::codes::LangCode)]
    lang: Lang,
    start: &'a str,
    questions: Vec<QuestionView<'a>>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct QuestionView<'a> {
    id: &'a str,
    text: &'a str,
    #[schema(value_type = crate::http::openapi::codes::TriageOutcome)]
    yes: &'a Outcome,
    #[schema(value_type = crate::http::openapi::codes::TriageOutcome)]
    no: &'a Outcome,
}

/// `GET /api/v1/triage`
pub async fn tree(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    let lang = request_lang(&req);
    let triage = &state.catalogue.triage;
    let questions = triage
        .questions()
        .iter()
        .map(|q| QuestionView {
            id: &q.id,
            text: q.text(lang),
            yes: &q.yes,
            no: &q.no,
        })
        .collect();
    localized_json(
        lang,
        TreeView {
            lang,
            start: triage.start(),
            questions,
        },
    )
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TriageAnswers {
    answers: BTreeMap<String, Answer>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct Suggestion<'a> {
    #[schema(value_type = crate::http::openapi::codes::IncidentCode)]
    incident_type: IncidentType,
    #[schema(value_type = crate::http::openapi::codes::LangCode)]
    lang: Lang,
    name: &'a str,
    description: &'a str,
    remote_possible: bool,
    steps_url: String,
    steps: &'a [Step],
    path: Vec<AnsweredQuestion<'a>>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct AnsweredQuestion<'a> {
    question: &'a str,
    text: &'a str,
    #[schema(value_type = crate::http::openapi::codes::AnswerCode)]
    answer: Answer,
}

/// `POST /api/v1/triage`
pub async fn suggest(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: ApiJson<TriageAnswers>,
) -> Result<HttpResponse, AppError> {
    let lang = request_lang(&req);
    let triage = &state.catalogue.triage;
    let (code, path) = triage
        .resolve(&body.0.answers)
        .map_err(|e| triage_problem(e, |id| triage.question(id).map(|q| q.text(lang))))?;
    let info = state.catalogue.get(code);
    let text = info.text(lang);
    let path = path
        .iter()
        .filter_map(|(id, answer)| {
            let question = triage.question(id)?;
            Some(AnsweredQuestion {
                question: &question.id,
                text: question.text(lang),
                answer: *answer,
            })
        })
        .collect();
    Ok(localized_json(
        lang,
        Suggestion {
            incident_type: code,
            lang,
            name: &text.name,
            description: &text.description,
            remote_possible: info.remote_possible,
            steps_url: format!(
                "/api/v1/incident-types/{}/steps?lang={}",
                code.as_str(),
                lang.code()
            ),
            steps: &text.steps,
            path,
        },
    ))
}

fn triage_problem<'a>(error: TriageError, text: impl Fn(&str) -> Option<&'a str>) -> AppError {
    let errors = match error {
        TriageError::UnknownQuestions(ids) => ids
            .into_iter()
            .map(|id| FieldError::new(format!("answers.{id}"), "is not a triage question"))
            .collect(),
        TriageError::Unanswered(id) => {
            let question = text(&id).unwrap_or_default();
            vec![FieldError::new(
                format!("answers.{id}"),
                format!("is required: answer \"yes\" or \"no\" to: {question}"),
            )]
        }
    };
    AppError::Validation(errors)
}
