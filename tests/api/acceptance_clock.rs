//! The acceptance clock: unanswered requests expire after a time that depends on urgency, the
//! victim is offered the next matches without the experts who declined or let it expire, and when
//! nobody is left the intake is unmatched and the moderators are alerted.

use chrono::Duration;
use serde_json::{Value, json};

use crate::connect::{assert_anonymous, number_of};
use crate::helpers::{
    TestApp, assert_problem, expert_body, intake_body, spawn_app, spawn_app_with,
};

#[tokio::test]
async fn an_unanswered_request_expires_and_the_victim_gets_the_next_matches_then_unmatched() {
    let app = spawn_app().await;
    let moderator = app.moderator_token().await;
    for n in 1..=3 {
        app.approved_expert(&moderator, &expert_body(n)).await;
    }
    let mut farther = expert_body(4);
    farther["base"] = json!({ "place": "Roosendaal" });
    let fourth = app.approved_expert(&moderator, &farther).await;
    let created = app.intake(&intake_body()).await;
    let ids = TestApp::match_ids(&created);
    assert!(!ids.contains(&fourth), "the fourth is farther away");
    let requests = app.ask_ok(&created, &[&ids[0]]).await;

    // Acute: two hours. Not a minute earlier.
    app.clock.advance(Duration::minutes(119));
    assert_eq!(app.run_lifecycle().await.expired, 0);
    app.clock.advance(Duration::minutes(2));
    assert_eq!(app.run_lifecycle().await.expired, 1);
    assert_eq!(app.run_lifecycle().await.expired, 0, "once only");

    let case = app.case(&created).await;
    assert_eq!(case["status"], "open");
    assert_eq!(case["requests"][0]["status"], "expired");
    let renewed = TestApp::match_ids(&case);
    assert!(
        !renewed.contains(&ids[0]),
        "the expert who let it expire is not offered again"
    );
    assert!(
        renewed.contains(&fourth),
        "the next one moves up: {renewed:?}"
    );
    let to_victim = app.emails_to("jan@bakkerij-devries.nl").await;
    let mail = to_victim
        .iter()
        .find(|m| m.template == "matches_renewed")
        .expect("victim told");
    assert!(mail.text_body.contains("/case/"), "with a case link");
    assert_eq!(assert_anonymous(&app, "request_expired").await, 1);
    let late = app.expert_token(number_of(&app, &ids[0]).await).await;
    assert_problem(
        app.respond(&requests[0], "accept", &late, &json!({})).await,
        409,
    )
    .await;

    // Expiry counts against responsiveness, for moderators.
    let expert: Value = app
        .get_auth(
            &format!("/api/v1/moderation/experts/{}", ids[0]),
            &moderator,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(expert["responsiveness"]["expired"], 1);
    assert_eq!(expert["responsiveness"]["received"], 1);

    // Everyone left declines: nobody is left, the moderators are alerted (past the 15-minute
    // window of the expiry alert, so at once rather than in the next digest).
    app.clock.advance(chrono::Duration::minutes(15));
    let rest: Vec<&str> = renewed.iter().map(String::as_str).collect();
    let requests = app.ask_ok(&created, &rest).await;
    for (req, id) in requests.iter().zip(&renewed) {
        let token = app.expert_token(number_of(&app, id).await).await;
        let declined = app
            .respond(
                req,
                "decline",
                &token,
                &json!({ "reason": "geen tijd deze week" }),
            )
            .await;
        assert_eq!(declined.status(), 200);
        assert_problem(app.respond(req, "decline", &token, &json!({})).await, 409).await;
    }
    let case = app.case(&created).await;
    assert_eq!(case["status"], "unmatched");
    assert!(TestApp::match_ids(&case).is_empty());
    assert_eq!(assert_anonymous(&app, "intake_unmatched").await, 1);
    let listed: Value = app
        .get_auth("/api/v1/moderation/intakes?status=unmatched", &moderator)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["id"], created["id"]);
    assert_eq!(listed[0]["contact"]["email"], "jan@bakkerij-devries.nl");
    let bad = app
        .get_auth("/api/v1/moderation/intakes?status=lost", &moderator)
        .await;
    assert_problem(bad, 422).await;
}

#[tokio::test]
async fn the_acceptance_clock_follows_urgency_and_can_be_configured() {
    let app = spawn_app_with(&[("REQUEST_TTL_PAST_HOURS", "5")]).await;
    let moderator = app.moderator_token().await;
    let expert = app.approved_expert(&moderator, &expert_body(1)).await;
    let mut recent = intake_body();
    recent["urgency"] = json!("recent");
    let mut past = intake_body();
    past["urgency"] = json!("past");
    let recent = app.intake(&recent).await;
    let past = app.intake(&past).await;
    app.ask_ok(&recent, &[&expert]).await;
    app.ask_ok(&past, &[&expert]).await;

    app.clock.advance(Duration::hours(5));
    assert_eq!(
        app.run_lifecycle().await.expired,
        1,
        "past: 5 h as configured"
    );
    assert_eq!(app.case(&past).await["requests"][0]["status"], "expired");
    app.clock.advance(Duration::hours(19));
    assert_eq!(app.run_lifecycle().await.expired, 1, "recent: 24 h");
    assert_eq!(app.case(&recent).await["requests"][0]["status"], "expired");
}
