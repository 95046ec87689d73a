//! Outcome measurement: the four resilience questions as a baseline (with the intake, by the API
//! route or the case page's optional step) and again at the 90-day check. The paid-services
//! check in the feedback is in `outcomes_paid`.

use serde_json::{Value, json};

use crate::connect::{matched_case, number_of};
use crate::helpers::{
    TestApp, assert_problem, case_of, intake_body, link_token, location, problem_fields, spawn_app,
};

const ANSWERS: [(&str, &str); 4] = [
    ("offline_backups", "yes"),
    ("mfa", "no"),
    ("incident_plan", "unknown"),
    ("auto_updates", "yes"),
];

fn answers() -> Value {
    ANSWERS
        .iter()
        .map(|(k, v)| (k.to_string(), json!(v)))
        .collect()
}

/// The four answers of one phase in the case view, without the time.
fn phase(case: &Value, phase: &str) -> Value {
    let mut shown = case["resilience"][phase].clone();
    if let Some(map) = shown.as_object_mut() {
        assert!(map.remove("answered_at").is_some_and(|t| t.is_string()));
    }
    shown
}

/// Connects `created` to its first match; returns the expert's id.
pub async fn connect_first(app: &TestApp, created: &Value) -> String {
    let expert = TestApp::match_ids(created).remove(0);
    connect_to(app, created, &expert).await;
    expert
}

/// Connects `created` to `expert`, one of its matches.
pub async fn connect_to(app: &TestApp, created: &Value, expert: &str) {
    let request = app.ask_ok(created, &[expert]).await.remove(0);
    let token = app.expert_token(number_of(app, expert).await).await;
    let accepted = app.respond(&request, "accept", &token, &json!({})).await;
    assert_eq!(accepted.status(), 200);
}

#[tokio::test]
async fn the_intake_carries_an_optional_baseline_and_bad_answers_are_named() {
    let app = spawn_app().await;
    let mut body = intake_body();
    body["resilience"] = json!({ "offline_backups": "yes", "mfa": "maybe", "auto_updates": "no" });
    let refused = app.submit_intake(&body).await;
    assert_eq!(
        problem_fields(&assert_problem(refused, 422).await),
        ["resilience.incident_plan", "resilience.mfa"]
    );

    body["resilience"] = answers();
    let created = app.intake(&body).await;
    let case = app.case(&created).await;
    assert_eq!(phase(&case, "baseline"), answers());
    assert_eq!(case["resilience"]["after_90_days"], Value::Null);
    // Without it the intake is as before.
    let plain = app.intake(&intake_body()).await;
    assert_eq!(
        app.case(&plain).await["resilience"]["baseline"],
        Value::Null
    );

    // The API route replaces the baseline while the case runs (201 first, 200 after).
    let (id, token) = case_of(&plain);
    let path = format!("/api/v1/intakes/{id}/resilience/baseline");
    let first = app.post_auth(&path, token, &answers()).await;
    assert_eq!(first.status(), 201);
    let body: Value = first.json().await.unwrap();
    assert_eq!(body["phase"], "baseline");
    let mut changed = answers();
    changed["mfa"] = json!("yes");
    assert_eq!(app.post_auth(&path, token, &changed).await.status(), 200);
    assert_eq!(phase(&app.case(&plain).await, "baseline"), changed);
    let bad = app
        .post_auth(&path, token, &json!({ "offline_backups": "ja", "mfa": "yes", "incident_plan": "no", "auto_updates": "no" }))
        .await;
    assert_eq!(
        problem_fields(&assert_problem(bad, 422).await),
        ["offline_backups"]
    );
    // Another intake's token opens nothing here.
    let (_, other_token) = case_of(&created);
    assert_problem(app.post_auth(&path, other_token, &answers()).await, 404).await;

    // Once the case has ended the baseline stays as it was.
    let closed = app
        .victim_post(&plain, "close", &json!({ "outcome": "no_longer_needed" }))
        .await;
    assert_eq!(closed.status(), 200);
    assert_problem(app.post_auth(&path, token, &answers()).await, 409).await;
    assert_eq!(phase(&app.case(&plain).await, "baseline"), changed);
}

#[tokio::test]
async fn the_case_page_offers_the_four_questions_after_the_help_and_keeps_the_answers() {
    let app = spawn_app().await;
    let (created, _) = matched_case(&app).await;
    let case_path = created["case_url"]
        .as_str()
        .and_then(|u| u.find("/case/").map(|i| u[i..].to_owned()))
        .expect("case link");
    let victim = app.page_client("nl");
    let (status, html) = victim.page(&case_path).await;
    assert_eq!(status, 200);
    let step = html
        .find("4 vragen over uw beveiliging (mag u overslaan)")
        .expect("the optional step");
    for first in ["id=\"h-steps\"", "id=\"h-matches\""] {
        assert!(html.find(first).expect(first) < step, "{first} comes first");
    }
    assert!(html.contains("Weet ik niet"));

    let action = format!("{case_path}/resilience");
    let partial = [("offline_backups", "yes"), ("incident_plan", "no")];
    let refused = victim.submit(&case_path, &action, &partial).await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(html.contains("id=\"e-mfa\"") && html.contains("id=\"e-auto_updates\""));
    assert!(!html.contains("id=\"e-offline_backups\""));
    assert!(html.contains("name=\"incident_plan\" value=\"no\" checked"));
    assert_eq!(
        app.case(&created).await["resilience"]["baseline"],
        Value::Null
    );

    let saved = victim.submit(&case_path, &action, &ANSWERS).await;
    assert_eq!(saved.status(), 303);
    assert_eq!(location(&saved), format!("{case_path}?done=baseline#done"));
    assert_eq!(phase(&app.case(&created).await, "baseline"), answers());
    let (_, html) = victim.page(&format!("{case_path}?done=baseline")).await;
    assert!(html.contains("Bedankt, uw antwoorden zijn opgeslagen."));
    assert!(html.contains("Uw antwoorden wijzigen"));
    assert!(html.contains("name=\"mfa\" value=\"no\" checked"));
    // Without the CSRF token nothing is stored.
    let forged = victim.post_form(&action, &[("mfa", "yes")]).await;
    assert_eq!(forged.status(), 403);
    assert_eq!(phase(&app.case(&created).await, "baseline"), answers());
}

#[tokio::test]
async fn the_ninety_day_check_asks_the_same_four_questions() {
    let app = spawn_app().await;
    let (created, _) = matched_case(&app).await;
    connect_first(&app, &created).await;
    app.clock.advance(chrono::Duration::days(90));
    assert_eq!(app.run_lifecycle().await.resilience_checks, 1);
    let mail = app.emails_with("resilience_check").await.remove(0);
    let link = link_token(&mail, "resilience");
    let (id, _) = case_of(&created);
    let path = format!("/api/v1/intakes/{id}/resilience");

    let mut partial = json!({ "mfa": "sometimes", "reported_to_police": true });
    let refused = app.post_auth(&path, &link, &partial).await;
    assert_eq!(
        problem_fields(&assert_problem(refused, 422).await),
        ["auto_updates", "incident_plan", "mfa", "offline_backups"]
    );
    partial["offline_backups"] = json!(true);
    let refused = app.post_auth(&path, &link, &partial).await;
    assert!(
        problem_fields(&assert_problem(refused, 422).await).contains(&"offline_backups".into())
    );

    let mut body = answers();
    body["reported_to_police"] = json!(true);
    body["comment"] = json!("We hebben nu een noodplan.");
    let saved = app.post_auth(&path, &link, &body).await;
    assert_eq!(saved.status(), 201);
    let saved: Value = saved.json().await.unwrap();
    // The fields of before follow from the answers: offline backups yes, MFA no.
    assert_eq!(saved["offline_backups"], true);
    assert_eq!(saved["mfa_enabled"], false);
    assert_eq!(saved["reported_to_police"], true);
    assert_eq!(saved["answers"]["incident_plan"], "unknown");

    let case = app.case(&created).await;
    assert_eq!(case["resilience_answered"], true);
    assert_eq!(phase(&case, "after_90_days"), answers());
    assert_eq!(case["resilience"]["baseline"], Value::Null);
    assert_problem(app.post_auth(&path, &link, &body).await, 409).await;
}
