//! Public pages for victims and visitors: home (the help button first), the triage questions one
//! per page, the first-aid steps of an incident type, the referral policy, the code of conduct
//! and the disclaimer. Content comes from the embedded catalogue, like the API's.

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use serde::Deserialize;
use serde_json::json;

use super::{PageCtx, redirect};
use crate::db::models::code_of_conduct;
use crate::domain::IncidentType;
use crate::error::AppError;
use crate::http::AppState;
use crate::i18n::Lang;
use crate::incidents::triage::{Answer, Outcome};

/// `GET /`
pub async fn home(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let page = PageCtx::new(&req, &state);
    let lang = page.content_lang();
    let types: Vec<_> = state
        .catalogue
        .all()
        .map(|info| {
            let text = info.text(lang);
            json!({ "code": info.code, "name": text.name, "description": text.description })
        })
        .collect();
    page.render("home", StatusCode::OK, json!({ "types": types }))
}

#[derive(Deserialize)]
pub struct TriageQuery {
    #[serde(default)]
    path: String,
    a: Option<String>,
}

/// Where a sequence of answers (`y`/`n` from the start question) leads.
enum Position<'a> {
    Question(&'a str),
    Done(IncidentType),
}

fn follow<'a>(state: &'a AppState, path: &str) -> Position<'a> {
    let tree = &state.catalogue.triage;
    let mut id = tree.start();
    for c in path.chars() {
        let Some(question) = tree.question(id) else {
            break;
        };
        let answer = if c == 'y' { Answer::Yes } else { Answer::No };
        match question.outcome(answer) {
            Outcome::Next(next) => id = next,
            Outcome::IncidentType(code) => return Position::Done(*code),
        }
    }
    Position::Question(id)
}

/// `GET /triage?path=nny&a=y`: one question per page; an answer redirects to the next question
/// or to the first-aid steps. Plain links and GET forms, so it works without JavaScript.
pub async fn triage(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<TriageQuery>,
) -> Result<HttpResponse, AppError> {
    let mut path: String = query
        .path
        .chars()
        .filter(|c| matches!(c, 'y' | 'n'))
        .take(64)
        .collect();
    if let Some(answer) = query.a.as_deref() {
        match answer {
            "y" | "n" => path.push_str(answer),
            _ => return Err(AppError::BadRequest("Answer y or n.".into())),
        }
        return Ok(match follow(&state, &path) {
            Position::Done(code) => redirect(&format!("/first-aid/{}", code.as_str())),
            Position::Question(_) => redirect(&format!("/triage?path={path}")),
        });
    }
    let id = match follow(&state, &path) {
        Position::Done(code) => return Ok(redirect(&format!("/first-aid/{}", code.as_str()))),
        Position::Question(id) => id,
    };
    let page = PageCtx::new(&req, &state);
    let question = state
        .catalogue
        .triage
        .question(id)
        .ok_or_else(|| AppError::internal("triage walk ended on an unknown question"))?;
    let back = match path.len() {
        0 => "/".to_owned(),
        n => format!("/triage?path={}", &path[..n - 1]),
    };
    page.render(
        "triage",
        StatusCode::OK,
        json!({
            "question": question.text(page.content_lang()),
            "path": path,
            "number": path.len() + 1,
            "back": back,
        }),
    )
}

/// `GET /first-aid/{code}`
pub async fn first_aid(
    req: HttpRequest,
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let code = IncidentType::parse(&code).ok_or(AppError::NotFound)?;
    let page = PageCtx::new(&req, &state);
    let info = state.catalogue.get(code);
    let text = info.text(page.content_lang());
    page.render(
        "first_aid",
        StatusCode::OK,
        json!({
            "code": code,
            "name": text.name,
            "description": text.description,
            "steps": text.steps,
            "remote_possible": info.remote_possible,
        }),
    )
}

/// `GET /referral-policy`
pub async fn referral_policy(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let page = PageCtx::new(&req, &state);
    let policy = state.catalogue.policy.view(page.content_lang());
    page.render(
        "referral_policy",
        StatusCode::OK,
        json!({ "policy": policy }),
    )
}

/// The code of conduct as plain text in `lang`'s staff language (the stored text uses light
/// Markdown): it binds experts, so it exists in Dutch and English only.
pub fn code_of_conduct_text(coc: &code_of_conduct::CodeOfConduct, lang: Lang) -> String {
    let text = match lang.staff() {
        Lang::Nl => &coc.text_nl,
        _ => &coc.text_en,
    };
    text.lines()
        .map(|line| line.trim_start_matches("# ").replace("**", ""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `GET /code-of-conduct`
pub async fn code_of_conduct(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let coc = state.db.run(code_of_conduct::current).await?;
    let page = PageCtx::new(&req, &state);
    let text = code_of_conduct_text(&coc, page.content_lang());
    let paragraphs: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    page.render(
        "code_of_conduct",
        StatusCode::OK,
        json!({ "version": coc.version, "paragraphs": paragraphs }),
    )
}

/// `GET /disclaimer`
pub async fn disclaimer(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    PageCtx::new(&req, &state).render("disclaimer", StatusCode::OK, json!({}))
}
