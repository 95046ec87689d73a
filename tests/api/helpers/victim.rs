//! The victim's side: intakes, asking experts for help, the case seen with its case token.

use serde_json::{Value, json};

use super::TestApp;

/// A valid intake from a bakery in Bergen op Zoom hit by ransomware.
pub fn intake_body() -> Value {
    json!({
        "incident_type": "ransomware",
        "urgency": "acute",
        "description": "Alle bestanden zijn versleuteld en er staat een losgeldbericht op het scherm.",
        "location": { "place": "Bergen op Zoom" },
        "needs_on_site": true,
        "language": "nl",
        "contact": { "name": "Jan de Vries", "email": "jan@bakkerij-devries.nl", "phone": "+31 6 8765 4321" },
        "company": { "name": "Bakkerij De Vries", "kvk_number": "87654321", "employees": 12, "sector": "bakkerij" },
        "consent_to_share": true,
        "disclaimer_accepted": true
    })
}

impl TestApp {
    pub async fn submit_intake(&self, body: &Value) -> reqwest::Response {
        self.post_json("/api/v1/intakes", body).await
    }

    /// Submits an intake that must succeed; returns the 201 body.
    pub async fn intake(&self, body: &Value) -> Value {
        let response = self.submit_intake(body).await;
        assert_eq!(
            response.status(),
            201,
            "intake: {:?}",
            response.text().await
        );
        response.json().await.expect("json")
    }

    /// The expert ids of an intake answer, in rank order.
    pub fn match_ids(created: &Value) -> Vec<String> {
        created["matches"]
            .as_array()
            .expect("matches")
            .iter()
            .map(|m| m["expert_id"].as_str().expect("expert_id").to_owned())
            .collect()
    }

    /// `POST /api/v1/intakes/{id}/requests` with the case token.
    pub async fn ask(&self, created: &Value, expert_ids: &[&str]) -> reqwest::Response {
        let (id, token) = case_of(created);
        self.post_auth(
            &format!("/api/v1/intakes/{id}/requests"),
            token,
            &json!({ "expert_ids": expert_ids }),
        )
        .await
    }

    /// Asks must succeed; returns the request ids in order.
    pub async fn ask_ok(&self, created: &Value, expert_ids: &[&str]) -> Vec<String> {
        let response = self.ask(created, expert_ids).await;
        assert_eq!(response.status(), 201, "ask: {:?}", response.text().await);
        let body: Value = response.json().await.expect("json");
        body["requests"]
            .as_array()
            .expect("requests")
            .iter()
            .map(|r| r["id"].as_str().expect("id").to_owned())
            .collect()
    }

    /// The victim's case (`GET /api/v1/intakes/{id}`).
    pub async fn case(&self, created: &Value) -> Value {
        let (id, token) = case_of(created);
        let response = self.get_auth(&format!("/api/v1/intakes/{id}"), token).await;
        assert_eq!(response.status(), 200);
        response.json().await.expect("json")
    }

    /// `POST /api/v1/intakes/{id}/{action}` with the case token.
    pub async fn victim_post(
        &self,
        created: &Value,
        action: &str,
        body: &Value,
    ) -> reqwest::Response {
        let (id, token) = case_of(created);
        self.post_auth(&format!("/api/v1/intakes/{id}/{action}"), token, body)
            .await
    }
}

/// The id and case token of an intake's 201 answer.
pub fn case_of(created: &Value) -> (&str, &str) {
    (
        created["id"].as_str().expect("id"),
        created["access_token"].as_str().expect("access_token"),
    )
}

/// Three approved experts in and near Bergen op Zoom, and an intake matched to all three.
pub async fn matched_case(app: &TestApp) -> (Value, Vec<String>) {
    app.approved_experts(3, 50).await;
    let created = app.intake(&intake_body()).await;
    let ids = TestApp::match_ids(&created);
    assert_eq!(ids.len(), 3);
    (created, ids)
}

/// A connected case whose victim ticked the first two steps: `matched_case`, the first match
/// asked and accepting. Returns the case, the request id and the expert's number.
pub async fn connected_with_steps(app: &TestApp) -> (Value, String, u32) {
    let (created, ids) = matched_case(app).await;
    let requests = app.ask_ok(&created, &[&ids[0]]).await;
    let n = super::number_of(app, &ids[0]).await;
    let token = app.expert_token(n).await;
    let accepted = app
        .respond(&requests[0], "accept", &token, &json!({}))
        .await;
    assert_eq!(accepted.status(), 200);
    let (id, case_token) = case_of(&created);
    for step in [1, 2] {
        let path = format!("/api/v1/intakes/{id}/steps/{step}");
        let ticked = app
            .post_auth(&path, case_token, &json!({ "done": true }))
            .await;
        assert_eq!(ticked.status(), 200);
    }
    (created.clone(), requests[0].clone(), n)
}
