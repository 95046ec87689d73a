//! The JSON API with the page session cookie: a state-changing call must carry a same-origin
//! `Origin` and the CSRF token in `X-CSRF-Token`; a cross-site page riding on the cookie gets 403.
//! Calls with a bearer token are not affected.

use crate::helpers::{TestApp, spawn_app};
use serde_json::Value;

const CSRF: &str = "k3vQ0dYc7bN1sT9wX2mL5pR8uZ4aE6hJ0gF3iK7oW1y";

async fn post_with_cookie(
    app: &TestApp,
    path: &str,
    cookie: &str,
    origin: Option<&str>,
    csrf: Option<&str>,
) -> reqwest::Response {
    let mut request = app
        .client
        .post(app.url(path))
        .header("cookie", cookie)
        .header("content-type", "text/plain")
        .body("{}");
    if let Some(origin) = origin {
        request = request.header("origin", origin);
    }
    if let Some(csrf) = csrf {
        request = request.header("x-csrf-token", csrf);
    }
    request.send().await.expect("request sent")
}

async fn status_of(app: &TestApp, moderator: &str, id: &str) -> String {
    let body: Value = app
        .get_auth(
            "/api/v1/moderation/experts?status=pending_review",
            moderator,
        )
        .await
        .json()
        .await
        .expect("json");
    let pending = body.to_string().contains(id);
    if pending { "pending_review" } else { "other" }.to_owned()
}

#[tokio::test]
async fn a_cross_site_cookie_call_cannot_approve_an_expert_or_log_out() {
    let app = spawn_app().await;
    let expert = app.pending_expert(1).await;
    let moderator = app.moderator_token().await;
    // The cookies a browser holds after logging in on a page.
    let cookie = format!("hh_session={moderator}; hh_csrf={CSRF}");
    let approve = format!("/api/v1/moderation/experts/{expert}/approve");
    let evil = Some("http://evil.test");

    for (origin, csrf) in [
        (evil, None),
        (evil, Some(CSRF)),
        (None, None),
        (None, Some(CSRF)),
    ] {
        let refused = post_with_cookie(&app, &approve, &cookie, origin, csrf).await;
        assert_eq!(refused.status(), 403, "origin {origin:?}, csrf {csrf:?}");
    }
    // The same route spelled with percent-escapes is still the API, and still checked.
    let escaped = format!("/%61pi/v1/moderation/experts/{expert}/approve");
    let refused = post_with_cookie(&app, &escaped, &cookie, evil, None).await;
    assert_eq!(refused.status(), 403);
    let own = app.address.clone();
    let wrong_token = post_with_cookie(&app, &approve, &cookie, Some(&own), Some("x")).await;
    assert_eq!(wrong_token.status(), 403);
    assert_eq!(status_of(&app, &moderator, &expert).await, "pending_review");

    // Logging out across sites is refused too: the session still works afterwards.
    let logout = app
        .client
        .delete(app.url("/api/v1/sessions"))
        .header("cookie", &cookie)
        .header("origin", "http://evil.test")
        .send()
        .await
        .expect("sent");
    assert_eq!(logout.status(), 403);

    // From this site's own page, with the token: it works.
    let approved = post_with_cookie(&app, &approve, &cookie, Some(&own), Some(CSRF)).await;
    assert_eq!(approved.status(), 200, "{:?}", approved.text().await);
    assert_eq!(status_of(&app, &moderator, &expert).await, "other");
}

#[tokio::test]
async fn an_experts_cookie_cannot_pause_it_from_another_site_but_its_bearer_token_can() {
    let app = spawn_app().await;
    let moderator = app.moderator_token().await;
    app.approved_expert(&moderator, &crate::helpers::expert_body(1))
        .await;
    let token = app.expert_token(1).await;
    let cookie = format!("hh_session={token}; hh_csrf={CSRF}");
    let refused = post_with_cookie(
        &app,
        "/api/v1/experts/me/pause",
        &cookie,
        Some("http://evil.test"),
        None,
    )
    .await;
    assert_eq!(refused.status(), 403);
    let me: Value = app
        .get_auth("/api/v1/experts/me", &token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(me["paused"], false, "{me}");

    // A reading call with the cookie needs no token, and bearer calls need no Origin.
    let read = app
        .client
        .get(app.url("/api/v1/experts/me"))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("sent");
    assert_eq!(read.status(), 200);
    let paused = app
        .post_auth("/api/v1/experts/me/pause", &token, &serde_json::json!({}))
        .await;
    assert_eq!(paused.status(), 200);
}
