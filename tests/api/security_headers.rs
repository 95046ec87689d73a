//! Headers a browser or proxy acts on: API answers with tokens or contact details are never
//! stored (`no-store`, `nosniff`); with an https `PUBLIC_URL` every answer carries HSTS and the
//! cookies carry the `__Host-` prefix (Secure, Path=/, no Domain), and pages still work with
//! them; on http none of that applies.

use reqwest::header::HeaderMap;
use serde_json::Value;

use crate::helpers::{
    EXPERT_PASSWORD, TestApp, csrf_token, expert_body, intake_body, location, spawn_app,
    spawn_app_with,
};

const HTTPS: (&str, &str) = ("PUBLIC_URL", "https://hackhelpdesk.example");

fn assert_not_stored(what: &str, headers: &HeaderMap) {
    assert_eq!(headers["cache-control"], "no-store", "{what}");
    assert_eq!(headers["x-content-type-options"], "nosniff", "{what}");
}

/// The `Set-Cookie` line for cookie `name`.
fn set_cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(str::to_owned)
}

async fn connected_expert(app: &TestApp) -> (String, Value) {
    let moderator = app.moderator_token().await;
    app.approved_expert(&moderator, &expert_body(1)).await;
    let created = app.intake(&intake_body()).await;
    let ids = TestApp::match_ids(&created);
    app.ask_ok(&created, &[ids[0].as_str()]).await;
    (app.expert_token(1).await, created)
}

#[tokio::test]
async fn api_answers_with_tokens_or_personal_data_are_never_stored() {
    let app = spawn_app().await;
    let (expert, created) = connected_expert(&app).await;

    let login = app.login("info1@veilig-it.nl", EXPERT_PASSWORD).await;
    assert_not_stored("POST /sessions", login.headers());
    let intake = app.submit_intake(&intake_body()).await;
    assert_eq!(intake.status(), 201);
    assert_not_stored("POST /intakes", intake.headers());
    let (id, token) = (
        created["id"].as_str().unwrap(),
        created["access_token"].as_str().unwrap(),
    );
    let case = app.get_auth(&format!("/api/v1/intakes/{id}"), token).await;
    assert_eq!(case.status(), 200);
    assert_not_stored("GET /intakes/{id}", case.headers());
    let requests = app.get_auth("/api/v1/experts/me/requests", &expert).await;
    assert_eq!(requests.status(), 200);
    assert_not_stored("GET /experts/me/requests", requests.headers());
    // Errors too, and no HSTS on http.
    let unknown = app.get("/api/v1/nothing-here").await;
    assert_eq!(unknown.status(), 404);
    assert_not_stored("404", unknown.headers());
    assert!(!unknown.headers().contains_key("strict-transport-security"));
    // A handler's own public cache policy stays (place names are public).
    let places = app.get("/api/v1/places?q=Utrecht").await;
    assert_eq!(places.status(), 200);
    assert_eq!(places.headers()["cache-control"], "public, max-age=86400");
    assert_eq!(places.headers()["x-content-type-options"], "nosniff");
}

#[tokio::test]
async fn on_https_every_answer_has_hsts_and_cookies_carry_the_host_prefix() {
    let app = spawn_app_with(&[HTTPS]).await;
    app.register_expert(&expert_body(1)).await;
    let browser = app.page_client("nl");

    for path in [
        "/",
        "/api/v1/incident-types",
        "/healthz",
        "/case/not-a-token",
    ] {
        let response = browser.get(path).await;
        assert_eq!(
            response.headers()["strict-transport-security"],
            "max-age=31536000",
            "{path}"
        );
    }

    // A client without a cookie store: each request carries exactly the cookies given here.
    let plain = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let page = plain.get(app.url("/login?lang=en")).send().await.unwrap();
    let csrf = set_cookie(page.headers(), "__Host-hh_csrf").expect("__Host-hh_csrf is set");
    let lang = set_cookie(page.headers(), "__Host-hh_lang").expect("__Host-hh_lang is set");
    for cookie in [&csrf, &lang] {
        for part in ["Secure", "Path=/", "HttpOnly"] {
            assert!(cookie.contains(part), "{part} missing in {cookie}");
        }
        assert!(!cookie.contains("Domain"), "{cookie}");
    }
    assert!(set_cookie(page.headers(), "hh_csrf").is_none());

    let token = csrf_token(&page.text().await.unwrap());
    let login = plain
        .post(app.url("/login"))
        .header("cookie", format!("__Host-hh_csrf={token}"))
        .form(&[
            ("csrf_token", token.as_str()),
            ("email", "info1@veilig-it.nl"),
            ("password", EXPERT_PASSWORD),
            ("next", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 303, "the login form is accepted");
    let session = set_cookie(login.headers(), "__Host-hh_session").expect("session cookie");
    assert!(
        session.contains("Secure") && session.contains("Path=/"),
        "{session}"
    );
    let value = session
        .trim_start_matches("__Host-hh_session=")
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let home = |name: &'static str| {
        plain
            .get(app.url(&location(&login)))
            .header("cookie", format!("{name}={value}"))
            .send()
    };
    assert_eq!(home("__Host-hh_session").await.unwrap().status(), 200);
    assert_eq!(location(&home("hh_session").await.unwrap()), "/login");
}

#[tokio::test]
async fn on_http_cookies_keep_their_plain_names_and_there_is_no_hsts() {
    let app = spawn_app().await;
    let browser = app.page_client("nl");
    let page = browser.get("/login?lang=en").await;
    assert!(!page.headers().contains_key("strict-transport-security"));
    let csrf = set_cookie(page.headers(), "hh_csrf").expect("hh_csrf is set");
    assert!(!csrf.contains("Secure"), "{csrf}");
    assert!(set_cookie(page.headers(), "hh_lang").is_some());
    assert!(set_cookie(page.headers(), "__Host-hh_csrf").is_none());
}
