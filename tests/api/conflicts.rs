//! Conflicts that say what happened: every 409 a client can provoke carries its own `code` in the
//! problem (and `type` ends in it), and the pages show that conflict's sentence in the reader's
//! language. Pages: see `conflicts_pages.rs`.

use chrono::Duration;
use serde_json::{Value, json};

use crate::connect::{matched_case, number_of};
use crate::helpers::{
    MODERATOR_PASSWORD, TestApp, assert_problem, expert_body, intake_body, spawn_app,
};
use crate::workbench_cases::closed_case_with_complaint;

/// Asserts a 409 problem with `code`; returns the body.
pub async fn assert_conflict(response: reqwest::Response, code: &str) -> Value {
    let body = assert_problem(response, 409).await;
    assert_eq!(body["code"], code, "{body}");
    assert_eq!(body["type"], format!("/problems/{code}"));
    assert_eq!(body["title"], "Conflict");
    body
}

/// A case with two of its matches asked; the experts' tokens and request ids in that order.
async fn asked_twice(app: &TestApp) -> (Value, Vec<String>, Vec<String>) {
    let (created, ids) = matched_case(app).await;
    let requests = app.ask_ok(&created, &[&ids[0], &ids[1]]).await;
    let mut tokens = Vec::new();
    for id in &ids[..2] {
        tokens.push(app.expert_token(number_of(app, id).await).await);
    }
    (created, tokens, requests)
}

#[tokio::test]
async fn each_answer_to_a_help_request_that_came_too_late_says_why() {
    let app = spawn_app().await;
    let (created, tokens, requests) = asked_twice(&app).await;
    let respond = |n: usize, action: &'static str| {
        let (request, token) = (requests[n].clone(), tokens[n].clone());
        let app = &app;
        async move { app.respond(&request, action, &token, &json!({})).await }
    };
    assert_conflict(respond(0, "complete").await, "request_not_accepted").await;
    assert_eq!(respond(0, "accept").await.status(), 200);
    assert_conflict(respond(0, "accept").await, "request_accepted").await;
    assert_conflict(respond(0, "decline").await, "request_accepted").await;
    assert_conflict(respond(1, "accept").await, "request_withdrawn").await;
    assert_eq!(respond(0, "complete").await.status(), 200);
    assert_conflict(respond(0, "complete").await, "request_completed").await;

    // The victim asks again once connected.
    let ids = TestApp::match_ids(&created);
    let again = app.ask(&created, &[&ids[2]]).await;
    assert_conflict(again, "already_connected").await;
}

#[tokio::test]
async fn a_declined_or_an_expired_request_says_so() {
    let app = spawn_app().await;
    let (_, tokens, requests) = asked_twice(&app).await;
    let declined = app
        .respond(&requests[0], "decline", &tokens[0], &json!({}))
        .await;
    assert_eq!(declined.status(), 200);
    let late = app
        .respond(&requests[0], "accept", &tokens[0], &json!({}))
        .await;
    assert_conflict(late, "request_declined").await;
    // Acute requests expire after two hours, before the lifecycle job has even run.
    app.clock.advance(Duration::minutes(121));
    let expired = app
        .respond(&requests[1], "accept", &tokens[1], &json!({}))
        .await;
    assert_conflict(expired, "request_expired").await;
}

#[tokio::test]
async fn a_full_expert_is_told_its_capacity_is_reached() {
    // One open case at a time; the second acceptance is refused and changes nothing.
    let app = spawn_app().await;
    let moderator = app.moderator_token().await;
    let mut body = expert_body(1);
    body["capacity"] = json!(2);
    let expert = app.approved_expert(&moderator, &body).await;
    let first = app.intake(&intake_body()).await;
    let second = app.intake(&intake_body()).await;
    let first_request = app.ask_ok(&first, &[&expert]).await.remove(0);
    let second_request = app.ask_ok(&second, &[&expert]).await.remove(0);
    let token = app.expert_token(1).await;
    let lowered = app
        .patch_auth("/api/v1/experts/me", &token, &json!({ "capacity": 1 }))
        .await;
    assert_eq!(lowered.status(), 200);
    let ok = app
        .respond(&first_request, "accept", &token, &json!({}))
        .await;
    assert_eq!(ok.status(), 200);
    let full = app
        .respond(&second_request, "accept", &token, &json!({}))
        .await;
    let full = assert_conflict(full, "at_capacity").await;
    assert!(full["detail"].as_str().unwrap().contains("capacity"));
    assert_eq!(app.case(&second).await["status"], "requested");
}

#[tokio::test]
async fn a_closed_case_and_feedback_early_or_twice_each_have_their_code() {
    let app = spawn_app().await;
    let (created, ids) = matched_case(&app).await;
    let feedback = json!({ "helped": 4, "resolved": true, "more_resilient": false });
    let early = app.victim_post(&created, "feedback", &feedback).await;
    assert_conflict(early, "feedback_not_open").await;
    let closed = app
        .victim_post(&created, "close", &json!({ "outcome": "no_longer_needed" }))
        .await;
    assert_eq!(closed.status(), 200);
    assert_conflict(app.ask(&created, &[&ids[0]]).await, "case_closed").await;
    let again = app
        .victim_post(&created, "close", &json!({ "outcome": "resolved" }))
        .await;
    assert_conflict(again, "case_closed").await;
    let given = app.victim_post(&created, "feedback", &feedback).await;
    assert_eq!(given.status(), 201);
    let twice = app.victim_post(&created, "feedback", &feedback).await;
    assert_conflict(twice, "feedback_given").await;
}

#[tokio::test]
async fn a_complaint_is_handled_once() {
    let app = spawn_app().await;
    let (complaint, _, _) = closed_case_with_complaint(&app).await;
    let moderator = app.token_for("moderator@pvo.nl", MODERATOR_PASSWORD).await;
    let path = format!("/api/v1/moderation/complaints/{complaint}/handle");
    let note = json!({ "note": "Expert gebeld." });
    assert_eq!(app.post_auth(&path, &moderator, &note).await.status(), 200);
    let handled = app.post_auth(&path, &moderator, &note).await;
    assert_conflict(handled, "already_handled").await;
}

#[tokio::test]
async fn registration_says_taken_without_saying_which_and_links_work_once() {
    let app = spawn_app().await;
    assert_eq!(app.register_expert(&expert_body(1)).await.status(), 201);
    let mut same_email = expert_body(2);
    same_email["email"] = json!("INFO1@veilig-it.nl");
    let mut same_kvk = expert_body(3);
    same_kvk["kvk_number"] = expert_body(1)["kvk_number"].clone();
    let by_email = app.register_expert(&same_email).await;
    let by_email = assert_conflict(by_email, "registration_taken").await;
    let by_kvk = app.register_expert(&same_kvk).await;
    let by_kvk = assert_conflict(by_kvk, "registration_taken").await;
    assert_eq!(by_email, by_kvk, "one answer for both");

    let link = app.verification_token("info1@veilig-it.nl").await;
    assert_eq!(app.verify_expert(&link).await.status(), 200);
    assert_conflict(app.verify_expert(&link).await, "token_used").await;
    let token = app.expert_token(1).await;
    let resend = app
        .post_auth("/api/v1/experts/me/verification", &token, &json!({}))
        .await;
    assert_conflict(resend, "already_verified").await;
}

#[tokio::test]
async fn expert_steps_the_status_does_not_allow_and_a_taken_kvk_number_have_their_code() {
    let app = spawn_app().await;
    let moderator = app.moderator_token().await;
    assert_eq!(app.register_expert(&expert_body(1)).await.status(), 201);
    let token = app.expert_token(1).await;
    let me: Value = app
        .get_auth("/api/v1/experts/me", &token)
        .await
        .json()
        .await
        .unwrap();
    let id = me["id"].as_str().unwrap();
    let early = app.moderate(&moderator, id, "approve", None).await;
    let early = assert_conflict(early, "expert_status").await;
    assert!(early["detail"].as_str().unwrap().contains("unverified"));
    let resubmit = app
        .post_auth("/api/v1/experts/me/resubmit", &token, &json!({}))
        .await;
    assert_conflict(resubmit, "expert_status").await;

    let other = app.approved_expert(&moderator, &expert_body(2)).await;
    assert!(!other.is_empty());
    let theirs = expert_body(2)["kvk_number"].clone();
    let taken = app
        .patch_auth(
            "/api/v1/experts/me",
            &token,
            &json!({ "kvk_number": theirs }),
        )
        .await;
    assert_conflict(taken, "kvk_taken").await;
}
