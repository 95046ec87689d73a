//! Matching through the real API and database: who is never offered, when remote help widens
//! the set, and fair rotation among equals.

use std::collections::HashMap;

use crate::helpers::{TestApp, expert_at, intake_body, spawn_app, spawn_app_with};
use serde_json::json;

#[tokio::test]
async fn pending_suspended_paused_full_conflicted_and_unfit_experts_never_appear() {
    // More companies register here than one address may; in life each registers from its own.
    let app = spawn_app_with(&[("RATE_LIMITS", "off")]).await;
    let moderator = app.moderator_token().await;
    let fits = app
        .approved_expert(&moderator, &expert_at(1, "Roosendaal", json!({})))
        .await;
    app.pending_expert(2).await;
    let suspended = app
        .approved_expert(&moderator, &expert_at(3, "Bergen op Zoom", json!({})))
        .await;
    app.moderate(
        &moderator,
        &suspended,
        "suspend",
        Some("klachten over verkooppraatjes"),
    )
    .await;
    let paused = app
        .approved_expert(&moderator, &expert_at(4, "Bergen op Zoom", json!({})))
        .await;
    let login = app
        .token_for("info4@veilig-it.nl", crate::helpers::EXPERT_PASSWORD)
        .await;
    assert_eq!(
        app.post_auth("/api/v1/experts/me/pause", &login, &json!({}))
            .await
            .status(),
        200
    );
    let full = app
        .approved_expert(
            &moderator,
            &expert_at(5, "Bergen op Zoom", json!({ "capacity": 1 })),
        )
        .await;
    {
        use diesel::prelude::*;
        use hackhelpdesk::db::schema::experts;
        let id = full.clone();
        app.state
            .db
            .run(move |conn| {
                Ok(diesel::update(experts::table.find(id))
                    .set(experts::open_cases.eq(1))
                    .execute(conn)?)
            })
            .await
            .unwrap();
    }
    let same_kvk = app
        .approved_expert(
            &moderator,
            &expert_at(6, "Bergen op Zoom", json!({ "kvk_number": "87654321" })),
        )
        .await;
    let same_domain = app
        .approved_expert(
            &moderator,
            &expert_at(
                7,
                "Bergen op Zoom",
                json!({ "email": "it@bakkerij-devries.nl" }),
            ),
        )
        .await;
    let wrong_expertise = app
        .approved_expert(
            &moderator,
            &expert_at(8, "Bergen op Zoom", json!({ "expertise": ["ddos"] })),
        )
        .await;
    let wrong_language = app
        .approved_expert(
            &moderator,
            &expert_at(9, "Bergen op Zoom", json!({ "languages": ["de"] })),
        )
        .await;
    let out_of_reach = app
        .approved_expert(
            &moderator,
            &expert_at(10, "Groningen", json!({ "radius_km": 30 })),
        )
        .await;

    let created = app.intake(&intake_body()).await;

    assert_eq!(TestApp::match_ids(&created), [fits]);
    for excluded in [
        suspended,
        paused,
        full,
        same_kvk,
        same_domain,
        wrong_expertise,
        wrong_language,
        out_of_reach,
    ] {
        assert!(!TestApp::match_ids(&created).contains(&excluded));
    }
}

#[tokio::test]
async fn remote_help_widens_the_set_when_the_victim_does_not_need_someone_on_site() {
    let app = spawn_app().await;
    let moderator = app.moderator_token().await;
    let remote = app
        .approved_expert(
            &moderator,
            &expert_at(1, "Groningen", json!({ "remote": true, "radius_km": 30 })),
        )
        .await;
    let mut phishing = intake_body();
    phishing["incident_type"] = json!("phishing");

    let on_site = app.intake(&phishing).await;
    assert!(
        TestApp::match_ids(&on_site).is_empty(),
        "needs someone on site"
    );

    phishing["needs_on_site"] = json!(false);
    let widened = app.intake(&phishing).await;
    assert_eq!(TestApp::match_ids(&widened), [remote]);
    assert_eq!(widened["matches"][0]["mode"], "remote");
}

#[tokio::test]
async fn fair_rotation_spreads_thirty_identical_intakes_evenly() {
    // Thirty intakes from one address: far beyond the per-client intake budget, by design.
    let app = spawn_app_with(&[("RATE_LIMITS", "off")]).await;
    let moderator = app.moderator_token().await;
    let mut ids = Vec::new();
    for n in 1..=4 {
        ids.push(
            app.approved_expert(
                &moderator,
                &expert_at(n, "Bergen op Zoom", json!({ "capacity": 50 })),
            )
            .await,
        );
    }
    let mut firsts: HashMap<String, usize> = HashMap::new();
    for _ in 0..30 {
        let created = app.intake(&intake_body()).await;
        *firsts
            .entry(TestApp::match_ids(&created)[0].clone())
            .or_default() += 1;
        app.clock.advance(chrono::Duration::seconds(1));
    }
    for id in &ids {
        let got = firsts.get(id).copied().unwrap_or(0);
        assert!(
            (7..=8).contains(&got),
            "{id} was first {got} of 30 times (30/4 ± 1): {firsts:?}"
        );
    }
}
