//! Plain HTTP: paths to URLs, GET/POST with and without a bearer token.

use serde_json::{Value, json};

use super::TestApp;

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request sent")
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .expect("request sent")
    }

    pub async fn post_raw(
        &self,
        path: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("request sent")
    }

    /// GET with one extra request header, e.g. `Accept-Language`.
    pub async fn get_with(&self, path: &str, header: &str, value: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .header(header, value)
            .send()
            .await
            .expect("request sent")
    }

    /// `POST /api/v1/triage{query}` with `{"answers": answers}`.
    pub async fn post_triage(&self, query: &str, answers: &Value) -> reqwest::Response {
        self.post_json(
            &format!("/api/v1/triage{query}"),
            &json!({ "answers": answers }),
        )
        .await
    }

    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
        body: Option<&Value>,
    ) -> reqwest::Response {
        let mut request = self
            .client
            .request(method, self.url(path))
            .bearer_auth(token);
        if let Some(body) = body {
            request = request.json(body);
        }
        request.send().await.expect("request sent")
    }

    pub async fn get_auth(&self, path: &str, token: &str) -> reqwest::Response {
        self.send(reqwest::Method::GET, path, token, None).await
    }

    pub async fn post_auth(&self, path: &str, token: &str, body: &Value) -> reqwest::Response {
        self.send(reqwest::Method::POST, path, token, Some(body))
            .await
    }

    pub async fn patch_auth(&self, path: &str, token: &str, body: &Value) -> reqwest::Response {
        self.send(reqwest::Method::PATCH, path, token, Some(body))
            .await
    }

    pub async fn delete_auth(&self, path: &str, token: &str) -> reqwest::Response {
        self.send(reqwest::Method::DELETE, path, token, None).await
    }
}
