//! The outcome questions on the pages: the four resilience questions as radio groups (yes, no,
//! don't know) shared by the case page's optional baseline step and the 90-day check, and the
//! case page's baseline form (`POST /case/{token}/resilience`), which calls the same
//! `cases::outcomes` workflow as the API.

use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::{Value, json};

use super::case::{after, run};
use super::case_forms::Failed;
use super::csrf::PageForm;
use crate::cases::outcomes::{self, AnswersInput};
use crate::db::models::outcomes::{Answer, Resilience};
use crate::error::AppError;
use crate::http::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/case/{token}/resilience", web::post().to(baseline));
}

/// The form field and message of an answer the workflow refused.
pub fn answer_field(field: &str) -> Option<(&'static str, &'static str)> {
    Resilience::QUESTIONS
        .iter()
        .find(|q| **q == field)
        .map(|q| (*q, "outcomes.error.answer"))
}

/// What was chosen, as the form field values.
pub fn chosen(answers: Option<&Resilience>) -> AnswersInput {
    let text = |a: Answer| Some(a.as_str().to_owned());
    answers.map_or_else(AnswersInput::default, |r| AnswersInput {
        offline_backups: text(r.offline_backups),
        mfa: text(r.mfa),
        incident_plan: text(r.incident_plan),
        auto_updates: text(r.auto_updates),
    })
}

/// The four radio groups as template data (`partials/resilience_questions`), with what was
/// chosen and which groups were refused (`errors`: the form's error flags).
pub fn questions(kept: &AnswersInput, errors: &Value) -> Value {
    let kept = [
        &kept.offline_backups,
        &kept.mfa,
        &kept.incident_plan,
        &kept.auto_updates,
    ];
    Resilience::QUESTIONS
        .iter()
        .zip(kept)
        .map(|(name, picked)| {
            let options: Vec<Value> = Answer::ALL
                .iter()
                .map(|a| {
                    json!({
                        "value": a.as_str(),
                        "id": format!("r-{name}-{}", a.as_str()),
                        "key": format!("outcomes.answer.{}", a.as_str()),
                        "checked": picked.as_deref() == Some(a.as_str()),
                    })
                })
                .collect();
            json!({
                "name": name,
                "key": format!("outcomes.question.{name}"),
                "error": errors[*name].as_bool().unwrap_or(false),
                "options": options,
            })
        })
        .collect()
}

/// `POST /case/{token}/resilience` with the four answers: the optional baseline step.
async fn baseline(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Path<String>,
    PageForm(form): PageForm<AnswersInput>,
) -> Result<HttpResponse, AppError> {
    let kept = json!({ "answers": {
        "offline_backups": form.offline_backups, "mfa": form.mfa,
        "incident_plan": form.incident_plan, "auto_updates": form.auto_updates,
    }});
    let outcome = run(&state, &token, move |conn, ctx, id| {
        let answers = form.parse("")?;
        outcomes::answer_baseline(conn, ctx, id, answers).map(|_| ())
    })
    .await;
    after(&req, &state, &token, outcome, "baseline", |e| {
        Failed::of("baseline", e, kept, answer_field)
    })
    .await
}
