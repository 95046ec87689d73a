//! Accounts and sessions: moderators, logging in and out.

use hackhelpdesk::domain::{Email, Password};
use serde_json::{Value, json};

use super::TestApp;

pub const MODERATOR_PASSWORD: &str = "correct horse battery staple";

impl TestApp {
    /// Creates a moderator directly through the library (the CLI is tested on its own).
    pub async fn create_moderator(&self, email: &str, password: &str) -> String {
        let email = Email::parse(email).expect("valid email");
        let hash = Password::parse(password).expect("valid password").hash();
        self.state
            .db
            .run(move |conn| hackhelpdesk::db::models::moderator::create(conn, &email, &hash))
            .await
            .expect("moderator created")
            .id
    }

    pub async fn login(&self, email: &str, password: &str) -> reqwest::Response {
        self.post_json(
            "/api/v1/sessions",
            &json!({ "email": email, "password": password }),
        )
        .await
    }

    /// Logs in and returns the bearer token; panics when the login fails.
    pub async fn token_for(&self, email: &str, password: &str) -> String {
        let response = self.login(email, password).await;
        assert_eq!(response.status(), 201, "login of {email} failed");
        let body: Value = response.json().await.expect("json");
        body["token"].as_str().expect("token").to_owned()
    }

    pub async fn logout(&self, token: &str) -> reqwest::Response {
        self.client
            .delete(self.url("/api/v1/sessions"))
            .bearer_auth(token)
            .send()
            .await
            .expect("request sent")
    }

    /// A moderator's bearer token (creates the moderator).
    pub async fn moderator_token(&self) -> String {
        self.create_moderator("moderator@pvo.nl", MODERATOR_PASSWORD)
            .await;
        self.token_for("moderator@pvo.nl", MODERATOR_PASSWORD).await
    }
}
