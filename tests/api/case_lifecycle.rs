//! A connected case from first aid to feedback: shared step progress, the expert completing,
//! the victim closing with an outcome, the feedback invitation with its one-click link (closed,
//! or connected for 14 days), and the 90-day resilience check.

use chrono::Duration;
use serde_json::{Value, json};

use crate::connect::{matched_case, number_of};
use crate::helpers::{assert_problem, case_of, intake_body, link_token, problem_fields, spawn_app};

/// Asks `expert` and lets it accept; returns the request id and the expert's token.
async fn connect(app: &crate::helpers::TestApp, created: &Value, expert: &str) -> (String, String) {
    let request = app.ask_ok(created, &[expert]).await.remove(0);
    let token = app.expert_token(number_of(app, expert).await).await;
    let accepted = app.respond(&request, "accept", &token, &json!({})).await;
    assert_eq!(accepted.status(), 200);
    (request, token)
}

#[tokio::test]
async fn a_connected_case_is_worked_on_together_closed_and_rated_once() {
    let app = spawn_app().await;
    let (created, ids) = matched_case(&app).await;
    let (request, expert) = connect(&app, &created, &ids[0]).await;

    // The victim ticks first-aid steps; the connected expert sees them.
    for (n, done) in [(1, true), (3, true), (3, false)] {
        let response = app
            .victim_post(&created, &format!("steps/{n}"), &json!({ "done": done }))
            .await;
        assert_eq!(response.status(), 200);
    }
    for n in ["0", "99", "x"] {
        let response = app
            .victim_post(&created, &format!("steps/{n}"), &json!({ "done": true }))
            .await;
        assert_problem(response, 404).await;
    }
    let wrong = app
        .victim_post(&created, "steps/2", &json!({ "done": "yes" }))
        .await;
    assert_eq!(problem_fields(&assert_problem(wrong, 422).await), ["done"]);
    assert_eq!(app.case(&created).await["steps_done"], json!([1]));
    let mine: Value = app
        .get_auth("/api/v1/experts/me/requests", &expert)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine[0]["steps_done"], json!([1]));

    // The expert completes; the victim closes with an outcome.
    assert_eq!(app.open_cases(&ids[0]).await, 1);
    let done = app
        .respond(
            &request,
            "complete",
            &expert,
            &json!({ "summary": "Back-up teruggezet" }),
        )
        .await;
    assert_eq!(done.status(), 200);
    assert_eq!(
        done.json::<Value>().await.unwrap()["summary"],
        "Back-up teruggezet"
    );
    assert_eq!(app.open_cases(&ids[0]).await, 0);
    assert_problem(
        app.respond(&request, "complete", &expert, &json!({})).await,
        409,
    )
    .await;
    let bad = app
        .victim_post(&created, "close", &json!({ "outcome": "fixed" }))
        .await;
    assert_eq!(problem_fields(&assert_problem(bad, 422).await), ["outcome"]);
    let closed = app
        .victim_post(&created, "close", &json!({ "outcome": "resolved" }))
        .await;
    assert_eq!(closed.status(), 200);
    let closed: Value = closed.json().await.unwrap();
    assert_eq!(
        (closed["status"].as_str(), closed["outcome"].as_str()),
        (Some("closed"), Some("resolved"))
    );
    assert_problem(
        app.victim_post(&created, "close", &json!({ "outcome": "resolved" }))
            .await,
        409,
    )
    .await;
    assert_eq!(
        app.open_cases(&ids[0]).await,
        0,
        "completing already freed the case"
    );
    assert_eq!(app.emails_with("case_ended").await.len(), 1);

    // One feedback invitation, with a one-click link that works once.
    assert_eq!(app.run_lifecycle().await.feedback_invitations, 1);
    assert_eq!(app.run_lifecycle().await.feedback_invitations, 0);
    let invitation = app.emails_with("feedback_invitation").await;
    assert_eq!(invitation.len(), 1);
    let link = link_token(&invitation[0], "feedback");
    let (id, _) = case_of(&created);
    let path = format!("/api/v1/intakes/{id}/feedback");
    let feedback = json!({ "helped": 5, "resolved": true, "more_resilient": true, "comment": "Snel geholpen" });
    let too_high = app
        .post_auth(
            &path,
            &link,
            &json!({ "helped": 6, "resolved": true, "more_resilient": true }),
        )
        .await;
    assert_eq!(
        problem_fields(&assert_problem(too_high, 422).await),
        ["helped"]
    );
    assert_eq!(app.post_auth(&path, &link, &feedback).await.status(), 201);
    assert_problem(app.post_auth(&path, &link, &feedback).await, 409).await;
    assert_eq!(app.case(&created).await["feedback_given"], true);
    // The link opens nothing else: not the case, not another intake.
    assert_problem(
        app.get_auth(&format!("/api/v1/intakes/{id}"), &link).await,
        404,
    )
    .await;
    let other = app.intake(&intake_body()).await;
    let other_path = format!("/api/v1/intakes/{}/feedback", other["id"].as_str().unwrap());
    assert_problem(app.post_auth(&other_path, &link, &feedback).await, 404).await;
    // Before a connection there is nothing to rate yet.
    assert_problem(app.victim_post(&other, "feedback", &feedback).await, 409).await;
}

#[tokio::test]
async fn fourteen_days_connected_brings_the_invitation_and_ninety_days_the_resilience_check() {
    let app = spawn_app().await;
    let (created, ids) = matched_case(&app).await;
    connect(&app, &created, &ids[0]).await;
    // A victim who already rated is not invited again.
    let rated = app.intake(&intake_body()).await;
    connect(&app, &rated, &ids[1]).await;
    let feedback = json!({ "helped": 3, "resolved": false, "more_resilient": true });
    assert_eq!(
        app.victim_post(&rated, "feedback", &feedback)
            .await
            .status(),
        201
    );

    app.clock.advance(Duration::days(14) - Duration::minutes(1));
    assert_eq!(app.run_lifecycle().await.feedback_invitations, 0);
    app.clock.advance(Duration::minutes(1));
    assert_eq!(app.run_lifecycle().await.feedback_invitations, 1);

    app.clock.advance(Duration::days(76));
    let report = app.run_lifecycle().await;
    let counts = (report.resilience_checks, report.feedback_invitations);
    assert_eq!(counts, (2, 0), "both were helped; nobody invited twice");
    assert_eq!(app.run_lifecycle().await.resilience_checks, 0);
    // Both intakes are Jan's; by template, as sent emails lose their address after 30 days.
    let invited = app.emails_with("feedback_invitation").await;
    assert_eq!(
        invited.len(),
        1,
        "the victim who rated already is not invited"
    );
    let check = app.emails_with("resilience_check").await;
    assert_eq!(check.len(), 2);
    assert!(check[0].text_body.contains("MFA"));

    // Each link answers for its own intake only.
    let (id, _) = case_of(&created);
    let path = format!("/api/v1/intakes/{id}/resilience");
    let answer =
        json!({ "mfa_enabled": true, "offline_backups": true, "reported_to_police": false });
    let mut statuses = Vec::new();
    let mut link = String::new();
    for mail in &check {
        let token = link_token(mail, "resilience");
        let status = app
            .post_auth(&path, &token, &answer)
            .await
            .status()
            .as_u16();
        if status == 201 {
            link = token;
        }
        statuses.push(status);
    }
    statuses.sort();
    assert_eq!(statuses, [201, 404]);
    assert_problem(app.post_auth(&path, &link, &answer).await, 409).await;
    assert_eq!(app.case(&created).await["resilience_answered"], true);
    // The resilience link is not a feedback link.
    let feedback = json!({ "helped": 4, "resolved": true, "more_resilient": true });
    let response = app
        .post_auth(&format!("/api/v1/intakes/{id}/feedback"), &link, &feedback)
        .await;
    assert_problem(response, 404).await;
}
