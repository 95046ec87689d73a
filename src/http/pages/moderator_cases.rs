//! Moderator pages about cases: complaints from victims (open, actioned or handled, with the
//! expert, the actions taken, and the forms to mark one handled or suspend the expert) and
//! intakes by status, type, province and date, each with the connected expert, the outcome and
//! the feedback score; unmatched ones show the contact details needed to find help. They read
//! the same queries as `GET /api/v1/moderation/{complaints,intakes}`.

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use serde::Deserialize;
use serde_json::{Value, json};

use super::case_view::incident_name;
use super::csrf::PageForm;
use super::login::login_then;
use super::moderator_audit::action_label;
use super::moderator_lists::{
    filter_errors, pager, paging_of, return_query, value, without_bad_fields,
};
use super::{PageCtx, redirect};
use crate::clock::for_people;
use crate::db::models::search::Page;
use crate::db::models::{complaint, intake_search};
use crate::domain::{IncidentType, Role};
use crate::error::AppError;
use crate::experts::Ctx;
use crate::http::AppState;
use crate::http::auth::ModeratorAuth;
use crate::moderation::complaints::{self as workflow, text_of};
use crate::moderation::filters::{INTAKE_STATUSES, ListParams, PROVINCES};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/moderator/complaints", web::get().to(complaints))
        .route(
            "/moderator/complaints/{id}/{action}",
            web::post().to(act_on_complaint),
        )
        .route("/moderator/intakes", web::get().to(intakes));
}

fn tabs(base: &str, statuses: &[&str], current: &str, prefix: &str) -> Vec<Value> {
    statuses
        .iter()
        .map(|s| {
            json!({
                "href": format!("{base}?status={s}"),
                "key": format!("{prefix}{s}"),
                "current": *s == current,
            })
        })
        .collect()
}

/// A note or reason that was refused, to show on its complaint's form.
struct Refused {
    complaint_id: String,
    action: String,
    text: String,
}

async fn render_complaints(
    req: &HttpRequest,
    state: &AppState,
    mut params: ListParams,
    refused: Option<Refused>,
) -> Result<HttpResponse, AppError> {
    let status = value(&params.status).to_owned();
    let status = if complaint::STATUSES.contains(&status.as_str()) {
        status
    } else {
        complaint::OPEN.to_owned()
    };
    params.status = Some(status.clone());
    let filter = params.complaint_filter()?;
    let paging = paging_of(&params);
    let page = state
        .db
        .run(move |conn| {
            let page = complaint::search(conn, &filter, paging)?;
            let total = page.total;
            let items = workflow::views(conn, page.items)?;
            Ok(Page {
                items,
                total,
                paging,
            })
        })
        .await?;
    let view = PageCtx::new(req, state).with_user(Role::Moderator);
    let lang = view.lang();
    let list: Vec<Value> = page
        .items
        .iter()
        .map(|c| {
            let done: Vec<Value> = c
                .actions
                .iter()
                .map(|e| json!({ "label": action_label(lang, &e.action), "at": for_people(e.occurred_at), "note": e.reason }))
                .collect();
            let refused_here = refused.as_ref().filter(|r| r.complaint_id == c.id);
            json!({
                "id": c.id, "intake_id": c.intake_id, "expert_id": c.expert_id,
                "company_name": c.expert_company_name, "reason": c.reason,
                "created_at": for_people(c.created_at), "actions": done,
                "can_handle": c.status != complaint::HANDLED,
                "handle_error": refused_here.is_some_and(|r| r.action == "handle"),
                "suspend_error": refused_here.is_some_and(|r| r.action == "suspend"),
                "text": refused_here.map(|r| r.text.clone()).unwrap_or_default(),
            })
        })
        .collect();
    let done = req
        .query_string()
        .split('&')
        .find_map(|p| p.strip_prefix("done="))
        .unwrap_or_default();
    let code = if refused.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    view.render(
        "moderator_complaints",
        code,
        json!({
            "complaints": list,
            "status": status,
            "q": value(&params.q),
            "page_no": paging.page,
            "pager": pager(req, &page),
            "done": { done: true },
            "tabs": tabs("/moderator/complaints", &complaint::STATUSES, &status, "moderator.complaint_status."),
        }),
    )
}

/// `GET /moderator/complaints?status=open|actioned|handled&q=&page=`
async fn complaints(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Result<ModeratorAuth, AppError>,
    query: web::Query<ListParams>,
) -> Result<HttpResponse, AppError> {
    if let Err(e) = auth {
        return login_then(e, req.path());
    }
    render_complaints(&req, &state, query.into_inner(), None).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ComplaintForm {
    /// The note (handle) or the reason (suspend).
    text: String,
    /// The tab, search and page to return to.
    status: String,
    q: String,
    page: String,
}

/// `POST /moderator/complaints/{id}/{handle|suspend}` with `text`: the note or the reason.
async fn act_on_complaint(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Result<ModeratorAuth, AppError>,
    path: web::Path<(String, String)>,
    PageForm(form): PageForm<ComplaintForm>,
) -> Result<HttpResponse, AppError> {
    let moderator = match auth {
        Ok(ModeratorAuth(auth)) => auth,
        Err(e) => return login_then(e, req.path()),
    };
    let (id, action) = path.into_inner();
    if action != "handle" && action != "suspend" {
        return Err(AppError::NotFound);
    }
    let Ok(text) = text_of("text", &form.text) else {
        let params = ListParams {
            status: Some(form.status),
            q: Some(form.q),
            page: Some(form.page),
            ..ListParams::default()
        };
        let refused = Refused {
            complaint_id: id,
            action,
            text: form.text,
        };
        return render_complaints(&req, &state, params, Some(refused)).await;
    };
    let st = state.clone();
    let which = action.clone();
    let outcome = state
        .db
        .run(move |conn| {
            let who = &moderator.principal_id;
            if which == "handle" {
                return workflow::handle(conn, st.clock.now(), who, &id, &text);
            }
            let ctx = Ctx {
                mailer: &st.mailer,
                settings: &st.settings,
                now: st.clock.now(),
            };
            workflow::suspend_expert(conn, ctx, who, &id, &text)
        })
        .await;
    let done = match outcome {
        Ok(()) if action == "handle" => "handled",
        Ok(()) => "suspended",
        Err(AppError::Conflict(_)) => "conflict",
        Err(other) => return Err(other),
    };
    let back = return_query(&[
        ("status", form.status.trim()),
        ("q", form.q.trim()),
        ("page", form.page.trim()),
        ("done", done),
    ]);
    Ok(redirect(&format!("/moderator/complaints?{back}")))
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
        params.status = Some("unmatched".into());
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
                "incident_name": incident_name(&state, &row.incident_type, lang),
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
    let statuses = INTAKE_STATUSES.iter().map(|s| {
        let key = format!("case.status.{s}");
        (s.to_string(), words.get(&key).unwrap_or(s).to_owned())
    });
    let types = IncidentType::ALL.iter().map(|t| {
        (
            t.as_str().to_owned(),
            incident_name(&state, t.as_str(), lang),
        )
    });
    let provinces = PROVINCES.iter().map(|p| (p.to_string(), p.to_string()));
    let code = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let data = json!({
        "intakes": list,
        "unmatched": status == "unmatched",
        "statuses": options(statuses, &status),
        "types": options(types, value(&params.incident_type)),
        "provinces": options(provinces, value(&params.province)),
        "q": value(&params.q), "from": value(&params.from), "to": value(&params.to),
        "pager": pager(&req, &page),
        "summary": errors,
    });
    view.render("moderator_intakes", code, data)
}
