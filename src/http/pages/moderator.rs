//! The moderators' review queue: experts by status, searched by name, KvK number or place, 50 a
//! page, each card with the facts a review needs, and approve / reject / suspend / reinstate
//! (the same `experts::vetting::decide` as the API).

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use serde::Deserialize;
use serde_json::{Value, json};

use super::csrf::PageForm;
use super::login::login_first;
use super::moderator_lists::{
    filter_errors, notice, outcome_query, pager, paging_of, return_query, value, without_bad_fields,
};
use super::{PageCtx, redirect};
use crate::clock::for_people;
use crate::db::models::{complaint, expert_search};
use crate::domain::{ExpertId, ExpertStatus, Role};
use crate::error::AppError;
use crate::experts::{ExpertView, vetting, views};
use crate::http::AppState;
use crate::http::auth::ModeratorAuth;
use crate::i18n::language_name;
use crate::moderation::filters::ListParams;
/// The tabs of the expert queue, in the order moderators work through them.
const TABS: [ExpertStatus; 5] = [
    ExpertStatus::PendingReview,
    ExpertStatus::Approved,
    ExpertStatus::Suspended,
    ExpertStatus::Rejected,
    ExpertStatus::Unverified,
];

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/moderator",
        web::get().to(|| async { redirect("/moderator/experts") }),
    )
    .route("/moderator/experts", web::get().to(queue))
    .route("/moderator/experts/{id}/{decision}", web::post().to(decide));
}

fn status_of(raw: Option<&str>) -> ExpertStatus {
    raw.and_then(ExpertStatus::parse)
        .unwrap_or(ExpertStatus::PendingReview)
}

/// A reason that was refused, to show next to its expert.
struct ReasonError {
    expert_id: ExpertId,
    reason: String,
}

/// The facts of one review card beyond the profile: languages by name, open cases of capacity,
/// registration date, complaints.
fn card(e: ExpertView, state: &AppState, lang: crate::i18n::Lang, complaints: i64) -> Value {
    let expertise: Vec<&str> = e
        .expertise
        .iter()
        .map(|t| state.catalogue.get(*t).text(lang).name.as_str())
        .collect();
    let languages: Vec<String> = e
        .languages
        .iter()
        .map(|code| language_name(code, lang))
        .collect();
    json!({
        "can": {
            "approve": e.status == ExpertStatus::PendingReview,
            "reject": e.status == ExpertStatus::PendingReview,
            "suspend": e.status == ExpertStatus::Approved,
            "reinstate": e.status == ExpertStatus::Suspended,
        },
        "expertise": expertise.join(", "),
        "languages": languages.join(", "),
        "registered": for_people(e.created_at),
        "complaints": complaints,
        "expert": e,
    })
}

async fn render_queue(
    req: &HttpRequest,
    state: &AppState,
    params: ListParams,
    (done, why): (&str, Option<&'static str>),
    refused: Option<ReasonError>,
) -> Result<HttpResponse, AppError> {
    let status = status_of(params.status.as_deref());
    let (filter, errors) = match params.expert_filter() {
        Ok(filter) => (filter, Vec::new()),
        Err(err) => (
            without_bad_fields(&params, &err).expert_filter()?,
            filter_errors(&err),
        ),
    };
    let filter = expert_search::ExpertFilter {
        status: Some(status),
        before: None,
        ..filter
    };
    let paging = paging_of(&params);
    let (page, complaints, paid) = state
        .db
        .run(move |conn| {
            let page = expert_search::search(conn, &filter, paging)?;
            let ids: Vec<ExpertId> = page.items.iter().map(|r| r.id.clone()).collect();
            let complaints = complaint::count_by_expert(conn, &ids)?;
            let paid = crate::db::models::outcomes::paid_services_reports(conn, &ids)?;
            let items = views(conn, page.items)?;
            Ok((
                crate::db::models::search::Page {
                    items,
                    total: page.total,
                    paging,
                },
                complaints,
                paid,
            ))
        })
        .await?;
    let view = PageCtx::new(req, state).with_user(Role::Moderator);
    let lang = view.content_lang();
    let pager = pager(req, &page);
    let cards: Vec<Value> = page
        .items
        .into_iter()
        .map(|e| {
            let n = complaints.get(&e.id).copied().unwrap_or(0);
            let reports = paid.get(&e.id).copied().unwrap_or(0);
            let refused_here = refused.as_ref().filter(|r| r.expert_id == e.id);
            let mut card = card(e, state, lang, n);
            card["reason_error"] = json!(refused_here.is_some());
            card["reason"] = json!(refused_here.map(|r| r.reason.clone()).unwrap_or_default());
            card["paid_services_reports"] = json!(reports);
            card
        })
        .collect();
    let q = value(&params.q).to_owned();
    let tabs: Vec<Value> = TABS
        .iter()
        .map(|tab| {
            let s = tab.as_str();
            let href = if q.is_empty() {
                format!("/moderator/experts?status={s}")
            } else {
                let query = url::form_urlencoded::Serializer::new(String::new())
                    .append_pair("status", s)
                    .append_pair("q", &q)
                    .finish();
                format!("/moderator/experts?{query}")
            };
            json!({ "code": s, "href": href, "current": *tab == status, "is": { s: true } })
        })
        .collect();
    let code = if refused.is_some() || !errors.is_empty() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    view.render(
        "moderator_queue",
        code,
        json!({
            "experts": cards,
            "tabs": tabs,
            "status": status.as_str(),
            "q": q,
            "page_no": paging.page,
            "pager": pager,
            "summary": errors,
            "done": { done: true },
            "why": why,
        }),
    )
}

/// `GET /moderator/experts?status=pending_review&q=&page=`
async fn queue(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Result<ModeratorAuth, AppError>,
    query: web::Query<ListParams>,
) -> Result<HttpResponse, AppError> {
    if let Err(e) = auth {
        return login_first(e);
    }
    let (done, why) = notice(&req);
    render_queue(&req, &state, query.into_inner(), (&done, why), None).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DecisionForm {
    reason: String,
    /// The tab, search and page to return to.
    status: String,
    q: String,
    page: String,
}

/// `POST /moderator/experts/{id}/{approve|reject|suspend|reinstate}`
async fn decide(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Result<ModeratorAuth, AppError>,
    path: web::Path<(ExpertId, String)>,
    PageForm(form): PageForm<DecisionForm>,
) -> Result<HttpResponse, AppError> {
    let moderator = match auth {
        Ok(ModeratorAuth(auth)) => auth,
        Err(e) => return login_first(e),
    };
    let (id, which) = path.into_inner();
    let tab = status_of(Some(form.status.as_str()));
    let checked = crate::domain::text::limits::VETTING_REASON.required(&form.reason);
    let (reason_ok, reason) = (checked.is_ok(), checked.unwrap_or_default().to_owned());
    let decision = match which.as_str() {
        "approve" => vetting::Decision::Approve,
        "reinstate" => vetting::Decision::Reinstate,
        "reject" if reason_ok => vetting::Decision::Reject { reason },
        "suspend" if reason_ok => vetting::Decision::Suspend {
            reason,
            complaint_id: None,
        },
        "reject" | "suspend" => {
            let refused = ReasonError {
                expert_id: id,
                reason: form.reason,
            };
            let params = ListParams {
                status: Some(tab.as_str().to_owned()),
                q: Some(form.q),
                page: Some(form.page),
                ..ListParams::default()
            };
            return render_queue(&req, &state, params, ("", None), Some(refused)).await;
        }
        _ => return Err(AppError::NotFound),
    };
    let outcome = state
        .workflow(move |ctx, conn| {
            vetting::decide(conn, ctx, &moderator.principal_id, &id, &decision)
        })
        .await;
    let (done, why) = outcome_query(outcome, which.as_str())?;
    let back = return_query(&[
        ("status", tab.as_str()),
        ("q", form.q.trim()),
        ("page", form.page.trim()),
        ("done", done),
        ("why", why),
    ]);
    Ok(redirect(&format!("/moderator/experts?{back}")))
}
