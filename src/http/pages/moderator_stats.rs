//! The moderators' statistics page (`GET /moderator/stats`): the filter as a GET form, the key
//! figures, and seven charts drawn on the server as SVG, each with a text alternative and a
//! table. Works without JavaScript. A bad filter shows the form again with the field named.
//! Below the figures, the page languages with their review state (`[meta] reviewed` of each
//! catalogue), so texts written without a native speaker are visibly pending review.

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use serde_json::{Value, json};

use super::PageCtx;
use super::login::login_then;
use crate::domain::{IncidentType, Role};
use crate::error::AppError;
use crate::http::AppState;
use crate::http::auth::ModeratorAuth;
use crate::i18n::{PageLanguage, language_name_in};
use crate::stats::charts::{Words, charts};
use crate::stats::period::{PROVINCES, today};
use crate::stats::{Filter, FilterQuery, Stats, page::page_figures};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/moderator/stats", web::get().to(show));
}

/// `GET /moderator/stats?from=&to=&incident_type=&province=`
async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Result<ModeratorAuth, AppError>,
    query: web::Query<FilterQuery>,
) -> Result<HttpResponse, AppError> {
    if let Err(e) = auth {
        return login_then(e, req.path());
    }
    let query = query.into_inner();
    let page = PageCtx::new(&req, &state).with_user(Role::Moderator);
    let lang = page.content_lang();
    let type_name = |code: &str| match IncidentType::parse(code) {
        Some(t) => state.catalogue.get(t).text(lang).name.clone(),
        None => code.to_owned(),
    };
    let filter = match Filter::parse(&query, today(state.clock.now())) {
        Ok(filter) => filter,
        Err(AppError::Validation(errors)) => {
            let fields: Vec<String> = errors.into_iter().map(|e| e.field).collect();
            let mut data = form_data(&query, &type_name, &fields);
            data["page_languages"] = page_languages(&state, page.lang());
            return page.render("moderator_stats", StatusCode::UNPROCESSABLE_ENTITY, data);
        }
        Err(other) => return Err(other),
    };
    let wanted = filter.clone();
    let figures = state
        .db
        .run(move |conn| page_figures(conn, &wanted))
        .await?;
    let t = |key: &str| page.lang().get(key).unwrap_or(key).to_owned();
    let words = Words {
        t: &t,
        type_name: &type_name,
    };
    let shown = FilterQuery {
        from: Some(filter.from.to_string()),
        to: Some(filter.to.to_string()),
        ..query.clone()
    };
    let mut data = form_data(&shown, &type_name, &[]);
    data["facts"] = facts(&figures.stats, figures.referrals.gini);
    data["charts"] = json!(charts(&figures, &words));
    data["csv_href"] = json!(csv_href(&shown));
    data["page_languages"] = page_languages(&state, page.lang());
    page.render("moderator_stats", StatusCode::OK, data)
}

/// The filter form, with the fields in `invalid` marked.
fn form_data(query: &FilterQuery, type_name: &dyn Fn(&str) -> String, invalid: &[String]) -> Value {
    let chosen = |raw: &Option<String>| raw.as_deref().unwrap_or("").trim().to_owned();
    let (kind, province) = (chosen(&query.incident_type), chosen(&query.province));
    let types: Vec<Value> = IncidentType::ALL
        .iter()
        .map(|t| json!({ "code": t.as_str(), "name": type_name(t.as_str()), "selected": t.as_str() == kind }))
        .collect();
    let provinces: Vec<Value> = PROVINCES
        .iter()
        .map(|p| json!({ "name": p, "selected": *p == province }))
        .collect();
    let summary: Vec<Value> = invalid
        .iter()
        .map(|f| json!({ "href": format!("#f-{f}"), "message": format!("stats.error_{f}") }))
        .collect();
    let error = |f: &str| invalid.iter().any(|i| i == f);
    json!({
        "from": chosen(&query.from), "to": chosen(&query.to),
        "types": types, "provinces": provinces,
        "summary": summary,
        "error": { "from": error("from"), "to": error("to"),
                   "incident_type": error("incident_type"), "province": error("province") },
    })
}

/// The key figures above the charts, formatted for reading.
fn facts(stats: &Stats, gini: Option<f64>) -> Value {
    let percent = |x: Option<f64>| {
        x.map(|v| format!("{:.0}%", v * 100.0))
            .unwrap_or("–".into())
    };
    let number = |x: Option<f64>| x.map(|v| format!("{v:.2}")).unwrap_or("–".into());
    json!([
        { "key": "stats.fact_intakes", "value": stats.intakes.to_string() },
        { "key": "stats.fact_match_rate", "value": percent(stats.match_rate) },
        { "key": "stats.fact_connection_rate", "value": percent(stats.connection_rate) },
        { "key": "stats.fact_expiry_rate", "value": percent(stats.expiry_rate) },
        { "key": "stats.fact_decline_rate", "value": percent(stats.decline_rate) },
        { "key": "stats.fact_feedback", "value": stats.feedback.responses.to_string() },
        { "key": "stats.fact_helped_mean", "value": number(stats.feedback.helped_mean) },
        { "key": "stats.fact_paid", "value": stats.feedback.offered_paid_services.to_string() },
        { "key": "stats.fact_complaints", "value": stats.complaints.to_string() },
        { "key": "stats.fact_gini", "value": number(gini) },
    ])
}

/// Every page language: its code, its name in the reader's language and in itself, and whether a
/// native speaker has reviewed its texts.
fn page_languages(state: &AppState, reader: &PageLanguage) -> Value {
    let rows: Vec<Value> = state
        .pages
        .catalogues
        .all()
        .iter()
        .map(|l| {
            let name = language_name_in(&l.code, reader);
            // "Turks (Türkçe)", but "Nederlands" once on a Dutch page.
            let own_name = (name.to_lowercase() != l.name.to_lowercase()).then_some(&l.name);
            json!({
                "code": l.code,
                "dir": l.dir,
                "name": name,
                "own_name": own_name,
                "reviewed": l.reviewed,
                // The first aid and the victims' emails: their own language file's mark, or
                // English when the platform does not write this language.
                "content_english": l.content_is_fallback(),
                "content_reviewed": state.catalogue.reviewed(l.content_lang()),
            })
        })
        .collect();
    json!(rows)
}

fn csv_href(query: &FilterQuery) -> String {
    let mut q = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in [
        ("from", &query.from),
        ("to", &query.to),
        ("incident_type", &query.incident_type),
        ("province", &query.province),
    ] {
        if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
            q.append_pair(k, v);
        }
    }
    format!("/api/v1/stats.csv?{}", q.finish())
}
