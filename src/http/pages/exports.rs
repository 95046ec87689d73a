//! The export buttons' routes: `GET /case/{token}/export` (the case link authorises; an unknown
//! token is the 404 page) and `GET /expert/export` (expert session cookie; without one, the login
//! page). Both download the same JSON document as the API (`crate::http::exports`).

use actix_web::{HttpRequest, HttpResponse, web};

use super::PageCtx;
use super::case::intake_of;
use super::login::login_then;
use crate::error::AppError;
use crate::http::AppState;
use crate::http::auth::ExpertAuth;
use crate::http::exports::{
    download, expert_document, expert_filename, victim_document, victim_filename,
};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/case/{token}/export", web::get().to(case_export))
        .route("/expert/export", web::get().to(expert_export));
}

/// `GET /case/{token}/export`
async fn case_export(
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = intake_of(&state, &token).await?;
    let body = victim_document(&state, id.clone()).await?;
    Ok(download(&victim_filename(&id), body))
}

/// `GET /expert/export`
async fn expert_export(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Result<ExpertAuth, AppError>,
) -> Result<HttpResponse, AppError> {
    let auth = match auth {
        Ok(ExpertAuth(auth)) => auth,
        Err(e) => return login_then(e, "/expert/export"),
    };
    let lang = PageCtx::new(&req, &state).content_lang();
    let id = auth.expert_id();
    let body = expert_document(&state, id.clone(), lang).await?;
    Ok(download(&expert_filename(&id), body))
}
