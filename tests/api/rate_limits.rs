//! Per-client rate limits as a script meets them: floods of intakes, logins, registrations,
//! verification attempts and token guesses get 429 problem+json (or the friendly page) with
//! `Retry-After`; `X-Forwarded-For` counts only from a trusted proxy; `RATE_LIMITS=off` lets a
//! flood through. The victim's own flow with the limits on is in `rate_limits_victim`.

use std::time::{Duration, Instant};

use hackhelpdesk::limits::Budget;
use serde_json::{Value, json};

use crate::helpers::{TestApp, expert_body, intake_body, spawn_app, spawn_app_with};

/// The `Retry-After` seconds of a 429, checked against the budget's refill period.
fn retry_after(response: &reqwest::Response, budget: Budget) -> u64 {
    let header = response
        .headers()
        .get("retry-after")
        .expect("a 429 says when to retry");
    let secs: u64 = header.to_str().unwrap().parse().expect("whole seconds");
    let period = budget.allowance().1.as_secs().max(1);
    assert!((1..=period).contains(&secs), "Retry-After {secs}");
    secs
}

async fn assert_rate_limited(response: reqwest::Response, budget: Budget) {
    assert_eq!(response.status(), 429);
    retry_after(&response, budget);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["type"], "/problems/rate_limited");
}

/// Sends `count` requests one after the other; the statuses in order.
async fn statuses(count: u32, mut send: impl AsyncFnMut(u32) -> reqwest::Response) -> Vec<u16> {
    let mut seen = Vec::new();
    for i in 0..count {
        seen.push(send(i).await.status().as_u16());
    }
    seen
}

/// The budget passes, everything after it is refused.
fn assert_budget_then_refused(seen: &[u16], budget: Budget) {
    let burst = budget.allowance().0 as usize;
    assert!(
        seen[..burst].iter().all(|s| *s != 429 && *s < 500),
        "{seen:?}"
    );
    assert!(seen[burst..].iter().all(|s| *s == 429), "{seen:?}");
}

#[tokio::test]
async fn sixty_four_clients_flooding_intakes_from_one_address_get_only_the_budget() {
    let app = spawn_app().await;
    let (burst, period) = Budget::Intake.allowance();
    let started = Instant::now();
    let deadline = started + Duration::from_secs(8);
    let url = app.url("/api/v1/intakes");
    let tasks: Vec<_> = (0..64)
        .map(|client| {
            let url = url.clone();
            tokio::spawn(async move {
                let http = reqwest::Client::new();
                let mut seen = Vec::new();
                for round in 0..10 {
                    if Instant::now() > deadline {
                        break;
                    }
                    let mut body = intake_body();
                    body["description"] = json!(format!("Flood {client}-{round}: versleuteld."));
                    let response = http.post(&url).json(&body).send().await.unwrap();
                    let status = response.status().as_u16();
                    if status == 429 {
                        retry_after(&response, Budget::Intake);
                    }
                    seen.push(status);
                }
                seen
            })
        })
        .collect();
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.unwrap());
    }
    let elapsed = started.elapsed();
    let created = all.iter().filter(|s| **s == 201).count() as u64;
    let refused = all.iter().filter(|s| **s == 429).count();
    let replenished = elapsed.as_secs() / period.as_secs() + 1;
    assert!(
        u64::from(burst) <= created && created <= u64::from(burst) + replenished,
        "{created} created"
    );
    assert_eq!(created as usize + refused, all.len(), "only 201 and 429");
    assert!(all.len() >= 640 || elapsed >= Duration::from_secs(8));
    assert_eq!(
        app.client
            .get(app.url("/healthz"))
            .send()
            .await
            .unwrap()
            .status(),
        200,
        "the service itself stays up"
    );
}

#[tokio::test]
async fn floods_of_logins_registrations_and_verifications_meet_429_with_retry_after() {
    let app = spawn_app().await;

    // Credential stuffing: a different account each time, so only the client limit stops it.
    let seen = statuses(14, async |i| {
        app.post_json(
            "/api/v1/sessions",
            &json!({ "email": format!("nobody{i}@example.nl"), "password": "wrong wrong wrong" }),
        )
        .await
    })
    .await;
    assert_budget_then_refused(&seen, Budget::Login);
    let api = app
        .post_json(
            "/api/v1/sessions",
            &json!({ "email": "x@example.nl", "password": "p" }),
        )
        .await;
    assert_rate_limited(api, Budget::Login).await;
    // The login page shares the budget; a browser gets the friendly page, still with Retry-After.
    let page = app
        .page_client("en")
        .post_form("/login", &[("email", "x@example.nl"), ("password", "p")])
        .await;
    assert_eq!(page.status(), 429);
    retry_after(&page, Budget::Login);
    assert!(
        page.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(page.text().await.unwrap().contains("too busy right now"));

    let seen = statuses(8, async |n| app.register_expert(&expert_body(n + 1)).await).await;
    assert_budget_then_refused(&seen, Budget::Registration);
    assert!(seen.iter().take(5).all(|s| *s == 201), "{seen:?}");
    let form = app
        .page_client("nl")
        .post_form("/experts/register", &[("company_name", "X")])
        .await;
    assert_eq!(form.status(), 429);
    retry_after(&form, Budget::Registration);

    let seen = statuses(13, async |i| {
        app.post_json(
            "/api/v1/experts/verify",
            &json!({ "token": format!("guess-{i}") }),
        )
        .await
    })
    .await;
    assert_budget_then_refused(&seen, Budget::Verification);
    assert_rate_limited(
        app.post_json("/api/v1/experts/verify", &json!({ "token": "another" }))
            .await,
        Budget::Verification,
    )
    .await;
}

#[tokio::test]
async fn guessing_case_tokens_meets_the_limit_on_pages_and_api_alike() {
    let app = spawn_app().await;
    let browser = app.page_client("nl");
    let (burst, _) = Budget::TokenLookup.allowance();
    let seen = statuses(burst + 3, async |i| {
        browser.get(&format!("/case/guess{i:04}")).await
    })
    .await;
    assert_budget_then_refused(&seen, Budget::TokenLookup);
    assert!(seen.iter().take(burst as usize).all(|s| *s == 404));
    let page = browser.get("/case/one-more").await;
    assert_eq!(page.status(), 429);
    retry_after(&page, Budget::TokenLookup);
    assert!(page.text().await.unwrap().contains("<html"));
    // Spelling the path differently reaches the same page, and the same budget.
    let encoded = browser.get("/%63ase/one-more").await;
    assert_eq!(encoded.status(), 429);
    let doubled = browser.get("//case//one-more/").await;
    assert_eq!(doubled.status(), 429);

    let api = app
        .get_auth("/api/v1/intakes/some-id", "guessed-token")
        .await;
    assert_rate_limited(api, Budget::TokenLookup).await;
}

/// Ten verification attempts, each claiming another origin; the eleventh, with `forwarded_for`.
async fn eleventh_attempt(app: &TestApp, forwarded_for: &str) -> reqwest::Response {
    for i in 0..Budget::Verification.allowance().0 {
        let response = app
            .client
            .post(app.url("/api/v1/experts/verify"))
            .header("x-forwarded-for", format!("203.0.113.{}", i + 10))
            .json(&json!({ "token": "guess" }))
            .send()
            .await
            .unwrap();
        assert_ne!(response.status(), 429);
    }
    app.client
        .post(app.url("/api/v1/experts/verify"))
        .header("x-forwarded-for", forwarded_for)
        .json(&json!({ "token": "guess" }))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn x_forwarded_for_is_ignored_from_an_untrusted_peer() {
    let app = spawn_app().await;
    let response = eleventh_attempt(&app, "198.51.100.99").await;
    assert_rate_limited(response, Budget::Verification).await;
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_forwarded_client_has_its_own_budget() {
    let app = spawn_app_with(&[("TRUSTED_PROXIES", "127.0.0.1/32")]).await;
    // Ten different clients spent one each: a new client is not limited...
    let fresh = eleventh_attempt(&app, "198.51.100.99").await;
    assert_ne!(fresh.status(), 429);
    // ...but one client spending its own budget is, whatever it writes left of the proxy's entry.
    for _ in 0..Budget::Verification.allowance().0 - 1 {
        let response = app
            .client
            .post(app.url("/api/v1/experts/verify"))
            .header("x-forwarded-for", "198.51.100.99")
            .json(&json!({ "token": "guess" }))
            .send()
            .await
            .unwrap();
        assert_ne!(response.status(), 429);
    }
    let spoofed = app
        .client
        .post(app.url("/api/v1/experts/verify"))
        .header("x-forwarded-for", "192.0.2.1, 198.51.100.99")
        .json(&json!({ "token": "guess" }))
        .send()
        .await
        .unwrap();
    assert_rate_limited(spoofed, Budget::Verification).await;
}

#[tokio::test]
async fn with_rate_limits_off_a_flood_goes_through() {
    let app = spawn_app_with(&[("RATE_LIMITS", "off")]).await;
    let seen = statuses(Budget::Verification.allowance().0 * 2, async |i| {
        app.post_json(
            "/api/v1/experts/verify",
            &json!({ "token": format!("guess-{i}") }),
        )
        .await
    })
    .await;
    assert!(seen.iter().all(|s| *s != 429 && *s < 500), "{seen:?}");
}
