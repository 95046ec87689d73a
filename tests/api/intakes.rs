//! A victim's intake: first aid at once, up to three neutral matches, a case link, and bad input
//! refused field by field with nothing stored.

use crate::helpers::{
    TestApp, assert_problem, expert_at, intake_body, problem_fields, spawn_app, spawn_app_with,
};
use serde_json::{Value, json};

async fn count_intakes(app: &TestApp) -> i64 {
    use diesel::prelude::*;
    use hackhelpdesk::db::schema::intakes;
    app.state
        .db
        .run(|conn| Ok(intakes::table.count().get_result(conn)?))
        .await
        .unwrap()
}

#[tokio::test]
async fn a_victim_gets_first_aid_the_nearest_experts_with_reasons_and_a_case_link() {
    let app = spawn_app().await;
    let moderator = app.moderator_token().await;
    let goes = app
        .approved_expert(&moderator, &expert_at(1, "Goes", json!({})))
        .await;
    let boz = app
        .approved_expert(&moderator, &expert_at(2, "Bergen op Zoom", json!({})))
        .await;
    let roosendaal = app
        .approved_expert(&moderator, &expert_at(3, "Roosendaal", json!({})))
        .await;
    let breda = app
        .approved_expert(&moderator, &expert_at(4, "Breda", json!({})))
        .await;

    let created = app.intake(&intake_body()).await;

    assert_eq!(created["status"], "open");
    assert_eq!(
        TestApp::match_ids(&created),
        [boz.clone(), roosendaal, goes],
        "nearest first, at most 3"
    );
    assert!(!TestApp::match_ids(&created).contains(&breda));
    let first = &created["matches"][0];
    assert_eq!(first["mode"], "on_site");
    let reasons: Vec<&str> = first["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert!(reasons.contains(&"1 km van Bergen op Zoom"), "{reasons:?}");
    assert!(reasons.contains(&"spreekt Nederlands"), "{reasons:?}");
    let steps = created["steps"].as_array().unwrap();
    assert!((4..=8).contains(&steps.len()));
    assert!(
        steps
            .iter()
            .any(|s| s["body"].as_str().unwrap().contains("No More Ransom")),
        "Dutch ransomware plan"
    );
    let token = created["access_token"].as_str().unwrap();
    assert_eq!(
        created["case_url"],
        format!("http://localhost:8080/case/{token}")
    );

    let mail = app.emails_to("jan@bakkerij-devries.nl").await;
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0].template, "intake_received");
    assert!(mail[0].text_body.contains(&format!("/case/{token}")));
    assert!(mail[0].text_body.contains("Disclaimer"));

    let audit = app
        .get_auth(
            "/api/v1/moderation/audit?action=referral.offered",
            &moderator,
        )
        .await;
    let entries: Value = audit.json().await.unwrap();
    let entries = entries
        .as_array()
        .or(entries["entries"].as_array())
        .cloned()
        .unwrap_or_default();
    assert_eq!(entries.len(), 3, "one audit entry per referral");
    assert!(
        !entries
            .iter()
            .any(|e| e.to_string().contains("Jan de Vries")),
        "no personal data in the audit log"
    );
}

#[tokio::test]
async fn the_case_is_readable_only_with_its_own_token() {
    let app = spawn_app().await;
    let a = app.intake(&intake_body()).await;
    let b = app.intake(&intake_body()).await;
    let (a_id, a_token) = (
        a["id"].as_str().unwrap(),
        a["access_token"].as_str().unwrap(),
    );
    let b_token = b["access_token"].as_str().unwrap();

    let own = app
        .get_auth(&format!("/api/v1/intakes/{a_id}"), a_token)
        .await;
    assert_eq!(own.status(), 200);
    let case: Value = own.json().await.unwrap();
    assert_eq!(case["contact"]["name"], "Jan de Vries");
    assert_eq!(case["location"]["province"], "Noord-Brabant");

    assert_problem(
        app.get_auth(&format!("/api/v1/intakes/{a_id}"), b_token)
            .await,
        404,
    )
    .await;
    assert_problem(app.get(&format!("/api/v1/intakes/{a_id}")).await, 401).await;
    assert_problem(
        app.get_auth(&format!("/api/v1/intakes/{a_id}"), "made-up")
            .await,
        404,
    )
    .await;
}

#[tokio::test]
async fn nobody_fits_so_the_intake_is_unmatched_and_every_moderator_is_alerted() {
    let app = spawn_app_with(&[("MODERATOR_ALERT_EMAIL", "alerts@pvo.nl")]).await;
    let moderator = app.moderator_token().await;
    app.approved_expert(
        &moderator,
        &expert_at(1, "Groningen", json!({ "radius_km": 20 })),
    )
    .await;
    // The registration alerted alerts@pvo.nl; past the 15-minute alert window the next alert
    // is emailed at once again (within it, it would wait for the digest: tests/api/mail_caps.rs).
    app.clock.advance(chrono::Duration::minutes(15));

    let created = app.intake(&intake_body()).await;

    assert_eq!(created["status"], "unmatched");
    assert!(created["matches"].as_array().unwrap().is_empty());
    assert!(
        !created["steps"].as_array().unwrap().is_empty(),
        "first aid comes anyway"
    );
    for address in ["moderator@pvo.nl", "alerts@pvo.nl"] {
        let alerts = app.emails_to(address).await;
        let alert = alerts
            .iter()
            .find(|m| m.template == "intake_unmatched")
            .expect(address);
        assert!(alert.text_body.contains("Bergen op Zoom"));
        assert!(
            !alert.text_body.contains("Jan de Vries"),
            "alerts carry no identity"
        );
    }
    let victim = app.emails_to("jan@bakkerij-devries.nl").await;
    assert!(victim[0].text_body.contains("geen expert beschikbaar"));
}

#[tokio::test]
async fn bad_input_is_refused_field_by_field_and_nothing_is_stored() {
    // A dozen bad submissions from one address would spend the intake budget; this is about
    // validation, so the per-client limits are off.
    let app = spawn_app_with(&[("RATE_LIMITS", "off")]).await;
    let cases: Vec<(&str, Value)> = vec![
        ("location", json!({ "place": "Atlantis" })),
        ("location", json!({ "lat": 51.22, "lon": 4.40 })),
        ("incident_type", json!("cyberpest")),
        ("urgency", json!("yesterday")),
        ("consent_to_share", json!(false)),
        ("disclaimer_accepted", json!(false)),
        ("description", json!("x".repeat(5001))),
        ("description", json!("   ")),
        ("language", json!("klingon")),
    ];
    for (field, value) in cases {
        let mut body = intake_body();
        body[field] = value;
        let problem = assert_problem(app.submit_intake(&body).await, 422).await;
        assert_eq!(problem_fields(&problem), [field], "{problem}");
    }
    let mut body = intake_body();
    body["contact"]["email"] = json!("jan@");
    body["company"]["kvk_number"] = json!("123");
    let problem = assert_problem(app.submit_intake(&body).await, 422).await;
    assert_eq!(
        problem_fields(&problem),
        ["company.kvk_number", "contact.email"],
        "all at once"
    );
    // Names must read as typed. (A direction override is refused before any other check, like
    // every control character in every field, so it is reported on its own.)
    let mut body = intake_body();
    body["contact"]["name"] = json!("Jan \u{202E}seirV ed");
    let problem = assert_problem(app.submit_intake(&body).await, 422).await;
    assert_eq!(problem_fields(&problem), ["contact.name"]);
    let mut body = intake_body();
    body["contact"]["name"] = json!("\u{FEFF} \u{2060}");
    body["company"]["name"] = json!("\u{200B}\u{200B}");
    let problem = assert_problem(app.submit_intake(&body).await, 422).await;
    assert_eq!(
        problem_fields(&problem),
        ["company.name", "contact.name"],
        "names must read as typed"
    );
    let mut body = intake_body();
    body.as_object_mut().unwrap().remove("contact");
    assert_eq!(
        problem_fields(&assert_problem(app.submit_intake(&body).await, 422).await),
        ["contact"]
    );
    assert_eq!(count_intakes(&app).await, 0, "nothing stored");
}

#[tokio::test]
async fn an_idempotency_key_gives_the_same_intake_back_and_refuses_another_body() {
    let app = spawn_app().await;
    let send = |body: Value, key: &'static str| {
        let request = app
            .client
            .post(app.url("/api/v1/intakes"))
            .header("Idempotency-Key", key)
            .json(&body);
        async move { request.send().await.unwrap() }
    };
    let first = send(intake_body(), "key-1").await;
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.unwrap();
    let again = send(intake_body(), "key-1").await;
    assert_eq!(again.status(), 200, "a repeat is not a new creation");
    let again: Value = again.json().await.unwrap();
    assert_eq!(first["id"], again["id"]);
    for token in [&first["access_token"], &again["access_token"]] {
        let path = format!("/api/v1/intakes/{}", first["id"].as_str().unwrap());
        assert_eq!(
            app.get_auth(&path, token.as_str().unwrap()).await.status(),
            200
        );
    }
    let mut other = intake_body();
    other["urgency"] = json!("past");
    let problem = assert_problem(send(other, "key-1").await, 422).await;
    assert_eq!(problem_fields(&problem), ["Idempotency-Key"]);
    assert_eq!(count_intakes(&app).await, 1);
    assert_eq!(
        app.emails_to("jan@bakkerij-devries.nl").await.len(),
        1,
        "one confirmation email"
    );
}
