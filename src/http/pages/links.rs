//! The one-click pages behind the links of the feedback invitation (`/feedback/{token}`) and the
//! resilience check (`/resilience/{token}`). The link's own token authorises only its purpose
//! (`case::intake_for_link_token`); the answers go through `cases::feedback` like the API's.

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use serde::Deserialize;
use serde_json::{Value, json};

use super::PageCtx;
use super::case_forms::{FeedbackForm, feedback_field};
use super::csrf::PageForm;
use super::form::FormErrors;
use super::outcomes::{answer_field, questions};
use crate::cases::feedback::{self, ResilienceInput};
use crate::cases::outcomes::AnswersInput;
use crate::db::models::case;
use crate::domain::IntakeId;
use crate::domain::token::hash_token;
use crate::error::{AppError, ConflictKind};
use crate::http::AppState;
use crate::telemetry::summary::WrongToken;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/feedback/{token}")
            .route(web::get().to(feedback_show))
            .route(web::post().to(feedback_submit)),
    )
    .service(
        web::resource("/resilience/{token}")
            .route(web::get().to(resilience_show))
            .route(web::post().to(resilience_submit)),
    );
}

/// The intake of a one-click link token of `purpose`, whether it was answered already, and
/// whether an expert was ever connected (else the feedback does not ask about "the expert").
async fn link(
    state: &AppState,
    token: &str,
    purpose: &'static str,
) -> Result<(IntakeId, bool, bool), AppError> {
    let about = about(state, token, purpose).await?;
    Ok((about.id, about.answered, about.expert.is_some()))
}

/// What a one-click page is about: the intake, whether it was answered, its incident and report
/// date, the connected expert's company, and the close form's answer to "resolved?".
struct About {
    id: IntakeId,
    answered: bool,
    row: crate::db::models::intake::IntakeRow,
    expert: Option<String>,
}

async fn about(state: &AppState, token: &str, purpose: &'static str) -> Result<About, AppError> {
    let hash = hash_token(token);
    let metrics = state.metrics.clone();
    state
        .db
        .run(move |conn| {
            let id = case::intake_for_link_token(conn, &hash, purpose)?
                .ok_or_else(|| metrics.unknown(WrongToken::Link))?;
            let answered = if purpose == case::FEEDBACK {
                case::feedback_of(conn, &id)?.is_some()
            } else {
                case::resilience_of(conn, &id)?.is_some()
            };
            let row = crate::db::models::intake::find(conn, &id)?.ok_or(AppError::NotFound)?;
            let expert = match &row.connected_expert_id {
                Some(expert_id) => {
                    crate::db::models::expert::find(conn, expert_id)?.map(|e| e.company_name)
                }
                None => None,
            };
            Ok(About {
                id,
                answered,
                row,
                expert,
            })
        })
        .await
}

fn scores(picked: &str) -> Value {
    (1..=5)
        .map(|n: i32| json!({ "value": n.to_string(), "checked": n.to_string() == picked }))
        .collect()
}

fn render_feedback(
    req: &HttpRequest,
    state: &AppState,
    token: &str,
    status: StatusCode,
    about: &About,
    form: &FeedbackForm,
    errors: &FormErrors,
) -> Result<HttpResponse, AppError> {
    let page = PageCtx::for_victim(req, state, &about.row.language);
    let incident_name =
        super::case_view::incident_name(state, about.row.incident_type, page.content_lang());
    page.render(
        "feedback",
        status,
        json!({
            "answered": about.answered,
            "ask_paid_services": about.expert.is_some(),
            "ask_resolved": feedback::resolved_by_outcome(&about.row).is_none(),
            "about": {
                "incident_name": incident_name,
                "reported_at": crate::clock::for_people(about.row.created_at),
                "expert": about.expert,
            },
            "feedback_action": format!("/feedback/{token}"),
            "scores": scores(form.helped.trim()),
            "kept": form.kept(),
            "errors": errors.flags(),
            "summary": errors.summary(&["helped", "comment"]),
        }),
    )
}

/// `GET /feedback/{token}`
async fn feedback_show(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let about = about(&state, &token, case::FEEDBACK).await?;
    let form = FeedbackForm::default();
    let errors = FormErrors::default();
    render_feedback(&req, &state, &token, StatusCode::OK, &about, &form, &errors)
}

/// `POST /feedback/{token}`
async fn feedback_submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Path<String>,
    PageForm(form): PageForm<FeedbackForm>,
) -> Result<HttpResponse, AppError> {
    let mut about = about(&state, &token, case::FEEDBACK).await?;
    let input = form.input();
    let id = about.id.clone();
    let outcome = state
        .workflow(move |ctx, conn| feedback::give_page_feedback(conn, ctx, &id, input))
        .await;
    let mut errors = FormErrors::default();
    match outcome {
        Ok(_) => return thanks(&req, &state),
        Err(AppError::Conflict(kind)) => {
            about.answered = kind == ConflictKind::FeedbackGiven;
            if !about.answered {
                errors.general(kind.key());
            }
            let status = StatusCode::CONFLICT;
            return render_feedback(&req, &state, &token, status, &about, &form, &errors);
        }
        Err(e) => errors.absorb(e, feedback_field)?,
    }
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    render_feedback(&req, &state, &token, status, &about, &form, &errors)
}

fn thanks(req: &HttpRequest, state: &AppState) -> Result<HttpResponse, AppError> {
    PageCtx::new(req, state).render("thanks", StatusCode::OK, json!({}))
}

/// The 90-day check: the four outcome questions (as at intake), the police report and a comment.
#[derive(Deserialize, Default)]
pub struct ResilienceForm {
    #[serde(default)]
    offline_backups: Option<String>,
    #[serde(default)]
    mfa: Option<String>,
    #[serde(default)]
    incident_plan: Option<String>,
    #[serde(default)]
    auto_updates: Option<String>,
    #[serde(default)]
    reported_to_police: Option<String>,
    #[serde(default)]
    comment: String,
}

impl ResilienceForm {
    fn answers(&self) -> AnswersInput {
        AnswersInput {
            offline_backups: self.offline_backups.clone(),
            mfa: self.mfa.clone(),
            incident_plan: self.incident_plan.clone(),
            auto_updates: self.auto_updates.clone(),
        }
    }

    /// The workflow's input; an unanswered question is sent empty so the workflow names it.
    fn input(&self) -> ResilienceInput {
        let given = |a: &Option<String>| Some(a.clone().unwrap_or_default());
        ResilienceInput {
            mfa_enabled: None,
            offline_backups: given(&self.offline_backups).map(Value::String),
            reported_to_police: yes(&self.reported_to_police),
            mfa: given(&self.mfa),
            incident_plan: given(&self.incident_plan),
            auto_updates: given(&self.auto_updates),
            comment: Some(self.comment.clone()),
        }
    }
}

fn resilience_field(field: &str) -> Option<(&'static str, &'static str)> {
    match field {
        "comment" => Some(("comment", "case.error.comment")),
        other => answer_field(other),
    }
}

fn yes(v: &Option<String>) -> bool {
    v.as_deref() == Some("yes")
}

fn render_resilience(
    req: &HttpRequest,
    state: &AppState,
    token: &str,
    status: StatusCode,
    answered: bool,
    form: &ResilienceForm,
    errors: &FormErrors,
) -> Result<HttpResponse, AppError> {
    PageCtx::new(req, state).render(
        "resilience",
        status,
        json!({
            "answered": answered,
            "token": token,
            "kept": {
                "reported_to_police": yes(&form.reported_to_police),
                "comment": form.comment,
            },
            "questions": questions(&form.answers(), &errors.flags()),
            "errors": errors.flags(),
            "summary": errors.summary(&["offline_backups", "mfa", "incident_plan", "auto_updates", "comment"]),
        }),
    )
}

/// `GET /resilience/{token}`
async fn resilience_show(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (_, answered, _) = link(&state, &token, case::RESILIENCE).await?;
    let form = ResilienceForm::default();
    render_resilience(
        &req,
        &state,
        &token,
        StatusCode::OK,
        answered,
        &form,
        &FormErrors::default(),
    )
}

/// `POST /resilience/{token}`
async fn resilience_submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Path<String>,
    PageForm(form): PageForm<ResilienceForm>,
) -> Result<HttpResponse, AppError> {
    let (id, _, _) = link(&state, &token, case::RESILIENCE).await?;
    let input = form.input();
    let outcome = state
        .workflow(move |ctx, conn| feedback::answer_resilience(conn, ctx, &id, input))
        .await;
    let mut errors = FormErrors::default();
    match outcome {
        Ok(_) => return thanks(&req, &state),
        Err(AppError::Conflict(kind)) => {
            let answered = kind == ConflictKind::ResilienceAnswered;
            if !answered {
                errors.general(kind.key());
            }
            let status = StatusCode::CONFLICT;
            return render_resilience(&req, &state, &token, status, answered, &form, &errors);
        }
        Err(e) => errors.absorb(e, resilience_field)?,
    }
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    render_resilience(&req, &state, &token, status, false, &form, &errors)
}
