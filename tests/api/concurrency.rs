//! Races a user or moderator can cause by pressing a button twice, or two moderators at once: the
//! outcome must be the same on SQLite (one writer) and PostgreSQL (many).

use futures_util::future::join_all;
use serde_json::{Value, json};

use crate::helpers::spawn_app;

#[tokio::test]
async fn two_moderators_approving_at_once_approve_once() {
    let app = spawn_app().await;
    let moderator = app.moderator_token().await;
    let id = app.pending_expert(1).await;

    let answers = join_all((0..8).map(|_| app.moderate(&moderator, &id, "approve", None))).await;

    let statuses: Vec<u16> = answers.iter().map(|r| r.status().as_u16()).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| *s == 200 || *s == 409),
        "{statuses:?}"
    );
    let approvals = app
        .emails_to("info1@veilig-it.nl")
        .await
        .into_iter()
        .filter(|m| m.template == "expert_approved")
        .count();
    assert_eq!(approvals, 1, "the expert is told once");
    let audit: Value = app
        .get_auth(
            &format!("/api/v1/moderation/audit?subject_id={id}&action=expert.approved"),
            &moderator,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(audit.as_array().unwrap().len(), 1, "one audit entry");
}

#[tokio::test]
async fn concurrent_wrong_passwords_are_all_counted_and_never_a_conflict() {
    let app = spawn_app().await;
    let body = json!({ "email": "nobody@example.nl", "password": "wrong password" });

    // Four at once: below the slow-down threshold, so each must be a plain 401 and be counted.
    let answers = join_all((0..4).map(|_| app.post_json("/api/v1/sessions", &body))).await;

    let statuses: Vec<u16> = answers.iter().map(|r| r.status().as_u16()).collect();
    assert_eq!(statuses, [401, 401, 401, 401]);
    // The fifth failure starts the slow-down: the next attempt waits 2 seconds.
    assert_eq!(app.post_json("/api/v1/sessions", &body).await.status(), 401);
    let slowed = app.post_json("/api/v1/sessions", &body).await;
    assert_eq!(slowed.status(), 429, "all five failures were counted");
    assert_eq!(slowed.headers()["retry-after"], "2");
}

#[tokio::test]
async fn a_burst_of_guesses_for_one_address_gets_no_more_tries_than_one_by_one() {
    let app = spawn_app().await;
    let body = json!({ "email": "victim@example.nl", "password": "guess" });

    let answers = join_all((0..32).map(|_| app.post_json("/api/v1/sessions", &body))).await;

    let statuses: Vec<u16> = answers.iter().map(|r| r.status().as_u16()).collect();
    let tried = statuses.iter().filter(|s| **s == 401).count();
    assert!(
        statuses.iter().all(|s| *s == 401 || *s == 429),
        "{statuses:?}"
    );
    // One by one, the fifth failure makes the next login wait; at once must not allow more.
    assert_eq!(tried, 5, "{statuses:?}");
}

#[tokio::test]
async fn one_idempotency_key_sent_eight_times_at_once_makes_one_intake_for_all_of_them() {
    use diesel::prelude::*;
    use hackhelpdesk::db::schema::intakes;
    // Eight intakes at once from one client would otherwise meet the intake rate limit.
    let app = crate::helpers::spawn_app_with(&[("RATE_LIMITS", "off")]).await;
    let send = || {
        app.client
            .post(app.url("/api/v1/intakes"))
            .header("Idempotency-Key", "double-click")
            .json(&crate::helpers::intake_body())
            .send()
    };

    let answers = join_all((0..8).map(|_| send())).await;

    let mut ids = Vec::new();
    for answer in answers {
        let answer = answer.unwrap();
        let status = answer.status().as_u16();
        assert!(status == 201 || status == 200, "{status}");
        let body: Value = answer.json().await.unwrap();
        ids.push(body["id"].as_str().unwrap().to_owned());
    }
    ids.dedup();
    assert_eq!(ids.len(), 1, "every answer names the same intake: {ids:?}");
    let stored: i64 = app
        .state
        .db
        .run(|conn| Ok(intakes::table.count().get_result(conn)?))
        .await
        .unwrap();
    assert_eq!(stored, 1);
    assert_eq!(
        app.emails_to("jan@bakkerij-devries.nl").await.len(),
        1,
        "one confirmation email"
    );
}
