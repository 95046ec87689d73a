//! Help requests and the connection: the victim asks matched experts, the first acceptance wins
//! (also when two arrive at the same moment), contact details flow only then.

use crate::helpers::{
    TestApp, assert_problem, case_of, expert_body, intake_body, problem_fields, spawn_app,
    spawn_app_with,
};
use serde_json::{Value, json};

/// What identifies the victim of `intake_body()`.
pub const VICTIM_IDENTITY: [&str; 4] = [
    "Jan de Vries",
    "jan@bakkerij-devries.nl",
    "8765 4321",
    "Bakkerij De Vries",
];

/// Asserts that no email queued with `template` carries any part of the victim's identity.
pub async fn assert_anonymous(app: &TestApp, template: &str) -> usize {
    let mails = app.emails_with(template).await;
    for mail in &mails {
        for part in VICTIM_IDENTITY {
            for text in [&mail.subject, &mail.text_body, &mail.html_body] {
                assert!(!text.contains(part), "{template} shows {part:?}: {text}");
            }
        }
    }
    mails.len()
}

pub use crate::helpers::{matched_case, number_of};

#[tokio::test]
async fn the_first_acceptance_connects_and_only_then_contact_details_flow() {
    let app = spawn_app().await;
    let (created, ids) = matched_case(&app).await;
    let (first, second) = (&ids[0], &ids[1]);
    let requests = app.ask_ok(&created, &[first, second]).await;
    assert_eq!(app.case(&created).await["status"], "requested");

    // Each expert is asked by email, anonymised.
    assert_eq!(assert_anonymous(&app, "help_request").await, 2);
    let help = &app.emails_with("help_request").await[0];
    assert!(help.text_body.contains("Alle bestanden zijn versleuteld"));
    assert!(help.text_body.contains("Bergen op Zoom"));
    assert!(help.text_body.contains("12 medewerkers, sector bakkerij"));
    let token_a = app.expert_token(number_of(&app, first).await).await;
    let token_b = app.expert_token(number_of(&app, second).await).await;
    let mine: Value = app
        .get_auth("/api/v1/experts/me/requests", &token_a)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine[0]["status"], "pending");
    assert_eq!(mine[0]["company"]["employees"], 12);
    assert!(mine[0]["victim"].is_null(), "no identity before accepting");
    assert!(!mine.to_string().contains("Jan de Vries"));

    // A accepts: connected. B's request is withdrawn, B's acceptance is a 409.
    let accepted = app
        .respond(&requests[0], "accept", &token_a, &json!({}))
        .await;
    assert_eq!(accepted.status(), 200);
    let accepted: Value = accepted.json().await.unwrap();
    assert_eq!(accepted["victim"]["email"], "jan@bakkerij-devries.nl");
    assert_eq!(accepted["victim"]["company_name"], "Bakkerij De Vries");
    let late = app
        .respond(&requests[1], "accept", &token_b, &json!({}))
        .await;
    assert_problem(late, 409).await;
    let theirs: Value = app
        .get_auth("/api/v1/experts/me/requests", &token_b)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(theirs[0]["status"], "withdrawn");
    assert!(theirs[0]["victim"].is_null());
    assert_eq!(assert_anonymous(&app, "request_withdrawn").await, 1);
    assert_eq!(app.open_cases(first).await, 1);
    assert_eq!(app.open_cases(second).await, 0);

    // Both sides have the other's details, by email and in the case.
    let to_expert = app.emails_with("connected_expert").await;
    assert_eq!(to_expert.len(), 1);
    assert!(to_expert[0].recipient.contains("@veilig-it.nl"));
    for part in VICTIM_IDENTITY {
        assert!(to_expert[0].text_body.contains(part), "{part}");
    }
    let to_victim = app.emails_to("jan@bakkerij-devries.nl").await;
    let connected = to_victim
        .iter()
        .find(|m| m.template == "connected_victim")
        .unwrap();
    assert!(connected.text_body.contains("+31 6 1234 5678"));
    assert!(connected.text_body.contains("\nDisclaimer\n"));
    let case = app.case(&created).await;
    assert_eq!(case["status"], "connected");
    assert_eq!(case["expert"]["id"], first.as_str());
    assert_eq!(case["expert"]["phone"], "+31 6 1234 5678");
    let states: Vec<&str> = case["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["accepted", "withdrawn"]);

    // Every step is in the audit log.
    let moderator = app
        .token_for("moderator@pvo.nl", crate::helpers::MODERATOR_PASSWORD)
        .await;
    let audit: Value = app
        .get_auth("/api/v1/moderation/audit?limit=500", &moderator)
        .await
        .json()
        .await
        .unwrap();
    let actions: Vec<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for action in [
        "request.sent",
        "request.accepted",
        "intake.connected",
        "request.withdrawn",
    ] {
        assert!(actions.contains(&action), "{action} in {actions:?}");
    }
    assert!(!audit.to_string().contains("Jan de Vries"));
}

#[tokio::test]
async fn requests_outside_the_matches_other_peoples_requests_and_tokens_are_refused() {
    let app = spawn_app().await;
    let (created, ids) = matched_case(&app).await;
    let (id, token) = case_of(&created);

    let unmatched = app
        .ask(&created, &["01940000-0000-7000-8000-00000000dead"])
        .await;
    let body = assert_problem(unmatched, 422).await;
    assert_eq!(problem_fields(&body), ["expert_ids[0]"]);
    assert_problem(app.ask(&created, &[]).await, 422).await;

    let other = app.intake(&intake_body()).await;
    let (_, other_token) = case_of(&other);
    let path = format!("/api/v1/intakes/{id}/requests");
    let stranger = app
        .post_auth(&path, other_token, &json!({ "expert_ids": [ids[0]] }))
        .await;
    assert_problem(stranger, 404).await;
    assert_problem(
        app.get_auth(&format!("/api/v1/intakes/{id}"), other_token)
            .await,
        404,
    )
    .await;

    let requests = app.ask_ok(&created, &[&ids[0]]).await;
    let again = assert_problem(app.ask(&created, &[&ids[0]]).await, 422).await;
    assert_eq!(problem_fields(&again), ["expert_ids[0]"]);
    let not_asked = app.expert_token(number_of(&app, &ids[2]).await).await;
    assert_problem(
        app.respond(&requests[0], "accept", &not_asked, &json!({}))
            .await,
        404,
    )
    .await;
    assert_problem(
        app.respond(&requests[0], "decline", &not_asked, &json!({}))
            .await,
        404,
    )
    .await;
    assert_problem(
        app.respond("no-such-request", "accept", &not_asked, &json!({}))
            .await,
        404,
    )
    .await;
    let asked = app.expert_token(number_of(&app, &ids[0]).await).await;
    let long = "x".repeat(1001);
    let body = assert_problem(
        app.respond(&requests[0], "decline", &asked, &json!({ "reason": long }))
            .await,
        422,
    )
    .await;
    assert_eq!(problem_fields(&body), ["reason"]);
    // The victim's token is not an expert session.
    assert_problem(
        app.respond(&requests[0], "accept", token, &json!({})).await,
        401,
    )
    .await;
    assert_eq!(app.case(&created).await["status"], "requested");
}

#[tokio::test]
async fn two_experts_accepting_at_the_same_moment_give_exactly_one_winner_fifty_times() {
    // Fifty intakes from one address: far beyond the per-client intake budget, by design.
    let app = spawn_app_with(&[("RATE_LIMITS", "off")]).await;
    let (_, ids) = matched_case(&app).await;
    let token_a = app.expert_token(number_of(&app, &ids[0]).await).await;
    let token_b = app.expert_token(number_of(&app, &ids[1]).await).await;
    for round in 0..50 {
        let created = app.intake(&intake_body()).await;
        let requests = app.ask_ok(&created, &[&ids[0], &ids[1]]).await;
        let empty = json!({});
        let (a, b) = tokio::join!(
            app.respond(&requests[0], "accept", &token_a, &empty),
            app.respond(&requests[1], "accept", &token_b, &empty),
        );
        let codes = [a.status().as_u16(), b.status().as_u16()];
        let mut sorted = codes;
        sorted.sort();
        assert_eq!(sorted, [200, 409], "round {round}");
        // The winner finishes the job, so that capacity never runs out over fifty rounds.
        let (winner, token) = if codes[0] == 200 {
            (&requests[0], &token_a)
        } else {
            (&requests[1], &token_b)
        };
        let done = app.respond(winner, "complete", token, &empty).await;
        assert_eq!(done.status(), 200, "round {round}");
        let case = app.case(&created).await;
        let accepted = case["requests"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["status"] == "completed")
            .count();
        assert_eq!(accepted, 1, "round {round}: {case}");
        assert_eq!(case["status"], "connected");
    }
    assert_eq!(
        app.open_cases(&ids[0]).await + app.open_cases(&ids[1]).await,
        0
    );
    assert_eq!(app.emails_with("connected_expert").await.len(), 50);
}

#[tokio::test]
async fn a_full_or_paused_expert_is_neither_asked_nor_connected_beyond_capacity() {
    let app = spawn_app().await;
    let moderator = app.moderator_token().await;
    let mut body = expert_body(1);
    body["capacity"] = json!(2);
    let expert = app.approved_expert(&moderator, &body).await;
    let first = app.intake(&intake_body()).await;
    let second = app.intake(&intake_body()).await;
    let first_request = app.ask_ok(&first, &[&expert]).await.remove(0);
    let second_request = app.ask_ok(&second, &[&expert]).await.remove(0);
    // Pending requests count toward capacity: two wait, so nobody else is offered the expert.
    let waiting = app.intake(&intake_body()).await;
    assert!(
        TestApp::match_ids(&waiting).is_empty(),
        "asked up to capacity"
    );
    // The expert lowers its capacity to one while both requests wait.
    let token = app.expert_token(1).await;
    let lowered = app
        .patch_auth("/api/v1/experts/me", &token, &json!({ "capacity": 1 }))
        .await;
    assert_eq!(lowered.status(), 200, "{:?}", lowered.text().await);

    assert_eq!(
        app.respond(&first_request, "accept", &token, &json!({}))
            .await
            .status(),
        200
    );
    let full = assert_problem(
        app.respond(&second_request, "accept", &token, &json!({}))
            .await,
        409,
    )
    .await;
    assert!(
        full["detail"].as_str().unwrap().contains("capacity"),
        "{full}"
    );
    assert_eq!(
        app.case(&second).await["status"],
        "requested",
        "nothing changed"
    );
    assert_eq!(app.open_cases(&expert).await, 1);

    // A full expert is not matched; once free again it is, and paused it cannot be asked.
    let third = app.intake(&intake_body()).await;
    assert!(TestApp::match_ids(&third).is_empty(), "full: not matched");
    let done = app
        .respond(&first_request, "complete", &token, &json!({}))
        .await;
    assert_eq!(done.status(), 200);
    let declined = app
        .respond(&second_request, "decline", &token, &json!({}))
        .await;
    assert_eq!(declined.status(), 200);
    let fourth = app.intake(&intake_body()).await;
    assert_eq!(TestApp::match_ids(&fourth), std::slice::from_ref(&expert));
    let paused = app
        .post_auth("/api/v1/experts/me/pause", &token, &json!({}))
        .await;
    assert_eq!(paused.status(), 200);
    let refused = assert_problem(app.ask(&fourth, &[&expert]).await, 422).await;
    assert_eq!(problem_fields(&refused), ["expert_ids[0]"]);
}
