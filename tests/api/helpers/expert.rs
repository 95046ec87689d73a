//! Experts: registration bodies, verification, moderation, the expert's side of a request.

use serde_json::{Value, json};

use super::TestApp;

pub const EXPERT_PASSWORD: &str = "zeven blauwe fietsen op de dijk";

/// A valid registration; `n` makes email and KvK number unique.
pub fn expert_body(n: u32) -> Value {
    json!({
        "company_name": format!("Veilig IT {n} B.V."),
        "kvk_number": format!("{:08}", 12_340_000 + n),
        "email": format!("info{n}@veilig-it.nl"),
        "password": EXPERT_PASSWORD,
        "contact_name": "Fatma Yilmaz",
        "phone": "+31 6 1234 5678",
        "website": "veilig-it.nl",
        "base": { "place": "Bergen op Zoom" },
        "radius_km": 40,
        "remote": true,
        "expertise": ["ransomware", "phishing"],
        "languages": ["nl", "en", "tr"],
        "capacity": 3,
        "available_24_7": false,
        "code_of_conduct_version": 1
    })
}

/// Expert `n` with its base in `place` and the given overrides.
pub fn expert_at(n: u32, place: &str, changes: Value) -> Value {
    let mut body = expert_body(n);
    body["base"] = json!({ "place": place });
    if let (Value::Object(b), Value::Object(c)) = (&mut body, changes) {
        b.extend(c);
    }
    body
}

impl TestApp {
    pub async fn register_expert(&self, body: &Value) -> reqwest::Response {
        self.post_json("/api/v1/experts", body).await
    }

    /// The token from the newest verification email to `address`.
    pub async fn verification_token(&self, address: &str) -> String {
        let emails = self.emails_to(address).await;
        let mail = emails
            .iter()
            .rev()
            .find(|m| m.template == "expert_verification")
            .expect("a verification email was queued");
        let start = mail.text_body.find("token=").expect("link with token") + 6;
        mail.text_body[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect()
    }

    pub async fn verify_expert(&self, token: &str) -> reqwest::Response {
        self.post_json("/api/v1/experts/verify", &json!({ "token": token }))
            .await
    }

    /// Registers expert `n` and confirms its email: it is then pending review. Returns its id.
    pub async fn pending_expert(&self, n: u32) -> String {
        let body = expert_body(n);
        let response = self.register_expert(&body).await;
        assert_eq!(response.status(), 201, "registration of expert {n}");
        let id = response.json::<Value>().await.expect("json")["id"]
            .as_str()
            .expect("id")
            .to_owned();
        let token = self
            .verification_token(body["email"].as_str().expect("email"))
            .await;
        assert_eq!(self.verify_expert(&token).await.status(), 200);
        id
    }

    pub async fn moderate(
        &self,
        token: &str,
        id: &str,
        decision: &str,
        reason: Option<&str>,
    ) -> reqwest::Response {
        let path = format!("/api/v1/moderation/experts/{id}/{decision}");
        let request = self.client.post(self.url(&path)).bearer_auth(token);
        let request = match reason {
            Some(reason) => request.json(&json!({ "reason": reason })),
            None => request,
        };
        request.send().await.expect("request sent")
    }

    /// Registers, verifies and approves an expert from `body` (see `expert_body`); returns its id.
    pub async fn approved_expert(&self, moderator: &str, body: &Value) -> String {
        let response = self.register_expert(body).await;
        assert_eq!(
            response.status(),
            201,
            "registration: {:?}",
            response.text().await
        );
        let id = response.json::<Value>().await.expect("json")["id"]
            .as_str()
            .expect("id")
            .to_owned();
        let token = self
            .verification_token(body["email"].as_str().expect("email"))
            .await;
        assert_eq!(self.verify_expert(&token).await.status(), 200);
        assert_eq!(
            self.moderate(moderator, &id, "approve", None)
                .await
                .status(),
            200
        );
        id
    }

    /// Experts 1 to `count` (see `expert_body`), approved, with room for `capacity` cases each.
    pub async fn approved_experts(&self, count: u32, capacity: u32) {
        let moderator = self.moderator_token().await;
        for n in 1..=count {
            let mut body = expert_body(n);
            body["capacity"] = json!(capacity);
            self.approved_expert(&moderator, &body).await;
        }
    }

    /// The bearer token of expert `n` (see `expert_body`).
    pub async fn expert_token(&self, n: u32) -> String {
        self.token_for(&format!("info{n}@veilig-it.nl"), EXPERT_PASSWORD)
            .await
    }

    /// `POST /api/v1/requests/{id}/{action}` by an expert.
    pub async fn respond(
        &self,
        request_id: &str,
        action: &str,
        token: &str,
        body: &Value,
    ) -> reqwest::Response {
        self.post_auth(
            &format!("/api/v1/requests/{request_id}/{action}"),
            token,
            body,
        )
        .await
    }

    /// An expert's `open_cases` as stored.
    pub async fn open_cases(&self, expert_id: &str) -> i32 {
        use diesel::prelude::*;
        use hackhelpdesk::db::schema::experts;
        let id = expert_id.to_owned();
        self.state
            .db
            .run(move |conn| {
                Ok(experts::table
                    .find(id)
                    .select(experts::open_cases)
                    .first(conn)?)
            })
            .await
            .expect("expert exists")
    }
}

/// The expert number (`info{n}@…`) of an expert id, for logging in.
pub async fn number_of(app: &TestApp, expert_id: &str) -> u32 {
    let id = expert_id.to_owned();
    let email: String = app
        .state
        .db
        .run(move |conn| Ok(hackhelpdesk::db::models::expert::get(conn, &id.into())?.email))
        .await
        .unwrap();
    email
        .trim_start_matches("info")
        .split('@')
        .next()
        .and_then(|n| n.parse().ok())
        .expect("expert_body email")
}
