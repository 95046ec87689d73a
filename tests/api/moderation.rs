//! Vetting by PVO moderators: the review queue, decisions, emails, the audit log, roles, and the
//! code of conduct.

use serde_json::{Value, json};

use crate::helpers::{EXPERT_PASSWORD, assert_problem, expert_body, spawn_app, spawn_app_with};

#[tokio::test]
async fn the_full_lifecycle_is_emailed_and_audited() {
    let app = spawn_app_with(&[("MODERATOR_ALERT_EMAIL", "vetting@pvo.nl")]).await;
    let moderator = app.moderator_token().await;
    let id = app.pending_expert(1).await;
    let alerts = app.emails_to("vetting@pvo.nl").await;
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].template, "expert_pending_review");

    let queue: Value = app
        .get_auth(
            "/api/v1/moderation/experts?status=pending_review",
            &moderator,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(queue.as_array().unwrap().len(), 1);
    assert_eq!(queue[0]["id"], id.as_str());
    assert_eq!(queue[0]["kvk_number"], "12340001");

    let approved: Value = app
        .moderate(&moderator, &id, "approve", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(approved["status"], "approved");
    assert_eq!(approved["matchable"], true);

    let expert = app.token_for("info1@veilig-it.nl", EXPERT_PASSWORD).await;
    let suspended = app
        .moderate(
            &moderator,
            &id,
            "suspend",
            Some("Complaint about a sales pitch"),
        )
        .await;
    assert_eq!(suspended.status(), 200);
    let suspended: Value = suspended.json().await.unwrap();
    assert_eq!(suspended["status"], "suspended");
    assert_eq!(suspended["status_reason"], "Complaint about a sales pitch");
    assert_problem(app.get_auth("/api/v1/experts/me", &expert).await, 401).await;

    let reinstated: Value = app
        .moderate(&moderator, &id, "reinstate", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(reinstated["status"], "approved");

    let templates: Vec<String> = app
        .emails_to("info1@veilig-it.nl")
        .await
        .into_iter()
        .map(|m| m.template)
        .collect();
    assert_eq!(
        templates,
        [
            "expert_verification",
            "expert_approved",
            "expert_suspended",
            "expert_reinstated"
        ]
    );
    let suspension_mail = &app.emails_to("info1@veilig-it.nl").await[2];
    assert!(
        suspension_mail
            .text_body
            .contains("Complaint about a sales pitch")
    );

    let audit: Value = app
        .get_auth(
            &format!("/api/v1/moderation/audit?subject_id={id}"),
            &moderator,
        )
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
    assert_eq!(
        actions,
        [
            "expert.reinstated",
            "expert.suspended",
            "expert.approved",
            "expert.verified",
            "expert.registered"
        ]
    );
    assert_eq!(audit[1]["actor_kind"], "moderator");
    assert_eq!(audit[1]["reason"], "Complaint about a sales pitch");
    assert_eq!(audit[1]["details"]["from"], "approved");
    assert!(
        !audit.to_string().contains("veilig-it.nl"),
        "no contact details in the log"
    );

    let page: Value = app
        .get_auth(
            "/api/v1/moderation/audit?action=expert.approved&limit=1",
            &moderator,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page.as_array().unwrap().len(), 1);
    let older = format!(
        "/api/v1/moderation/audit?subject_id={id}&before={}",
        audit[1]["id"].as_str().unwrap()
    );
    let older: Value = app.get_auth(&older, &moderator).await.json().await.unwrap();
    assert_eq!(older[0]["action"], "expert.approved");
}

#[tokio::test]
async fn a_rejection_needs_a_reason_and_the_expert_may_resubmit() {
    let app = spawn_app().await;
    let moderator = app.moderator_token().await;
    let id = app.pending_expert(1).await;
    let missing = app.moderate(&moderator, &id, "reject", Some("  ")).await;
    assert_problem(missing, 422).await;

    let rejected: Value = app
        .moderate(
            &moderator,
            &id,
            "reject",
            Some("KvK number belongs to another company"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(rejected["status"], "rejected");
    let mail = app.emails_to("info1@veilig-it.nl").await.pop().unwrap();
    assert_eq!(mail.template, "expert_rejected");
    assert!(
        mail.text_body
            .contains("KvK number belongs to another company")
    );

    let expert = app.token_for("info1@veilig-it.nl", EXPERT_PASSWORD).await;
    app.patch_auth(
        "/api/v1/experts/me",
        &expert,
        &json!({ "kvk_number": "87654321" }),
    )
    .await;
    let again: Value = app
        .post_auth("/api/v1/experts/me/resubmit", &expert, &json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again["status"], "pending_review");
    assert_eq!(again["kvk_number"], "87654321");
}

#[tokio::test]
async fn decisions_that_the_status_does_not_allow_are_conflicts() {
    let app = spawn_app().await;
    let moderator = app.moderator_token().await;
    app.register_expert(&expert_body(1)).await;
    let expert = app.token_for("info1@veilig-it.nl", EXPERT_PASSWORD).await;
    let me: Value = app
        .get_auth("/api/v1/experts/me", &expert)
        .await
        .json()
        .await
        .unwrap();
    let id = me["id"].as_str().unwrap();

    let early = assert_problem(app.moderate(&moderator, id, "approve", None).await, 409).await;
    assert!(early["detail"].as_str().unwrap().contains("unverified"));
    assert_problem(app.moderate(&moderator, id, "reinstate", None).await, 409).await;
    assert_problem(
        app.moderate(&moderator, "no-such-id", "approve", None)
            .await,
        404,
    )
    .await;
    let bad_status = app
        .get_auth("/api/v1/moderation/experts?status=paused", &moderator)
        .await;
    assert_problem(bad_status, 422).await;
}

#[tokio::test]
async fn experts_cannot_moderate_and_moderators_have_no_expert_profile() {
    let app = spawn_app().await;
    let moderator = app.moderator_token().await;
    let id = app.pending_expert(1).await;
    let expert = app.token_for("info1@veilig-it.nl", EXPERT_PASSWORD).await;

    for path in [
        "/api/v1/moderation/experts",
        "/api/v1/moderation/audit",
        &format!("/api/v1/moderation/experts/{id}"),
    ] {
        assert_problem(app.get_auth(path, &expert).await, 403).await;
    }
    assert_problem(app.moderate(&expert, &id, "approve", None).await, 403).await;
    let publish = app
        .post_auth(
            "/api/v1/moderation/code-of-conduct",
            &expert,
            &json!({ "text_nl": "x", "text_en": "y" }),
        )
        .await;
    assert_problem(publish, 403).await;
    assert_problem(app.get_auth("/api/v1/experts/me", &moderator).await, 403).await;
    assert_problem(app.get("/api/v1/moderation/experts").await, 401).await;
}

#[tokio::test]
async fn a_new_code_of_conduct_must_be_accepted_again_before_matching() {
    let app = spawn_app().await;
    let nl: Value = app
        .get("/api/v1/code-of-conduct")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(nl["version"], 1);
    assert!(nl["text"].as_str().unwrap().contains("Gratis eerste hulp"));
    let en: Value = app
        .get("/api/v1/code-of-conduct?lang=en")
        .await
        .json()
        .await
        .unwrap();
    assert!(en["text"].as_str().unwrap().contains("No sales pitch"));

    let moderator = app.moderator_token().await;
    let id = app.pending_expert(1).await;
    app.moderate(&moderator, &id, "approve", None).await;
    let expert = app.token_for("info1@veilig-it.nl", EXPERT_PASSWORD).await;

    let text =
        "Versie 2: gratis eerste hulp, geen verkooppraatje, vertrouwelijkheid, geen toegang.";
    let published = app
        .post_auth(
            "/api/v1/moderation/code-of-conduct",
            &moderator,
            &json!({ "text_nl": text, "text_en": format!("{text} (English)") }),
        )
        .await;
    assert_eq!(published.status(), 201);
    assert_eq!(published.json::<Value>().await.unwrap()["version"], 2);
    let current: Value = app
        .get("/api/v1/code-of-conduct")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(current["version"], 2);

    let me: Value = app
        .get_auth("/api/v1/experts/me", &expert)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["code_of_conduct_current"], false);
    assert_eq!(me["matchable"], false);
    let old = app
        .post_auth(
            "/api/v1/experts/me/code-of-conduct",
            &expert,
            &json!({ "version": 1 }),
        )
        .await;
    assert_problem(old, 422).await;
    let accepted: Value = app
        .post_auth(
            "/api/v1/experts/me/code-of-conduct",
            &expert,
            &json!({ "version": 2 }),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(accepted["code_of_conduct_current"], true);
    assert_eq!(accepted["matchable"], true);

    let log: Value = app
        .get_auth(
            "/api/v1/moderation/audit?action=code_of_conduct.published",
            &moderator,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(log[0]["subject_id"], "2");
}

#[tokio::test]
async fn a_material_change_sends_an_approved_profile_back_to_review() {
    let app = spawn_app().await;
    let moderator = app.moderator_token().await;
    let id = app.pending_expert(1).await;
    app.moderate(&moderator, &id, "approve", None).await;
    let expert = app.token_for("info1@veilig-it.nl", EXPERT_PASSWORD).await;

    let minor: Value = app
        .patch_auth(
            "/api/v1/experts/me",
            &expert,
            &json!({ "phone": "010-1234567", "capacity": 4 }),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(minor["status"], "approved");
    let same: Value = app
        .patch_auth(
            "/api/v1/experts/me",
            &expert,
            &json!({ "expertise": ["phishing", "ransomware"] }),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        same["status"], "approved",
        "the same expertise in another order is no change"
    );

    let material: Value = app
        .patch_auth(
            "/api/v1/experts/me",
            &expert,
            &json!({ "expertise": ["ddos"], "radius_km": 80 }),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(material["status"], "pending_review");
    assert_eq!(material["expertise"], json!(["ddos"]));
    let log: Value = app
        .get_auth(
            &format!("/api/v1/moderation/audit?subject_id={id}&action=expert.back_to_review"),
            &moderator,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        log[0]["details"]["changed"],
        json!(["radius_km", "expertise"])
    );
}

#[tokio::test]
async fn experts_held_back_by_a_new_code_of_conduct_are_told_once_in_their_language() {
    let app = spawn_app().await;
    let moderator = app.moderator_token().await;
    app.approved_expert(&moderator, &expert_body(1)).await;
    let mut english = expert_body(2);
    english["languages"] = json!(["en"]);
    app.approved_expert(&moderator, &english).await;
    app.pending_expert(3).await;
    let suspended = app.approved_expert(&moderator, &expert_body(4)).await;
    app.moderate(&moderator, &suspended, "suspend", Some("klachten"))
        .await;

    let publish = |n: u32| {
        let text = format!("Versie {n}: gratis eerste hulp, geen verkooppraatje, geen toegang.");
        json!({ "text_nl": text, "text_en": format!("{text} (English)") })
    };
    let notices = |address: &'static str| {
        let app = &app;
        async move {
            app.emails_to(address)
                .await
                .into_iter()
                .filter(|m| m.template == "code_of_conduct_updated")
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        app.post_auth(
            "/api/v1/moderation/code-of-conduct",
            &moderator,
            &publish(2)
        )
        .await
        .status(),
        201
    );
    let report = app.run_lifecycle().await;
    assert_eq!(report.code_of_conduct_notices, 3, "{report:?}");

    let dutch = notices("info1@veilig-it.nl").await;
    assert_eq!(dutch.len(), 1);
    assert_eq!(dutch[0].lang, "nl");
    assert!(
        dutch[0].subject.contains("versie 2"),
        "{}",
        dutch[0].subject
    );
    assert!(dutch[0].text_body.contains("/expert"));
    let other = notices("info2@veilig-it.nl").await;
    assert_eq!(other.len(), 1);
    assert_eq!(other[0].lang, "en");
    assert_eq!(
        notices("info3@veilig-it.nl").await.len(),
        1,
        "pending review"
    );
    assert!(notices("info4@veilig-it.nl").await.is_empty(), "suspended");

    // Another pass tells nobody again; an expert who accepts is not told about it either.
    assert_eq!(app.run_lifecycle().await.code_of_conduct_notices, 0);
    let expert = app.token_for("info1@veilig-it.nl", EXPERT_PASSWORD).await;
    let accepted = app
        .post_auth(
            "/api/v1/experts/me/code-of-conduct",
            &expert,
            &json!({ "version": 2 }),
        )
        .await;
    assert_eq!(accepted.status(), 200);

    // A third version reaches only those behind it, once more.
    app.post_auth(
        "/api/v1/moderation/code-of-conduct",
        &moderator,
        &publish(3),
    )
    .await;
    assert_eq!(app.run_lifecycle().await.code_of_conduct_notices, 3);
    assert_eq!(notices("info1@veilig-it.nl").await.len(), 2);
    assert!(notices("info4@veilig-it.nl").await.is_empty());
}
