//! The moderators' audit log page: 50 entries a page, newest first, searched by action, name or
//! id; who and what in words (names for ids, labels for action codes, in the page's language),
//! times in Amsterdam time as the heading says; the first page also walks the hash chain.

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use serde_json::{Value, json};

use super::PageCtx;
use super::case_view::incident_name;
use super::login::login_first;
use super::moderator_lists::{filter_errors, pager, paging_of, value, without_bad_fields};
use crate::clock::for_people;
use crate::db::models::audit::{self, AuditEntry, actions};
use crate::db::models::audit_chain;
use crate::domain::Role;
use crate::error::AppError;
use crate::http::AppState;
use crate::http::auth::ModeratorAuth;
use crate::i18n::PageLanguage;
use crate::moderation::audit_view::{Names, names_for};
use crate::moderation::filters::ListParams;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/moderator/audit", web::get().to(audit_log));
}

/// The message `key` with its `{name}` placeholders filled; the key itself when missing.
fn say(lang: &PageLanguage, key: &str, args: &[(&str, &str)]) -> String {
    lang.fill(key, args)
}

/// The label of an action code (`audit_action.<code>`), or the code when it has none.
pub fn action_label(lang: &PageLanguage, code: &str) -> String {
    lang.get(&format!("audit_action.{code}"))
        .unwrap_or(code)
        .to_owned()
}

fn actor(e: &AuditEntry, names: &Names, lang: &PageLanguage) -> String {
    let id = e.actor_id.as_deref().unwrap_or_default();
    let found = match e.actor_kind.as_str() {
        "system" => return say(lang, "workbench.actor_system", &[]),
        "victim" => return say(lang, "workbench.actor_victim", &[]),
        "moderator" => names.moderators.get(id),
        "expert" => names.experts.get(id),
        _ => None,
    };
    found
        .cloned()
        .unwrap_or_else(|| format!("{} {id}", e.actor_kind))
}

fn subject(e: &AuditEntry, names: &Names, state: &AppState, lang: &PageLanguage) -> String {
    let id = e.subject_id.as_str();
    let company = |name: Option<&str>| name.map(|n| vec![("company", n.to_owned())]);
    let (key, args): (&str, Option<Vec<(&str, String)>>) = match e.subject_kind.as_str() {
        "expert" if id == "demo" => ("workbench.subject_demo", Some(vec![])),
        "expert" => {
            return names
                .experts
                .get(id)
                .cloned()
                .unwrap_or_else(|| id.to_owned());
        }
        "intake" => (
            "workbench.subject_intake",
            names.intakes.get(id).map(|(code, place)| {
                let incident = incident_name(state, *code, lang.content_lang());
                vec![("incident", incident), ("place", place.clone())]
            }),
        ),
        "request" => (
            "workbench.subject_request",
            company(names.expert_of(&names.requests, id)),
        ),
        "complaint" => (
            "workbench.subject_complaint",
            company(names.expert_of(&names.complaints, id)),
        ),
        "code_of_conduct" => (
            "workbench.subject_coc",
            Some(vec![("version", id.to_owned())]),
        ),
        _ => ("", None),
    };
    match args {
        Some(args) => {
            let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
            say(lang, key, &args)
        }
        None => format!("{} {id}", e.subject_kind),
    }
}

fn chain_data(v: &audit_chain::Verdict) -> Value {
    json!({
        "intact": v.intact,
        "entries": v.entries,
        "head": v.head,
        "first_bad": v.first_bad_seq.map_or_else(
            || v.first_bad.clone().unwrap_or_default(),
            |s| format!("#{s} ({})", v.first_bad.clone().unwrap_or_default()),
        ),
        "problem": v.problem,
    })
}

/// `GET /moderator/audit?q=&action=&subject_id=&page=` (and the first version's `before=<id>`).
async fn audit_log(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Result<ModeratorAuth, AppError>,
    query: web::Query<ListParams>,
) -> Result<HttpResponse, AppError> {
    if let Err(e) = auth {
        return login_first(e);
    }
    let params = query.into_inner();
    let (filter, errors) = match params.audit_filter() {
        Ok(filter) => (filter, Vec::new()),
        Err(err) => (
            without_bad_fields(&params, &err).audit_filter()?,
            filter_errors(&err),
        ),
    };
    let paging = paging_of(&params);
    let first_page = paging.page == 1 && filter.before_id.is_none();
    let (page, names, chain) = state
        .db
        .run(move |conn| {
            let chain = first_page.then(|| audit_chain::verify(conn)).transpose()?;
            let page = audit::search(conn, &filter, paging)?;
            let names = names_for(conn, &page.items)?;
            Ok((page, names, chain))
        })
        .await?;
    let view = PageCtx::new(&req, &state).with_user(Role::Moderator);
    let lang = view.lang();
    let rows: Vec<Value> = page
        .items
        .iter()
        .map(|e| {
            json!({
                "at": for_people(e.occurred_at),
                "actor": actor(e, &names, lang),
                "action": action_label(lang, &e.action),
                "code": e.action,
                "subject": subject(e, &names, &state, lang),
                "subject_href": format!("/moderator/audit?subject_id={}", e.subject_id),
                "reason": e.reason,
            })
        })
        .collect();
    let chosen = value(&params.action).to_owned();
    let choices: Vec<Value> = actions::ALL
        .iter()
        .map(|code| json!({ "code": code, "label": action_label(lang, code), "selected": *code == chosen }))
        .collect();
    let data = json!({
        "entries": rows,
        "first_page": first_page,
        "chain": chain.as_ref().map(chain_data),
        "pager": pager(&req, &page),
        "q": value(&params.q),
        "subject_id": value(&params.subject_id),
        "actions": choices,
        "summary": errors,
    });
    view.render("moderator_audit", StatusCode::OK, data)
}
