//! Logging in and out as a moderator (experts join in with the experts issue).

use crate::helpers::{assert_problem, spawn_app, spawn_app_with};

const PASSWORD: &str = "correct horse battery staple";

#[tokio::test]
async fn a_moderator_logs_in_gets_a_token_and_the_token_dies_at_logout() {
    let app = spawn_app().await;
    app.create_moderator("moderator@pvo.nl", PASSWORD).await;

    let response = app.login("Moderator@PVO.nl", PASSWORD).await;
    assert_eq!(response.status(), 201);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["role"], "moderator");
    let token = body["token"].as_str().unwrap();
    assert!(token.len() >= 43);

    assert_eq!(app.logout(token).await.status(), 204);
    assert_problem(app.logout(token).await, 401).await;
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_email_get_the_same_answer() {
    let app = spawn_app().await;
    app.create_moderator("moderator@pvo.nl", PASSWORD).await;
    let wrong_password =
        assert_problem(app.login("moderator@pvo.nl", "wrong password!!").await, 401).await;
    let unknown_email = assert_problem(app.login("nobody@pvo.nl", PASSWORD).await, 401).await;
    assert_eq!(wrong_password, unknown_email);
}

#[tokio::test]
async fn a_made_up_or_missing_token_is_a_401_problem_with_a_bearer_challenge() {
    let app = spawn_app().await;
    let response = app.logout("made-up-token").await;
    assert_eq!(response.headers()["www-authenticate"], "Bearer");
    assert_problem(response, 401).await;
    let response = app
        .client
        .delete(app.url("/api/v1/sessions"))
        .send()
        .await
        .unwrap();
    assert_problem(response, 401).await;
}

#[tokio::test]
async fn a_session_expires_after_its_lifetime() {
    let app = spawn_app().await;
    app.create_moderator("moderator@pvo.nl", PASSWORD).await;
    let token = app.token_for("moderator@pvo.nl", PASSWORD).await;
    app.clock.advance(chrono::Duration::hours(13));
    assert_problem(app.logout(&token).await, 401).await;
}

#[tokio::test]
async fn an_expert_logs_in_and_the_session_cookie_works_for_pages_too() {
    use crate::helpers::{EXPERT_PASSWORD, expert_body};
    let app = spawn_app_with(&[("PUBLIC_URL", "https://hackhelpdesk.example.nl")]).await;
    app.register_expert(&expert_body(1)).await;
    let response = app.login("info1@veilig-it.nl", EXPERT_PASSWORD).await;
    assert_eq!(response.status(), 201);
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    for part in [
        "__Host-hh_session=",
        "HttpOnly",
        "SameSite=Lax",
        "Secure",
        "Path=/",
    ] {
        assert!(cookie.contains(part), "{part} missing in {cookie}");
    }
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["role"], "expert");
    let token = body["token"].as_str().unwrap();
    assert!(cookie.starts_with(&format!("__Host-hh_session={token};")));
    assert!(!cookie.contains("Domain="), "{cookie}");

    let by_cookie = |name: &'static str| {
        app.client
            .get(app.url("/api/v1/experts/me"))
            .header("cookie", format!("{name}={token}"))
            .send()
    };
    assert_eq!(by_cookie("__Host-hh_session").await.unwrap().status(), 200);
    // On https only the prefixed cookie counts: one without the prefix may have been planted.
    assert_eq!(by_cookie("hh_session").await.unwrap().status(), 401);
}

#[tokio::test]
async fn repeated_failures_slow_down_then_lock_an_account_and_unknown_emails_alike() {
    // Twenty failed logins from one address: the per-client login budget would answer first;
    // this is about the per-account lockout alone.
    let app = spawn_app_with(&[("RATE_LIMITS", "off")]).await;
    app.create_moderator("moderator@pvo.nl", PASSWORD).await;
    for email in ["moderator@pvo.nl", "nobody@pvo.nl"] {
        for attempt in 1..=10 {
            // Wait out the growing delay between attempts 5 and 9.
            app.clock.advance(chrono::Duration::seconds(40));
            let response = app.login(email, "wrong password!!").await;
            assert_eq!(response.status(), 401, "{email} attempt {attempt}");
        }
        let locked = app.login(email, PASSWORD).await;
        let retry: u64 = locked.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((890..=900).contains(&retry), "{retry}");
        assert_problem(locked, 429).await;
    }
    // A quick retry inside the growing delay is refused without checking the password.
    app.create_moderator("other@pvo.nl", PASSWORD).await;
    for _ in 0..5 {
        app.login("other@pvo.nl", "wrong password!!").await;
    }
    assert_problem(app.login("other@pvo.nl", PASSWORD).await, 429).await;

    app.clock.advance(chrono::Duration::minutes(15));
    assert_eq!(app.login("moderator@pvo.nl", PASSWORD).await.status(), 201);
    // Success forgets the failures: one more wrong password is an ordinary 401.
    assert_problem(app.login("moderator@pvo.nl", "wrong password!!").await, 401).await;
}
