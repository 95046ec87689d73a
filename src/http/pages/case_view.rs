//! What the case page shows, as template data, in the order of the victim's next step: the status
//! and the one thing to do now (a text chosen by the case's state), while experts are asked the
//! time they have to answer and what to do meanwhile, the matches with one distance each (from
//! the victim's place), the steps as a checklist with their progress, the requests, the connected
//! expert's contact details, and flags for which forms are open now.

use serde_json::{Value, json};

use chrono::NaiveDateTime;

use crate::cases::close::OUTCOMES;
use crate::cases::feedback::{feedback_due, resolved_by_outcome};
use crate::cases::view::CaseData;
use crate::clock::for_people;
use crate::domain::{IncidentType, IntakeStatus, Reason, RequestStatus};
use crate::http::AppState;
use crate::i18n::{Lang, PageLanguage, reasons::say};
use crate::matching::whole_km;

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

/// The matches as the page lists them: one distance line per expert (the victim's place and the
/// same rounded figure as the reasons; never a second figure "from you"), then the other reasons.
fn matches(data: &CaseData, page: &PageLanguage) -> Vec<Value> {
    let asked: Vec<&str> = data
        .requests
        .iter()
        .map(|(r, _)| r.expert_id.as_str())
        .collect();
    data.matches
        .iter()
        .map(|(m, company)| {
            let reasons = m.reasons();
            let is_distance =
                |r: &Reason| matches!(r, Reason::Distance { .. } | Reason::Remote { .. });
            let distance = reasons.iter().find(|r| is_distance(r)).map_or_else(
                || {
                    let km = whole_km(m.distance_km).to_string();
                    page.fill(
                        "reason.distance",
                        &[("km", &km), ("place", &data.row.place)],
                    )
                },
                |r| say(page, r),
            );
            let others: Vec<String> = reasons
                .iter()
                .filter(|r| !is_distance(r))
                .map(|r| say(page, r))
                .collect();
            json!({
                "expert_id": m.expert_id,
                "company_name": company,
                "distance": distance,
                "reasons": others,
                "asked": asked.contains(&m.expert_id.as_str()),
            })
        })
        .collect()
}

/// When none of the matches speaks the language the victim asked help in: says so before the
/// victim asks anyone, in the page's words ("None of these experts speaks Turkish. …").
fn language_note(data: &CaseData, page: &PageLanguage) -> Option<String> {
    let language = data.row.language.as_str();
    let none_speaks = !data.matches.is_empty()
        && !data
            .matches
            .iter()
            .any(|(m, _)| crate::intakes::view::speaks(&m.reasons(), language));
    none_speaks.then(|| {
        let name = crate::i18n::language_name_in(language, page);
        page.fill("case.language_none", &[("language", &name)])
    })
}

/// While experts are asked and nobody answered yet: until when they have to answer (the last
/// pending request's deadline, Amsterdam time) and whether every match shown was asked already
/// (then the page offers the next matches at once). `None` when nobody is waiting.
fn waiting(data: &CaseData) -> Option<Value> {
    if data.row.status != IntakeStatus::Requested {
        return None;
    }
    let until: Option<NaiveDateTime> = data
        .requests
        .iter()
        .filter(|(r, _)| r.status == RequestStatus::Pending)
        .map(|(r, _)| r.expires_at)
        .max();
    let all_asked = data.matches.iter().all(|(m, _)| {
        data.requests
            .iter()
            .any(|(r, _)| r.expert_id == m.expert_id)
    });
    until.map(|at| json!({ "until": for_people(at), "all_asked": all_asked }))
}

/// The one thing to do now, by the case's state: a catalogue key under `case.now`. A case whose
/// experts all declined or let the time pass is open again, and says so; a closed case asks for
/// the feedback while it is open.
fn now_key(data: &CaseData, feedback_open: bool) -> String {
    let status = data.row.status;
    if status == IntakeStatus::Closed && feedback_open {
        return "case.now.closed_feedback".to_owned();
    }
    let turned_down = data
        .requests
        .iter()
        .any(|(r, _)| matches!(r.status, RequestStatus::Declined | RequestStatus::Expired));
    if status == IntakeStatus::Open && turned_down {
        return "case.now.open_again".to_owned();
    }
    format!("case.now.{status}")
}

/// The template data of the case page of `data`, opened with `token`, in the page language
/// `page` (match reasons in its words; steps and incident names in its content language), at
/// `now` (the feedback form waits until help was given).
pub fn case_data(
    data: &CaseData,
    state: &AppState,
    page: &PageLanguage,
    token: &str,
    now: NaiveDateTime,
) -> Value {
    let lang = page.content_lang();
    let row = &data.row;
    let status = row.status;
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
    let erased = status.is_erased();
    let expert = data.expert.as_ref().filter(|_| !erased).map(|e| {
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
    let completed = data
        .requests
        .iter()
        .any(|(r, _)| r.status == RequestStatus::Completed);
    let steps = steps(state, row.incident_type, lang, &data.steps_done);
    let waiting = waiting(data);
    let feedback_open = kept && !data.feedback_given && feedback_due(row, completed, now);
    json!({
        "questions": questions,
        "baseline_given": baseline.is_some(),
        // Without a connected expert the feedback does not ask whether "the expert" offered paid
        // services.
        "ask_paid_services": connected,
        // The close form asked it already: never the same question twice.
        "ask_resolved": resolved_by_outcome(row).is_none(),
        "pseudonymised": data.pseudonymised_at.map(for_people),
        "token": token,
        "feedback_action": format!("/case/{token}/feedback"),
        "status": { status.as_str(): true },
        "status_key": format!("case.status.{status}"),
        "now_key": now_key(data, feedback_open),
        "expert_intro_key": if status == IntakeStatus::Connected { "case.expert_intro" } else { "case.expert_intro_ended" },
        "steps_intro_key": steps_intro_key(status),
        "steps_open": status.is_ongoing(),
        "steps_done_count": data.steps_done.len(),
        "steps_count": steps.len(),
        "erased": erased,
        "incident_name": incident_name(state, row.incident_type, lang),
        "place": row.place,
        "created_at": for_people(row.created_at),
        "steps": steps,
        "matches": matches(data, page),
        "has_matches": !data.matches.is_empty(),
        "language_note": language_note(data, page),
        "requests": requests,
        "waiting": waiting,
        "expert": expert,
        "connected_at": row.connected_at.map(for_people),
        "outcome_key": row.outcome.as_ref().map(|o| format!("case.outcome.{o}")),
        "outcomes": outcomes,
        "can": {
            "ask": status.can_ask() && !data.matches.is_empty(),
            "ask_next": waiting.as_ref().is_some_and(|w| w["all_asked"] == true),
            "close": status.can_close(),
            "feedback": feedback_open,
            "complain": kept && connected && !erased,
            "erase": !erased,
            "baseline": kept && status.is_ongoing(),
        },
        "feedback_given": data.feedback_given,
    })
}

/// What the steps' introduction says in each state: do them now while waiting, the expert sees
/// the progress once connected, and nothing is asked any more after the case ended.
fn steps_intro_key(status: IntakeStatus) -> &'static str {
    match status {
        IntakeStatus::Connected => "case.steps_intro_connected",
        IntakeStatus::Closed | IntakeStatus::Erased => "case.steps_intro_ended",
        _ => "case.steps_intro",
    }
}
