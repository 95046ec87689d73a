//! Control characters and direction overrides in every input, on both databases: refused with a
//! 422 naming the field (or a 404 for a path), never stored, never a 500. PostgreSQL cannot store
//! NUL at all, so before this a NUL anywhere was a 500 there.

use serde_json::{Value, json};

use crate::connect::{matched_case, number_of};
use crate::helpers::{
    MODERATOR_PASSWORD, TestApp, assert_problem, case_of, expert_body, intake_body, problem_fields,
    spawn_app_with,
};

/// The paths (`contact.name`, `expert_ids[0]`) of every string in `value`.
pub fn string_paths(value: &Value, prefix: &str, out: &mut Vec<String>) {
    match value {
        Value::String(_) => out.push(prefix.to_owned()),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                string_paths(item, &format!("{prefix}[{i}]"), out);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                string_paths(item, &path, out);
            }
        }
        _ => {}
    }
}

/// The string at `path`, mutably.
pub fn at<'a>(value: &'a mut Value, path: &str) -> &'a mut Value {
    path.split('.')
        .fold(value, |v, segment| match segment.split_once('[') {
            Some((key, index)) => {
                let i: usize = index.trim_end_matches(']').parse().expect("index");
                &mut v[key][i]
            }
            None => &mut v[segment],
        })
}

/// For every string of `body`: the same body with `bad` appended to that string alone must be a
/// 422 naming exactly that field.
async fn each_field_refuses(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    token: &str,
    body: &Value,
    bad: &str,
) {
    let mut paths = Vec::new();
    string_paths(body, "", &mut paths);
    assert!(!paths.is_empty());
    for field in paths {
        let mut sent = body.clone();
        let slot = at(&mut sent, &field);
        *slot = json!(format!("{}{bad}", slot.as_str().expect("string")));
        let response = app.send(method.clone(), path, token, Some(&sent)).await;
        let problem = assert_problem(response, 422).await;
        assert_eq!(problem_fields(&problem), [field.as_str()], "{path} {bad:?}");
    }
}

#[tokio::test]
async fn nul_in_any_text_field_of_intake_registration_and_login_is_a_422_on_that_field() {
    // Every field in turn is a flood by design: the per-client limits would answer first.
    let app = spawn_app_with(&[("RATE_LIMITS", "off")]).await;
    let post = reqwest::Method::POST;
    each_field_refuses(
        &app,
        post.clone(),
        "/api/v1/intakes",
        "",
        &intake_body(),
        "\0",
    )
    .await;
    each_field_refuses(
        &app,
        post.clone(),
        "/api/v1/experts",
        "",
        &expert_body(1),
        "\0",
    )
    .await;
    let login = json!({ "email": "info1@veilig-it.nl", "password": "zeven blauwe fietsen" });
    each_field_refuses(&app, post.clone(), "/api/v1/sessions", "", &login, "\0").await;
    // Direction overrides, in free text too; other control characters in single-line fields.
    each_field_refuses(
        &app,
        post.clone(),
        "/api/v1/intakes",
        "",
        &intake_body(),
        "\u{202e}",
    )
    .await;
    each_field_refuses(&app, post, "/api/v1/experts", "", &expert_body(2), "\n").await;

    // Free text keeps its line breaks and tabs, as browsers send them.
    let mut body = intake_body();
    body["description"] = json!("Alles is versleuteld.\r\nOok de back-up.\n\tZie de foto.");
    let created = app.intake(&body).await;
    assert_eq!(app.case(&created).await["description"], body["description"]);
}

#[tokio::test]
async fn nul_in_case_expert_and_moderator_texts_is_a_422_on_that_field() {
    // Every field in turn is a flood by design: the per-client limits would answer first.
    let app = spawn_app_with(&[("RATE_LIMITS", "off")]).await;
    let (created, ids) = matched_case(&app).await;
    let moderator = app.token_for("moderator@pvo.nl", MODERATOR_PASSWORD).await;
    let (intake_id, case_token) = case_of(&created);
    let post = reqwest::Method::POST;
    let requests = app.ask_ok(&created, &[&ids[0], &ids[1]]).await;
    let expert = app.expert_token(number_of(&app, &ids[0]).await).await;
    let other = app.expert_token(number_of(&app, &ids[1]).await).await;

    let profile = json!({
        "company_name": "Nieuw IT B.V.",
        "contact_name": "Sanne Bakker",
        "phone": "+31 6 1111 2222",
        "website": "nieuw-it.nl",
        "base": { "place": "Breda" },
        "languages": ["nl"],
    });
    each_field_refuses(
        &app,
        reqwest::Method::PATCH,
        "/api/v1/experts/me",
        &expert,
        &profile,
        "\0",
    )
    .await;
    let decline = format!("/api/v1/requests/{}/decline", requests[1]);
    each_field_refuses(
        &app,
        post.clone(),
        &decline,
        &other,
        &json!({"reason": "Vol."}),
        "\0",
    )
    .await;
    let accept = app
        .respond(&requests[0], "accept", &expert, &json!({}))
        .await;
    assert_eq!(accept.status(), 200);
    let complete = format!("/api/v1/requests/{}/complete", requests[0]);
    let summary = json!({ "summary": "Back-up teruggezet." });
    each_field_refuses(&app, post.clone(), &complete, &expert, &summary, "\0").await;

    let feedback =
        json!({ "helped": 5, "resolved": true, "more_resilient": true, "comment": "Top" });
    let path = format!("/api/v1/intakes/{intake_id}/feedback");
    each_field_refuses(&app, post.clone(), &path, case_token, &feedback, "\0").await;
    let complaint = json!({ "expert_id": ids[0], "reason": "Kwam niet opdagen." });
    let path = format!("/api/v1/intakes/{intake_id}/complaints");
    each_field_refuses(&app, post.clone(), &path, case_token, &complaint, "\0").await;
    let path = format!("/api/v1/intakes/{intake_id}/close");
    each_field_refuses(
        &app,
        post.clone(),
        &path,
        case_token,
        &json!({"outcome": "resolved"}),
        "\0",
    )
    .await;

    let reason = json!({ "reason": "Geen bewijs van ervaring." });
    for decision in ["reject", "suspend"] {
        let path = format!("/api/v1/moderation/experts/{}/{decision}", ids[2]);
        each_field_refuses(&app, post.clone(), &path, &moderator, &reason, "\0").await;
    }
}

#[tokio::test]
async fn control_characters_in_a_path_are_404_and_in_a_query_422_on_the_parameter() {
    // Every field in turn is a flood by design: the per-client limits would answer first.
    let app = spawn_app_with(&[("RATE_LIMITS", "off")]).await;
    let moderator = app.moderator_token().await;
    for path in [
        "/case/%00",
        "/api/v1/intakes/%00",
        "/api/v1/intakes/abc%0Adef",
        "/api/v1/incident-types/%00/steps",
        "/first-aid/ransomware%00",
        "/api/v1/moderation/experts/%E2%80%AE",
    ] {
        let response = app.get_auth(path, &moderator).await;
        assert_eq!(response.status(), 404, "{path}");
    }
    for (path, field) in [
        ("/api/v1/places?q=%00", "q"),
        ("/api/v1/places?q=Breda%0D", "q"),
        ("/api/v1/moderation/audit?action=%00", "action"),
        ("/api/v1/moderation/experts?status=%E2%80%AEx", "status"),
        ("/api/v1/moderation/intakes?status=%01", "status"),
    ] {
        let problem = assert_problem(app.get_auth(path, &moderator).await, 422).await;
        assert_eq!(problem_fields(&problem), [field], "{path}");
    }
    // A browser gets a page, not JSON, and still no 500.
    let browser = app.page_client("nl");
    for (path, status) in [("/login?next=%00", 422), ("/case/%00", 404)] {
        let response = browser.get(path).await;
        assert_eq!(response.status(), status, "{path}");
        let html = response.text().await.expect("body");
        assert!(html.contains("<html"), "{path}: {html}");
    }
}

#[tokio::test]
async fn a_control_character_in_a_page_form_is_a_friendly_422_page() {
    // Every field in turn is a flood by design: the per-client limits would answer first.
    let app = spawn_app_with(&[("RATE_LIMITS", "off")]).await;
    let browser = app.page_client("nl");
    for (field, value) in [
        ("email", "a\0b@veilig-it.nl"),
        ("password", "geheim\u{202e}woord"),
    ] {
        let mut fields = vec![
            ("email", "a@veilig-it.nl"),
            ("password", "geheim wachtwoord"),
        ];
        fields.retain(|(name, _)| *name != field);
        fields.push((field, value));
        let response = browser.submit("/login", "/login", &fields).await;
        assert_eq!(response.status(), 422, "{field}");
        let html = response.text().await.expect("body");
        assert!(
            html.contains("stuurtekens"),
            "says what is wrong, in Dutch: {html}"
        );
    }
}
