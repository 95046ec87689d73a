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
    let lang = super::lang::request_lang(&req);
    let coc = state.db.run(code_of_conduct::current).await?;
    let text = match lang {
        Lang::Nl => coc.text_nl,
        Lang::En => coc.text_en,
    };
    Ok(HttpResponse::Ok().json(json!({
        "version": coc.version,
        "lang": lang,
        "text": text,
        "published_at": coc.published_at,
    })))
}
