//! Expert registration, email verification, and the expert's own profile.

use chrono::Duration;
use serde_json::{Value, json};

use crate::helpers::{EXPERT_PASSWORD, assert_problem, expert_body, problem_fields, spawn_app};

#[tokio::test]
async fn registration_sends_a_dutch_verification_link_and_the_link_moves_the_expert_to_review() {
    let app = spawn_app().await;
    let body = expert_body(1);
    let response = app.register_expert(&body).await;
    assert_eq!(response.status(), 201);
    let created: Value = response.json().await.unwrap();
    assert_eq!(created["status"], "unverified");

    let emails = app.emails_to("info1@veilig-it.nl").await;
    assert_eq!(emails.len(), 1);
    assert_eq!(emails[0].template, "expert_verification");
    assert_eq!(emails[0].lang, "nl", "the expert speaks Dutch");
    assert!(
        emails[0]
            .text_body
            .contains("http://localhost:8080/experts/verify?token=")
    );
    assert!(emails[0].text_body.contains("Disclaimer"));

    // Unverified experts may log in to see their status; the profile hides every secret.
    let token = app.token_for("INFO1@veilig-it.nl", EXPERT_PASSWORD).await;
    let me: Value = app
        .get_auth("/api/v1/experts/me", &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["status"], "unverified");
    assert_eq!(me["matchable"], false);
    assert_eq!(me["base"]["place"], "Bergen op Zoom");
    assert_eq!(me["base"]["province"], "Noord-Brabant");
    assert_eq!(me["expertise"], json!(["ransomware", "phishing"]));
    assert_eq!(me["website"], "https://veilig-it.nl/");
    let text = me.to_string();
    assert!(
        !text.contains("argon2") && !text.contains("password"),
        "{text}"
    );

    let verification = app.verification_token("info1@veilig-it.nl").await;
    let verified = app.verify_expert(&verification).await;
    assert_eq!(verified.status(), 200);
    let verified: Value = verified.json().await.unwrap();
    assert_eq!(verified["status"], "pending_review");
}

#[tokio::test]
async fn a_verification_link_works_once_and_not_after_48_hours() {
    let app = spawn_app().await;
    app.register_expert(&expert_body(1)).await;
    app.register_expert(&expert_body(2)).await;
    let first = app.verification_token("info1@veilig-it.nl").await;
    let second = app.verification_token("info2@veilig-it.nl").await;

    assert_eq!(app.verify_expert(&first).await.status(), 200);
    let reused = assert_problem(app.verify_expert(&first).await, 409).await;
    assert!(
        reused["detail"]
            .as_str()
            .unwrap()
            .contains("already been used")
    );

    app.clock
        .advance(Duration::hours(48) + Duration::seconds(1));
    let expired = assert_problem(app.verify_expert(&second).await, 410).await;
    assert!(expired["detail"].as_str().unwrap().contains("expired"));

    let unknown = assert_problem(app.verify_expert("made-up").await, 422).await;
    assert_eq!(problem_fields(&unknown), ["token"]);

    // The expert of the expired link logs in and asks for a new one; the old one is gone.
    let token = app.token_for("info2@veilig-it.nl", EXPERT_PASSWORD).await;
    let resent = app
        .post_auth("/api/v1/experts/me/verification", &token, &json!({}))
        .await;
    assert_eq!(resent.status(), 202);
    let fresh = app.verification_token("info2@veilig-it.nl").await;
    assert_ne!(fresh, second);
    assert_problem(app.verify_expert(&second).await, 422).await;
    assert_eq!(app.verify_expert(&fresh).await.status(), 200);
    let again = app
        .post_auth("/api/v1/experts/me/verification", &token, &json!({}))
        .await;
    assert_problem(again, 409).await;
}

#[tokio::test]
async fn every_bad_field_of_a_registration_is_named_at_once() {
    let app = spawn_app().await;
    let mut body = expert_body(1);
    for (field, value) in [
        ("company_name", json!(" ")),
        ("kvk_number", json!("1234567")),
        ("email", json!("not-an-email")),
        ("password", json!("short")),
        ("phone", json!("call me")),
        ("website", json!("javascript:alert(1)")),
        ("base", json!({ "place": "Atlantis" })),
        ("radius_km", json!(0)),
        ("expertise", json!([])),
        ("languages", json!(["nl", "xx"])),
        ("capacity", json!(51)),
    ] {
        body[field] = value;
    }
    let problem = assert_problem(app.register_expert(&body).await, 422).await;
    let fields = problem_fields(&problem);
    for field in [
        "base",
        "capacity",
        "company_name",
        "email",
        "expertise",
        "kvk_number",
        "languages[1]",
        "password",
        "phone",
        "radius_km",
        "website",
    ] {
        assert!(
            fields.contains(&field.to_owned()),
            "{field} missing in {fields:?}"
        );
    }
    assert!(app.emails_to("veilig-it.nl").await.is_empty());
}

#[tokio::test]
async fn unknown_codes_common_passwords_and_an_old_code_of_conduct_are_refused() {
    let app = spawn_app().await;
    let mut body = expert_body(1);
    body["expertise"] = json!(["ransomware", "ceo_fraud"]);
    let problem = assert_problem(app.register_expert(&body).await, 422).await;
    assert_eq!(problem_fields(&problem), ["expertise[1]"]);

    let mut body = expert_body(1);
    body["password"] = json!("password1234");
    let problem = assert_problem(app.register_expert(&body).await, 422).await;
    assert_eq!(problem_fields(&problem), ["password"]);

    let mut body = expert_body(1);
    body["code_of_conduct_version"] = json!(0);
    let problem = assert_problem(app.register_expert(&body).await, 422).await;
    assert_eq!(problem_fields(&problem), ["code_of_conduct_version"]);

    let mut body = expert_body(1);
    body["base"] = json!({ "lat": 51.22, "lon": 4.40 });
    let problem = assert_problem(app.register_expert(&body).await, 422).await;
    assert_eq!(problem_fields(&problem), ["base"]);
}

#[tokio::test]
async fn a_duplicate_email_or_kvk_number_is_a_conflict_that_names_no_account() {
    let app = spawn_app().await;
    assert_eq!(app.register_expert(&expert_body(1)).await.status(), 201);

    let mut same_email = expert_body(2);
    same_email["email"] = json!("Info1@Veilig-IT.nl");
    let by_email = assert_problem(app.register_expert(&same_email).await, 409).await;
    let mut same_kvk = expert_body(3);
    same_kvk["kvk_number"] = expert_body(1)["kvk_number"].clone();
    let by_kvk = assert_problem(app.register_expert(&same_kvk).await, 409).await;
    assert_eq!(by_email["detail"], by_kvk["detail"]);
    assert!(!by_email.to_string().contains("info1"));
}

#[tokio::test]
async fn a_registration_never_confirmed_stops_holding_its_email_and_kvk_number() {
    let app = spawn_app().await;
    assert_eq!(app.register_expert(&expert_body(1)).await.status(), 201);
    let mut same_kvk = expert_body(2);
    same_kvk["kvk_number"] = expert_body(1)["kvk_number"].clone();

    // While the first link still works, the KvK number stays taken.
    app.clock.advance(Duration::hours(47));
    assert_problem(app.register_expert(&same_kvk).await, 409).await;

    // Once every link has expired unconfirmed, the real owner of the company can register.
    app.clock.advance(Duration::hours(1) + Duration::seconds(1));
    assert_eq!(app.register_expert(&same_kvk).await.status(), 201);
    assert_eq!(
        app.login("info1@veilig-it.nl", EXPERT_PASSWORD)
            .await
            .status(),
        401
    );
    // And the address of the lapsed sign-up can register afresh.
    assert_eq!(app.register_expert(&expert_body(1)).await.status(), 409);
    let mut fresh = expert_body(1);
    fresh["kvk_number"] = expert_body(3)["kvk_number"].clone();
    assert_eq!(app.register_expert(&fresh).await.status(), 201);

    let moderator = app.moderator_token().await;
    let audit: Value = app
        .get_auth(
            "/api/v1/moderation/audit?action=expert.registration_lapsed",
            &moderator,
        )
        .await
        .json()
        .await
        .unwrap();
    let entries = audit.as_array().expect("audit entries");
    assert_eq!(entries.len(), 1, "{audit}");
    assert!(entries[0]["reason"].as_str().unwrap().contains("48 hours"));
}

#[tokio::test]
async fn pausing_and_resuming_keep_the_status_and_edits_are_checked() {
    let app = spawn_app().await;
    app.register_expert(&expert_body(1)).await;
    let token = app.token_for("info1@veilig-it.nl", EXPERT_PASSWORD).await;

    let paused: Value = app
        .post_auth("/api/v1/experts/me/pause", &token, &json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(paused["paused"], true);
    assert_eq!(paused["status"], "unverified");
    let resumed: Value = app
        .post_auth("/api/v1/experts/me/resume", &token, &json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(resumed["paused"], false);

    let edited = app
        .patch_auth(
            "/api/v1/experts/me",
            &token,
            &json!({ "capacity": 5, "website": null, "base": { "place": "den bosch" } }),
        )
        .await;
    assert_eq!(edited.status(), 200);
    let edited: Value = edited.json().await.unwrap();
    assert_eq!(edited["capacity"], 5);
    assert_eq!(edited["website"], Value::Null);
    assert_eq!(edited["base"]["place"], "'s-Hertogenbosch");

    let bad = app
        .patch_auth(
            "/api/v1/experts/me",
            &token,
            &json!({ "capacity": 0, "kvk_number": "12" }),
        )
        .await;
    let problem = assert_problem(bad, 422).await;
    assert_eq!(problem_fields(&problem), ["capacity", "kvk_number"]);
    let email = app
        .patch_auth("/api/v1/experts/me", &token, &json!({ "email": "x@y.nl" }))
        .await;
    assert_problem(email, 422).await;
}

#[tokio::test]
async fn the_verification_page_confirms_only_when_the_button_is_pressed() {
    let app = spawn_app().await;
    app.register_expert(&expert_body(1)).await;
    let token = app.verification_token("info1@veilig-it.nl").await;

    let page = app.get(&format!("/experts/verify?token={token}")).await;
    assert_eq!(page.status(), 200);
    assert!(
        page.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = page.text().await.unwrap();
    assert!(html.contains("Bevestig uw e-mailadres"));
    assert!(html.contains(&format!("value=\"{token}\"")));

    let browser = app.page_client("nl");
    let csrf = crate::helpers::csrf_token(
        &browser
            .page(&format!("/experts/verify?token={token}"))
            .await
            .1,
    );
    let confirm = |t: String| {
        browser
            .client
            .post(format!("{}/experts/verify", browser.base))
            .form(&[("token", t), ("csrf_token", csrf.clone())])
            .send()
    };
    let done = confirm(token.clone()).await.unwrap();
    assert_eq!(done.status(), 200);
    assert!(
        done.text()
            .await
            .unwrap()
            .contains("Uw e-mailadres is bevestigd")
    );
    let again = confirm(token).await.unwrap();
    assert_eq!(again.status(), 409);
    assert!(again.text().await.unwrap().contains("al gebruikt"));

    let hostile = app.get("/experts/verify?token=%22%3E%3Cscript%3E").await;
    let html = hostile.text().await.unwrap();
    assert!(!html.contains("<script>"), "the token is escaped");
}
