//! Every error a client can cause is a clear problem+json (or a page for a browser), never a 500.

use crate::helpers::{assert_problem, problem_fields, spawn_app, spawn_app_with};
use serde_json::json;

#[tokio::test]
async fn an_unknown_api_route_is_a_404_problem() {
    let app = spawn_app().await;
    let body = assert_problem(app.get("/api/v1/does-not-exist").await, 404).await;
    assert_eq!(body["code"], "not_found");
    assert_eq!(body["type"], "/problems/not_found");
}

#[tokio::test]
async fn a_browser_on_an_unknown_page_gets_a_friendly_page_in_its_language() {
    let app = spawn_app().await;
    let response = app
        .client
        .get(app.url("/no/such/page"))
        .header("accept", "text/html,application/xhtml+xml")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = response.text().await.unwrap();
    assert!(
        html.contains("Deze pagina bestaat niet"),
        "Dutch by default: {html}"
    );
    let english = app
        .client
        .get(app.url("/no/such/page"))
        .header("accept", "text/html")
        .header("accept-language", "en")
        .send()
        .await
        .unwrap();
    let html = english.text().await.unwrap();
    assert!(html.contains("This page does not exist"), "{html}");
}

#[tokio::test]
async fn a_wrong_method_is_a_405_problem() {
    let app = spawn_app().await;
    let response = app
        .client
        .put(app.url("/api/v1/sessions"))
        .send()
        .await
        .unwrap();
    let body = assert_problem(response, 405).await;
    assert_eq!(body["code"], "method_not_allowed");
}

#[tokio::test]
async fn malformed_json_is_a_400_problem() {
    let app = spawn_app().await;
    for raw in ["{", "not json", "", "{\"email\": \"a@b.nl\",}"] {
        let response = app
            .post_raw("/api/v1/sessions", "application/json", raw.into())
            .await;
        let body = assert_problem(response, 400).await;
        assert_eq!(body["code"], "bad_request", "{raw:?}");
    }
}

#[tokio::test]
async fn a_value_of_the_wrong_type_or_a_missing_field_is_a_422_naming_the_field() {
    let app = spawn_app().await;
    let body = assert_problem(
        app.post_json("/api/v1/sessions", &json!({"email": 5, "password": "x"}))
            .await,
        422,
    )
    .await;
    assert_eq!(problem_fields(&body), ["email"]);
    let body = assert_problem(
        app.post_json("/api/v1/sessions", &json!({"email": "a@b.nl"}))
            .await,
        422,
    )
    .await;
    assert_eq!(problem_fields(&body), ["password"]);
    let body = assert_problem(
        app.post_json("/api/v1/sessions", &json!({"email": "no", "password": "x"}))
            .await,
        422,
    )
    .await;
    assert_eq!(problem_fields(&body), ["email"]);
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("email")
    );
}

#[tokio::test]
async fn a_body_over_the_limit_is_a_413_problem() {
    let app = spawn_app_with(&[("BODY_LIMIT_KB", "1")]).await;
    let big = json!({"email": "a@b.nl", "password": "x".repeat(4096)});
    let body = assert_problem(app.post_json("/api/v1/sessions", &big).await, 413).await;
    assert!(body["detail"].as_str().unwrap().contains("1024"));
}

#[tokio::test]
async fn a_body_that_is_not_json_is_a_415_problem() {
    let app = spawn_app().await;
    let response = app
        .post_raw(
            "/api/v1/sessions",
            "application/x-www-form-urlencoded",
            b"email=a".to_vec(),
        )
        .await;
    assert_problem(response, 415).await;
}

#[tokio::test]
async fn no_garbage_a_client_sends_makes_the_server_answer_500() {
    let app = spawn_app().await;
    let bodies: Vec<Vec<u8>> = vec![
        vec![0xff, 0xfe, 0x00],
        b"[]".to_vec(),
        b"null".to_vec(),
        b"{\"email\": null, \"password\": null}".to_vec(),
        b"{\"email\": \"\\u0000@x.nl\", \"password\": \"\\ud800\"}".to_vec(),
        format!("{}{}", "[".repeat(5000), "]".repeat(5000)).into_bytes(),
        b"{\"email\": \"a@b.nl\", \"password\": 1e999}".to_vec(),
    ];
    for body in bodies {
        let response = app
            .post_raw("/api/v1/sessions", "application/json", body.clone())
            .await;
        let status = response.status().as_u16();
        assert!(
            (400..500).contains(&status),
            "{status} for {:?}",
            String::from_utf8_lossy(&body)
        );
    }
    for path in [
        "/api/v1/%ff",
        "/api/v1/sessions?x=%zz",
        "/readyz/../../etc/passwd",
        "/api/v1//sessions",
    ] {
        let status = app.get(path).await.status().as_u16();
        assert!(status < 500, "{status} for {path}");
    }
}
