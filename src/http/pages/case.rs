//! The victim's case page behind the case link (`/case/{token}`; the token authorises, any
//! unknown token is the 404 page): status, first-aid steps with progress kept on the server, the
//! matches with their reasons and a form to ask them, the requests, the connected expert's
//! contact, and forms to close, give feedback, complain and erase. Every form posts to a
//! sub-path of the case link and calls the same `crate::cases` workflow as the API.

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use serde::Deserialize;
use serde_json::json;

use super::case_forms::{Failed, FeedbackForm, feedback_field, keep};
use super::case_view::case_data;
use super::csrf::PageForm;
use super::{PageCtx, redirect};
use crate::cases::{close, feedback, offer, requests, view::CaseData};
use crate::db::models::intake;
use crate::domain::token::hash_token;
use crate::domain::{ExpertId, IntakeId, IntakeStatus};
use crate::error::{AppError, ConflictKind};
use crate::http::AppState;
use crate::telemetry::summary::WrongToken;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/case/{token}", web::get().to(show))
        .route("/case/{token}/steps/{n}", web::post().to(step))
        .route("/case/{token}/ask", web::post().to(ask))
        .route("/case/{token}/ask-next", web::post().to(ask_next))
        .route("/case/{token}/close", web::post().to(close_case))
        .route("/case/{token}/feedback", web::post().to(give_feedback))
        .route("/case/{token}/complaint", web::post().to(complain))
        .service(
            web::resource("/case/{token}/erase")
                .route(web::get().to(erase_confirm))
                .route(web::post().to(erase)),
        );
}

/// The intake the case token opens; an unknown token is "not found".
pub async fn intake_of(state: &AppState, token: &str) -> Result<IntakeId, AppError> {
    let hash = hash_token(token);
    state
        .db
        .run(move |conn| intake::intake_id_for_token(conn, &hash))
        .await?
        .ok_or_else(|| state.metrics.unknown(WrongToken::Case))
}

#[derive(Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

/// `GET /case/{token}`
async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Path<String>,
    query: web::Query<DoneQuery>,
) -> Result<HttpResponse, AppError> {
    let done = query.done.clone().unwrap_or_default();
    let failed = Failed::none();
    render(&req, &state, &token, failed.status, &done, &failed).await
}

async fn render(
    req: &HttpRequest,
    state: &AppState,
    token: &str,
    status: StatusCode,
    done: &str,
    failed: &Failed,
) -> Result<HttpResponse, AppError> {
    let id = intake_of(state, token).await?;
    let data = state.db.run(move |conn| CaseData::load(conn, &id)).await?;
    let page = PageCtx::for_victim(req, state, &data.row.language);
    let mut view = case_data(&data, state, page.lang(), token, state.clock.now());
    view["deadlines"] = super::case_deadlines::deadlines(&data, state, page.lang());
    view["done"] = json!({ done: true });
    view["failed"] = json!({ failed.form: true });
    view["summary"] = json!(failed.errors.summary(&[
        "expert_ids",
        "outcome",
        "helped",
        "reason",
        "offline_backups",
        "mfa",
        "incident_plan",
        "auto_updates"
    ]));
    view["errors"] = failed.errors.flags();
    keep(&mut view, &failed.kept);
    if failed.form == "baseline" {
        let kept = serde_json::from_value(failed.kept["answers"].clone()).unwrap_or_default();
        view["questions"] = super::outcomes::questions(&kept, &view["errors"]);
    }
    let response = page.render("case", status, view)?;
    Ok(response)
}

/// Runs a case workflow for the intake of `token`; the page comes back with the outcome.
pub(super) async fn run<T: Send + 'static>(
    state: &web::Data<AppState>,
    token: &str,
    work: impl FnOnce(
        &mut crate::db::DbConn,
        crate::workflow::Ctx<'_>,
        &IntakeId,
    ) -> Result<T, AppError>
    + Send
    + 'static,
) -> Result<T, AppError> {
    let id = intake_of(state, token).await?;
    state.workflow(move |ctx, conn| work(conn, ctx, &id)).await
}

pub(super) async fn after(
    req: &HttpRequest,
    state: &AppState,
    token: &str,
    outcome: Result<(), AppError>,
    done: &str,
    failed: impl FnOnce(AppError) -> Result<Failed, AppError>,
) -> Result<HttpResponse, AppError> {
    match outcome {
        Ok(()) => Ok(redirect(&format!("/case/{token}?done={done}#done"))),
        Err(AppError::NotFound) => Err(AppError::NotFound),
        Err(e) => {
            let failed = failed(e)?;
            render(req, state, token, failed.status, "", &failed).await
        }
    }
}

#[derive(Deserialize)]
pub struct StepForm {
    #[serde(default)]
    done: String,
}

/// `POST /case/{token}/steps/{n}` `done=true|false`: ticks a first-aid step.
async fn step(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    PageForm(form): PageForm<StepForm>,
) -> Result<HttpResponse, AppError> {
    let (token, n) = path.into_inner();
    let n: i32 = n.parse().map_err(|_| AppError::NotFound)?;
    let done = form.done == "true";
    run(&state, &token, move |conn, ctx, id| {
        close::set_step(conn, ctx, id, n, done).map(|_| ())
    })
    .await?;
    Ok(redirect(&format!("/case/{token}#step-{n}")))
}

#[derive(Deserialize)]
pub struct AskForm {
    #[serde(default)]
    expert_ids: Vec<ExpertId>,
}

/// `POST /case/{token}/ask` with 1–3 ticked `expert_ids`.
async fn ask(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Path<String>,
    PageForm(form): PageForm<AskForm>,
) -> Result<HttpResponse, AppError> {
    let kept = json!({ "expert_ids": form.expert_ids });
    let ids = form.expert_ids;
    let outcome = run(&state, &token, move |conn, ctx, id| {
        requests::ask(conn, ctx, id, &ids).map(|_| ())
    })
    .await;
    after(&req, &state, &token, outcome, "asked", |e| {
        Failed::of("ask", e, kept, |_| {
            Some(("expert_ids", "case.error.choose"))
        })
    })
    .await
}

/// `POST /case/{token}/ask-next`: not waiting for the experts asked; the next matches now.
async fn ask_next(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Path<String>,
    _: PageForm<super::login::Empty>,
) -> Result<HttpResponse, AppError> {
    let outcome = run(&state, &token, move |conn, ctx, id| {
        offer::offer_next(conn, ctx, id)
    })
    .await;
    let (outcome, done) = match outcome {
        Ok(0) => (Ok(()), "no_next"),
        Ok(_) => (Ok(()), "next"),
        Err(e) => (Err(e), ""),
    };
    after(&req, &state, &token, outcome, done, |e| {
        Failed::of("ask_next", e, json!({}), |_| None)
    })
    .await
}

#[derive(Deserialize)]
pub struct CloseForm {
    #[serde(default)]
    outcome: String,
}

/// `POST /case/{token}/close` `outcome=resolved|unresolved|no_longer_needed`.
async fn close_case(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Path<String>,
    PageForm(form): PageForm<CloseForm>,
) -> Result<HttpResponse, AppError> {
    let outcome = form.outcome.trim().to_owned();
    let kept = json!({ "outcome": outcome });
    let result = run(&state, &token, move |conn, ctx, id| {
        close::close(conn, ctx, id, &outcome)
    })
    .await;
    after(
        &req,
        &state,
        &token,
        result,
        IntakeStatus::Closed.as_str(),
        |e| {
            Failed::of("close", e, kept, |_| {
                Some(("outcome", "case.error.outcome"))
            })
        },
    )
    .await
}

/// `POST /case/{token}/feedback`
async fn give_feedback(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Path<String>,
    PageForm(form): PageForm<FeedbackForm>,
) -> Result<HttpResponse, AppError> {
    let (input, kept) = (form.input(), form.kept());
    let outcome = run(&state, &token, move |conn, ctx, id| {
        feedback::give_page_feedback(conn, ctx, id, input).map(|_| ())
    })
    .await;
    after(&req, &state, &token, outcome, "feedback", |e| {
        Failed::of("feedback", e, kept, feedback_field)
    })
    .await
}

#[derive(Deserialize)]
pub struct ComplaintForm {
    #[serde(default)]
    reason: String,
}

/// `POST /case/{token}/complaint` about the connected expert.
async fn complain(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Path<String>,
    PageForm(form): PageForm<ComplaintForm>,
) -> Result<HttpResponse, AppError> {
    let kept = json!({ "reason": form.reason });
    let reason = form.reason;
    let outcome = run(&state, &token, move |conn, ctx, id| {
        let row = intake::find(conn, id)?.ok_or(AppError::NotFound)?;
        let expert = row
            .connected_expert_id
            .ok_or(AppError::Conflict(ConflictKind::NoExpertConnected))?;
        feedback::complain(conn, ctx, id, &expert, &reason).map(|_| ())
    })
    .await;
    after(&req, &state, &token, outcome, "complained", |e| {
        Failed::of("complaint", e, kept, |_| {
            Some(("reason", "case.error.reason"))
        })
    })
    .await
}

/// `GET /case/{token}/erase`: asks to confirm.
async fn erase_confirm(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    intake_of(&state, &token).await?;
    PageCtx::new(&req, &state).render(
        "case_erase",
        StatusCode::OK,
        json!({ "token": token.into_inner() }),
    )
}

/// `POST /case/{token}/erase`: erases the personal data, then says so.
async fn erase(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Path<String>,
    _: PageForm<super::login::Empty>,
) -> Result<HttpResponse, AppError> {
    let geocoder = state.geocoder.clone();
    run(&state, &token, move |conn, ctx, id| {
        close::erase(conn, ctx, geocoder.as_ref(), id)
    })
    .await?;
    PageCtx::new(&req, &state).render("case_erased", StatusCode::OK, json!({}))
}
