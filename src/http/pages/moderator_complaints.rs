//! The moderators' complaints page: victims' complaints by status (open, actioned, handled),
//! searched by the expert's company name, each card with the expert, the actions taken, and the
//! forms to mark it handled (with a note) or suspend the expert (with a reason). It reads the
//! same query as `GET /api/v1/moderation/complaints` and acts through the same workflows.

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use serde::Deserialize;
use serde_json::{Value, json};

use super::csrf::PageForm;
use super::login::login_then;
use super::moderator_audit::action_label;
use super::moderator_lists::{notice, outcome_query, pager, paging_of, return_query, value};
use super::{PageCtx, redirect};
use crate::clock::for_people;
use crate::db::models::complaint;
use crate::db::models::search::Page;
use crate::domain::{ComplaintId, ComplaintStatus, ExpertStatus, Role};
use crate::error::AppError;
use crate::http::AppState;
use crate::http::auth::ModeratorAuth;
use crate::moderation::complaints::{self as workflow, text_of};
use crate::moderation::filters::ListParams;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/moderator/complaints", web::get().to(complaints))
        .route(
            "/moderator/complaints/{id}/{action}",
            web::post().to(act_on_complaint),
        );
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
    complaint_id: ComplaintId,
    action: String,
    text: String,
}

async fn render_complaints(
    req: &HttpRequest,
    state: &AppState,
    mut params: ListParams,
    refused: Option<Refused>,
) -> Result<HttpResponse, AppError> {
    let status = ComplaintStatus::parse(value(&params.status)).unwrap_or(ComplaintStatus::Open);
    params.status = Some(status.to_string());
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
                "can_handle": c.status != ComplaintStatus::Handled,
                "handle_error": refused_here.is_some_and(|r| r.action == "handle"),
                "suspend_error": refused_here.is_some_and(|r| r.action == "suspend"),
                "text": refused_here.map(|r| r.text.clone()).unwrap_or_default(),
            })
        })
        .collect();
    let (done, why) = notice(req);
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
            "why": why,
            "tabs": tabs("/moderator/complaints", &ComplaintStatus::CODES, status.as_str(), "moderator.complaint_status."),
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
    path: web::Path<(ComplaintId, String)>,
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
    let which = action.clone();
    let outcome = state
        .workflow(move |ctx, conn| {
            let who = &moderator.principal_id;
            if which == "handle" {
                return workflow::handle(conn, ctx.now, who, &id, &text);
            }
            workflow::suspend_expert(conn, ctx, who, &id, &text)
        })
        .await;
    let done = if action == "handle" {
        ComplaintStatus::Handled.as_str()
    } else {
        ExpertStatus::Suspended.as_str()
    };
    let (done, why) = outcome_query(outcome, done)?;
    let back = return_query(&[
        ("status", form.status.trim()),
        ("q", form.q.trim()),
        ("page", form.page.trim()),
        ("done", done),
        ("why", why),
    ]);
    Ok(redirect(&format!("/moderator/complaints?{back}")))
}
