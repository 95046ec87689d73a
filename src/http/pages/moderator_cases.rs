//! The moderators' intake list: intakes by status, type, province, date and text, each with the
//! connected expert, the outcome and the feedback score; unmatched ones show the contact details
//! needed to find help. It reads the same query as `GET /api/v1/moderation/intakes`.

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use serde_json::{Value, json};

use super::PageCtx;
use super::case_view::incident_name;
use super::login::login_then;
use super::moderator_lists::{filter_errors, pager, paging_of, value, without_bad_fields};
use crate::clock::for_people;
use crate::db::models::intake_search;
use crate::domain::{IncidentType, IntakeStatus, Role};
use crate::error::AppError;
use crate::http::AppState;
use crate::http::auth::ModeratorAuth;
use crate::moderation::filters::{ListParams, PROVINCES};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/moderator/intakes", web::get().to(intakes));
}

/// The options of a filter `<select>`: (value, label, selected).
fn options(items: impl Iterator<Item = (String, String)>, chosen: &str) -> Vec<Value> {
    items
        .map(|(v, label)| json!({ "value": v, "label": label, "selected": v == chosen }))
        .collect()
}

/// `GET /moderator/intakes?status=unmatched&incident_type=&province=&from=&to=&q=&page=`; the
/// status is `unmatched` unless chosen (`status=` with nothing: every status).
async fn intakes(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Result<ModeratorAuth, AppError>,
    query: web::Query<ListParams>,
) -> Result<HttpResponse, AppError> {
    if let Err(e) = auth {
        return login_then(e, req.path());
    }
    let mut params = query.into_inner();
    if params.status.is_none() {
        params.status = Some(IntakeStatus::Unmatched.to_string());
    }
    let (filter, errors) = match params.intake_filter() {
        Ok(filter) => (filter, Vec::new()),
        Err(err) => (
            without_bad_fields(&params, &err).intake_filter()?,
            filter_errors(&err),
        ),
    };
    let paging = paging_of(&params);
    let page = state
        .db
        .run(move |conn| intake_search::search(conn, &filter, paging))
        .await?;
    let view = PageCtx::new(&req, &state).with_user(Role::Moderator);
    let lang = view.content_lang();
    let list: Vec<Value> = page
        .items
        .iter()
        .map(|listed| {
            let row = &listed.row;
            json!({
                "id": row.id,
                "incident_name": incident_name(&state, row.incident_type, lang),
                "urgency_key": format!("urgency.{}", row.urgency),
                "status_key": format!("case.status.{}", row.status),
                "municipality": row.municipality, "province": row.province,
                "language": row.language, "needs_on_site": row.needs_on_site,
                "description": row.description,
                "contact_name": row.contact_name, "contact_email": row.contact_email,
                "contact_phone": row.contact_phone, "company_name": row.company_name,
                "created_at": for_people(row.created_at),
                "expert": listed.expert_company_name,
                "outcome_key": row.outcome.as_ref().map(|o| format!("case.outcome.{o}")),
                "helped": listed.helped,
            })
        })
        .collect();
    let status = value(&params.status).to_owned();
    let words = view.lang();
    let statuses = IntakeStatus::CODES.iter().map(|s| {
        let key = format!("case.status.{s}");
        (s.to_string(), words.get(&key).unwrap_or(s).to_owned())
    });
    let types = IncidentType::ALL
        .iter()
        .map(|t| (t.as_str().to_owned(), incident_name(&state, *t, lang)));
    let provinces = PROVINCES.iter().map(|p| (p.to_string(), p.to_string()));
    let code = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let data = json!({
        "intakes": list,
        "unmatched": status == IntakeStatus::Unmatched.as_str(),
        "statuses": options(statuses, &status),
        "types": options(types, value(&params.incident_type)),
        "provinces": options(provinces, value(&params.province)),
        "q": value(&params.q), "from": value(&params.from), "to": value(&params.to),
        "pager": pager(&req, &page),
        "summary": errors,
    });
    view.render("moderator_intakes", code, data)
}
