//! What the case page shows, as template data: flags for the case status and for which forms
//! are open now, the steps in the page's content language with their progress, the matches with
//! their reasons, the requests and the connected expert's contact details.

use serde_json::{Value, json};

use crate::cases::close::OUTCOMES;
use crate::cases::view::CaseData;
use crate::clock::for_people;
use crate::domain::IncidentType;
use crate::http::AppState;
use crate::i18n::{Lang, PageLanguage, reasons::say_all};

/// The steps of `incident_type` in `lang`, numbered from 1, with their progress.
pub fn steps(state: &AppState, kind: IncidentType, lang: Lang, done: &[i32]) -> Vec<Value> {
    state
        .catalogue
        .get(kind)
        .text(lang)
        .steps
        .iter()
        .zip(1..)
        .map(|(step, n)| {
            json!({
                "n": n,
                "title": step.title,
                "body": step.body,
                "links": step.links,
                "done": done.contains(&n),
            })
        })
        .collect()
}

pub fn incident_name(state: &AppState, incident_type: IncidentType, lang: Lang) -> String {
    state.catalogue.get(incident_type).text(lang).name.clone()
}

/// The template data of the case page of `data`, opened with `token`, in the page language
/// `page` (match reasons in its words; steps and incident names in its content language).
pub fn case_data(data: &CaseData, state: &AppState, page: &PageLanguage, token: &str) -> Value {
    let lang = page.content_lang();
    let row = &data.row;
    let status = row.status;
    let asked: Vec<&str> = data
        .requests
        .iter()
        .map(|(r, _)| r.expert_id.as_str())
        .collect();
    let can_ask = status.can_ask();
    let matches: Vec<Value> = data
        .matches
        .iter()
        .map(|(m, company)| {
            json!({
                "expert_id": m.expert_id,
                "company_name": company,
                "remote": m.mode == "remote",
                "distance_km": format!("{:.0}", m.distance_km),
                "reasons": say_all(page, &m.reasons()),
                "asked": asked.contains(&m.expert_id.as_str()),
            })
        })
        .collect();
    let requests: Vec<Value> = data
        .requests
        .iter()
        .map(|(r, company)| {
            json!({
                "company_name": company,
                "status": { r.status.as_str(): true },
                "created_at": for_people(r.created_at),
                "expires_at": for_people(r.expires_at),
            })
        })
        .collect();
    let expert = data.expert.as_ref().map(|e| {
        json!({
            "company_name": e.company_name,
            "contact_name": e.contact_name,
            "email": e.email,
            "phone": e.phone,
            "website": e.website,
        })
    });
    let outcomes: Vec<Value> = OUTCOMES
        .iter()
        .map(|o| json!({ "value": o, "key": format!("case.outcome.{o}") }))
        .collect();
    let connected = row.connected_expert_id.is_some();
    // After the retention period no new free text may be added (it would never be removed).
    let kept = data.pseudonymised_at.is_none();
    let baseline = data.baseline.as_ref().map(|(answers, _)| answers);
    let questions = super::outcomes::questions(&super::outcomes::chosen(baseline), &json!({}));
    json!({
        "questions": questions,
        "baseline_given": baseline.is_some(),
        // Without a connected expert the feedback does not ask whether "the expert" offered paid
        // services.
        "ask_paid_services": connected,
        "pseudonymised": data.pseudonymised_at.map(for_people),
        "token": token,
        "feedback_action": format!("/case/{token}/feedback"),
        "status": { status.as_str(): true },
        "status_key": format!("case.status.{status}"),
        "explain_key": format!("case.explain.{status}"),
        "erased": status.is_erased(),
        "incident_name": incident_name(state, row.incident_type, lang),
        "place": row.place,
        "created_at": for_people(row.created_at),
        "steps": steps(state, row.incident_type, lang, &data.steps_done),
        "matches": matches,
        "has_matches": !data.matches.is_empty(),
        "requests": requests,
        "expert": expert,
        "connected_at": row.connected_at.map(for_people),
        "outcome_key": row.outcome.as_ref().map(|o| format!("case.outcome.{o}")),
        "outcomes": outcomes,
        "can": {
            "ask": can_ask && !data.matches.is_empty(),
            "close": status.can_close(),
            "feedback": kept && status.can_give_feedback() && !data.feedback_given,
            "complain": kept && connected && !status.is_erased(),
            "erase": !status.is_erased(),
            "baseline": kept && status.is_ongoing(),
        },
        "feedback_given": data.feedback_given,
    })
}
