//! `GET /api/v1/code-of-conduct`: the current code of conduct for expert companies, in the
//! language asked for (`?lang=`, `Accept-Language`, Dutch by default).

use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::json;

use super::AppState;
use crate::db::models::code_of_conduct;
use crate::error::AppError;
use crate::i18n::Lang;

pub async fn current(
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    // The code binds experts, who work in the staff languages.
    let lang = super::lang::request_lang(&req).staff();
    let coc = state.db.run(code_of_conduct::current).await?;
    let text = match lang {
        Lang::Nl => coc.text_nl,
        _ => coc.text_en,
    };
    Ok(HttpResponse::Ok().json(json!({
        "version": coc.version,
        "lang": lang,
        "text": text,
        "published_at": coc.published_at,
    })))
}
