//! No mail cannon: whatever the number of clients (these tests switch the per-client limits off),
//! one address gets at most 3 "intake received" emails a day, moderators get at most one alert
//! email per 15 minutes (the rest in one digest), an expert is never asked beyond its capacity,
//! and a registration for a taken address sends nothing.

use crate::helpers::{TestApp, expert_body, intake_body, spawn_app_with};
use serde_json::{Value, json};

const NO_LIMITS: (&str, &str) = ("RATE_LIMITS", "off");

fn intake_for(email: &str) -> Value {
    let mut body = intake_body();
    body["contact"]["email"] = json!(email);
    body
}

#[tokio::test]
async fn six_intakes_for_one_address_send_at_most_three_emails_a_day() {
    let app = spawn_app_with(&[NO_LIMITS]).await;
    let addresses = [
        "target@example.nl",
        "Target@Example.nl",
        "target@example.nl",
        "TARGET@example.nl",
        "target@example.nl",
        "target@example.nl",
    ];
    for address in addresses {
        let created = app.intake(&intake_for(address)).await;
        assert!(
            created["case_url"]
                .as_str()
                .is_some_and(|u| u.contains("/case/")),
            "every intake is answered with its case link: {created}"
        );
    }
    assert_eq!(app.emails_with("intake_received").await.len(), 3);

    // Someone else is not held back by it, and a day later the address gets mail again.
    app.intake(&intake_for("someone-else@example.nl")).await;
    assert_eq!(app.emails_with("intake_received").await.len(), 4);
    app.clock
        .advance(chrono::Duration::hours(24) + chrono::Duration::minutes(1));
    app.intake(&intake_for("target@example.nl")).await;
    assert_eq!(app.emails_with("intake_received").await.len(), 5);
}

/// Alert emails (any template) queued for `address`.
async fn alerts_to(app: &TestApp, address: &str) -> Vec<String> {
    app.emails_to(address)
        .await
        .into_iter()
        .map(|m| m.template)
        .collect()
}

#[tokio::test]
async fn two_hundred_unmatched_intakes_send_one_alert_then_one_digest() {
    let app = spawn_app_with(&[NO_LIMITS, ("MODERATOR_ALERT_EMAIL", "alerts@pvo.nl")]).await;
    app.moderator_token().await;
    // Nobody is registered, so every intake is unmatched.
    for n in 0..200 {
        let created = app
            .intake(&intake_for(&format!("victim{n}@example.nl")))
            .await;
        assert_eq!(created["status"], "unmatched");
    }
    for address in ["alerts@pvo.nl", "moderator@pvo.nl"] {
        assert_eq!(alerts_to(&app, address).await, ["intake_unmatched"]);
    }
    assert_eq!(
        app.run_lifecycle().await.alerts_in_digest,
        0,
        "the window is still open"
    );

    app.clock.advance(chrono::Duration::minutes(15));
    // 199 held back for each of the two inboxes.
    assert_eq!(app.run_lifecycle().await.alerts_in_digest, 2 * 199);
    for address in ["alerts@pvo.nl", "moderator@pvo.nl"] {
        assert_eq!(
            alerts_to(&app, address).await,
            ["intake_unmatched", "moderator_digest"]
        );
    }
    let digest = &app.emails_with("moderator_digest").await[0];
    assert!(digest.subject.starts_with("199 "), "{}", digest.subject);
    assert!(
        digest.text_body.contains("Geen expert gevonden"),
        "lists the alerts"
    );
    assert_eq!(
        app.run_lifecycle().await.alerts_in_digest,
        0,
        "each alert once"
    );

    // The digest opened a new window: the next alert waits for the next digest.
    app.intake(&intake_for("late@example.nl")).await;
    assert_eq!(alerts_to(&app, "alerts@pvo.nl").await.len(), 2);
    app.clock.advance(chrono::Duration::minutes(15));
    assert_eq!(app.run_lifecycle().await.alerts_in_digest, 2);
    assert_eq!(alerts_to(&app, "alerts@pvo.nl").await.len(), 3);
}

#[tokio::test]
async fn pending_requests_count_toward_capacity_so_an_expert_is_never_flooded() {
    let app = spawn_app_with(&[NO_LIMITS]).await;
    let moderator = app.moderator_token().await;
    let mut body = expert_body(1);
    body["capacity"] = json!(2);
    let expert = app.approved_expert(&moderator, &body).await;

    let mut asked = Vec::new();
    for n in 0..2 {
        let created = app.intake(&intake_for(&format!("v{n}@example.nl"))).await;
        assert_eq!(TestApp::match_ids(&created), std::slice::from_ref(&expert));
        app.ask_ok(&created, &[&expert]).await;
        asked.push(created);
    }
    // Two requests wait for an expert that can take two cases: nobody else is offered it.
    let third = app.intake(&intake_for("v2@example.nl")).await;
    assert!(TestApp::match_ids(&third).is_empty(), "{third}");
    assert_eq!(app.emails_with("help_request").await.len(), 2);

    // Declining one makes room again.
    let token = app.expert_token(1).await;
    let requests: Value = app
        .get_auth("/api/v1/experts/me/requests", &token)
        .await
        .json()
        .await
        .expect("json");
    let first = requests
        .as_array()
        .and_then(|r| r.first())
        .and_then(|r| r["id"].as_str())
        .expect("a request")
        .to_owned();
    let declined = app
        .post_auth(
            &format!("/api/v1/requests/{first}/decline"),
            &token,
            &json!({}),
        )
        .await;
    assert_eq!(declined.status(), 200);
    let fourth = app.intake(&intake_for("v3@example.nl")).await;
    assert_eq!(TestApp::match_ids(&fourth), [expert]);
}

#[tokio::test]
async fn a_registration_for_a_taken_address_sends_nothing() {
    let app = spawn_app_with(&[NO_LIMITS]).await;
    let first = app.register_expert(&expert_body(1)).await;
    assert_eq!(first.status(), 201);
    for n in 2..6 {
        let mut again = expert_body(n);
        again["email"] = json!("info1@veilig-it.nl");
        assert_eq!(app.register_expert(&again).await.status(), 409);
    }
    let mails = alerts_to(&app, "info1@veilig-it.nl").await;
    assert_eq!(mails, ["expert_verification"]);
}
