//! Pages for expert companies: register (with the code of conduct to read and accept), the
//! profile with pause/resume, and the profile editor. They call the same workflows as the API
//! (`accounts::registration`, `experts::profile`).

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use serde::Deserialize;
use serde_json::{Value, json};

use super::csrf::PageForm;
use super::expert_form::{ExpertForm, form_data, rename};
use super::form::FormErrors;
use super::login::{Empty, login_first};
use super::public::code_of_conduct_text;
use super::{PageCtx, redirect};
use crate::accounts::registration;
use crate::db::models::{code_of_conduct, expert as expert_rows};
use crate::domain::{ExpertId, ExpertStatus, Role};
use crate::error::AppError;
use crate::experts::{ExpertView, profile};
use crate::http::AppState;
use crate::http::auth::ExpertAuth;
use crate::http::expert::input::{ProfilePatch, RegisterRequest};
use crate::i18n::language_name;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/experts/register")
            .route(web::get().to(register_show))
            .route(web::post().to(register_submit)),
    )
    .route("/experts/registered", web::get().to(registered))
    .route("/expert", web::get().to(dashboard))
    .service(
        web::resource("/expert/profile")
            .route(web::get().to(edit_show))
            .route(web::post().to(edit_submit)),
    )
    .route("/expert/{action}", web::post().to(action));
}

async fn render_register(
    req: &HttpRequest,
    state: &AppState,
    status: StatusCode,
    form: &ExpertForm,
    errors: &FormErrors,
) -> Result<HttpResponse, AppError> {
    let coc = state.db.run(code_of_conduct::current).await?;
    let page = PageCtx::new(req, state);
    let lang = page.content_lang();
    let mut data = form_data(form, errors, &state.catalogue, lang, true);
    data["coc_text"] = Value::String(code_of_conduct_text(&coc, lang));
    data["coc_version"] = json!(coc.version);
    page.render("register", status, data)
}

/// `GET /experts/register`
async fn register_show(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let form = ExpertForm {
        radius_km: "25".into(),
        capacity: "2".into(),
        languages: vec!["nl".into()],
        ..ExpertForm::default()
    };
    render_register(&req, &state, StatusCode::OK, &form, &FormErrors::default()).await
}

/// `POST /experts/register`: registers, or shows the form again with every error and the input.
async fn register_submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    PageForm(mut form): PageForm<ExpertForm>,
) -> Result<HttpResponse, AppError> {
    form.apply_place_choice();
    let mut errors = FormErrors::default();
    if let Err(refused) = super::spam::check(&req, &state) {
        errors.general(refused.message());
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return render_register(&req, &state, status, &form, &errors).await;
    }
    let request = RegisterRequest {
        company_name: form.company_name.clone(),
        kvk_number: form.kvk_number.clone(),
        email: form.email.clone(),
        password: form.password.clone(),
        contact_name: form.contact_name.clone(),
        phone: form.phone.clone(),
        website: Some(form.website.clone()),
        base: form.location(),
        radius_km: form.radius(&mut errors),
        remote: ExpertForm::ticked(&form.remote),
        expertise: form.expertise(&mut errors),
        languages: form.languages.clone(),
        capacity: form.capacity(&mut errors),
        available_24_7: ExpertForm::ticked(&form.available_24_7),
        code_of_conduct_version: form.code_of_conduct_version.trim().parse().unwrap_or(-1),
    };
    if !ExpertForm::ticked(&form.accept_code_of_conduct) {
        errors.field(
            "accept_code_of_conduct",
            "register.error.accept_code_of_conduct",
        );
    }
    let outcome = match request.check(state.geocoder.as_ref()) {
        Ok((registration, password)) if errors.is_empty() => {
            registration::register(&state.runner(), registration, password)
                .await
                .map(|_| ())
        }
        // Collect the other fields' errors too, without registering.
        checked => checked.map(|_| ()),
    };
    match outcome {
        Ok(()) if errors.is_empty() => return Ok(redirect("/experts/registered")),
        Ok(()) => {}
        Err(AppError::Conflict(kind)) => errors.general(kind.key()),
        Err(other) => errors.absorb(other, rename)?,
    }
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    render_register(&req, &state, status, &form, &errors).await
}

/// `GET /experts/registered`
async fn registered(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    PageCtx::new(&req, &state).render("registered", StatusCode::OK, json!({}))
}

async fn load(state: &AppState, id: ExpertId) -> Result<ExpertView, AppError> {
    state
        .db
        .run(move |conn| {
            let row = expert_rows::get(conn, &id)?;
            ExpertView::load(conn, row)
        })
        .await
}

#[derive(Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

/// `GET /expert`: the profile, its status and what the expert can do next.
async fn dashboard(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Result<ExpertAuth, AppError>,
    query: web::Query<DoneQuery>,
) -> Result<HttpResponse, AppError> {
    let auth = match auth {
        Ok(ExpertAuth(auth)) => auth,
        Err(e) => return login_first(e),
    };
    let view = load(&state, auth.expert_id()).await?;
    let page = PageCtx::new(&req, &state).with_user(Role::Expert);
    let lang = page.content_lang();
    let expertise: Vec<&str> = view
        .expertise
        .iter()
        .map(|t| state.catalogue.get(*t).text(lang).name.as_str())
        .collect();
    let languages: Vec<String> = view
        .languages
        .iter()
        .map(|l| language_name(l, lang))
        .collect();
    let done = query.done.as_deref().unwrap_or_default();
    let availability_key = format!("expert.availability.{}", availability(&view));
    page.render(
        "expert_profile",
        StatusCode::OK,
        json!({
            "expert": view,
            "status": { view.status.as_str(): true },
            "expertise": expertise.join(", "),
            "languages": languages.join(", "),
            "done": { done: true },
            "availability_key": availability_key,
        }),
    )
}

/// Whether the expert gets new requests now, and if not, the one reason that applies first.
fn availability(view: &ExpertView) -> &'static str {
    match view.status {
        ExpertStatus::Unverified => "not_yet",
        ExpertStatus::PendingReview => "under_review",
        ExpertStatus::Rejected => "was_rejected",
        ExpertStatus::Suspended => "is_suspended",
        ExpertStatus::Approved if view.paused => "paused",
        ExpertStatus::Approved if !view.code_of_conduct_current => "code_of_conduct",
        ExpertStatus::Approved if view.open_cases >= view.capacity => "full",
        ExpertStatus::Approved => "taking_requests",
    }
}

fn form_of(view: &ExpertView) -> ExpertForm {
    ExpertForm {
        company_name: view.company_name.clone(),
        kvk_number: view.kvk_number.clone(),
        website: view.website.clone().unwrap_or_default(),
        contact_name: view.contact_name.clone(),
        phone: view.phone.clone(),
        place: view.base.place.clone(),
        radius_km: view.radius_km.to_string(),
        capacity: view.capacity.to_string(),
        remote: view.remote.then(|| "yes".into()),
        available_24_7: view.available_24_7.then(|| "yes".into()),
        expertise: view
            .expertise
            .iter()
            .map(|t| t.as_str().to_owned())
            .collect(),
        languages: view.languages.clone(),
        ..ExpertForm::default()
    }
}

fn render_edit(
    req: &HttpRequest,
    state: &AppState,
    status: StatusCode,
    form: &ExpertForm,
    errors: &FormErrors,
) -> Result<HttpResponse, AppError> {
    let page = PageCtx::new(req, state).with_user(Role::Expert);
    let data = form_data(form, errors, &state.catalogue, page.content_lang(), false);
    page.render("expert_edit", status, data)
}

/// `GET /expert/profile`
async fn edit_show(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Result<ExpertAuth, AppError>,
) -> Result<HttpResponse, AppError> {
    let auth = match auth {
        Ok(ExpertAuth(auth)) => auth,
        Err(e) => return login_first(e),
    };
    let view = load(&state, auth.expert_id()).await?;
    render_edit(
        &req,
        &state,
        StatusCode::OK,
        &form_of(&view),
        &FormErrors::default(),
    )
}

/// `POST /expert/profile`: the same checks and rules as `PATCH /api/v1/experts/me`.
async fn edit_submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Result<ExpertAuth, AppError>,
    PageForm(mut form): PageForm<ExpertForm>,
) -> Result<HttpResponse, AppError> {
    let auth = match auth {
        Ok(ExpertAuth(auth)) => auth,
        Err(e) => return login_first(e),
    };
    form.apply_place_choice();
    // The place shown unchanged is no new base: a stored name several places share (or a
    // postcode area's village) need not be resolved again.
    let current = load(&state, auth.expert_id()).await?;
    let same_place = form.place.trim() == current.base.place && form.lat.trim().is_empty();
    let mut errors = FormErrors::default();
    let website = form.website.trim();
    let patch = ProfilePatch {
        company_name: Some(form.company_name.clone()),
        kvk_number: Some(form.kvk_number.clone()),
        contact_name: Some(form.contact_name.clone()),
        phone: Some(form.phone.clone()),
        website: Some((!website.is_empty()).then(|| website.to_owned())),
        base: (!same_place).then(|| form.location()),
        radius_km: Some(form.radius(&mut errors)),
        remote: Some(ExpertForm::ticked(&form.remote)),
        expertise: Some(form.expertise(&mut errors)),
        languages: Some(form.languages.clone()),
        capacity: Some(form.capacity(&mut errors)),
        available_24_7: Some(ExpertForm::ticked(&form.available_24_7)),
    };
    let outcome = match patch.check(state.geocoder.as_ref()) {
        Ok(update) if errors.is_empty() => {
            let id = auth.expert_id();
            state
                .workflow(move |ctx, conn| profile::update(conn, ctx, &id, &update))
                .await
                .map(|_| ())
        }
        Ok(_) => Ok(()),
        Err(e) => Err(e),
    };
    match outcome {
        Ok(()) if errors.is_empty() => return Ok(redirect("/expert?done=saved")),
        Ok(()) => {}
        Err(AppError::Conflict(kind)) => errors.general(kind.key()),
        Err(other) => errors.absorb(other, rename)?,
    }
    render_edit(
        &req,
        &state,
        StatusCode::UNPROCESSABLE_ENTITY,
        &form,
        &errors,
    )
}

/// `POST /expert/{pause|resume|resubmit|verification|code-of-conduct}`
async fn action(
    state: web::Data<AppState>,
    auth: Result<ExpertAuth, AppError>,
    which: web::Path<String>,
    _: PageForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let auth = match auth {
        Ok(ExpertAuth(auth)) => auth,
        Err(e) => return login_first(e),
    };
    let which = which.into_inner();
    let id = auth.expert_id();
    let done = state
        .workflow(move |ctx, conn| match which.as_str() {
            "pause" => profile::set_paused(conn, ctx, &id, true).map(|_| "paused"),
            "resume" => profile::set_paused(conn, ctx, &id, false).map(|_| "resumed"),
            "resubmit" => profile::resubmit(conn, ctx, &id).map(|_| "resubmitted"),
            "verification" => registration::resend(conn, ctx, &id).map(|_| "sent"),
            "code-of-conduct" => {
                let current = code_of_conduct::current_version(conn)?;
                profile::accept_code_of_conduct(conn, ctx, &id, i64::from(current))
                    .map(|_| "accepted")
            }
            _ => Err(AppError::NotFound),
        })
        .await?;
    Ok(redirect(&format!("/expert?done={done}")))
}
